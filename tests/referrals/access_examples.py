"""Access-matrix examples for the referrals routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "referrals:inbox": {
        "payload": {"box": "all", "show": "open"},
        "marker": 'href="/referrals/{referral_id}/"',
    },
    "referrals:send": {
        "payload": {
            "service_kind": "money_advice",
            "reason": "Debt",
            "urgency": "routine",
            "consent_status": "given",
        }
    },
    "referrals:move": {"payload": {"to_status": "accepted"}},
    "referrals:message": {"payload": {"body": "Can you call her this afternoon?"}},
    # The Bundle's self link repeats the NHS number searched for, so look for the Patient itself.
    "fhir:search_patient": {
        "payload": {"identifier": "https://fhir.nhs.uk/Id/nhs-number|{nhs_number}"},
        "marker": '"resourceType": "Patient", "id": "{person_id}"',
    },
    "fhir:search_service_request": {"payload": {"_count": 100}, "marker": '"Patient/{person_id}"'},
    "fhir:search_task": {"payload": {"_count": 100}, "marker": '"Patient/{person_id}"'},
    "fhir:put_task": {
        "payload": {"resourceType": "Task", "id": "{referral_id}", "status": "accepted", "intent": "order"}
    },
    "fhir:update_task": {
        "payload": {"resourceType": "Task", "id": "{referral_id}", "status": "accepted", "intent": "order"}
    },
}
