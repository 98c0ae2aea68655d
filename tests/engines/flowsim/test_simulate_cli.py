"""`homeward simulate` prints metrics with CIs, compares scenarios and refuses bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from homeward.cli.simulate import register
from homeward.engines.flowsim import METRICS

pytestmark: list[pytest.MarkDecorator] = []
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "scenarios"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def _other() -> None:  # a second command keeps `simulate` a named subcommand
        pass

    return app


def test_json_output_has_every_metric_with_ci_and_percentiles() -> None:
    args = ["simulate", str(EXAMPLES / "baseline.yaml"), "--replications", "6", "--seed", "3", "--json"]
    out = CliRunner().invoke(_app(), args)
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["replications"] == 6
    for name in METRICS:
        m = result["metrics"][name]
        assert set(m) == {"mean", "ci95", "p50", "p95"}
        assert m["ci95"][0] <= m["mean"] <= m["ci95"][1]


def test_two_more_officers_reduce_delayed_bed_days() -> None:
    args = [
        "simulate",
        str(EXAMPLES / "baseline.yaml"),
        "--compare",
        str(EXAMPLES / "two_more_officers.yaml"),
        "--replications",
        "10",
        "--seed",
        "1",
        "--json",
    ]
    out = CliRunner().invoke(_app(), args)
    assert out.exit_code == 0, out.output
    diff = json.loads(out.stdout)["compare"]["difference"]["delayed_bed_days_per_patient"]
    assert diff["ci95"][1] < 0


def test_table_output_without_json() -> None:
    args = ["simulate", str(EXAMPLES / "early_referral.yaml"), "--replications", "4", "--seed", "1"]
    out = CliRunner().invoke(_app(), args)
    assert out.exit_code == 0, out.output
    assert "wait_for_officer_days" in out.stdout


def test_bad_scenario_exits_2_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((EXAMPLES / "baseline.yaml").read_text().replace("rate_per_day: 12", "rate_per_day: -3"))
    out = CliRunner().invoke(_app(), ["simulate", str(bad), "--replications", "5", "--seed", "1"])
    assert out.exit_code == 2
    assert "arrivals.rate_per_day" in out.output


def test_a_step_down_block_adds_its_metrics_and_more_beds_shorten_the_wait() -> None:
    args = [
        "simulate",
        str(EXAMPLES / "step_down.yaml"),
        "--compare",
        str(EXAMPLES / "five_more_step_down_beds.yaml"),
        "--replications",
        "8",
        "--seed",
        "2",
        "--json",
    ]
    out = CliRunner().invoke(_app(), args)
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    for name in ("wait_for_step_down_days", "prob_wait_for_step_down", "step_down_occupancy_mean"):
        assert set(result["metrics"][name]) == {"mean", "ci95", "p50", "p95"}
    difference = result["compare"]["difference"]
    assert difference["wait_for_step_down_days"]["mean"] < 0
    assert difference["delayed_bed_days_per_patient"]["mean"] < 0
