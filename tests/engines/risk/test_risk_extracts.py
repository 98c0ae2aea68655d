"""Extract files: documented schemas, all-or-nothing validation, stable ids for idempotent import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from homeward.engines.risk import SCHEMAS, ExtractError, generate, validate_directory, validate_extract

CONTACTS = """tenancy_ref,contacted_at,channel,category,note
T0000001,2026-09-01 10:15:00,phone,repairs,asked about repair appointment
T0000001,2026-09-03T18:40,email,rent,
T0000002,2026-09-04 09:00:00,Phone,general,"said ""thank you"", all fine"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_typed_and_normalised(tmp_path):
    ok = validate_extract("contacts", _write(tmp_path, "contacts.csv", CONTACTS))
    assert ok.frame.height == 3 and ok.duplicates_dropped == 0
    assert ok.frame.schema["contacted_at"] == pl.Datetime("us")
    assert ok.frame["channel"].to_list() == ["phone", "email", "phone"]
    assert ok.frame["note"][1] is None


def test_one_bad_row_rejects_the_whole_file_naming_row_and_column(tmp_path):
    bad = CONTACTS.replace("2026-09-03T18:40", "yesterday teatime")
    with pytest.raises(ExtractError) as err:
        validate_extract("contacts", _write(tmp_path, "contacts.csv", bad))
    [issue] = err.value.issues
    assert (issue.row, issue.column) == (2, "contacted_at")
    assert "contacts.csv, row 2, column contacted_at" in str(err.value)
    assert "nothing was accepted" in str(err.value)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    bad = CONTACTS.replace("repairs", "plumbing").replace("T0000002,", ",")
    with pytest.raises(ExtractError) as err:
        validate_extract("contacts", _write(tmp_path, "contacts.csv", bad))
    assert {(i.row, i.column) for i in err.value.issues} == {(1, "category"), (3, "tenancy_ref")}


def test_a_missing_required_column_is_a_file_level_error(tmp_path):
    with pytest.raises(ExtractError) as err:
        validate_extract("rent", _write(tmp_path, "rent.csv", "tenancy_ref,week_start\nT1,2026-09-07\n"))
    assert [(i.row, i.column) for i in err.value.issues] == [(None, "balance")]


def test_conflicting_rows_for_one_key_are_refused_and_exact_repeats_dropped(tmp_path):
    text = (
        'tenancy_ref,week_start,balance\nT1,2026-09-07,10.00\nT1,2026-09-07,10\nT1,2026-09-14,"£1,020.50"\n'
    )
    ok = validate_extract("rent", _write(tmp_path, "rent.csv", text))
    assert ok.duplicates_dropped == 1 and ok.frame["balance"].to_list() == [10.0, 1020.5]
    with pytest.raises(ExtractError, match="rows 1, 2 share tenancy_ref=T1, week_start=2026-09-07"):
        validate_extract("rent", _write(tmp_path, "rent.csv", text.replace("10\n", "11\n", 1)))


def test_validating_the_same_file_twice_gives_identical_output_and_ids(tmp_path):
    path = _write(tmp_path, "contacts.csv", CONTACTS)
    first, second = validate_extract("contacts", path), validate_extract("contacts", path)
    assert first.frame.equals(second.frame)
    assert first.frame["event_id"].n_unique() == 3


def test_csv_and_parquet_of_the_same_rows_get_the_same_event_ids(tmp_path):
    from_csv = validate_extract("contacts", _write(tmp_path, "contacts.csv", CONTACTS))
    from_csv.frame.drop("event_id", "row_hash").write_parquet(tmp_path / "contacts.parquet")
    from_parquet = validate_extract("contacts", tmp_path / "contacts.parquet")
    assert from_parquet.frame.equals(from_csv.frame)


def test_a_changed_row_keeps_its_event_id_but_not_its_row_hash(tmp_path):
    before = validate_extract("contacts", _write(tmp_path, "contacts.csv", CONTACTS)).frame
    after = validate_extract("contacts", _write(tmp_path, "c2.csv", CONTACTS.replace("all fine", "ok"))).frame
    assert before["event_id"].to_list() == after["event_id"].to_list()
    assert before["row_hash"][2] != after["row_hash"][2]


def test_a_synthetic_set_validates_as_a_directory_and_one_bad_file_rejects_the_batch(tmp_path):
    generate(300, 5_000, seed=3).write(tmp_path, fmt="csv")
    accepted = validate_directory(tmp_path)
    assert set(accepted) >= {"tenancies", "contacts", "repairs", "rent", "asb", "concerns", "outcomes"}
    lines = (tmp_path / "repairs.csv").read_text().splitlines()
    fields = lines[5].split(",")
    fields[5] = "maybe"  # no_access
    lines[5] = ",".join(fields)
    (tmp_path / "repairs.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ExtractError) as err:
        validate_directory(tmp_path)
    assert [(i.file, i.row, i.column) for i in err.value.issues] == [("repairs.csv", 5, "no_access")]


def test_events_for_unknown_tenancies_are_refused(tmp_path):
    _write(tmp_path, "tenancies.csv", "tenancy_ref,start_date\nT0000001,2019-01-01\n")
    _write(tmp_path, "contacts.csv", CONTACTS)
    with pytest.raises(ExtractError, match="unknown tenancy 'T0000002'") as err:
        validate_directory(tmp_path)
    assert [(i.file, i.row, i.column) for i in err.value.issues] == [("contacts.csv", 3, "tenancy_ref")]


def test_a_file_that_is_not_valid_csv_is_refused_as_a_whole(tmp_path):
    with pytest.raises(ExtractError, match="rent.csv: cannot read"):
        validate_extract(
            "rent", _write(tmp_path, "rent.csv", "tenancy_ref,week_start,balance\nT1,2026-09-07,1,2,3\n")
        )


def test_every_schema_documents_every_column():
    for schema in SCHEMAS.values():
        assert schema.description
        assert all(c.description for c in schema.columns)
        assert set(schema.key) <= set(schema.names)


def test_docs_list_every_column_of_every_schema_with_its_type_and_whether_required():
    docs = (Path(__file__).parents[3] / "docs" / "risk.md").read_text(encoding="utf-8")
    for schema in SCHEMAS.values():
        assert f"### `{schema.kind}.csv` / `{schema.kind}.parquet`" in docs
        for c in schema.columns:
            assert f"| `{c.name}` | {c.type.value} | {'yes' if c.required else 'no'} |" in docs, (
                schema.kind,
                c.name,
            )


def test_the_engine_imports_no_django():
    code = "import sys, homeward.engines.risk; assert not [m for m in sys.modules if m.startswith('django')]"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
