"""Access-matrix examples for the people routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "people:search": {"payload": {"q": "{family_name}"}, "marker": 'href="/people/{person_id}/"'},
    "people:person_new": {
        "payload": {"given_name": "Alex", "family_name": "Matrix", "date_of_birth": "01/02/1960"}
    },
    "people:person_edit": {
        "payload": {"given_name": "Alex", "family_name": "Matrix", "date_of_birth": "01/02/1960"}
    },
    "people:consent_new": {
        "payload": {"purpose": "share_with_housing", "status": "given", "lawful_basis": "6.1.a"}
    },
    "people:consent_withdraw": {"payload": {"reason": "Changed their mind"}},
    "api:search_people": {"payload": {"q": "{family_name}"}},
    "api:create_person": {
        "payload": {"given_name": "Alex", "family_name": "Matrix", "date_of_birth": "1960-02-01"}
    },
    "api:update_person": {"payload": {"preferred_name": "Al"}},
    "people:correction_decide": {"payload": {"decision": "reject", "note": "Not right"}},
    "api:accept_correction": {"payload": {"note": "Checked with the patient"}},
    "api:reject_correction": {"payload": {}},
    # The world's person (the survivor) and a duplicate record the holder also holds.
    "people:person_merge": {
        "payload": {"other": "{duplicate_id}", "survivor": "{person_id}", "reason": "Registered twice"}
    },
    "people:merge_split": {"payload": {"reason": "Two different people"}},
}
