"""Model builders shared by the cba engine tests (plain dicts, as a model file would hold)."""

from __future__ import annotations

import copy
from typing import Any

# The minimal model from issue 7, exactly as written there.
MINIMAL: dict[str, Any] = {
    "discount_rate": 0.035,
    "years": 5,
    "price_year": 2025,
    "costs": [{"year": 0, "amount": 40000, "optimism_bias": 0.1}, {"year": 1, "amount": 40000}],
    "cohorts": [{"year": 0, "participants": 100}, {"year": 1, "participants": 120}],
    "outcomes": [
        {
            "name": "Excess bed days avoided",
            "engagement_rate": 0.9,
            "success_rate": 0.5,
            "deadweight": 0.2,
            "attribution": 1.0,
            "unit_value": 2000,
            "confidence_grade": 3,
            "duration_years": 2,
            "drop_off": 0.5,
            "beneficiaries": [
                {"agency": "NHS", "kind": "fiscal", "share": 0.8, "cashable": False},
                {"agency": "Patient", "kind": "social", "share": 0.2, "cashable": False},
            ],
        }
    ],
}


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def outcome(**overrides: Any) -> dict[str, Any]:
    """An outcome with no adjustments: every participant succeeds, £100 a year, all to the NHS."""
    base: dict[str, Any] = {
        "name": "Outcome",
        "engagement_rate": 1.0,
        "success_rate": 1.0,
        "deadweight": 0.0,
        "attribution": 1.0,
        "unit_value": 100,
        "optimism_bias": 0.0,
        "duration_years": 1,
        "drop_off": 0.0,
        "beneficiaries": [{"agency": "NHS", "kind": "fiscal", "share": 1.0, "cashable": True}],
    }
    base.update(overrides)
    return base


def model(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "discount_rate": 0.035,
        "years": 1,
        "price_year": 2025,
        "costs": [{"year": 0, "amount": 1000}],
        "cohorts": [{"year": 0, "participants": 10}],
        "outcomes": [outcome()],
    }
    base.update(overrides)
    return base
