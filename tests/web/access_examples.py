"""Access-matrix examples for the web routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "web:audit": {"payload": {"person_id": "{person_id}"}, "marker": "{holder_username}"},
}
