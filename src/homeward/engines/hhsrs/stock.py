"""Scoring a whole stock at once (Polars): every assessed hazard's score, band and category.

The frame has one row per assessed hazard with columns `hazard` (code), `likelihood` (L of "1 in L") and
`class_i` … `class_iv` (whole percentages summing to 100); any other columns (property reference, survey
date) pass through. The arithmetic is the per-hazard scorer's (`scoring.rate`), so the two agree exactly.
"""

from __future__ import annotations

import polars as pl

from homeward.engines.hhsrs.hazards import HAZARD_CODES
from homeward.engines.hhsrs.schema import HhsrsInputError, Issue
from homeward.engines.hhsrs.scoring import BAND_FLOORS, CLASS_WEIGHTS, MAX_LIKELIHOOD

CLASS_COLUMNS: tuple[str, str, str, str] = ("class_i", "class_ii", "class_iii", "class_iv")
STOCK_COLUMNS: tuple[str, ...] = ("hazard", "likelihood", *CLASS_COLUMNS)
BAND_ENUM = pl.Enum([band.value for band, _ in BAND_FLOORS])
#: Bad rows reported by name before the rest are counted.
MAX_REPORTED_ISSUES = 20

_CATEGORY_1_FLOOR = next(floor for band, floor in BAND_FLOORS if band.value == "C")


def _row_checks() -> list[tuple[str, pl.Expr, str]]:
    """(field, expression true for a bad row, message) for every rule a row must meet."""
    likelihood = pl.col("likelihood").cast(pl.Float64, strict=False)
    checks: list[tuple[str, pl.Expr, str]] = [
        ("hazard", ~pl.col("hazard").is_in(list(HAZARD_CODES)).fill_null(False), "unknown hazard code"),
        ("likelihood", likelihood.is_null() | likelihood.is_nan(), "is required (a number)"),
        ("likelihood", likelihood < 1, "must be at least 1 (a likelihood is '1 in L')"),
        ("likelihood", likelihood > MAX_LIKELIHOOD, f"must be at most {MAX_LIKELIHOOD:,}"),
    ]
    for column in CLASS_COLUMNS:
        value = pl.col(column).cast(pl.Float64, strict=False)
        checks += [
            (column, value.is_null() | value.is_nan(), "is required (a whole percentage)"),
            (column, value != value.round(0), "must be a whole number"),
            (column, (value < 0) | (value > 100), "must be between 0 and 100"),
        ]
    total = pl.sum_horizontal(pl.col(c).cast(pl.Float64, strict=False) for c in CLASS_COLUMNS)
    checks.append(("spread", total != 100, "class_i … class_iv must sum to 100"))
    return checks


def validate_stock(frame: pl.DataFrame) -> None:
    """Raise `HhsrsInputError` naming the first bad rows (``rows[12].class_ii: must be a whole number``)."""
    missing = [c for c in STOCK_COLUMNS if c not in frame.columns]
    if missing:
        raise HhsrsInputError([Issue("columns", f"missing {', '.join(missing)}")])
    checks = _row_checks()
    flags = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        *(expr.fill_null(False).alias(f"_bad{i}") for i, (_, expr, _) in enumerate(checks)),
        *(pl.col(c).alias(f"_value_{c}") for c in STOCK_COLUMNS),
    )
    bad = flags.filter(pl.any_horizontal(pl.col(r"^_bad\d+$")))
    if bad.is_empty():
        return
    issues: list[Issue] = []
    for row in bad.head(MAX_REPORTED_ISSUES).iter_rows(named=True):
        for i, (field, _, message) in enumerate(checks):
            if row[f"_bad{i}"]:
                got = "" if field == "spread" else f" (got {row[f'_value_{field}']!r})"
                issues.append(Issue(f"rows[{row['_row']}].{field}", message + got))
    if bad.height > MAX_REPORTED_ISSUES:
        issues.append(Issue("rows", f"… and {bad.height - MAX_REPORTED_ISSUES:,} more bad rows"))
    raise HhsrsInputError(issues)


def score_stock(frame: pl.DataFrame, *, validate: bool = True) -> pl.DataFrame:
    """Add `score` (Float64), `band` (Enum A–J) and `category` (Int8: 1 or 2) to every row.

    With `validate=True` (the default) a bad frame raises `HhsrsInputError` before anything is scored.
    """
    if validate:
        validate_stock(frame)
    harm = sum(
        (pl.col(c).cast(pl.Int64) * w for c, w in zip(CLASS_COLUMNS, CLASS_WEIGHTS, strict=True)),
        start=pl.lit(0, dtype=pl.Int64),
    )
    score = harm / pl.col("likelihood").cast(pl.Float64)
    floors = [floor for _, floor in reversed(BAND_FLOORS[:-1])]  # 10, 20, … 5,000
    labels = {i: band.value for i, (band, _) in enumerate(reversed(BAND_FLOORS))}  # 0 → J … 9 → A
    steps = sum(
        ((pl.col("score") >= floor).cast(pl.Int8) for floor in floors), start=pl.lit(0, dtype=pl.Int8)
    )
    return frame.with_columns(score.alias("score")).with_columns(
        steps.replace_strict(labels, return_dtype=BAND_ENUM).alias("band"),
        pl.when(pl.col("score") >= _CATEGORY_1_FLOOR).then(1).otherwise(2).cast(pl.Int8).alias("category"),
    )


def category_1_hazards(scored: pl.DataFrame) -> pl.DataFrame:
    """Every Category 1 hazard in a scored stock, highest score first."""
    return scored.filter(pl.col("category") == 1).sort("score", descending=True)
