"""A KPI's headline: the last full month against the baseline, the change and its 95% interval in words."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.casework.headlines import change_interval, headline
from homeward.casework.kpis import KPI, Point, count_point, share_point

TODAY = dt.date(2026, 12, 3)  # the last full month is November 2026


def _kpi(unit: str, better: str, november: Point, baseline: Point) -> KPI:
    return KPI("k", "A KPI", unit, better, [Point("2026-10", 1, 0, 2, 1), november], baseline)


def test_a_clear_fall_in_a_share_where_lower_is_better_is_better_in_percentage_points():
    kpi = _kpi("share", "lower", share_point("2026-11", 5, 100), share_point("baseline", 60, 300))
    h = headline(kpi, TODAY)
    assert (h.month, h.value, h.baseline) == ("November 2026", "5%", "20%")
    assert h.verdict == "better"
    assert h.change.startswith("Down 15 percentage points (95% interval: ")
    assert "A clear fall; lower is better." in h.change
    assert h.low is not None and h.high is not None and h.low < -0.15 < h.high < 0


def test_a_count_is_compared_per_month_and_a_small_change_may_be_chance():
    # 75 referrals over the three baseline months is 25 a month; 27 in November is no clear change.
    kpi = _kpi("count", "higher", count_point("2026-11", 27), count_point("baseline", 75))
    h = headline(kpi, TODAY)
    assert (h.value, h.baseline) == ("27", "25 a month")
    assert h.verdict == "no clear change"
    assert h.change.startswith("Up 2 a month (95% interval: ")
    assert "fewer to " in h.change and " more)" in h.change
    assert "this may be chance" in h.change


def test_a_rise_in_days_where_lower_is_better_is_worse():
    kpi = _kpi("days", "lower", Point("2026-11", 9.0, 8.0, 10.0, 40), Point("baseline", 4.0, 3.5, 4.5, 120))
    h = headline(kpi, TODAY)
    assert (h.value, h.baseline, h.verdict) == ("9 days", "4 days", "worse")
    assert h.change.startswith("Up 5 days (95% interval: ")


def test_no_data_in_the_month_says_so_instead_of_a_figure():
    kpi = _kpi("days", "lower", Point("2026-11", None, None, None, 0), Point("baseline", 4.0, 3.5, 4.5, 9))
    h = headline(kpi, TODAY)
    assert h.value == "–" and h.verdict == "not enough data"
    assert h.change == "Nothing to compare: no data for November 2026."
    assert "None" not in h.change + h.value + h.baseline


def test_the_change_interval_is_newcombes_for_two_wilson_intervals():
    # Newcombe (1998), table II, example (a): 56/70 against 48/80, method 10 gives 0.0524 to 0.3339.
    d, low, high = change_interval(share_point("now", 56, 70), share_point("base", 48, 80))
    assert d == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=5e-4)
    assert high == pytest.approx(0.3339, abs=5e-4)
