"""The data an evaluation reads: an activity file and a people file (CSV or Parquet), checked all or nothing.

activity  key, month, measure, count    one row per person, month and measure (months without a row are 0)
people    key, start_date, ...           one row per person; start_date blank if never helped; every other
                                         column is a category (text) or a covariate (number)

Keys are pseudonyms: the engine never sees a name, NHS number or address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from homeward.engines.evaluation.errors import DataError, Issue

MAX_COUNT = 10_000.0  # per person, month and measure; bed-days in a month are at most 31
MAX_ISSUES = 50
KEY_MAX_LENGTH = 128


@dataclass(frozen=True)
class EvaluationData:
    """Checked data. `activity`: key (str), month (int, months since year 0), measure (str), count (f64),
    person (the row of `people`). `people`: key (str), start_month (int or null), then the category (str)
    and covariate (f64) columns."""

    activity: pl.DataFrame
    people: pl.DataFrame

    @property
    def measures(self) -> list[str]:
        return sorted(self.activity.get_column("measure").unique().to_list())

    @property
    def categories(self) -> list[str]:
        return [c for c, t in self.people.schema.items() if t == pl.String and c != "key"]

    @property
    def covariates(self) -> list[str]:
        return [c for c, t in self.people.schema.items() if t == pl.Float64]


def _rows(frame: pl.DataFrame, bad: pl.Expr) -> list[int]:
    return frame.with_row_index("_row").filter(bad).get_column("_row").head(MAX_ISSUES).to_list()


def _is_temporal(frame: pl.DataFrame, column: str) -> bool:
    return frame.schema[column] == pl.Date or isinstance(frame.schema[column], pl.Datetime)


def _as_month(column: pl.Expr, temporal: bool) -> pl.Expr:
    """A month from a date, a datetime or text ``YYYY-MM`` / ``YYYY-MM-DD`` (null where it is none)."""
    if temporal:
        day = column.cast(pl.Date)
        return day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1
    text = column.cast(pl.String).str.strip_chars()
    parsed = pl.coalesce(
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        (text + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )
    return parsed.dt.year().cast(pl.Int32) * 12 + parsed.dt.month().cast(pl.Int32) - 1


def _as_date(column: pl.Expr, temporal: bool) -> pl.Expr:
    if temporal:
        return column.cast(pl.Date)
    return column.cast(pl.String).str.strip_chars().str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _missing(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> list[Issue]:
    return [Issue(f"{name}, {c}", "required column is missing") for c in columns if c not in frame.columns]


def _check_keys(frame: pl.DataFrame, name: str, offset: int) -> list[Issue]:
    key = pl.col("key").cast(pl.String).str.strip_chars()
    bad = key.is_null() | (key.str.len_chars() == 0) | (key.str.len_chars() > KEY_MAX_LENGTH)
    return [
        Issue(f"{name}, row {r + offset}, key", f"a pseudonymised key of 1 to {KEY_MAX_LENGTH} characters")
        for r in _rows(frame, bad)
    ]


def _parse_months(frame: pl.DataFrame) -> pl.Expr:
    """Month numbers for the month column, parsing each distinct value once (a few hundred at most)."""
    if _is_temporal(frame, "month"):
        return _as_month(pl.col("month"), True).alias("month")
    text = pl.col("month").cast(pl.String).str.strip_chars()
    distinct = frame.select(text.unique().alias("month")).filter(pl.col("month").is_not_null())
    parsed = distinct.select(_as_month(pl.col("month"), False)).to_series()
    return text.replace_strict(distinct.to_series(), parsed, default=None, return_dtype=pl.Int32).alias(
        "month"
    )


def _duplicates(typed: pl.DataFrame, person: pl.Expr, measures: pl.Series) -> list[int]:
    """Rows (0-based) that repeat an earlier row's person, month and measure."""
    codes = typed.select(
        person.cast(pl.Int64).alias("p"),
        (pl.col("month") - pl.col("month").min()).cast(pl.Int64).alias("m"),
        pl.col("measure")
        .replace_strict(measures, pl.int_range(measures.len(), eager=True))
        .cast(pl.Int64)
        .alias("k"),
    )
    months = codes["m"].to_numpy()
    span = int(months.max(initial=0)) + 1
    key = (codes["p"].to_numpy() * span + months) * (measures.len() + 1) + codes["k"].to_numpy()
    order = np.argsort(key, kind="stable")
    repeat = np.flatnonzero(key[order][1:] == key[order][:-1]) + 1
    return sorted(int(r) for r in order[repeat][:MAX_ISSUES])


def check_activity(
    frame: pl.DataFrame, *, name: str = "activity", offset: int = 1, people: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Typed activity rows, or `DataError` naming every bad row and column (`offset`: row number of the
    first data row in the file, 2 for a CSV with a header). With the checked `people`, every key must
    be one of theirs and the result carries `person`, the row of that person in `people`."""
    issues = _missing(frame, name, ("key", "month", "measure", "count"))
    if issues:
        raise DataError(issues)
    count = pl.col("count")
    typed = frame.select(
        pl.col("key").cast(pl.String).str.strip_chars(),
        _parse_months(frame),
        pl.col("measure").cast(pl.String).str.strip_chars(),
        (
            count.cast(pl.Float64)
            if frame.schema["count"].is_numeric()
            else count.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
        ).alias("count"),
    )
    issues = _check_keys(frame, name, offset)
    for r in _rows(typed, pl.col("month").is_null()):
        issues.append(Issue(f"{name}, row {r + offset}, month", "a month YYYY-MM (or a date YYYY-MM-DD)"))
    names = typed.get_column("measure").unique()
    bad_names = names.filter(names.is_null() | ~names.str.contains(r"^[A-Za-z0-9_.\-]{1,100}$"))
    measure_bad = pl.col("measure").is_null() | pl.col("measure").is_in(bad_names.drop_nulls().implode())
    for r in _rows(typed, measure_bad) if bad_names.len() else []:
        issues.append(Issue(f"{name}, row {r + offset}, measure", "a measure name of letters, digits, _ . -"))
    value = pl.col("count")
    for r in _rows(typed, value.is_null() | value.is_nan() | (value < 0) | (value > MAX_COUNT)):
        issues.append(Issue(f"{name}, row {r + offset}, count", f"a number from 0 to {MAX_COUNT:,.0f}"))
    if issues:
        raise DataError(issues[:MAX_ISSUES])
    person = pl.col("key").rank("dense")
    if people is not None:
        index = people.select("key").with_row_index("person")
        typed = typed.join(index, on="key", how="left", maintain_order="left")
        for r in _rows(typed, pl.col("person").is_null()):
            key = typed["key"][r]
            issues.append(Issue(f"{name}, row {r + offset}, key", f"{key} is not in the people data"))
        person = pl.col("person")
    if not issues:
        for r in _duplicates(typed, person, names):
            row = typed.row(r, named=True)
            issues.append(
                Issue(
                    f"{name}, row {r + offset}",
                    f"a second row for key {row['key']}, month and measure {row['measure']}",
                )
            )
    if issues:
        raise DataError(issues[:MAX_ISSUES])
    return typed


def check_people(frame: pl.DataFrame, *, name: str = "people", offset: int = 1) -> pl.DataFrame:
    """Typed people rows: key, start_month and each other column as a category (text) or covariate
    (number); or `DataError` naming every bad row and column."""
    issues = _missing(frame, name, ("key", "start_date"))
    if issues:
        raise DataError(issues)
    issues = _check_keys(frame, name, offset)
    start_text = pl.col("start_date").cast(pl.String).str.strip_chars()
    start = _as_date(pl.col("start_date"), _is_temporal(frame, "start_date"))
    given = start_text.is_not_null() & (start_text.str.len_chars() > 0)
    for r in _rows(frame, given & start.is_null()):
        issues.append(Issue(f"{name}, row {r + offset}, start_date", "a date YYYY-MM-DD, or blank"))
    columns: list[pl.Expr] = [
        pl.col("key").cast(pl.String).str.strip_chars(),
        (start.dt.year().cast(pl.Int32) * 12 + start.dt.month().cast(pl.Int32) - 1).alias("start_month"),
    ]
    for column, dtype in frame.schema.items():
        if column in ("key", "start_date"):
            continue
        if dtype.is_numeric():
            columns.append(pl.col(column).cast(pl.Float64))
            continue
        text = pl.col(column).cast(pl.String).str.strip_chars()
        non_blank = frame.select(text.filter(text.str.len_chars() > 0)).to_series()
        as_number = non_blank.cast(pl.Float64, strict=False)
        if non_blank.len() > 0 and as_number.null_count() == 0:
            columns.append(text.cast(pl.Float64, strict=False).alias(column))
        else:
            long = frame.select((text.str.len_chars() > 200).any()).item()
            if long:
                issues.append(Issue(f"{name}, {column}", "category values must be at most 200 characters"))
            columns.append(pl.when(text.str.len_chars() > 0).then(text).alias(column))
    typed = frame.select(columns)
    if not issues:
        dupes = typed.with_row_index("_row").filter(pl.len().over("key") > 1)
        for row in dupes.head(MAX_ISSUES).iter_rows(named=True):
            issues.append(
                Issue(f"{name}, row {row['_row'] + offset}, key", f"key {row['key']} appears twice")
            )
    if issues:
        raise DataError(issues[:MAX_ISSUES])
    return typed


def check_data(
    activity: pl.DataFrame,
    people: pl.DataFrame,
    *,
    names: tuple[str, str] = ("activity", "people"),
    offsets: tuple[int, int] = (1, 1),
) -> EvaluationData:
    """Check both frames, and that every activity key is a known person (all or nothing)."""
    issues: list[Issue] = []
    typed_people = typed_activity = None
    try:
        typed_people = check_people(people, name=names[1], offset=offsets[1])
    except DataError as exc:
        issues += exc.issues
    try:
        typed_activity = check_activity(activity, name=names[0], offset=offsets[0], people=typed_people)
    except DataError as exc:
        issues += exc.issues
    if issues or typed_people is None or typed_activity is None:
        raise DataError(issues[:MAX_ISSUES])
    return EvaluationData(activity=typed_activity, people=typed_people)


def _read(directory: Path, stem: str) -> tuple[pl.DataFrame, str, int]:
    parquet, csv = directory / f"{stem}.parquet", directory / f"{stem}.csv"
    try:
        if parquet.exists():
            return pl.read_parquet(parquet), parquet.name, 1
        if csv.exists():
            return pl.read_csv(csv, infer_schema=False), csv.name, 2
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError([Issue(f"{directory / stem}", f"cannot read the file: {exc}")]) from None
    raise DataError([Issue(str(directory), f"no {stem}.parquet or {stem}.csv")])


def read_data(directory: str | Path) -> EvaluationData:
    """Read and check ``activity.(parquet|csv)`` and ``people.(parquet|csv)`` from a directory."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError([Issue(str(directory), "is not a directory")])
    issues: list[Issue] = []
    frames = []
    for stem in ("activity", "people"):
        try:
            frames.append(_read(directory, stem))
        except DataError as exc:
            issues += exc.issues
    if issues:
        raise DataError(issues)
    (activity, a_name, a_off), (people, p_name, p_off) = frames
    return check_data(activity, people, names=(a_name, p_name), offsets=(a_off, p_off))
