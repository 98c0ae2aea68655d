"""Hospital to Home KPIs by month, with 95% intervals, against the first three months as the baseline."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Sum
from django.db.models.functions import Coalesce

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
from homeward.discharge.codes import Destination
from homeward.discharge.dashboard import case_figures, was_readmitted
from homeward.discharge.models import DelayedDays, LostBedDays
from homeward.governance.access import Actor

# What a commissioner sees first on the home page: the bed-days a housing delay costs, timely discharge and
# readmissions.
HEADLINE = frozenset({"bed_days_lost", "discharged_on_drd", "readmitted_30d"})


def hospital_to_home_kpis(actor: Actor, months: Months) -> list[KPI]:
    lost = (
        LostBedDays.objects.filter(case=OuterRef("pk"))
        .values("case")
        .annotate(total=Sum("days"))
        .values("total")
    )
    housing_days = (
        DelayedDays.objects.filter(case=OuterRef("pk"), collection="acute", housing=True)
        .values("case")
        .annotate(total=Sum("days"))
        .values("total")
    )
    rows: list[dict[str, Any]] = list(
        case_figures(actor, months[0][0])
        .annotate(lost=Coalesce(lost, 0.0), housing_days=Coalesce(housing_days, 0))
        .values(
            "referred_on",
            "discharged_on",
            "destination",
            "status",
            "came_back",
            "lost",
            "discharge_ready_on",
            "housing_days",
        )
    )

    def discharged(spans: Months) -> list[dict[str, Any]]:
        return [r for r in rows if within(r["discharged_on"], spans)]

    def referrals(label: str, spans: Months) -> Point:
        return count_point(label, sum(within(r["referred_on"], spans) for r in rows))

    def days_to_discharge(label: str, spans: Months) -> Point:
        return median_point(
            label, [float((r["discharged_on"] - r["referred_on"]).days) for r in discharged(spans)]
        )

    def bed_days(label: str, spans: Months) -> Point:
        return mean_point(label, [float(r["lost"]) for r in discharged(spans)], non_negative=True)

    def rehoused(label: str, spans: Months) -> Point:
        out = discharged(spans)
        return share_point(label, sum(r["destination"] == Destination.REHOUSED for r in out), len(out))

    def readmitted(label: str, spans: Months) -> Point:
        out = discharged(spans)
        return share_point(label, sum(was_readmitted(r["came_back"], r["status"]) for r in out), len(out))

    def with_drd(spans: Months) -> list[dict[str, Any]]:
        return [r for r in discharged(spans) if r["discharge_ready_on"] is not None]

    def on_drd(label: str, spans: Months) -> Point:
        out = with_drd(spans)
        return share_point(label, sum(r["discharged_on"] == r["discharge_ready_on"] for r in out), len(out))

    def drd_wait(label: str, spans: Months) -> Point:
        waits = [(r["discharged_on"] - r["discharge_ready_on"]).days for r in with_drd(spans)]
        return median_point(label, [float(w) for w in waits if w > 0])

    def housing_delay(label: str, spans: Months) -> Point:
        return mean_point(label, [float(r["housing_days"]) for r in discharged(spans)], non_negative=True)

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
        (
            "discharged_on_drd",
            "Share discharged on their discharge-ready date",
            "share",
            "higher",
            on_drd,
            "Of those discharged with a discharge-ready date",
        ),
        (
            "days_drd_to_discharge",
            "Median days from discharge-ready date to discharge (those delayed)",
            "days",
            "lower",
            drd_wait,
            "By month of discharge",
        ),
        (
            "housing_delayed_days",
            "Delayed bed-days for housing reasons per discharged patient (mean)",
            "days",
            "lower",
            housing_delay,
            "NHS acute delay reasons a housing blocker maps to, or an override to one",
        ),
    ]:
        points, base = monthly(months, build)
        kpis.append(KPI(key, label, unit, better, points, base, note, headline=key in HEADLINE))
    return kpis
