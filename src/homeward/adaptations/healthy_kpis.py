"""Healthy-homes KPIs by month (counts and shares only, never names): Category 1 hazards found and removed,
handyperson jobs done, and the share of Awaab's Law clocks met of those that closed met or breached (each
clock as `engines.hhsrs.awaab` works it out, counted in the month it fell due)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.adaptations.healthy_models import HandypersonJob, HazardFinding
from homeward.adaptations.healthy_selectors import report_clocks, visible_reports, visible_visits
from homeward.casework.kpis import KPI, Months, Point, count_point, monthly, share_point, within
from homeward.engines.hhsrs.awaab import LONDON, ClockStatus
from homeward.governance.access import Actor


def healthy_homes_kpis(actor: Actor, months: Months) -> list[KPI]:
    visits = visible_visits(actor).filter(organisation_id=actor.organisation_id)
    start = months[0][0] if months else timezone.localdate()
    found = list(
        HazardFinding.objects.filter(visit__in=visits, category=1).values_list(
            "visit__visited_on", "removed_on"
        )
    )
    jobs = list(
        HandypersonJob.objects.filter(visit__in=visits, done_on__isnull=False).values_list(
            "done_on", flat=True
        )
    )
    # Clocks fall due at most 12 weeks after the investigation, so reports the landlord knew of from a
    # quarter before the first month can have a clock due in the window.
    reports = (
        visible_reports(actor)
        .filter(organisation_id=actor.organisation_id, aware_at__date__gte=start - dt.timedelta(days=200))
        .prefetch_related("evidence")
    )
    now = timezone.now()
    closed: list[tuple[dt.date, bool]] = [
        (clock.due_at.astimezone(LONDON).date(), clock.status is ClockStatus.MET)
        for report in reports
        for clock in report_clocks(report, now=now)
        if clock.due_at is not None and clock.status in (ClockStatus.MET, ClockStatus.BREACHED)
    ]

    def cat1_found(label: str, spans: Months) -> Point:
        return count_point(label, sum(within(visited, spans) for visited, _ in found))

    def cat1_removed(label: str, spans: Months) -> Point:
        return count_point(label, sum(within(removed, spans) for _, removed in found))

    def jobs_done(label: str, spans: Months) -> Point:
        return count_point(label, sum(within(day, spans) for day in jobs))

    def clocks_met(label: str, spans: Months) -> Point:
        due = [met for day, met in closed if within(day, spans)]
        return share_point(label, sum(due), len(due))

    out = []
    for key, label, unit, better, fn, note in [
        (
            "hhsrs_category_1_found",
            "Category 1 hazards found",
            "count",
            "lower",
            cat1_found,
            "By month of visit",
        ),
        (
            "hhsrs_category_1_removed",
            "Category 1 hazards removed",
            "count",
            "higher",
            cat1_removed,
            "By month the hazard was removed or reduced",
        ),
        ("handyperson_jobs_done", "Handyperson jobs done", "count", "higher", jobs_done, "By month done"),
        (
            "awaab_clocks_met",
            "Share of Awaab's Law clocks met",
            "share",
            "higher",
            clocks_met,
            "Of clocks that closed met or breached (stopped and running clocks are left out), by month due; "
            "Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out
