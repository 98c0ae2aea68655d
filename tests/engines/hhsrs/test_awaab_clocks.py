"""Awaab's Law clocks across weekends, England and Wales bank holidays, month ends and the clock change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from homeward.engines.hhsrs.awaab import (
    AwaabCase,
    ClockKind,
    ClockStatus,
    awaab_clocks,
    due_after_working_days,
    summarise_clocks,
)

LONDON = ZoneInfo("Europe/London")


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=LONDON)


def end_of(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=LONDON)


def clocks_by_kind(case: AwaabCase, now: dt.datetime):
    return {clock.kind: clock for clock in awaab_clocks(case, now=now)}


def damp(**fields) -> AwaabCase:
    return AwaabCase(hazard="significant_damp_and_mould", **fields)


def test_emergency_hazard_24_hours_are_elapsed_hours_across_the_clock_change():
    case = AwaabCase(hazard="emergency", aware_at=at(2026, 3, 28, 12, 0))  # GMT; BST starts 29 March 01:00
    clocks = clocks_by_kind(case, now=at(2026, 3, 29, 12, 30))
    investigation = clocks[ClockKind.EMERGENCY_INVESTIGATION]
    assert investigation.due_at == at(2026, 3, 29, 13, 0)  # 12:00 GMT + 24 h = 13:00 BST
    assert investigation.status is ClockStatus.OPEN
    assert investigation.time_left == dt.timedelta(minutes=30)
    assert "Open: 30 minutes left." in investigation.explanation
    late = clocks_by_kind(case, now=at(2026, 3, 29, 13, 30))
    assert late[ClockKind.EMERGENCY_SAFETY_WORK].status is ClockStatus.BREACHED
    made_safe = AwaabCase(
        hazard="emergency",
        aware_at=at(2026, 3, 28, 12, 0),
        investigation_concluded_at=at(2026, 3, 28, 15, 0),
        hazard_found=True,
        safety_work_done_at=at(2026, 3, 29, 12, 59),
    )
    done = clocks_by_kind(made_safe, now=at(2026, 3, 30, 9, 0))
    assert done[ClockKind.EMERGENCY_INVESTIGATION].status is ClockStatus.MET
    assert done[ClockKind.EMERGENCY_SAFETY_WORK].status is ClockStatus.MET


def test_investigation_10_working_days_over_christmas_and_new_year():
    # Aware Fri 19 Dec 2025: 22, 23, 24, (25, 26 bank holidays), 29, 30, 31, (1 Jan), 2, 5, 6, 7 Jan.
    case = damp(aware_at=at(2025, 12, 19, 16, 20))
    clock = clocks_by_kind(case, now=at(2026, 1, 5, 9, 0))[ClockKind.INVESTIGATION]
    assert clock.due_at == end_of(2026, 1, 7)
    assert clock.status is ClockStatus.OPEN
    assert (clock.days_left, clock.working_days_left) == (2, 2)
    breached = clocks_by_kind(case, now=at(2026, 1, 8, 0, 1))[ClockKind.INVESTIGATION]
    assert breached.status is ClockStatus.BREACHED and breached.days_left == -1


def test_awareness_at_a_weekend_counts_from_the_next_working_day():
    # Sat 7 Mar 2026: working days 9–13 and 16–20 March.
    assert due_after_working_days(at(2026, 3, 7, 11, 0), 10) == end_of(2026, 3, 20)


def test_working_day_deadlines_skip_moved_and_extra_bank_holidays():
    # The clocks' calendar knows proclaimed changes: in 2022 the spring bank holiday moved to Thu 2 June
    # and Fri 3 June was an extra one (Platinum Jubilee), so 3 working days from Tue 31 May are 1, 6, 7 June.
    assert due_after_working_days(at(2022, 5, 31, 10, 0), 3) == end_of(2022, 6, 7)
    # 2023: the coronation bank holiday, Mon 8 May, a week after the early May bank holiday.
    assert due_after_working_days(at(2023, 4, 28, 10, 0), 5) == end_of(2023, 5, 9)


def test_written_summary_3_working_days_over_easter():
    # Investigation concluded Thu 2 Apr 2026: (Good Friday 3rd, Easter Monday 6th) 7, 8, 9 April.
    case = damp(
        aware_at=at(2026, 3, 30, 9, 0), investigation_concluded_at=at(2026, 4, 2, 15, 0), hazard_found=True
    )
    clocks = clocks_by_kind(case, now=at(2026, 4, 8, 9, 0))
    assert clocks[ClockKind.INVESTIGATION].status is ClockStatus.MET
    summary = clocks[ClockKind.WRITTEN_SUMMARY]
    assert summary.due_at == end_of(2026, 4, 9)
    assert summary.working_days_left == 1


def test_safety_work_5_working_days_over_the_spring_bank_holiday_and_a_month_end():
    # Concluded Fri 22 May 2026: (Mon 25 spring bank holiday) 26, 27, 28, 29 May, Mon 1 June.
    case = damp(
        aware_at=at(2026, 5, 18, 9, 0), investigation_concluded_at=at(2026, 5, 22, 12, 0), hazard_found=True
    )
    clocks = clocks_by_kind(case, now=at(2026, 5, 29, 9, 0))
    assert clocks[ClockKind.SAFETY_WORK].due_at == end_of(2026, 6, 1)
    assert clocks[ClockKind.FURTHER_WORKS_BEGIN].due_at == end_of(2026, 6, 1)
    assert clocks[ClockKind.SAFETY_WORK].days_left == 3


def test_further_works_begin_over_christmas_2026_with_a_substitute_boxing_day():
    # Concluded Thu 24 Dec 2026: (25, Boxing Day substitute Mon 28) 29, 30, 31, (1 Jan 2027) 4, 5 Jan.
    case = damp(
        aware_at=at(2026, 12, 14, 9, 0), investigation_concluded_at=at(2026, 12, 24, 11, 0), hazard_found=True
    )
    clock = clocks_by_kind(case, now=at(2026, 12, 29, 9, 0))[ClockKind.FURTHER_WORKS_BEGIN]
    assert clock.due_at == end_of(2027, 1, 5)


def test_further_works_start_physically_within_12_weeks():
    case = damp(
        aware_at=at(2025, 12, 19, 16, 0),
        investigation_concluded_at=at(2026, 1, 5, 10, 0),
        hazard_found=True,
        further_works_begun_at=at(2026, 1, 9, 10, 0),
        further_works_started_at=at(2026, 3, 31, 8, 0),
    )
    clocks = clocks_by_kind(case, now=at(2026, 4, 1, 9, 0))
    assert clocks[ClockKind.FURTHER_WORKS_BEGIN].status is ClockStatus.MET
    start = clocks[ClockKind.FURTHER_WORKS_START]
    assert start.due_at == end_of(2026, 3, 30)  # Mon 5 Jan + 12 weeks, in summer time by then
    assert start.status is ClockStatus.BREACHED
    assert "Breached: done Tue 31 Mar 2026 08:00, 8 hours after the due time." in start.explanation


def test_clocks_after_the_investigation_wait_for_it():
    clocks = clocks_by_kind(damp(aware_at=at(2026, 2, 2, 9, 0)), now=at(2026, 2, 3, 9, 0))
    assert clocks[ClockKind.INVESTIGATION].status is ClockStatus.OPEN
    for kind in (ClockKind.WRITTEN_SUMMARY, ClockKind.SAFETY_WORK, ClockKind.FURTHER_WORKS_START):
        assert clocks[kind].status is ClockStatus.NOT_STARTED and clocks[kind].due_at is None


def test_no_hazard_found_means_no_works_but_the_tenant_still_gets_the_summary():
    case = damp(
        aware_at=at(2026, 2, 2, 9, 0), investigation_concluded_at=at(2026, 2, 4, 9, 0), hazard_found=False
    )
    clocks = clocks_by_kind(case, now=at(2026, 2, 20, 9, 0))
    assert clocks[ClockKind.WRITTEN_SUMMARY].status is ClockStatus.BREACHED  # due end of Mon 9 Feb
    for kind in (ClockKind.SAFETY_WORK, ClockKind.FURTHER_WORKS_BEGIN, ClockKind.FURTHER_WORKS_START):
        assert clocks[kind].status is ClockStatus.NOT_REQUIRED


def test_alternative_accommodation_secured_in_time_stops_the_safety_work_clock():
    case = damp(
        aware_at=at(2026, 2, 2, 9, 0),
        investigation_concluded_at=at(2026, 2, 4, 9, 0),
        hazard_found=True,
        evidence=[{"kind": "alternative_accommodation_secured", "at": at(2026, 2, 10, 17, 0)}],
    )
    clocks = clocks_by_kind(case, now=at(2026, 2, 20, 9, 0))
    safety = clocks[ClockKind.SAFETY_WORK]  # due end of Wed 11 Feb
    assert safety.status is ClockStatus.STOPPED
    assert (
        "Stopped Tue 10 Feb 2026 17:00: the household was moved to suitable alternative accommodation."
        in (safety.explanation)
    )
    assert "decanted" in safety.source
    assert clocks[ClockKind.FURTHER_WORKS_BEGIN].status is ClockStatus.BREACHED  # a move is not further works


def test_evidence_after_the_due_time_does_not_undo_a_breach():
    case = damp(
        aware_at=at(2026, 2, 2, 9, 0),
        investigation_concluded_at=at(2026, 2, 4, 9, 0),
        hazard_found=True,
        evidence=[{"kind": "alternative_accommodation_secured", "at": at(2026, 2, 12, 9, 0)}],
    )
    assert (
        clocks_by_kind(case, now=at(2026, 2, 20, 9, 0))[ClockKind.SAFETY_WORK].status is ClockStatus.BREACHED
    )


def test_refused_access_is_recorded_but_does_not_stop_the_clock():
    case = damp(
        aware_at=at(2026, 2, 2, 9, 0),
        evidence=[
            {"kind": "access_refused", "at": at(2026, 2, 5, 10, 0), "note": "Tenant declined the visit"},
            {"kind": "alternative_accommodation_offered", "at": at(2026, 2, 6, 10, 0)},
        ],
    )
    clock = clocks_by_kind(case, now=at(2026, 2, 20, 9, 0))[ClockKind.INVESTIGATION]
    assert clock.status is ClockStatus.BREACHED
    assert len(clock.evidence) == 2
    assert "Recorded Thu 5 Feb 2026 10:00: the occupier refused access (does not stop this clock)." in (
        clock.explanation
    )
    assert "all reasonable endeavours" in clock.source


def test_consent_not_obtained_stops_the_works_clocks():
    case = damp(
        aware_at=at(2026, 2, 2, 9, 0),
        investigation_concluded_at=at(2026, 2, 4, 9, 0),
        hazard_found=True,
        safety_work_done_at=at(2026, 2, 5, 9, 0),
        evidence=[{"kind": "consent_not_obtained", "at": at(2026, 2, 9, 9, 0)}],
    )
    clocks = clocks_by_kind(case, now=at(2026, 6, 1, 9, 0))
    assert clocks[ClockKind.SAFETY_WORK].status is ClockStatus.MET  # done before the evidence
    assert clocks[ClockKind.FURTHER_WORKS_BEGIN].status is ClockStatus.STOPPED
    assert clocks[ClockKind.FURTHER_WORKS_START].status is ClockStatus.STOPPED


def test_a_dashboard_counts_clocks_met_and_breached():
    met = damp(
        aware_at=at(2026, 2, 2, 9, 0),
        investigation_concluded_at=at(2026, 2, 3, 9, 0),
        hazard_found=False,
        summary_sent_at=at(2026, 2, 4, 9, 0),
    )
    late = AwaabCase(hazard="emergency", aware_at=at(2026, 2, 2, 9, 0))
    now = at(2026, 2, 10, 9, 0)
    summary = summarise_clocks([*awaab_clocks(met, now=now), *awaab_clocks(late, now=now)])
    assert (summary.met, summary.breached, summary.not_required) == (2, 2, 3)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"aware_at": at(2025, 10, 26, 23, 0)}, "aware_at: before 27 October 2025"),
        (
            {"aware_at": at(2026, 2, 2, 9, 0), "investigation_concluded_at": at(2026, 2, 3, 9, 0)},
            "hazard_found: is required once the investigation has concluded",
        ),
        (
            {"aware_at": at(2026, 2, 2, 9, 0), "summary_sent_at": at(2026, 2, 3, 9, 0)},
            "summary_sent_at: recorded before the investigation concluded",
        ),
        (
            {
                "aware_at": at(2026, 2, 2, 9, 0),
                "investigation_concluded_at": at(2026, 2, 1, 9, 0),
                "hazard_found": True,
            },
            "investigation_concluded_at: is before aware_at",
        ),
        ({"aware_at": dt.datetime(2026, 2, 2, 9, 0)}, "Input should have timezone info"),
    ],
)
def test_inconsistent_cases_are_refused_naming_the_field(fields, message):
    with pytest.raises(ValidationError, match=message):
        damp(**fields)


def test_times_after_now_are_refused():
    case = damp(aware_at=at(2026, 2, 2, 9, 0))
    with pytest.raises(ValueError, match=r"aware_at: is after now"):
        awaab_clocks(case, now=at(2026, 2, 1, 9, 0))
    with pytest.raises(ValueError, match="now: must be timezone-aware"):
        awaab_clocks(case, now=dt.datetime(2026, 2, 3, 9, 0))
