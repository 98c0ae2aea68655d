"""Awaab's Law reports in the app: the clocks are the engine's (due times across a weekend and a bank
holiday, met and breached), a step out of order or before the landlord was aware is refused with the
engine's message and nothing is written, evidence stops a clock only as the engine's rules say, and the
landlord's dashboard counts clocks met and breached."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from homeward.adaptations import awaab_reports
from homeward.adaptations.healthy_kpis import healthy_homes_kpis
from homeward.adaptations.healthy_models import AwaabEvidence, AwaabReport
from homeward.adaptations.healthy_selectors import awaab_dashboard, report_clocks, visible_reports
from homeward.casework.kpis import months_back
from homeward.core.errors import NotFound, ValidationFailed
from homeward.engines.hhsrs.awaab import ClockKind, ClockStatus
from tests.factories import share_case

LONDON = ZoneInfo("Europe/London")
# Thursday 21 May 2026, 10:00: 10 working days skip two weekends and the late May bank holiday (25 May).
AWARE = dt.datetime(2026, 5, 21, 10, 0, tzinfo=LONDON)


def _report(world, **overrides) -> AwaabReport:
    fields = {
        "person_id": world.applicant.pk,
        "hazard": "significant_damp_and_mould",
        "aware_at": AWARE,
        "description": "Black mould on the bedroom wall; a child with asthma",
    } | overrides
    return awaab_reports.open_report(actor=world.officer, **fields)


def _clock(report, kind, now):
    report.refresh_from_db()
    return next(c for c in report_clocks(report, now=now) if c.kind is kind)


def test_the_investigation_clock_skips_weekends_and_the_bank_holiday(world):
    report = _report(world)
    clock = _clock(report, ClockKind.INVESTIGATION, now=AWARE + dt.timedelta(hours=1))
    # 22, 26, 27, 28, 29 May, 1, 2, 3, 4, 5 June: due at the end of Friday 5 June 2026.
    assert clock.due_at.astimezone(LONDON).date() == dt.date(2026, 6, 5)
    assert clock.status is ClockStatus.OPEN
    late = _clock(report, ClockKind.INVESTIGATION, now=dt.datetime(2026, 6, 6, 9, 0, tzinfo=LONDON))
    assert late.status is ClockStatus.BREACHED


def test_steps_recorded_in_time_meet_their_clocks(world):
    report = _report(world)
    concluded = dt.datetime(2026, 6, 1, 15, 0, tzinfo=LONDON)
    awaab_reports.record_step(
        actor=world.officer,
        report_id=report.pk,
        step="investigation_concluded_at",
        at=concluded,
        hazard_found=True,
    )
    # The summary is due within 3 working days of the investigation: by the end of Thursday 4 June.
    awaab_reports.record_step(
        actor=world.officer,
        report_id=report.pk,
        step="summary_sent_at",
        at=dt.datetime(2026, 6, 5, 9, tzinfo=LONDON),
    )
    now = dt.datetime(2026, 6, 10, tzinfo=LONDON)
    assert _clock(report, ClockKind.INVESTIGATION, now).status is ClockStatus.MET
    summary = _clock(report, ClockKind.WRITTEN_SUMMARY, now)
    assert summary.due_at.astimezone(LONDON).date() == dt.date(2026, 6, 4)
    assert summary.status is ClockStatus.BREACHED


def test_a_summary_before_the_investigation_is_refused_with_the_engines_message(world):
    report = _report(world)
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.record_step(
            actor=world.officer, report_id=report.pk, step="summary_sent_at", at=AWARE + dt.timedelta(days=1)
        )
    assert "before the investigation concluded" in exc.value.errors["at"]
    report.refresh_from_db()
    assert report.summary_sent_at is None


@pytest.mark.parametrize(
    ("aware_at", "message"),
    [
        (dt.datetime(2025, 10, 1, 9, tzinfo=LONDON), "came into force"),
        (dt.datetime(2099, 1, 1, 9, tzinfo=LONDON), "cannot be in the future"),
        (None, "became aware"),
    ],
)
def test_a_report_before_the_law_or_in_the_future_is_refused(world, aware_at, message):
    with pytest.raises(ValidationFailed) as exc:
        _report(world, aware_at=aware_at)
    assert message in exc.value.errors["aware_at"].lower()
    assert not AwaabReport.objects.exists()


def test_a_step_before_the_landlord_was_aware_and_a_second_record_are_refused(world):
    report = _report(world)
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.record_step(
            actor=world.officer,
            report_id=report.pk,
            step="investigation_concluded_at",
            at=AWARE - dt.timedelta(hours=2),
            hazard_found=True,
        )
    assert "cannot be before the landlord became aware" in exc.value.errors["at"].lower()
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.record_step(
            actor=world.officer,
            report_id=report.pk,
            step="investigation_concluded_at",
            at=AWARE + dt.timedelta(hours=2),
        )
    assert "hazard_found" in exc.value.errors
    awaab_reports.record_step(
        actor=world.officer,
        report_id=report.pk,
        step="investigation_concluded_at",
        at=AWARE + dt.timedelta(hours=2),
        hazard_found=True,
    )
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.record_step(
            actor=world.officer,
            report_id=report.pk,
            step="investigation_concluded_at",
            at=AWARE + dt.timedelta(hours=3),
            hazard_found=True,
        )
    assert "already recorded" in exc.value.errors["step"]


def test_refused_access_is_recorded_but_does_not_stop_a_clock(world):
    report = _report(world, hazard="emergency")
    awaab_reports.add_evidence(
        actor=world.officer, report_id=report.pk, kind="access_refused", at=AWARE + dt.timedelta(hours=3)
    )
    clock = _clock(report, ClockKind.EMERGENCY_SAFETY_WORK, now=AWARE + dt.timedelta(hours=30))
    assert clock.status is ClockStatus.BREACHED
    assert "does not stop this clock" in clock.explanation


def test_alternative_accommodation_secured_stops_the_emergency_safety_clock(world):
    report = _report(world, hazard="emergency")
    awaab_reports.add_evidence(
        actor=world.officer,
        report_id=report.pk,
        kind="alternative_accommodation_secured",
        at=AWARE + dt.timedelta(hours=20),
    )
    clock = _clock(report, ClockKind.EMERGENCY_SAFETY_WORK, now=AWARE + dt.timedelta(hours=30))
    assert clock.status is ClockStatus.STOPPED


def test_bad_evidence_is_refused_and_nothing_is_written(world):
    report = _report(world)
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.add_evidence(actor=world.officer, report_id=report.pk, kind="tenant_away", at=AWARE)
    assert "kind" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        awaab_reports.add_evidence(
            actor=world.officer, report_id=report.pk, kind="access_refused", at=AWARE - dt.timedelta(days=1)
        )
    assert "cannot be before the landlord became aware" in exc.value.errors["at"].lower()
    assert not AwaabEvidence.objects.exists()


def test_the_dashboard_counts_clocks_met_and_breached(world):
    on_time = _report(world, hazard="emergency")
    awaab_reports.record_step(
        actor=world.officer,
        report_id=on_time.pk,
        step="investigation_concluded_at",
        at=AWARE + dt.timedelta(hours=4),
        hazard_found=True,
    )
    awaab_reports.record_step(
        actor=world.officer,
        report_id=on_time.pk,
        step="safety_work_done_at",
        at=AWARE + dt.timedelta(hours=5),
    )
    _report(world, hazard="emergency")  # nothing done: both clocks breached
    board = awaab_dashboard(world.officer, now=AWARE + dt.timedelta(days=3))
    assert (board.summary.met, board.summary.breached) == (2, 2)
    breached = awaab_dashboard(world.officer, view="breached", now=AWARE + dt.timedelta(days=3))
    assert len(breached.rows) == 1 and breached.rows[0].report.pk != on_time.pk


def test_the_kpi_share_of_clocks_met_uses_the_engines_clocks(world):
    on_time = _report(world, hazard="emergency")
    awaab_reports.record_step(
        actor=world.officer,
        report_id=on_time.pk,
        step="investigation_concluded_at",
        at=AWARE + dt.timedelta(hours=4),
        hazard_found=False,
    )
    kpis = {k.key: k for k in healthy_homes_kpis(world.officer, months_back(dt.date(2026, 6, 15), 3))}
    may = next(p for p in kpis["awaab_clocks_met"].points if p.month == "2026-05")
    # The investigation was met; the safety work was not required (no hazard found), so it is not counted.
    assert (may.value, may.n) == (1.0, 1)


def test_a_partner_sees_a_report_only_under_an_agreement_and_only_the_landlord_records_steps(world):
    report = _report(world)
    with pytest.raises(NotFound):
        awaab_reports.record_step(
            actor=world.ot, report_id=report.pk, step="summary_sent_at", at=AWARE + dt.timedelta(days=1)
        )
    share_case(world.applicant, world.county, case_type="adaptations.awaab", case_id=report.pk)
    share_case(world.applicant, world.agency, case_type="adaptations.awaab", case_id=report.pk)
    assert visible_reports(world.ot).filter(pk=report.pk).exists()
    assert not visible_reports(world.stranger).filter(pk=report.pk).exists()
    with pytest.raises(NotFound):  # the landlord records its own steps and evidence
        awaab_reports.add_evidence(actor=world.ot, report_id=report.pk, kind="access_refused", at=AWARE)
    assert not AwaabEvidence.objects.exists()
