"""The intervals KPIs are shown with, against published values."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.casework.kpis import count_interval, median_interval, months_back, share_interval


def test_wilson_interval_matches_the_textbook_value():
    # Newcombe (1998), Stat Med 17:857, Table I: 81/263 → 0.2553 to 0.3662.
    low, high = share_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert share_interval(0, 0) == (None, None)
    assert share_interval(0, 10)[0] == 0.0


def test_poisson_interval_for_a_count():
    # Exact 95% limits for 10 events are 4.795 to 18.390; Byar's approximation is within 0.5%.
    low, high = count_interval(10)
    assert low == pytest.approx(4.795, rel=0.005) and high == pytest.approx(18.390, rel=0.005)


def test_median_interval_uses_order_statistics():
    values = list(range(1, 101))  # median 50.5; the 95% interval is the 40th to 61st ordered values
    median, low, high = median_interval(values)
    assert median == 50.5 and (low, high) == (40, 61)
    assert median_interval([]) == (None, None, None)


def test_months_back_are_whole_calendar_months_oldest_first():
    months = months_back(dt.date(2026, 3, 15), 3)
    assert months == [
        (dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
    ]
