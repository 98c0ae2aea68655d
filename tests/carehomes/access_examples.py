"""Access-matrix examples for the care-home routes that write or search, keyed by route name: a valid
request body ("payload") and, for a search, text in the answer only when the resident was found ("marker").
Placeholders such as {resident_id} are filled in by tests/governance/test_access_matrix.py."""

PLAN = {
    "agreed_on": "2026-01-01",
    "agreed_with": "resident",
    "gp_name": "Dr A Khan",
    "what_matters": "Staying in the home",
    "preferred_place": "care_home",
    "if_unwell": "call_gp",
    "resuscitation": "not_decided",
    "review_on": "2027-07-01",
}

EXAMPLES = {
    "carehomes:home": {"payload": {}, "marker": 'href="/carehomes/residents/{resident_id}/"'},
    "carehomes:deteriorating": {"payload": {}, "marker": 'href="/carehomes/residents/{resident_id}/"'},
    "carehomes:visit": {"payload": {"visited_on": "01/01/2026", "role": "gp", "visitor": "Dr A Khan"}},
    "carehomes:admit": {
        "payload": {"home": "{home_id}", "admitted_on": "01/01/2026", "funding": "self_funded"}
    },
    "carehomes:plan": {"payload": PLAN | {"agreed_on": "01/01/2026", "review_on": "01/07/2027"}},
    "carehomes:observations": {"payload": {"taken_on": "01/01/2026", "taken_time": "10:00", "pulse": "80"}},
    "carehomes:triage": {
        "payload": {
            "called_on": "01/01/2026",
            "called_time": "02:00",
            "clinician_role": "hospital_consultant",
            "clinician_name": "Dr R Osei",
            "decision": "stay",
            "reasons": "Treat in the home",
        }
    },
    "carehomes:transfer": {"payload": {"left_on": "01/01/2026", "left_time": "03:00", "reason": "A fall"}},
    "carehomes:emergency_call": {
        "payload": {"called_on": "01/01/2026", "called_time": "03:00", "outcome": "advice", "reason": "Fall"}
    },
    "carehomes:home_assessment": {"payload": {"assessed_on": "01/01/2026"}},
    "carehomes:death": {"payload": {"died_on": "01/01/2026", "place": "care_home"}},
    "carehomes:hospital_case": {
        "payload": {"transfer": "1", "hospital": "{hospital_id}", "housing_organisation": "{holder_id}"}
    },
    "api:record_carehome_observations": {"payload": {"taken_at": "2026-01-01T10:00:00Z", "pulse": 80}},
    "api:record_carehome_plan": {"payload": PLAN},
    "api:record_carehome_triage_call": {
        "payload": {
            "called_at": "2026-01-01T02:00:00Z",
            "clinician_role": "hospital_consultant",
            "clinician_name": "Dr R Osei",
            "decision": "stay",
            "reasons": "Treat in the home",
        }
    },
    "api:record_carehome_visit": {
        "payload": {"visited_on": "2026-01-01", "role": "gp", "visitor": "Dr A Khan"}
    },
    "api:record_carehome_emergency_call": {
        "payload": {"called_at": "2026-01-01T03:00:00Z", "outcome": "advice", "reason": "A fall"}
    },
    "api:record_carehome_transfer": {"payload": {"left_at": "2026-01-01T03:00:00Z", "reason": "A fall"}},
    "api:record_carehome_death": {"payload": {"died_on": "2026-01-01", "place": "care_home"}},
}
