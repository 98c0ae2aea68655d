"""Validation of extract files against their schemas: typed, normalised, all or nothing.

`validate_extract` checks a file and returns a typed frame with stable `event_id` (natural key)
and `row_hash` (whole row) columns, or raises `ExtractError` listing every bad row and column.
The Django importer upserts on `event_id`, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from homeward.engines.risk.schema import SCHEMAS, Column, ColumnType, find_extract


@dataclass(frozen=True)
class Issue:
    """One problem in an extract; `row` is the 1-based data row (CSV line = row + 1), None for the file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ExtractError(ValueError):
    """An extract (or a set of them) failed validation; nothing in it may be imported."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        shown = "\n".join(f"  {i}" for i in issues[:20])
        more = f"\n  … and {len(issues) - 20} more" if len(issues) > 20 else ""
        super().__init__(f"{len(issues)} problem(s); nothing was accepted:\n{shown}{more}")


@dataclass
class ValidatedExtract:
    kind: str
    frame: pl.DataFrame  # schema columns, typed, plus event_id and row_hash
    rows_read: int
    duplicates_dropped: int
    source_rows: pl.Series  # 1-based row in the file of each frame row (for error reports)
    ignored_columns: list[str] = field(default_factory=list)


_TRUE = ("true", "yes", "y", "1", "t")
_FALSE = ("false", "no", "n", "0", "f")


def _parse(col: Column) -> pl.Expr:
    s = pl.col(col.name)
    if col.type is ColumnType.TEXT:
        return s.str.to_lowercase() if col.choices else s
    if col.type is ColumnType.DATE:
        return s.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    if col.type is ColumnType.DATETIME:
        t = s.str.replace("T", " ", literal=True)
        return pl.coalesce(
            t.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us"),
            t.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
            t.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
        )
    if col.type is ColumnType.INTEGER:
        return s.cast(pl.Int64, strict=False)
    if col.type is ColumnType.DECIMAL:
        f = (
            s.str.replace_all(",", "", literal=True)
            .str.replace("£", "", literal=True)
            .cast(pl.Float64, strict=False)
        )
        return pl.when(f.is_finite()).then(f)
    low = s.str.to_lowercase()
    return pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False)


_EXPECTED = {
    ColumnType.DATE: "a date YYYY-MM-DD",
    ColumnType.DATETIME: "a date and time YYYY-MM-DD HH:MM[:SS]",
    ColumnType.INTEGER: "a whole number",
    ColumnType.DECIMAL: "a number",
    ColumnType.BOOLEAN: "true or false",
}


def _read_as_text(source: Path | pl.DataFrame) -> pl.DataFrame:
    if isinstance(source, pl.DataFrame):
        raw = source
    elif source.suffix.lower() not in (".csv", ".parquet"):
        raise ExtractError([Issue(source.name, None, None, "expected a .csv or .parquet file")])
    else:
        try:
            if source.suffix.lower() == ".csv":
                raw = pl.read_csv(source, infer_schema=False)
            else:
                raw = pl.read_parquet(source)
        except (OSError, pl.exceptions.PolarsError) as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ExtractError(
                [Issue(source.name, None, None, f"cannot read the file: {first_line}")]
            ) from None
    # Normalise text: trim, blank means missing. Typed Parquet columns print in ISO form.
    return raw.select(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None).alias(c) for c in raw.columns
    )


def _hash_rows(kind: str, frame: pl.DataFrame, cols: list[str]) -> pl.Series:
    """SHA-256 of the canonical text of `cols` (stable across runs, versions and machines)."""
    canon = frame.select(
        pl.concat_str(
            [pl.lit(kind), *(pl.col(c).cast(pl.String).fill_null("") for c in cols)], separator="\x1f"
        )
    ).to_series()
    return pl.Series([hashlib.sha256(v.encode()).hexdigest()[:24] for v in canon], dtype=pl.String)


def validate_extract(kind: str, source: Path | pl.DataFrame, *, name: str | None = None) -> ValidatedExtract:
    """Check one extract against its schema; return it typed and normalised or raise `ExtractError`.

    Deterministic: validating the same file twice gives identical frames (same ids, same order).
    """
    schema = SCHEMAS[kind]
    label = name or (source.name if isinstance(source, Path) else f"{kind} extract")
    raw = _read_as_text(source)
    issues: list[Issue] = []
    for col in schema.columns:
        if col.name not in raw.columns:
            if col.required:
                issues.append(Issue(label, None, col.name, "required column is missing"))
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(col.name))
    if issues:
        raise ExtractError(issues)
    ignored = [c for c in raw.columns if c not in schema.names]
    raw = raw.select(schema.names).with_row_index("_row", offset=1)
    typed = raw.select("_row", *(_parse(c).alias(c.name) for c in schema.columns))
    for col in schema.columns:
        given, value = raw[col.name], typed[col.name]
        if col.required:
            for r in typed.filter(given.is_null())["_row"]:
                issues.append(Issue(label, int(r), col.name, "required value is missing"))
        if col.type is not ColumnType.TEXT:
            bad = raw.filter(given.is_not_null() & value.is_null())
            for r, v in bad.select("_row", col.name).iter_rows():
                issues.append(Issue(label, int(r), col.name, f"expected {_EXPECTED[col.type]}, got {v!r}"))
        elif col.choices:
            bad = raw.filter(given.is_not_null() & ~value.is_in(col.choices))
            for r, v in bad.select("_row", col.name).iter_rows():
                allowed = ", ".join(col.choices)
                issues.append(Issue(label, int(r), col.name, f"{v!r} is not one of: {allowed}"))
    if issues:
        raise ExtractError(sorted(issues, key=lambda i: (i.row or 0, schema.names.index(i.column or ""))))
    if "no_access" in schema.names:
        typed = typed.with_columns(pl.col("no_access").fill_null(False))
    # One event per natural key: exact repeats are dropped, conflicting repeats are errors.
    rows_read = typed.height
    deduped = typed.unique(subset=schema.names, keep="first", maintain_order=True)
    clashes = deduped.filter(pl.len().over(list(schema.key)) > 1)
    if clashes.height:
        for key_vals, group in clashes.group_by(list(schema.key), maintain_order=True):
            rows = ", ".join(str(r) for r in group["_row"])
            key_text = ", ".join(f"{k}={v}" for k, v in zip(schema.key, key_vals, strict=True))
            first = int(group["_row"][0])
            issues.append(Issue(label, first, None, f"rows {rows} share {key_text} but differ"))
        raise ExtractError(issues)
    source_rows = deduped["_row"].cast(pl.Int64)
    frame = deduped.drop("_row")
    frame = frame.with_columns(
        _hash_rows(kind, frame, list(schema.key)).alias("event_id"),
        _hash_rows(kind, frame, schema.names).alias("row_hash"),
    )
    return ValidatedExtract(kind, frame, rows_read, rows_read - deduped.height, source_rows, ignored)


def validate_directory(directory: Path) -> dict[str, ValidatedExtract]:
    """Validate every extract in a directory as one batch: any problem anywhere rejects them all.

    Events must name a tenancy in the tenancies file when one is supplied.
    """
    issues: list[Issue] = []
    out: dict[str, ValidatedExtract] = {}
    for kind in SCHEMAS:
        path = find_extract(directory, kind)
        if path is None:
            continue
        try:
            out[kind] = validate_extract(kind, path)
        except ExtractError as exc:
            issues.extend(exc.issues)
    if "tenancies" not in out and not any(i.file.startswith("tenancies") for i in issues):
        issues.append(Issue(str(directory), None, None, "no tenancies.csv or tenancies.parquet"))
    if "tenancies" in out:
        known = out["tenancies"].frame["tenancy_ref"]
        for kind, ex in out.items():
            if kind == "tenancies":
                continue
            unknown = ex.frame.with_columns(ex.source_rows.alias("_row")).filter(
                ~pl.col("tenancy_ref").is_in(known.implode())
            )
            name = path.name if (path := find_extract(directory, kind)) else kind
            for r, ref in unknown.select("_row", "tenancy_ref").head(50).iter_rows():
                issues.append(Issue(name, int(r), "tenancy_ref", f"unknown tenancy {ref!r}"))
    if issues:
        raise ExtractError(issues)
    return out
