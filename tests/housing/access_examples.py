"""Access-matrix examples for the supported-housing routes that write or search, keyed by route name.
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

TOPICS = ["space", "getting_around", "warmth", "repairs", "safety", "location", "care", "company"]

EXAMPLES = {
    "housing:options_new": {
        "payload": {
            "held_on": "01/01/2026",
            "what_matters": "Family",
            "options": ["no_change"],
            "rank_1": "space",
        }
        | dict.fromkeys(TOPICS, "1")
    },
    "housing:options_decide": {"payload": {"decision": "no_change", "on": "02/01/2026"}},
    "housing:options_follow_up": {"payload": {"outcome": "no_change", "on": "02/07/2026"}},
    "housing:options_link": {"payload": {}},
    "housing:options_start": {"payload": {}},
    "housing:options_record": {
        "payload": {
            "held_on": "{today_form}",
            "what_matters": "Family",
            "options": ["no_change"],
            "rank_1": "space",
        }
        | dict.fromkeys(TOPICS, "1")
    },
    "housing:people_place_new": {"payload": {"help": ["gp_visit"], "note": "Asked at the door"}},
    "housing:people_place_close": {"payload": {"outcome": "helped", "on": "{today_form}"}},
    "housing:options_refer": {
        "payload": {"to_organisation": "{holder_id}", "service_kind": "money_advice", "reason": "Bills"}
    },
    "housing:caseload": {"payload": {"view": "all"}, "marker": 'href="/housing/placements/{placement_id}/"'},
    "housing:scheme": {"payload": {}, "marker": 'href="/housing/placements/{placement_id}/"'},
    "housing:refer": {
        "payload": {
            "scheme": "{scheme_id}",
            "source": "homelessness_team",
            "needs": "Sleeping rough",
            "referred_on": "01/01/2026",
        }
    },
    "housing:scheme_step": {
        "payload": {"shift_on": "01/01/2026", "shift": "early", "staff_on_duty": "Sam", "handover": "Quiet"}
    },
    "housing:step": {"payload": {"held_on": "01/01/2026", "minutes": "30", "areas": ["physical_health"]}},
    "api:list_housing_options_conversations": {
        "payload": {},
        "marker": '"reference": "HO-{conversation_id:06d}"',
    },
    "api:open_housing_people_place_case": {"payload": {"person_id": "{person_id}", "help": ["gp_visit"]}},
    "api:close_housing_people_place_case": {"payload": {"outcome": "helped", "on": "{today_iso}"}},
    "api:list_housing_placements": {"payload": {}, "marker": '"reference": "SH-{placement_id:06d}"'},
    "api:refer_to_housing": {
        "payload": {
            "person_id": "{person_id}",
            "scheme_id": "{scheme_id}",
            "source": "homelessness_team",
            "needs": "Sleeping rough",
            "referred_on": "2026-01-01",
        }
    },
    "api:record_housing_session": {
        "payload": {"held_on": "2026-01-01", "minutes": 30, "areas": ["physical_health"]}
    },
    "api:record_housing_departure": {
        "payload": {"on": "2026-01-02", "reason": "planned", "destination": "family"}
    },
}
EXAMPLES |= {
    "api:record_housing_assessment": {
        "payload": {"assessed_on": "2026-01-01", "needs": [{"domain": "be_healthy", "level": "none"}]}
    },
    "api:record_housing_risk": {
        "payload": {
            "to_whom": "self",
            "category": "overdose",
            "level": "high",
            "description": "Uses alone",
            "mitigation": "Naloxone in the room",
            "identified_on": "2026-01-01",
        }
    },
    "api:record_housing_goal_progress": {"payload": {"progress": "partly_met", "on": "2026-01-02"}},
    "api:close_housing_risk": {"payload": {"on": "2026-01-02", "reason": "Sober for six months"}},
    "api:add_housing_goal": {"payload": {"area": "physical_health", "description": "Use the gym"}},
    "api:review_housing_plan": {
        "payload": {
            "reviewed_on": "2026-01-01",
            "summary": "Going well",
            "readiness": "not_yet",
            "next_review_on": "2026-04-01",
        }
    },
    "api:record_housing_incident": {
        "payload": {
            "occurred_at": "2026-01-01T10:00:00Z",
            "kind": "damage",
            "description": "Window broken",
            "action_taken": "Repair ordered",
        }
    },
}
EXAMPLES |= {
    "api:record_housing_feedback": {
        "payload": {
            "received_on": "2026-01-01",
            "kind": "compliment",
            "from_whom": "visitor",
            "summary": "Staff were kind to my brother",
            "action_taken": "Passed on to the team",
        }
    },
}
