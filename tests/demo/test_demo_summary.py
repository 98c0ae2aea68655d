"""`make demo` seeds the same data as before the demo moved into its own package: the `seed --demo --json`
summary, with the rows of every table, equals the one recorded from the old code (baseline_summary.json).

A change to the demo that adds or removes rows on purpose updates the baseline in the same commit.

The demo is dated from today (stays, clocks and alerts fall where they would in a live service), so how many
rows a date brings into or out of a window changes from day to day. The seed therefore runs on a fixed day,
SEEDED_ON, with the clock moving from there: the baseline is the demo as seeded that day, on any day the test
runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
import typer
from typer.testing import CliRunner

from homeward.cli import platform

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SEEDED_ON = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
BASELINE = json.loads((Path(__file__).parent / "baseline_summary.json").read_text())


def test_seed_demo_json_matches_the_recorded_summary_table_by_table():
    app = typer.Typer()
    platform.register(app)
    with time_machine.travel(SEEDED_ON, tick=True):
        result = CliRunner().invoke(app, ["seed", "--demo", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)

    tables, expected_tables = summary.pop("tables"), dict(BASELINE["tables"])
    expected = {k: v for k, v in BASELINE.items() if k != "tables"}
    assert summary == expected
    # Every table the baseline knows keeps its row count; a table added since may hold anything.
    assert {name: tables.get(name) for name in expected_tables} == expected_tables
