"""Access-matrix examples for the evaluation routes that write or search, keyed by route name. The
matrix's world has an evaluation of the holder organisation (not finished, so no result is shown)."""

EXAMPLES = {
    "evaluation:home": {"marker": 'href="/evaluation/{evaluation_id}/"'},
    "evaluation:new": {
        "payload": {
            "intervention": "hospital_to_home",
            "outcome": "ae_attendances",
            "pre_months": "12",
            "post_months": "12",
            "pool": "never",
            "method": "propensity",
        }
    },
    "evaluation:import": {"payload": {"name": "Matrix extract"}},
    "evaluation:send": {"payload": {"outcome": "1:0", "unit_cost": "a-and-e-attendance"}},
}
