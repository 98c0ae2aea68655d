"""Shared test inputs: the tests-only illustrative tables and a worked application."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from homeward.engines.dfg import Tables, load_tables

ILLUSTRATIVE_TABLES = Path(__file__).with_name("illustrative_tables.json")


def illustrative_tables() -> Tables:
    return load_tables(ILLUSTRATIVE_TABLES)


def illustrative_raw() -> dict:
    return json.loads(ILLUSTRATIVE_TABLES.read_text())


# A couple in their seventies who own their home; no passporting benefit; one disability premium.
WORKED = {
    "assessment_date": "2025-06-02",
    "nation": "england",
    "tenure": "owner_occupier",
    "disabled_occupant": {"age": 74},
    "benefits": ["attendance_allowance"],
    "household": {"personal_allowance": "couple", "premiums": ["disability_couple"]},
    "income": [
        {"description": "State Pensions", "weekly_amount": 360.00},
        {"description": "Occupational pension", "weekly_amount": 95.50},
        {
            "description": "Attendance Allowance",
            "weekly_amount": 72.65,
            "disregard": 72.65,
            "disregard_reason": "disregarded in full",
        },
    ],
    "capital": {"amount": 8120.00, "rule": "standard"},
    "cost_of_works": 14500.00,
}


def worked(**changes) -> dict:
    application = copy.deepcopy(WORKED)
    application.update(changes)
    return application
