"""Access-matrix examples for the adaptations routes that write or search, keyed by route name: a valid
request body ("payload") and, for a search, text in the answer only when the person was found ("marker").
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
    "adaptations:worklist": {
        "payload": {"view": "all"},
        "marker": 'href="/adaptations/cases/{adaptation_id}/"',
    },
    "adaptations:new": {
        "payload": {
            "source": "ot",
            "tenure": "owner_occupier",
            "needs": "Stair-lift",
            "enquiry_received_on": "01/01/2026",
            "route": "dfg",
            "priority": "standard",
        }
    },
    "adaptations:move": {"payload": {"to_status": "assessment", "on": "02/01/2026"}},
    "adaptations:dates": {"payload": {"first_contact_on": "02/01/2026"}},
    "adaptations:grant": {"payload": {"cost_of_works": "8000.00", "contribution": "0"}},
    "adaptations:resources": {"payload": {"personal_allowance": "couple", "capital_rule": "standard"}},
    "adaptations:works_item": {
        "payload": {"kind": "works", "description": "Grab rail", "quantity": "1", "unit_price": "40.00"}
    },
    "adaptations:works_quote": {
        "payload": {"contractor": "Anytown Builders", "amount": "4000.00", "received_on": "02/01/2026"}
    },
    "adaptations:works_choose": {"payload": {"quote_id": "1", "reason": ""}},
    "adaptations:works_variation": {
        "payload": {
            "description": "Extra rail",
            "amount": "40.00",
            "reason": "Asked for",
            "agreed_on": "02/01/2026",
        }
    },
    "adaptations:add_task": {
        "payload": {
            "kind": "survey",
            "owner_role": "technical_officer",
            "organisation": "{holder_id}",
            "working_days": "10",
        }
    },
    "adaptations:task_done": {"payload": {"task_id": "1", "done_on": ""}},
    "adaptations:complexity": {"payload": {"structural_works": "on"}},
    "adaptations:add_participant": {"payload": {"organisation": "{holder_id}", "reason": "OT assessment"}},
    "adaptations:assign": {"payload": {"user_id": ""}},
    "adaptations:fast_track": {"payload": {"tenure": "council_tenant", "needs": "Stair-lift"}},
    "api:list_adaptation_cases": {
        "payload": {"view": "all"},
        "marker": '"reference": "ADP-{adaptation_id:06d}"',
    },
    "api:open_adaptation_case": {
        "payload": {
            "person_id": "{person_id}",
            "source": "ot",
            "tenure": "owner_occupier",
            "needs": "Stair-lift",
            "enquiry_received_on": "2026-01-01",
        }
    },
    "api:move_adaptation_case": {"payload": {"to_status": "assessment", "on": "2026-01-02"}},
    "adaptations:visits": {"payload": {"view": "all"}, "marker": 'href="/adaptations/visits/{visit_id}/"'},
    "adaptations:new_visit": {"payload": {"kind": "home_safety", "visited_on": "01/01/2026"}},
    "adaptations:visit_hazard": {
        "payload": {
            "hazard": "falls_stairs",
            "likelihood": "100",
            "class_i": "0",
            "class_ii": "10",
            "class_iii": "30",
            "class_iv": "60",
            "action": "advice",
            "action_organisation": "{holder_id}",
        }
    },
    "adaptations:visit_hazard_removed": {
        "payload": {"finding_id": "{finding_id}", "removed_on": "02/01/2026"}
    },
    "adaptations:visit_photo": {"payload": {"finding_id": "{finding_id}", "caption": "Stairs"}},
    "adaptations:visit_job": {
        "payload": {"kind": "grab_rail", "description": "Rail by the door", "organisation": "{holder_id}"}
    },
    "adaptations:visit_job_done": {
        "payload": {"job_id": "1", "done_on": "02/01/2026", "minutes": "30", "materials_cost": "10.00"}
    },
    "adaptations:visit_falls": {"payload": {"loose_rugs": "yes"}},
    "adaptations:visit_warm_homes": {"payload": {"epc_band": "E", "income_band": "below_poverty_line"}},
    "adaptations:awaab_list": {"payload": {"view": "all"}, "marker": 'href="/adaptations/damp/{report_id}/"'},
    "adaptations:new_awaab": {
        "payload": {"hazard": "emergency", "aware_at": "02/11/2025 10:00", "description": "Ceiling leak"}
    },
    "adaptations:awaab_step": {"payload": {"step": "summary_sent_at", "at": "02/11/2025 10:00"}},
    "adaptations:awaab_evidence": {"payload": {"kind": "access_refused", "at": "02/11/2025 10:00"}},
    "api:add_adaptation_task": {
        "payload": {
            "kind": "survey",
            "owner_role": "technical_officer",
            "organisation_id": "{holder_id}",
            "working_days": 10,
        }
    },
    "api:complete_adaptation_task": {"payload": {"task_id": 1}},
    "api:add_adaptation_work_item": {
        "payload": {"kind": "works", "description": "Grab rail", "quantity": "1", "unit_price": "40.00"}
    },
    "api:add_adaptation_quote": {
        "payload": {"contractor": "Anytown Builders", "amount": "4000.00", "received_on": "2026-01-02"}
    },
    "api:choose_adaptation_contractor": {"payload": {"quote_id": 1}},
    "api:add_adaptation_variation": {
        "payload": {
            "description": "Extra rail",
            "amount": "40.00",
            "reason": "Asked for",
            "agreed_on": "2026-01-02",
        }
    },
    "api:run_adaptation_resources_test": {"payload": {"personal_allowance": "couple"}},
    "api:list_home_visits": {"payload": {"limit": 50}, "marker": '"reference": "HV-{visit_id:06d}"'},
    "api:open_home_visit": {"payload": {"person_id": "{person_id}", "visited_on": "2026-01-02"}},
    "api:add_home_visit_hazard": {
        "payload": {
            "hazard": "falls_stairs",
            "likelihood": 100,
            "spread": [0, 10, 30, 60],
            "action": "advice",
        }
    },
    "api:add_home_visit_job": {"payload": {"kind": "grab_rail", "description": "Rail by the door"}},
    "api:record_home_visit_falls_check": {"payload": {"answers": {"loose_rugs": "yes"}}},
    "api:list_awaab_reports": {"payload": {"view": "all"}, "marker": '"reference": "AW-{report_id:06d}"'},
    "api:open_awaab_report": {
        "payload": {
            "person_id": "{person_id}",
            "hazard": "emergency",
            "aware_at": "2025-11-02T10:00:00+00:00",
            "description": "Ceiling leak",
        }
    },
    "api:record_awaab_step": {"payload": {"step": "summary_sent_at", "at": "2025-11-02T10:00:00+00:00"}},
    "api:record_awaab_evidence": {"payload": {"kind": "access_refused", "at": "2025-11-02T10:00:00+00:00"}},
}
