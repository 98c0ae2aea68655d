"""`homeward cba MODEL`, tested through typer's CliRunner on a fresh app."""

from __future__ import annotations

import json

import pytest
import typer
from cba_models import minimal
from typer.testing import CliRunner

from homeward.cli.cba import register
from homeward.engines.cba import appraise


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # a callback keeps `cba` a named sub-command, as in the real CLI
        pass

    return app


@pytest.fixture
def model_file(tmp_path):
    m = minimal()
    m["outcomes"][0]["optimism_bias"] = 0.2
    path = tmp_path / "model.json"
    path.write_text(json.dumps(m))
    return path


def run(app, *args):
    return CliRunner().invoke(app, ["cba", *map(str, args)])


def test_json_output_has_every_issue_field(app, model_file):
    result = run(app, model_file, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = appraise(model_file).model_dump(mode="json")
    for key in (
        "pv_costs",
        "pv_benefits",
        "pv_benefits_by_agency",
        "public_value",
        "npv",
        "financial_roi",
        "economic_roi",
        "social_roi",
        "payback_year",
        "cashable_share",
        "year_by_year",
    ):
        assert data[key] == expected[key], key
    assert round(data["npv"], 2) == 101823.48
    assert data["pv_benefits"] == {
        "fiscal": pytest.approx(147576.66, abs=0.005),
        "economic": 0.0,
        "social": pytest.approx(36894.17, abs=0.005),
    }
    assert "monte_carlo" not in data
    assert {"tornado", "switching_values"} <= set(data["sensitivity"])
    assert data["sensitivity"]["tornado"]["change"] == 0.2


def test_draws_add_percentiles_and_probability(app, model_file):
    result = run(app, model_file, "--json", "--draws", 500, "--seed", 9)
    assert result.exit_code == 0, result.output
    mc = json.loads(result.stdout)["monte_carlo"]
    assert mc["draws"] == 500 and mc["seed"] == 9
    assert set(mc["outputs"]["npv"]) == {"p5", "p50", "p95", "mean"}
    assert mc["probability_npv_positive"] == 1.0
    again = json.loads(run(app, model_file, "--json", "--draws", 500, "--seed", 9).stdout)["monte_carlo"]
    assert again == mc


def test_summary_table_without_json(app, model_file):
    result = run(app, model_file, "--draws", 200, "--seed", 1)
    assert result.exit_code == 0, result.output
    for text in (
        "Net present value",
        "£101,823.48",
        "Who pays and who benefits",
        "Year by year",
        "Tornado",
        "Switching values",
        "P(NPV > 0) = 100.0%",
    ):
        assert text in result.stdout, text


def test_bad_model_names_the_path_and_exits_2(app, tmp_path):
    m = minimal()
    m["outcomes"][0]["beneficiaries"][0]["share"] = 0.7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(m))
    result = run(app, path, "--json")
    assert result.exit_code == 2
    assert "outcomes[0].beneficiaries: shares must sum to 1 (got 0.9)" in result.stderr
    assert result.stdout == ""


def test_grade_without_default_exits_2_until_a_table_is_given(app, tmp_path):
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(minimal()))
    result = run(app, path)
    assert result.exit_code == 2
    assert "outcomes[0].confidence_grade: no sourced optimism-bias default for grade 3" in result.stderr
    table = tmp_path / "grades.yaml"
    table.write_text("3: 0.2\n")
    result = run(app, path, "--json", "--grade-table", table)
    assert result.exit_code == 0, result.output
    assert round(json.loads(result.stdout)["npv"], 2) == 101823.48


def test_missing_file_and_bad_grade_table_exit_2(app, tmp_path, model_file):
    assert run(app, tmp_path / "nope.yaml").exit_code == 2
    table = tmp_path / "grades.yaml"
    table.write_text("9: 0.2\n")
    result = run(app, model_file, "--grade-table", table)
    assert result.exit_code == 2
    assert "grade 9" in result.stderr
