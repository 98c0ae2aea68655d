"""KPIs from live casework: a registry each module adds its providers to, and the intervals they use.

A provider takes (actor, months) and returns KPIs, each a monthly series with 95% intervals and the value
over a baseline period, computed from counts and durations only (no names). The KPI page shows whatever
providers the installed modules registered.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Z = 1.959964  # two-sided 95%


@dataclass(frozen=True)
class Point:
    month: str  # YYYY-MM
    value: float | None
    low: float | None
    high: float | None
    n: int  # the denominator (or count) behind the value


@dataclass(frozen=True)
class KPI:
    key: str
    label: str
    unit: str  # "count", "share", "days"
    better: str  # "higher" or "lower"
    points: list[Point] = field(default_factory=list)
    baseline: Point | None = None
    note: str = ""
    headline: bool = False  # one of the few a commissioner sees first, on the home page


Months = list[tuple[dt.date, dt.date]]
Provider = Callable[[Any, Months], list[KPI]]
BASELINE_MONTHS = 3
_PROVIDERS: dict[str, tuple[str, Provider]] = {}


def register_kpi_provider(key: str, title: str, provider: Provider) -> None:
    _PROVIDERS[key] = (title, provider)


def providers() -> dict[str, tuple[str, Provider]]:
    return dict(_PROVIDERS)


def months_back(today: dt.date, count: int = 12) -> list[tuple[dt.date, dt.date]]:
    """The last `count` calendar months, oldest first, as [first day, first day of the next month)."""
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        out.append((first, (first + dt.timedelta(days=32)).replace(day=1)))
        first = previous
    return list(reversed(out))


def count_interval(count: int) -> tuple[float, float]:
    """95% interval for a Poisson count (Byar's approximation; exact enough from a handful upwards)."""
    if count == 0:
        return 0.0, 3.689
    low = count * (1 - 1 / (9 * count) - Z / (3 * math.sqrt(count))) ** 3
    high = (count + 1) * (1 - 1 / (9 * (count + 1)) + Z / (3 * math.sqrt(count + 1))) ** 3
    return low, high


def share_interval(successes: int, n: int) -> tuple[float | None, float | None]:
    """Wilson score 95% interval for a proportion."""
    if n == 0:
        return None, None
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def median_interval(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    """Median and its distribution-free 95% interval (order statistics of the binomial(n, ½))."""
    x = sorted(values)
    n = len(x)
    if n == 0:
        return None, None, None
    median = (x[(n - 1) // 2] + x[n // 2]) / 2
    if n < 6:
        return median, x[0], x[-1]
    lower = max(0, math.floor(n / 2 - Z * math.sqrt(n) / 2) - 1)
    upper = min(n - 1, math.ceil(n / 2 + Z * math.sqrt(n) / 2))
    return median, x[lower], x[upper]


def count_point(month: str, count: int) -> Point:
    low, high = count_interval(count)
    return Point(month, float(count), low, high, count)


def share_point(month: str, successes: int, n: int) -> Point:
    low, high = share_interval(successes, n)
    return Point(month, successes / n if n else None, low, high, n)


def median_point(month: str, values: Sequence[float]) -> Point:
    median, low, high = median_interval(values)
    return Point(month, median, low, high, len(values))


def mean_point(month: str, values: Sequence[float], *, non_negative: bool = False) -> Point:
    """Mean and its Student t 95% interval. For a quantity that cannot be negative (a count or a duration:
    say so with ``non_negative``) the interval is floored at 0; a change in a score can be negative."""
    from homeward.engines.flowsim.stats import summarise

    if not values:
        return Point(month, None, None, None, 0)
    s = summarise(values)
    low = s["ci95"][0]
    if low is not None and non_negative:
        low = max(0.0, low)  # a mean of counts or durations cannot be below zero, nor can its interval
    return Point(month, s["mean"], low, s["ci95"][1], len(values))


def monthly(months: Months, build: Callable[[str, Months], Point]) -> tuple[list[Point], Point]:
    """One point per month (labelled YYYY-MM) and one over the baseline (the first three months)."""
    return [build(f"{a:%Y-%m}", [(a, b)]) for a, b in months], build("baseline", months[:BASELINE_MONTHS])


def within(day: dt.date | None, spans: Months) -> bool:
    return day is not None and any(a <= day < b for a, b in spans)
