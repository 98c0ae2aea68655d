"""Reablement KPIs by month, from the stored dates and occupancy intervals (counts and durations only, never
names), for the units the actor's organisation runs: length of stay (mean and median), bed occupancy, the
share admitted within NICE's 2 days of referral, the share still at home 91 days after discharge home
(ASCOF 2B(1); people lost to follow-up are counted apart, not as at home or not), and readmissions to acute
care within 30 days of leaving the unit."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.casework.kpis import (
    KPI,
    Months,
    Point,
    count_point,
    mean_point,
    median_point,
    monthly,
    share_point,
    within,
)
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.reablement.lifecycle import ADMISSION_STANDARD_DAYS, READMISSION_DAYS
from homeward.reablement.models import Stay, Unit
from homeward.reablement.occupancy import unit_occupancy

Row = tuple[dt.date, dt.date, dt.date | None, str, dt.date | None, dt.date | None, str]


def stay_rows(unit_ids: list[int]) -> list[Row]:
    """(referred, admitted, discharged, destination, readmitted, follow-up due, follow-up outcome) per stay,
    as local dates."""
    rows: list[Row] = []
    for referred, admitted, discharged, destination, readmitted, due, outcome in Stay.objects.filter(
        unit_id__in=unit_ids
    ).values_list(
        "referral__referred_at",
        "admitted_at",
        "discharged_at",
        "destination",
        "readmitted_on",
        "follow_up__due_on",
        "follow_up__outcome",
    ):
        rows.append(
            (
                timezone.localdate(referred),
                timezone.localdate(admitted),
                timezone.localdate(discharged) if discharged else None,
                destination,
                readmitted,
                due,
                outcome or "",
            )
        )
    return rows


def reablement_kpis(actor: Actor, months: Months) -> list[KPI]:
    if not (actor.can(Permission.VIEW_PERSON) or actor.can(Permission.VIEW_PSEUDONYMISED)):
        return []
    units = list(Unit.objects.filter(organisation_id=actor.organisation_id).prefetch_related("beds"))
    if not units:
        return []
    rows = stay_rows([u.pk for u in units])
    today = timezone.localdate()

    def los(r: Row) -> float:
        assert r[2] is not None
        return float((r[2] - r[1]).days)

    def mean_los(label: str, spans: Months) -> Point:
        return mean_point(label, [los(r) for r in rows if within(r[2], spans)], non_negative=True)

    def median_los(label: str, spans: Months) -> Point:
        return median_point(label, [los(r) for r in rows if within(r[2], spans)])

    def occupancy(label: str, spans: Months) -> Point:
        # Bed-days are not independent trials: the share is given without an interval.
        available = occupied = 0.0
        for first, after in spans:
            last = min(after - dt.timedelta(days=1), today)
            if last < first:
                continue
            for unit in units:
                figures = unit_occupancy(unit, first, last)
                available += figures["available_bed_days"]
                occupied += figures["occupied_bed_days"]
        return Point(label, occupied / available if available else None, None, None, round(available))

    def within_standard(label: str, spans: Months) -> Point:
        admitted = [r for r in rows if within(r[1], spans)]
        return share_point(
            label, sum((r[1] - r[0]).days <= ADMISSION_STANDARD_DAYS for r in admitted), len(admitted)
        )

    def at_home_91(label: str, spans: Months) -> Point:
        answered = [r for r in rows if within(r[5], spans) and r[6] and r[6] != "lost"]
        return share_point(label, sum(r[6] == "at_home" for r in answered), len(answered))

    def lost(label: str, spans: Months) -> Point:
        return count_point(label, sum(r[6] == "lost" for r in rows if within(r[5], spans)))

    def readmitted(label: str, spans: Months) -> Point:
        return count_point(
            label,
            sum(
                1
                for r in rows
                if within(r[2], spans) and r[2] and r[4] and (r[4] - r[2]).days <= READMISSION_DAYS
            ),
        )

    out = []
    for key, label, unit, better, fn, note in [
        ("reablement_los_mean", "Mean length of stay", "days", "lower", mean_los, "By month of discharge"),
        (
            "reablement_los_median",
            "Median length of stay",
            "days",
            "lower",
            median_los,
            "By month of discharge",
        ),
        (
            "reablement_occupancy",
            "Bed occupancy",
            "share",
            "higher",
            occupancy,
            "Occupied bed-days over open bed-days, from the occupancy intervals; no interval shown",
        ),
        (
            "reablement_admitted_within_2_days",
            "Share admitted within 2 days of referral",
            "share",
            "higher",
            within_standard,
            "NICE NG74: calendar days from referral to admission; by month of admission",
        ),
        (
            "reablement_at_home_91_days",
            "Share still at home 91 days after discharge home",
            "share",
            "higher",
            at_home_91,
            "ASCOF 2B(1); by month the follow-up fell due; people lost to follow-up are excluded",
        ),
        (
            "reablement_lost_to_follow_up",
            "People lost to the 91-day follow-up",
            "count",
            "lower",
            lost,
            "Reported apart from the 91-day share, by month the follow-up fell due",
        ),
        (
            "reablement_readmitted_30_days",
            "Readmissions to acute care within 30 days of leaving the unit",
            "count",
            "lower",
            readmitted,
            "Including discharges straight back to hospital; by month of discharge",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out
