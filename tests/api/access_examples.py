"""Access-matrix examples for the api routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "api:record_consent": {
        "payload": {"purpose": "share_with_housing", "status": "given", "lawful_basis": "6.1.a"}
    },
    "api:list_audit_events": {"payload": {"person_id": "{person_id}"}, "marker": "{holder_username}"},
}
