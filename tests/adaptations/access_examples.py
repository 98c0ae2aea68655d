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
}
