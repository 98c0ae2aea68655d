"""Re-basing money to a price year with a GDP deflator series, as the Green Book does.

A value at price year *a* is expressed at price year *b* as ``value × index[b] / index[a]``. The shipped
series (``data/gdp_deflator.csv``) is the UK GDP deflator at market prices by calendar year; a
financial-year figure (e.g. NHS reference costs 2016/17) is recorded at the calendar year in which the
financial year starts (2016), the convention stated with each unit cost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources

DEFLATOR_SOURCE = (
    "UK GDP deflator at market prices, calendar years, 2024 = 100: ONS series YBGB as published by "
    "HM Treasury, 'GDP deflators at market prices, and money GDP' (OGL v3.0)"
)


class PriceYearError(ValueError):
    """A price year the deflator series does not cover."""


def parse_series(text: str) -> dict[int, float]:
    """`year,index` rows (lines starting with # are comments) → {year: index}; errors name the line."""
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    series: dict[int, float] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(rows))), start=2):
        try:
            year, index = int(row["year"]), float(row["index"])
        except (KeyError, TypeError, ValueError):
            raise PriceYearError(f"row {number}: need a whole-number year and a numeric index") from None
        if index <= 0:
            raise PriceYearError(f"row {number}: index must be above 0 (got {index:g})")
        if year in series:
            raise PriceYearError(f"row {number}: year {year} appears twice")
        series[year] = index
    if not series:
        raise PriceYearError("the series has no rows")
    return series


@cache
def _shipped() -> tuple[tuple[int, float], ...]:
    text = resources.files("homeward.engines.cba").joinpath("data/gdp_deflator.csv").read_text()
    return tuple(sorted(parse_series(text).items()))


def gdp_deflator() -> dict[int, float]:
    """The shipped UK GDP deflator series, {calendar year: index (2024 = 100)}."""
    return dict(_shipped())


def rebase(value: float, from_year: int, to_year: int, series: Mapping[int, float] | None = None) -> float:
    """`value` at `from_year` prices, expressed at `to_year` prices."""
    table = gdp_deflator() if series is None else series
    for year in (from_year, to_year):
        if year not in table:
            first, last = min(table), max(table)
            raise PriceYearError(
                f"price year {year} is outside the deflator series ({first}–{last}); "
                "add the year to the series or choose another price year"
            )
    return value * table[to_year] / table[from_year]
