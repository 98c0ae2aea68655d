"""Hospital to Home KPIs by month, with 95% intervals, against the first three months as the baseline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from homeward.casework.kpis import KPI, Point, count_point, median_point, share_point
from homeward.discharge.codes import CaseStatus, Destination
from homeward.discharge.models import DischargeCase, LostBedDays
from homeward.discharge.selectors import cases_for_aggregates
from homeward.governance.access import Actor

BASELINE_MONTHS = 3


def _mean_point(month: str, values: list[float]) -> Point:
    from homeward.engines.flowsim.stats import summarise

    if not values:
        return Point(month, None, None, None, 0)
    s = summarise(values)
    return Point(month, s["mean"], s["ci95"][0], s["ci95"][1], len(values))


def hospital_to_home_kpis(actor: Actor, months: list[tuple[dt.date, dt.date]]) -> list[KPI]:
    start = timezone.make_aware(dt.datetime.combine(months[0][0], dt.time.min))
    cases = cases_for_aggregates(actor).filter(referred_at__gte=start)
    lost = (
        LostBedDays.objects.filter(case=OuterRef("pk"))
        .values("case")
        .annotate(total=Sum("days"))
        .values("total")
    )
    rows: list[dict[str, Any]] = list(
        cases.annotate(
            referred_on=TruncDate("referred_at"),
            came_back=Exists(DischargeCase.objects.filter(previous_case=OuterRef("pk"))),
            lost=Coalesce(lost, 0.0),
        ).values("referred_on", "discharged_on", "destination", "status", "came_back", "lost")
    )
    baseline = months[:BASELINE_MONTHS]

    def within(day: dt.date | None, spans: list[tuple[dt.date, dt.date]]) -> bool:
        return day is not None and any(a <= day < b for a, b in spans)

    def series(build: Any) -> tuple[list[Point], Point]:
        points = [build(f"{a:%Y-%m}", [(a, b)]) for a, b in months]
        return points, build("baseline", baseline)

    def referrals(label: str, spans: list[tuple[dt.date, dt.date]]) -> Point:
        return count_point(label, sum(within(r["referred_on"], spans) for r in rows))

    def discharged(spans: list[tuple[dt.date, dt.date]]) -> list[dict[str, Any]]:
        return [r for r in rows if within(r["discharged_on"], spans)]

    def days_to_discharge(label: str, spans: list[tuple[dt.date, dt.date]]) -> Point:
        return median_point(
            label, [float((r["discharged_on"] - r["referred_on"]).days) for r in discharged(spans)]
        )

    def bed_days(label: str, spans: list[tuple[dt.date, dt.date]]) -> Point:
        return _mean_point(label, [float(r["lost"]) for r in discharged(spans)])

    def rehoused(label: str, spans: list[tuple[dt.date, dt.date]]) -> Point:
        out = discharged(spans)
        return share_point(label, sum(r["destination"] == Destination.REHOUSED for r in out), len(out))

    def readmitted(label: str, spans: list[tuple[dt.date, dt.date]]) -> Point:
        out = discharged(spans)
        back = sum(bool(r["came_back"]) or r["status"] == CaseStatus.READMITTED for r in out)
        return share_point(label, back, len(out))

    kpis = []
    for key, label, unit, better, build, note in [
        ("referrals", "Referrals", "count", "higher", referrals, "By month of referral"),
        (
            "days_to_discharge",
            "Median days from referral to discharge",
            "days",
            "lower",
            days_to_discharge,
            "By month of discharge",
        ),
        (
            "bed_days_lost",
            "Bed-days lost per discharged patient (mean)",
            "days",
            "lower",
            bed_days,
            "Midnights discharge-ready and still in hospital",
        ),
        ("rehoused", "Share of discharged patients rehoused", "share", "higher", rehoused, ""),
        (
            "readmitted_30d",
            "Share readmitted within 30 days",
            "share",
            "lower",
            readmitted,
            "The latest month is incomplete until 30 days have passed",
        ),
    ]:
        points, base = series(build)
        kpis.append(KPI(key, label, unit, better, points, base, note))
    return kpis
