"""Access-matrix examples for the prevention routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "prevention:alerts": {"marker": 'href="/prevention/alerts/{alert_id}/"'},
    "prevention:decide": {"payload": {"decision": "visit"}},
    "prevention:concerns": {"payload": {"show": "all"}, "marker": "concern-{concern_id}"},
    "prevention:concern_new": {
        "payload": {"category": "cold_home", "seen": "No heating", "urgency": "routine"}
    },
    "prevention:triage": {"payload": {"decision": "visit"}},
}
