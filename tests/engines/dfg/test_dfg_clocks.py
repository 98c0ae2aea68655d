"""DFG statutory clocks in calendar months: decision 6 months, payment 12 months, works 12 months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from homeward.engines.dfg import DfgClockKind, DfgClockStatus, DfgDates, add_months, dfg_clocks

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # a leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 31), 6, D(2025, 9, 30)),
        (D(2025, 1, 15), 6, D(2025, 7, 15)),
        (D(2025, 12, 31), 12, D(2026, 12, 31)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
    ],
)
def test_calendar_months_clamp_to_the_month_end(start, months, due):
    assert add_months(start, months) == due


@given(start=st.dates(D(2000, 1, 1), D(2090, 12, 31)), months=st.integers(0, 24))
def test_adding_months_lands_in_the_right_month_never_past_the_same_day(start, months):
    due = add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day <= start.day and (due.day == start.day or (due + dt.timedelta(days=1)).day == 1)


def _by_kind(dates: DfgDates, today: dt.date):
    return {clock.kind: clock for clock in dfg_clocks(dates, today=today)}


def test_a_decision_on_the_due_date_is_in_time_and_a_day_later_is_late():
    on_time = _by_kind(DfgDates(application_date=D(2025, 8, 31), decision_date=D(2026, 2, 28)), D(2026, 3, 5))
    assert on_time[DfgClockKind.DECISION].status is DfgClockStatus.MET
    late = _by_kind(DfgDates(application_date=D(2025, 8, 31), decision_date=D(2026, 3, 2)), D(2026, 3, 5))
    decision = late[DfgClockKind.DECISION]
    assert decision.status is DfgClockStatus.BREACHED and decision.is_overdue
    assert decision.explanation == (
        "Decision within 6 months of the valid application: from 31 Aug 2025, due by 28 Feb 2026. "
        "Missed: done 2 Mar 2026, 2 days late."
    )


def test_open_clocks_count_days_left_and_flag_when_overdue():
    dates = DfgDates(application_date=D(2025, 8, 31))
    clocks = _by_kind(dates, D(2026, 2, 27))
    assert clocks[DfgClockKind.DECISION].days_left == 1
    assert clocks[DfgClockKind.DECISION].explanation.endswith("1 day left.")
    assert clocks[DfgClockKind.PAYMENT].due_on == D(2026, 8, 31)
    assert clocks[DfgClockKind.WORKS].status is DfgClockStatus.NOT_STARTED
    overdue = _by_kind(dates, D(2026, 3, 3))[DfgClockKind.DECISION]
    assert (overdue.status, overdue.days_left, overdue.is_overdue) == (DfgClockStatus.BREACHED, -3, True)


def test_the_works_clock_runs_12_months_from_approval_or_to_an_allowed_extension():
    dates = DfgDates(
        application_date=D(2025, 3, 10), decision_date=D(2025, 5, 30), approval_date=D(2025, 5, 30)
    )
    works = _by_kind(dates, D(2026, 5, 1))[DfgClockKind.WORKS]
    assert (works.starts_on, works.due_on, works.days_left) == (D(2025, 5, 30), D(2026, 5, 30), 29)
    extended = dates.model_copy(update={"works_extended_to": D(2026, 9, 30)})
    assert _by_kind(extended, D(2026, 6, 1))[DfgClockKind.WORKS].status is DfgClockStatus.OPEN
    done = dates.model_copy(update={"works_completed_date": D(2026, 2, 27), "paid_date": D(2026, 3, 20)})
    clocks = _by_kind(done, D(2026, 6, 1))
    assert clocks[DfgClockKind.WORKS].status is DfgClockStatus.MET
    assert clocks[DfgClockKind.PAYMENT].status is DfgClockStatus.BREACHED  # due 10 Mar 2026


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"works_completed_date": D(2025, 6, 1)}, "works_completed_date: works completed before approval"),
        (
            {"approval_date": D(2025, 6, 1), "works_completed_date": D(2025, 5, 1)},
            "works_completed_date: works completed before approval",
        ),
        ({"decision_date": D(2025, 1, 1)}, "decision_date: is before the application date"),
    ],
)
def test_impossible_dates_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        DfgDates(application_date=D(2025, 3, 10), **fields)
