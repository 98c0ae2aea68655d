"""`homeward dfg contribution FILE.json [--tables TABLES.json] --json`, through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
import typer
from dfg_examples import ILLUSTRATIVE_TABLES, worked
from typer.testing import CliRunner

from homeward.cli.dfg import register


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(app, *args):
    return CliRunner().invoke(app, ["dfg", "contribution", *map(str, args)])


def _write(tmp_path, application) -> object:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(application))
    return path


def test_json_output_gives_the_contribution_grant_and_steps(app, tmp_path):
    result = run(app, _write(tmp_path, worked()), "--tables", ILLUSTRATIVE_TABLES, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["basis"], out["contribution"], out["grant"]["grant"]) == ("test_of_resources", 7588.0, 6912.0)
    assert out["grant"]["land_charge"]["amount"] == 1912.0
    assert out["steps"][-1] == "Contribution £7,588.00; grant £6,912.00"
    assert out["warnings"] == [
        "These tables are marked illustrative: the figures are examples, not statutory amounts."
    ]


def test_tables_missing_exit_2_naming_the_table(app, tmp_path):
    result = run(app, _write(tmp_path, worked()), "--json")
    assert result.exit_code == 2
    assert "tables missing: passporting_benefits" in result.stderr
    assert "tables.passporting_benefits: missing" in result.stderr


def test_a_child_needs_no_tables_file(app, tmp_path):
    result = run(app, _write(tmp_path, worked(disabled_occupant={"age": 6})), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["grant"]["grant"] == 14500.0


def test_bad_input_exits_2_naming_the_path(app, tmp_path):
    bad = worked(income=[{"description": "Pay", "weekly_amount": -5}])
    result = run(app, _write(tmp_path, bad), "--tables", ILLUSTRATIVE_TABLES, "--json")
    assert result.exit_code == 2
    assert "income[0].weekly_amount: Input should be greater than or equal to 0" in result.stderr
    over = run(
        app,
        _write(tmp_path, worked(benefits=["universal_credit"], cost_of_works=31_000)),
        "--tables",
        ILLUSTRATIVE_TABLES,
    )
    assert over.exit_code == 2 and "cost_of_works: the grant would be £31,000.00" in over.stderr


def test_a_bad_tables_file_exits_2_naming_the_table(app, tmp_path):
    tables = json.loads(ILLUSTRATIVE_TABLES.read_text())
    tables["tables"]["capital"][0]["values"]["standard"]["step"] = 0
    path = tmp_path / "tables.json"
    path.write_text(json.dumps(tables))
    result = run(app, _write(tmp_path, worked()), "--tables", path)
    assert result.exit_code == 2
    assert "tables.capital[0].values.standard.step: Input should be greater than 0" in result.stderr


def test_the_readable_output_numbers_each_step(app, tmp_path):
    result = run(app, _write(tmp_path, worked()), "--tables", ILLUSTRATIVE_TABLES)
    assert result.exit_code == 0
    assert "1. Not passported" in result.stdout and "warning:" in result.stdout
