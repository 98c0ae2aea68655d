"""`homeward linkage files LEFT RIGHT --out pairs.csv [--json]` through typer's CliRunner."""

from __future__ import annotations

import json

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from homeward.cli.linkage import PAIR_FILE_COLUMNS, register
from homeward.engines.linkage import generate_uk


def _run(*args):
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # keep `linkage` as a sub-command
        pass

    return CliRunner().invoke(app, ["linkage", *map(str, args)])


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("linkage")
    data = generate_uk(250, 250, overlap=0.5, seed=9)
    data.left.drop("other_identifier").write_csv(folder / "housing.csv")
    data.right.drop("other_identifier").write_csv(folder / "hospital.csv")
    return folder, data


def test_files_writes_every_scored_pair_and_a_json_summary(csv_files, tmp_path):
    folder, data = csv_files
    out = tmp_path / "pairs.csv"
    result = _run("files", folder / "housing.csv", folder / "hospital.csv", "--out", out, "--json",
                  "--save-model", tmp_path / "model.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == {"pairs", "linked", "review", "seconds"}
    pairs = pl.read_csv(out)
    assert tuple(pairs.columns) == PAIR_FILE_COLUMNS
    assert summary["pairs"] == pairs.height and summary["linked"] == (pairs["decision"] == "linked").sum()
    assert set(pairs["decision"]) <= {"linked", "review", "dropped"}
    assert pairs["left_record_id"].is_in(data.left["record_id"].implode()).all()
    assert pairs["right_record_id"].is_in(data.right["record_id"].implode()).all()
    truth = set(data.truth.iter_rows())
    linked = set(
        pairs.filter(pl.col("decision") == "linked").select("left_record_id", "right_record_id").iter_rows()
    )
    assert len(linked & truth) / len(linked) > 0.95 and len(linked & truth) / len(truth) > 0.9
    # The saved model scores the same files without training.
    again = _run("files", folder / "housing.csv", folder / "hospital.csv", "--out", tmp_path / "again.csv",
                 "--model", tmp_path / "model.json", "--json")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["pairs"] == summary["pairs"]


def _bad(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "record_id,given_name,family_name,date_of_birth,postcode\nA1,Ann,Lee,1980-01-02,LS1 4AP\n"


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("given_name,family_name\nAnn,Lee\n", "row 1", "record_id", "no record_id column"),
        (GOOD + "A1,Bob,Hill,1970-03-04,M1 1AA\n", "row 3", "record_id", "repeats row 2"),
        (GOOD.replace("postcode", "postcode,favourite_colour").replace("LS1 4AP", "LS1 4AP,red"), "row 1",
         "favourite_colour", "unknown column"),
        (GOOD + "A2,Bob,Hill,not a date,M1 1AA\n", "row 3", "date_of_birth", "is not a date"),
        (GOOD + "A2,Bob,Hill,1970-02-30,M1 1AA\n", "row 3", "date_of_birth", "is not a date"),
    ],
    ids=["no-record-id", "duplicate-id", "unknown-column", "not-a-date", "impossible-date"],
)  # fmt: skip
def test_bad_input_names_file_row_and_column_exits_2_and_writes_nothing(
    tmp_path, csv_files, text, row, column, words
):
    folder, _ = csv_files
    bad = _bad(tmp_path, "bad.csv", text)
    out = tmp_path / "pairs.csv"
    out.write_text("earlier results\n")
    result = _run("files", folder / "housing.csv", bad, "--out", out, "--json")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "bad.csv" in message and row in message and f"column {column}" in message and words in message
    assert out.read_text() == "earlier results\n"
    assert not list(tmp_path.glob(".pairs.csv*"))


def test_an_invalid_nhs_number_and_an_empty_file_are_refused(tmp_path, csv_files):
    folder, _ = csv_files
    nhs = _bad(tmp_path, "nhs.csv", "record_id,nhs_number\nA1,943 476 5918\n")
    result = _run("files", nhs, folder / "hospital.csv", "--out", tmp_path / "p.csv")
    assert (
        result.exit_code == 2
        and "row 2, column nhs_number" in result.stderr
        and "Modulus 11" in result.stderr
    )
    empty = _bad(tmp_path, "empty.csv", "")
    result = _run("files", empty, folder / "hospital.csv", "--out", tmp_path / "p.csv")
    assert result.exit_code == 2 and "empty.csv" in result.stderr and "empty" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_out_in_a_missing_directory_or_over_an_input_is_refused(tmp_path, csv_files):
    folder, _ = csv_files
    left, right = folder / "housing.csv", folder / "hospital.csv"
    missing = _run("files", left, right, "--out", tmp_path / "nowhere" / "p.csv")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    over = _run("files", left, right, "--out", right)
    assert over.exit_code == 2 and "overwrite an input" in over.stderr
    bad_model = _bad(tmp_path, "model.json", "{}")
    result = _run("files", left, right, "--out", tmp_path / "p.csv", "--model", bad_model)
    assert result.exit_code == 2 and "--model" in result.stderr
