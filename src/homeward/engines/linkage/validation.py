"""Checking records before linking: a clear error naming the file, row and column, or nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from homeward.engines.linkage.cleaning import EARLIEST_BIRTH, SEX_CODES, nhs_number_is_valid, parse_dates
from homeward.engines.linkage.fields import MAX_FIELD_LENGTH, RECORD_ID, SOURCE, STANDARD_FIELDS

#: Largest file `read_records_csv` accepts (rows): bounded work for one command.
MAX_ROWS = 5_000_000
_SHOWN_ISSUES = 20


@dataclass(frozen=True, slots=True)
class RecordIssue:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "")
            if p
        )
        return f"{where}: {self.message}" if where else self.message


class RecordError(ValueError):
    """Records that cannot be linked; `issues` names each row and column."""

    def __init__(self, issues: list[RecordIssue], file: str | None = None) -> None:
        self.issues = issues
        self.file = file
        shown = "; ".join(str(i) for i in issues[:_SHOWN_ISSUES])
        more = f" (and {len(issues) - _SHOWN_ISSUES} more)" if len(issues) > _SHOWN_ISSUES else ""
        super().__init__(f"{file}: {shown}{more}" if file else f"{shown}{more}")


def _rows_where(frame: pl.DataFrame, condition: pl.Expr, first_row: int) -> list[int]:
    return [int(i) + first_row for i in frame.with_row_index("_i").filter(condition)["_i"].to_list()]


def _value(frame: pl.DataFrame, row: int, column: str, first_row: int) -> str:
    value = frame[column][row - first_row]
    return repr(value if value is None or len(value) <= 40 else value[:40] + "…")


def validate_records(frame: pl.DataFrame, *, first_row: int = 2) -> list[RecordIssue]:
    """Every problem in raw records (text columns): missing or repeated record ids, values too
    long, dates that are not dates of birth, NHS numbers failing Modulus 11, unknown sex codes."""
    issues: list[RecordIssue] = []
    if RECORD_ID not in frame.columns:
        return [RecordIssue(1 if first_row == 2 else None, RECORD_ID, "there is no record_id column")]
    text = frame.select(pl.col(c).cast(pl.String) for c in frame.columns)
    record_id = pl.col(RECORD_ID).str.strip_chars()
    for row in _rows_where(text, record_id.is_null() | (record_id == ""), first_row):
        issues.append(RecordIssue(row, RECORD_ID, "record_id is empty"))
    keys = [SOURCE, "_key"] if SOURCE in text.columns else ["_key"]
    ids = text.with_row_index("_i").with_columns(_key=record_id).filter(pl.col("_key") != "")
    repeats = ids.with_columns(_first=pl.col("_i").min().over(keys)).filter(pl.col("_i") != pl.col("_first"))
    for i, first, key in repeats.select("_i", "_first", "_key").iter_rows():
        issues.append(
            RecordIssue(
                int(i) + first_row, RECORD_ID, f"record_id {key!r} repeats row {int(first) + first_row}"
            )
        )
    for column in [c for c in text.columns if c in (RECORD_ID, SOURCE, *STANDARD_FIELDS)]:
        for row in _rows_where(text, pl.col(column).str.len_chars() > MAX_FIELD_LENGTH, first_row):
            issues.append(RecordIssue(row, column, f"longer than {MAX_FIELD_LENGTH} characters"))
    present = {c: pl.col(c).str.strip_chars().fill_null("") != "" for c in text.columns}
    if "date_of_birth" in text.columns:
        parsed = parse_dates(pl.col("date_of_birth"))
        for row in _rows_where(text, present["date_of_birth"] & parsed.is_null(), first_row):
            value = _value(text, row, "date_of_birth", first_row)
            issues.append(
                RecordIssue(row, "date_of_birth", f"{value} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
            )
        implausible = present["date_of_birth"] & ~parsed.is_between(EARLIEST_BIRTH, date.today())
        for row in _rows_where(text, implausible & parsed.is_not_null(), first_row):
            value = _value(text, row, "date_of_birth", first_row)
            issues.append(RecordIssue(row, "date_of_birth", f"{value} is not a plausible date of birth"))
    if "nhs_number" in text.columns:
        digits = pl.col("nhs_number").str.replace_all(r"[\s-]", "")
        for row in _rows_where(text, present["nhs_number"] & ~nhs_number_is_valid(digits), first_row):
            value = _value(text, row, "nhs_number", first_row)
            issues.append(
                RecordIssue(row, "nhs_number", f"{value} is not a valid NHS number (10 digits, Modulus 11)")
            )
    if "sex" in text.columns:
        known = pl.col("sex").str.strip_chars().str.to_lowercase().is_in(list(SEX_CODES))
        for row in _rows_where(text, present["sex"] & ~known, first_row):
            issues.append(
                RecordIssue(
                    row, "sex", f"{_value(text, row, 'sex', first_row)} is not a sex code (M, F or X)"
                )
            )
    if "uprn" in text.columns:
        bad = present["uprn"] & ~pl.col("uprn").str.strip_chars().str.contains(r"^[0-9]{1,12}$")
        for row in _rows_where(text, bad, first_row):
            issues.append(
                RecordIssue(
                    row, "uprn", f"{_value(text, row, 'uprn', first_row)} is not a UPRN (up to 12 digits)"
                )
            )
    if "email" in text.columns:
        bad = present["email"] & ~pl.col("email").str.strip_chars().str.contains(r"^[^@\s]+@[^@\s]+$")
        for row in _rows_where(text, bad, first_row):
            issues.append(
                RecordIssue(row, "email", f"{_value(text, row, 'email', first_row)} is not an email address")
            )
    return sorted(issues, key=lambda i: (i.row or 0, i.column or ""))


def read_records_csv(path: Path, *, max_rows: int = MAX_ROWS) -> pl.DataFrame:
    """A CSV of records (header: record_id plus any standard fields), checked; raises RecordError."""
    name = str(path)
    if not path.is_file():
        raise RecordError([RecordIssue(None, None, "no such file")], name)
    try:
        frame = pl.read_csv(path, infer_schema=False, n_rows=max_rows + 1, truncate_ragged_lines=False)
    except pl.exceptions.NoDataError:
        raise RecordError([RecordIssue(1, None, "the file is empty: it needs a header row")], name) from None
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RecordError(
            [RecordIssue(None, None, f"not a readable UTF-8 CSV file ({first})")], name
        ) from None
    if frame.height > max_rows:
        raise RecordError([RecordIssue(None, None, f"more than {max_rows:,} rows")], name)
    issues: list[RecordIssue] = []
    allowed = (RECORD_ID, *STANDARD_FIELDS)
    stripped = {c: c.strip() for c in frame.columns}
    frame = frame.rename(stripped)
    for column in frame.columns:
        if column not in allowed:
            issues.append(
                RecordIssue(
                    1, column, f"unknown column (expected record_id and any of: {', '.join(STANDARD_FIELDS)})"
                )
            )
    if len(set(frame.columns)) != len(frame.columns):
        issues.append(RecordIssue(1, None, "a column name appears twice"))
    if issues:
        raise RecordError(issues, name)
    issues = validate_records(frame)
    if issues:
        raise RecordError(issues, name)
    return frame
