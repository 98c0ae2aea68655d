"""`homeward risk synth|train|score`, through typer's CliRunner on a fresh app."""

from __future__ import annotations

import json

import polars as pl
import typer
from typer.testing import CliRunner

from homeward.cli.risk import register


def _run(*args):
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # keep `risk` as a sub-command
        pass

    return CliRunner().invoke(app, ["risk", *map(str, args)])


def test_synth_then_train_then_score_writes_scores_with_reasons(tmp_path):
    data = tmp_path / "extracts"
    made = _run("synth", "--tenancies", 2000, "--events", 40000, "--out", data, "--json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["rows"]["tenancies"] == 2000
    trained = _run("train", data, "--out", tmp_path / "model.json", "--no-validate", "--json")
    assert trained.exit_code == 0, trained.output
    scored = _run(
        "score",
        data,
        "--out",
        tmp_path / "scores.parquet",
        "--model",
        tmp_path / "model.json",
        "--json",
        "--top",
        5,
    )
    assert scored.exit_code == 0, scored.output
    out = json.loads(scored.stdout)
    assert out["tenancies"] == 2000 and out["mode"] == "rules+model" and out["as_of"] == "2026-09-30"
    assert len(out["top"]) == 5 and all(row["model_reasons"] for row in out["top"])
    scores = pl.read_parquet(tmp_path / "scores.parquet")
    assert scores.columns == ["tenancy_ref", "rule_score", "rule_reasons", "probability", "model_reasons"]


def test_evaluate_reports_precision_at_k_and_fairness(tmp_path):
    data = tmp_path / "extracts"
    _run("synth", "--tenancies", 3000, "--events", 60000, "--out", data)
    _run("train", data, "--out", tmp_path / "model.json", "--no-validate")
    result = _run("evaluate", data, "--model", tmp_path / "model.json", "--k", 50, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert 0 <= out["precision_rules"] <= 1 and 0 <= out["precision_model"] <= 1
    assert {f["attribute"] for f in out["fairness"]} == {"age_band", "disability", "ethnicity"}
    table = _run("evaluate", data, "--k", 50, "--no-validate")
    assert table.exit_code == 0, table.output
    assert "Precision at 50" in table.stdout and "Fairness of the top 50 alerts" in table.stdout


def test_score_prints_a_table_of_the_top_tenancies(tmp_path):
    data = tmp_path / "extracts"
    assert (
        _run("synth", "--tenancies", 500, "--events", 8000, "--out", data, "--format", "csv").exit_code == 0
    )
    result = _run("score", data, "--out", tmp_path / "scores.parquet")
    assert result.exit_code == 0, result.output
    assert "Top 20 of 500 tenancies" in result.stdout


def test_score_rejects_a_bad_extract_and_names_row_and_column(tmp_path):
    data = tmp_path / "extracts"
    _run("synth", "--tenancies", 50, "--events", 500, "--out", data, "--format", "csv")
    text = (data / "rent.csv").read_text().splitlines()
    text[3] = text[3].rsplit(",", 1)[0] + ",lots"
    (data / "rent.csv").write_text("\n".join(text) + "\n")
    result = _run("score", data, "--out", tmp_path / "scores.parquet")
    assert result.exit_code == 2
    assert "rent.csv, row 3, column balance: expected a number, got 'lots'" in result.output
    assert not (tmp_path / "scores.parquet").exists()
