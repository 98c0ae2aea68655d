"""Access-matrix examples for the discharge routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "discharge:worklist": {"payload": {"view": "all"}, "marker": 'href="/discharge/cases/{case_id}/"'},
    "discharge:refer": {
        "payload": {
            "admitted_on": "01/01/2026",
            "referral_reason": "Stairs",
            "setting": "ward",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        }
    },
    "discharge:frequent_attenders": {"payload": {"threshold": "2"}, "marker": 'href="/people/{person_id}/"'},
    "discharge:submit_assessment": {
        "payload": {
            "care_provider": "{holder_id}",
            "assessed_on": "01/01/2026",
            "domain_mobility": "Walks with a frame",
            "domain_personal_care": "Help of one",
            "domain_medication": "Blister pack",
        }
    },
    "discharge:decide_assessment": {"payload": {"decision": "accept"}},
    "discharge:discharge_to_assess": {"payload": {"discharge_to_assess": "on"}},
    "discharge:screen": {"payload": {"items": ["home_unsuitable"]}},
    "discharge:raise_blocker": {
        "payload": {"category": "care_package", "description": "Carers", "due_on": "31/12/2099"}
    },
    "discharge:resolve_blocker": {"payload": {"resolution": "Sorted"}},
    "discharge:transition": {"payload": {"to_status": "cancelled", "note": "Matrix", "confirmed": "yes"}},
    "discharge:correct_ending": {"payload": {"reason": "Recorded on the wrong patient"}},
    "discharge:assign": {"payload": {"user_id": ""}},
    "discharge:set_delay_reason": {"payload": {"reason": "", "note": "Matrix"}},
    "discharge:follow_up_done": {"payload": {"outcome": "Spoke to her; settled at home"}},
    "api:list_cases": {"payload": {"view": "all"}, "marker": '"reference": "H2H-{case_id:06d}"'},
    "api:refer": {
        "payload": {
            "person_id": "{person_id}",
            "housing_organisation_id": "{holder_id}",
            "hospital_id": "{hospital_id}",
            "admitted_on": "2026-01-01",
            "referral_reason": "Stairs",
        }
    },
    "api:transition": {"payload": {"to_status": "cancelled", "note": "Matrix"}},
    "api:raise_blocker": {
        "payload": {"category": "care_package", "description": "Carers", "due_on": "2099-12-31"}
    },
    "api:resolve_blocker": {"payload": {"resolution": "Sorted"}},
    "api:record_attendance": {
        "payload": {
            "person_id": "{person_id}",
            "hospital_id": "{hospital_id}",
            "arrived_at": "2026-01-01T10:00:00Z",
            "complaint": "Fall",
            "needs": ["housing"],
        }
    },
}
