"""Access-matrix examples for the supported-housing routes that write or search, keyed by route name.
Placeholders such as {person_id} are filled in by tests/governance/test_access_matrix.py."""

EXAMPLES = {
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
    "housing:step": {"payload": {"held_on": "01/01/2026", "minutes": "30", "areas": ["physical_health"]}},
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
