"""A KPI's headline in words: the last full month against the baseline, and the change with its 95% interval.

The change's interval is built from the two periods' own 95% intervals by MOVER (the method of variance
estimates recovery: Zou and Donner, "Construction of confidence limits about effect measures: a general
approach", Statistics in Medicine 2008;27:1693-1702). For two shares with Wilson intervals it is
Newcombe's hybrid score interval (Statistics in Medicine 1998;17:873-890, method 10). The month and the
baseline are different months, so the two estimates are independent, as the method needs.

A count's baseline covers several months; the headline compares it per month (its value and interval
divided by the number of months), so that a month is set against a month.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from homeward.casework.kpis import BASELINE_MONTHS, KPI, Point, months_back, providers


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    month: str  # "November 2026"
    value: str  # "31 referrals" / "7.8%" / "4.5 days"; "–" when there is nothing to count
    baseline: str  # "25.3 a month" / "6.1%"; "–" without a baseline
    change: str  # "Up 5.7 a month (95% interval: 4.1 fewer to 15.5 more)"
    verdict: str  # "better", "worse", "no clear change" or "not enough data"
    low: float | None = None  # the change's 95% interval, in the KPI's unit (shares as fractions)
    high: float | None = None
    note: str = ""  # the KPI's own caveat, e.g. that the latest month is incomplete


def per_month(point: Point, months: int = BASELINE_MONTHS) -> Point:
    """A count over several months as a monthly average, with its interval scaled alike."""
    scale = 1 / months

    def each(x: float | None) -> float | None:
        return None if x is None else x * scale

    return Point(point.month, each(point.value), each(point.low), each(point.high), point.n)


def shown_baseline(kpi: KPI) -> Point | None:
    """The baseline as the page, the chart, the home page and the CSV show it: a count per month (the
    three months' total divided by three, its interval alike), a share or a duration as it is."""
    if kpi.baseline is not None and kpi.unit == "count":
        return per_month(kpi.baseline)
    return kpi.baseline


def baseline_period(kpi: KPI) -> str:
    """The months the baseline covers, e.g. "2025-12 to 2026-02" (the first BASELINE_MONTHS points)."""
    months = [p.month for p in kpi.points[:BASELINE_MONTHS]]
    return f"{months[0]} to {months[-1]}" if months else ""


def change_interval(now: Point, base: Point) -> tuple[float, float, float] | None:
    """The difference now − base and its 95% interval by MOVER (Zou and Donner 2008, eq. 7 and 8)."""
    values = (now.value, now.low, now.high, base.value, base.low, base.high)
    if any(x is None or not math.isfinite(x) for x in values):
        return None
    v1, l1, u1, v0, l0, u0 = (float(x) for x in values)  # type: ignore[arg-type]
    d = v1 - v0
    low = d - math.sqrt((v1 - l1) ** 2 + (u0 - v0) ** 2)
    high = d + math.sqrt((u1 - v1) ** 2 + (v0 - l0) ** 2)
    return d, low, high


def _number(x: float) -> str:
    text = f"{x:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _amount(kpi: KPI, x: float, *, monthly: bool = False) -> str:
    if kpi.unit == "share":
        return f"{_number(100 * x)}%"
    if kpi.unit == "days":
        return f"{_number(x)} {'day' if x == 1 else 'days'}"
    return f"{_number(x)} a month" if monthly else _number(x)


def _size(kpi: KPI, x: float) -> str:
    """A change's size without its sign: percentage points for shares."""
    if kpi.unit == "share":
        points = 100 * abs(x)
        return f"{_number(points)} percentage {'point' if points == 1 else 'points'}"
    if kpi.unit == "days":
        return f"{_number(abs(x))} {'day' if abs(x) == 1 else 'days'}"
    return f"{_number(abs(x))} a month"


def _end(kpi: KPI, x: float) -> str:
    """One end of the change's interval in words: '4.1 fewer', '2.0 percentage points higher', 'no change'."""
    if round(x, 3) == 0:
        return "no change"
    if kpi.unit == "count":
        return f"{_number(abs(x))} {'more' if x > 0 else 'fewer'}"
    return f"{_size(kpi, x)} {'higher' if x > 0 else 'lower'}"


def headline(kpi: KPI, today: dt.date) -> Headline:
    """The last full month before `today` against the baseline, in words a manager can repeat."""
    last_full = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    month = dt.date(int(last_full[:4]), int(last_full[5:]), 1).strftime("%B %Y")
    now = next((p for p in kpi.points if p.month == last_full), None)
    base = shown_baseline(kpi)
    value = "–" if now is None or now.value is None else _amount(kpi, now.value)
    baseline = "–" if base is None or base.value is None else _amount(kpi, base.value, monthly=True)
    if now is None or base is None or now.value is None or base.value is None:
        gaps = [
            *([month] if now is None or now.value is None else []),
            *(["the baseline"] if base is None or base.value is None else []),
        ]
        missing = " or ".join(gaps)
        return Headline(
            kpi.key, kpi.label, month, value, baseline, f"Nothing to compare: no data for {missing}.",
            "not enough data", note=kpi.note,
        )  # fmt: skip
    interval = change_interval(now, base)
    if interval is None:
        return Headline(
            kpi.key, kpi.label, month, value, baseline, "No interval for the change.", "not enough data",
            note=kpi.note,
        )  # fmt: skip
    d, low, high = interval
    direction = "No change" if round(d, 3) == 0 else f"{'Up' if d > 0 else 'Down'} {_size(kpi, d)}"
    words = f"{direction} (95% interval: {_end(kpi, low)} to {_end(kpi, high)})"
    if low <= 0 <= high:
        verdict = "no clear change"
        words += ". The interval includes no change, so this may be chance."
    else:
        went_up = low > 0
        verdict = "better" if went_up == (kpi.better == "higher") else "worse"
        words += f". A clear {'rise' if went_up else 'fall'}; {kpi.better} is better."
    return Headline(kpi.key, kpi.label, month, value, baseline, words, verdict, low, high, kpi.note)


def headline_kpis(actor: Any, today: dt.date) -> list[Headline]:
    """The headlines of the KPIs their modules mark for the home page (`KPI.headline`), in provider order."""
    months = months_back(today)
    return [
        headline(kpi, today)
        for _, (_, provider) in sorted(providers().items())
        for kpi in provider(actor, months)
        if kpi.headline
    ]
