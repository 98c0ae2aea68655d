"""Bed-days lost: the midnight census, attribution to blockers, and the edge cases staff ask about."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from homeward.discharge.bed_days import UNATTRIBUTED, BlockerSpan, bed_days_lost

D = dt.date


def test_no_discharge_ready_date_means_no_lost_days():
    assert bed_days_lost(discharge_ready_on=None, discharged_on=D(2026, 3, 9), blockers=[]).total == 0


def test_discharged_on_the_day_they_became_ready_loses_nothing():
    assert (
        bed_days_lost(discharge_ready_on=D(2026, 3, 9), discharged_on=D(2026, 3, 9), blockers=[]).total == 0
    )


def test_one_blocker_holds_every_lost_day():
    result = bed_days_lost(
        discharge_ready_on=D(2026, 3, 1),
        discharged_on=D(2026, 3, 5),
        blockers=[BlockerSpan("housing", D(2026, 2, 27), D(2026, 3, 5))],
    )
    assert result.total == 4 and result.by_category == {"housing": 4}


def test_a_blocker_opened_and_closed_on_the_same_day_holds_no_midnight():
    result = bed_days_lost(
        discharge_ready_on=D(2026, 3, 1),
        discharged_on=D(2026, 3, 3),
        blockers=[BlockerSpan("transport", D(2026, 3, 2), D(2026, 3, 2))],
    )
    assert result.by_category == {UNATTRIBUTED: 2}


def test_across_a_month_end_and_a_leap_day():
    result = bed_days_lost(
        discharge_ready_on=D(2028, 2, 27),
        discharged_on=D(2028, 3, 2),
        blockers=[BlockerSpan("care_package", D(2028, 2, 27), D(2028, 3, 1))],
    )
    # 27, 28, 29 Feb and 1 Mar are lost; the care package holds 27-29 Feb.
    assert result.total == 4 and result.by_category == {"care_package": 3, UNATTRIBUTED: 1}


def test_overlapping_blockers_share_the_days_they_both_hold():
    result = bed_days_lost(
        discharge_ready_on=D(2026, 1, 30),
        discharged_on=D(2026, 2, 3),
        blockers=[
            BlockerSpan("housing", D(2026, 1, 30), None),
            BlockerSpan("equipment", D(2026, 2, 1), D(2026, 2, 2)),
        ],
    )
    assert result.total == 4
    assert result.by_category == {"housing": 3.5, "equipment": 0.5}


def test_a_patient_still_in_hospital_is_counted_up_to_today():
    result = bed_days_lost(
        discharge_ready_on=D(2026, 5, 1), discharged_on=None, blockers=[], today=D(2026, 5, 8)
    )
    assert result.total == 7


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@given(
    dates,
    st.integers(0, 60),
    st.lists(
        st.tuples(
            st.integers(-10, 60), st.integers(0, 30), st.sampled_from(["housing", "care_home", "equipment"])
        ),
        max_size=5,
    ),
)
def test_attributed_days_always_add_up_to_the_total(ready, stay, spans):
    blockers = [
        BlockerSpan(cat, ready + dt.timedelta(days=start), ready + dt.timedelta(days=start + length))
        for start, length, cat in spans
    ]
    result = bed_days_lost(
        discharge_ready_on=ready, discharged_on=ready + dt.timedelta(days=stay), blockers=blockers
    )
    assert result.total == stay
    assert abs(sum(result.by_category.values()) - stay) < 1e-9
