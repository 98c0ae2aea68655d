"""Access-matrix examples for the reablement routes that write or search, keyed by route name: a valid
request body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {stay_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "reablement:board": {"payload": {}, "marker": 'href="/reablement/stays/{stay_id}/"'},
    "reablement:bed": {"payload": {"status": "awaiting_clean"}},
    "reablement:new": {
        "payload": {
            "unit": "{unit_id}",
            "source": "gp",
            "reason": "Falls at home",
            "goals": "Manage the stairs",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        }
    },
    "reablement:decide": {"payload": {"decision": "withdrawn", "reason": "No longer needed"}},
    "reablement:admit": {
        "payload": {"bed": "{bed_id}", "admitted_on": "01/01/2026", "admitted_time": "10:00"}
    },
    "reablement:move": {"payload": {"bed": "{bed_id}", "moved_on": "01/01/2026", "moved_time": "10:00"}},
    "reablement:discharge": {
        "payload": {"destination": "home", "discharged_on": "01/01/2026", "discharged_time": "10:00"}
    },
    "reablement:add_goal": {"payload": {"description": "Walk to the shop", "target_on": "01/06/2027"}},
    "reablement:goal_progress": {"payload": {"goal_id": "{reablement_goal_id}", "progress": "partly"}},
    "reablement:add_review": {
        "payload": {"held_on": "01/01/2026", "attendees": ["nurse"], "decisions": "Home next week"}
    },
    "reablement:add_blocker": {
        "payload": {"category": "equipment", "description": "Hoist", "due_on": "01/06/2027"}
    },
    "reablement:resolve_blocker": {"payload": {"blocker_id": "{stay_blocker_id}", "resolution": "Delivered"}},
    "reablement:follow_up": {"payload": {"done_on": "01/01/2026", "outcome": "died"}},
    "reablement:mark_day": {"payload": {"day": "01/01/2026", "colour": "green"}},
    "reablement:add_note": {"payload": {"text": "Walked to the lounge"}},
    "reablement:add_score": {
        "payload": {"measure": "1", "stage": "admission", "score": "1", "scored_on": "01/01/2026"}
    },
    "reablement:add_action": {
        "payload": {"review": "1", "description": "Order a stool", "owner": "", "due_on": "01/06/2027"}
    },
    "reablement:complete_action": {"payload": {"action_id": "{mdt_action_id}", "outcome": "Done"}},
    "reablement:provider_board": {"payload": {}, "marker": 'href="/reablement/stays/{stay_id}/"'},
    "reablement:mdt_list": {"payload": {}, "marker": 'href="/reablement/stays/{stay_id}/"'},
    "reablement:my_actions": {"payload": {}, "marker": "Matrix action"},
    "api:reablement_board": {"payload": {}, "marker": '"stay_id": {stay_id}'},
    "api:create_reablement_referral": {
        "payload": {
            "person_id": "{person_id}",
            "unit_id": "{unit_id}",
            "source": "gp",
            "reason": "Falls at home",
            "goals": "Manage the stairs",
        }
    },
    "api:decide_reablement_referral": {"payload": {"decision": "withdrawn", "reason": "No longer needed"}},
    "api:admit_to_reablement": {"payload": {"bed_id": "{bed_id}", "admitted_at": "2026-01-01T10:00:00Z"}},
    "api:move_reablement_bed": {"payload": {"bed_id": "{bed_id}", "moved_at": "2026-01-01T10:00:00Z"}},
    "api:discharge_from_reablement": {
        "payload": {"discharged_at": "2026-01-01T10:00:00Z", "destination": "home"}
    },
    "reablement:arrange_adaptation": {
        "payload": {
            "needs": "Grab rails",
            "adaptation_case": "",
            "tenure": "council_tenant",
            "address": "1 High St",
        }
    },
    "reablement:arrange_support": {
        "payload": {
            "kind": "care_package",
            "description": "Two calls a day",
            "to_organisation": "{holder_id}",
            "service_kind": "other",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        }
    },
    "reablement:transition_plan": {"payload": {"plan": "Care team visits on the day"}},
    "api:mark_reablement_day": {"payload": {"day": "2026-01-01", "colour": "green"}},
    "api:add_reablement_note": {"payload": {"text": "Walked to the lounge"}},
    "api:record_reablement_score": {
        "payload": {"measure_id": 1, "stage": "admission", "score": 1, "scored_on": "2026-01-01"}
    },
    "api:record_reablement_review": {
        "payload": {
            "held_on": "2026-01-01",
            "attendees": ["nurse"],
            "medically_stable": True,
            "decisions": "Home next week",
        }
    },
    "api:add_reablement_action": {
        "payload": {"review_id": 1, "description": "Order a stool", "due_on": "2026-12-20"}
    },
    "api:complete_reablement_action": {"payload": {"outcome": "Done"}},
    "api:add_reablement_goal": {"payload": {"description": "Walk to the shop", "target_on": "2027-06-01"}},
    "api:update_reablement_goal": {"payload": {"progress": "partly"}},
    "api:raise_reablement_blocker": {
        "payload": {"category": "equipment", "description": "Hoist", "due_on": "2027-06-01"}
    },
    "api:resolve_reablement_blocker": {"payload": {"resolution": "Delivered"}},
    "api:arrange_reablement_support": {
        "payload": {
            "kind": "care_package",
            "description": "Two calls a day",
            "to_organisation_id": "{holder_id}",
        }
    },
    "api:arrange_reablement_adaptation": {
        "payload": {"needs": "A rail by the back door", "tenure": "owner_occupier"}
    },
}
