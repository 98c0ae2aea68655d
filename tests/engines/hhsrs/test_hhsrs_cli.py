"""`homeward hhsrs score FILE.json`, through typer's CliRunner on a fresh app."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from homeward.cli.hhsrs import register


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(app, *args):
    return CliRunner().invoke(app, ["hhsrs", "score", *map(str, args)])


def _write(tmp_path, content) -> object:
    path = tmp_path / "hazards.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_json_output_lists_each_hazard_and_counts_category_1(app, tmp_path):
    path = _write(
        tmp_path,
        {
            "hazards": [
                {"hazard": "damp_and_mould", "likelihood": 180, "spread": [0, 4, 22, 74]},
                {"hazard": "falls_stairs", "likelihood": 3, "spread": [1, 2, 7, 90]},
            ]
        },
    )
    result = run(app, path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "hazards": [
            {"hazard": "damp_and_mould", "score": 63.0, "band": "G", "category": 2},  # 11,340 / 180
            {"hazard": "falls_stairs", "score": 5000.0, "band": "A", "category": 1},  # 15,000 / 3
        ],
        "category_1": 1,
    }


def test_explain_adds_the_working(app, tmp_path):
    path = _write(tmp_path, {"hazards": [{"hazard": "fire", "likelihood": 10, "spread": [0, 0, 0, 100]}]})
    result = run(app, path, "--json", "--explain")
    row = json.loads(result.stdout)["hazards"][0]
    assert row["explanation"].startswith("Fire (hazard 24, Protection against accidents): likelihood 1 in 10")
    table = run(app, path)
    assert table.exit_code == 0 and "Fire" in table.stdout and "100.00" in table.stdout


def test_a_bad_file_exits_2_naming_the_path_of_the_bad_field(app, tmp_path):
    good = {"hazard": "fire", "likelihood": 10, "spread": [0, 0, 0, 100]}
    path = _write(tmp_path, {"hazards": [good, good, good, {**good, "spread": [0, 0, 5, 90]}]})
    result = run(app, path, "--json")
    assert result.exit_code == 2
    assert "hazards[3].spread: must sum to 100 (got 95)" in result.stderr
    assert result.stdout == ""


def test_invalid_json_and_a_missing_file_exit_2(app, tmp_path):
    result = run(app, _write(tmp_path, '{"hazards": [}'), "--json")
    assert result.exit_code == 2 and "is not valid JSON (line 1, column 14" in result.stderr
    missing = run(app, tmp_path / "nope.json", "--json")
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
