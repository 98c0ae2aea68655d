"""Access-matrix examples for the support routes that write or search, keyed by route name: a valid request
body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "support:caseload": {
        "payload": {"worker": "all", "show": "all"},
        "marker": 'href="/support/{support_case_id}/"',
    },
    "support:open": {"payload": {"kind": "social_prescribing", "route": "self", "referred_on": "01/11/2026"}},
    "support:from_referral": {"payload": {"take_on": "1"}},
    "support:contact": {"payload": {"occurred_on": "02/11/2026", "method": "phone", "minutes": "20"}},
    "support:what_matters": {
        "payload": {"what_matters": "Getting out of the house", "what_matters_on": "02/11/2026"}
    },
    "support:add_goal": {"payload": {"description": "Join a walking group"}},
    "support:goal": {"payload": {"status": "achieved"}},
    "support:assign": {"payload": {"worker": ""}},
    "support:root_causes": {"payload": {"root_causes": ["debt"], "attendances_before": "9"}},
    "support:discharge": {"payload": {"reason": "goals_met", "discharged_on": "03/11/2026"}},
    "support:measure": {
        "payload": {
            "timepoint": "baseline",
            "recorded_on": "02/11/2026",
            "optimistic": "3",
            "useful": "3",
            "relaxed": "3",
            "problems": "3",
            "thinking": "3",
            "close": "3",
            "own_mind": "3",
        }
    },
}
