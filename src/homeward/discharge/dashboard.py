"""Hospital to Home figures for team leads and commissioners: aggregates only, no names.

Computed over the cases the actor may see, in SQL: counts and the median with aggregates, bed-days lost by
summing the figures each case stored at discharge (see `bed_days.record_lost_bed_days`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from homeward.discharge.bed_days import UNATTRIBUTED
from homeward.discharge.codes import BlockerCategory, CaseStatus, Destination
from homeward.discharge.models import DischargeCase, LostBedDays
from homeward.discharge.selectors import visible_cases
from homeward.governance.access import Actor

READMISSION_DAYS = 30


@dataclass
class Dashboard:
    referrals_per_week: list[dict[str, Any]] = field(default_factory=list)
    bed_days_by_category: list[dict[str, Any]] = field(default_factory=list)
    destinations: list[dict[str, Any]] = field(default_factory=list)
    referrals: int = 0
    discharged: int = 0
    median_days_to_discharge: float | None = None
    bed_days_lost: float = 0.0
    readmissions_30d: int = 0
    rehoused: int = 0

    @property
    def readmission_rate(self) -> float | None:
        return self.readmissions_30d / self.discharged if self.discharged else None

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "referrals": self.referrals_per_week,
            "bed_days": self.bed_days_by_category,
            "destinations": self.destinations,
        }


def build_dashboard(*, actor: Actor, since: dt.date | None = None) -> Dashboard:
    """Every figure is an SQL aggregate over the cases the actor may see (bed-days lost were stored per
    case at discharge), so the cost grows with the number of rows the database scans, not Python loops."""
    today = timezone.localdate()
    since = since or today - dt.timedelta(days=365)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    cases = visible_cases(actor).filter(referred_at__gte=start)
    discharged = cases.filter(discharged_on__isnull=False)
    totals = cases.aggregate(
        referrals=Count("pk"),
        discharged=Count("pk", filter=Q(discharged_on__isnull=False)),
        rehoused=Count("pk", filter=Q(discharged_on__isnull=False, destination=Destination.REHOUSED)),
        # A readmission is a new admission within 30 days of discharge: linked at referral, which also
        # marks the earlier case readmitted. Count the discharged cases that came back.
        readmitted=Count(
            "pk",
            filter=Q(discharged_on__isnull=False)
            & (
                Q(status=CaseStatus.READMITTED)
                | Q(Exists(DischargeCase.objects.filter(previous_case=OuterRef("pk"))))
            ),
        ),
    )
    board = Dashboard(
        referrals=totals["referrals"],
        discharged=totals["discharged"],
        rehoused=totals["rehoused"],
        readmissions_30d=totals["readmitted"],
    )
    weekly = (
        cases.annotate(week=TruncWeek("referred_at")).values("week").annotate(n=Count("pk")).order_by("week")
    )
    board.referrals_per_week = [
        {"week": row["week"].date().isoformat(), "referrals": row["n"]} for row in weekly
    ]
    labels = dict(Destination.choices)
    board.destinations = [
        {"destination": labels.get(row["destination"], row["destination"]), "patients": row["n"]}
        for row in discharged.exclude(destination="")
        .values("destination")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    board.median_days_to_discharge = _median_days_to_discharge(discharged, board.discharged)
    category_labels = dict(BlockerCategory.choices) | {UNATTRIBUTED: "No open blocker"}
    by_category = (
        LostBedDays.objects.filter(case__in=discharged.values("pk"))
        .values("category")
        .annotate(days=Sum("days"))
        .order_by("-days", "category")
    )
    board.bed_days_by_category = [
        {"category": category_labels.get(row["category"], row["category"]), "bed_days": round(row["days"], 1)}
        for row in by_category
    ]
    board.bed_days_lost = float(sum(row["days"] for row in by_category))
    return board


def _median_days_to_discharge(discharged: QuerySet[DischargeCase], n: int) -> float | None:
    """The median of (discharge date − referral date) in days, read off the ordered rows in SQL."""
    if not n:
        return None
    waits = discharged.annotate(
        wait=ExpressionWrapper(F("discharged_on") - TruncDate("referred_at"), output_field=DurationField())
    ).order_by("wait")
    middle = [waits.values_list("wait", flat=True)[i] for i in sorted({(n - 1) // 2, n // 2})]
    return statistics.mean(_days(w) for w in middle)


def _days(value: object) -> float:
    """A date difference: a timedelta on PostgreSQL, microseconds or days as a number on SQLite."""
    if isinstance(value, dt.timedelta):
        return value.days
    return float(value)  # type: ignore[arg-type]


def chart_specs(board: Dashboard) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs built on the server; the page renders them with vega-embed beside a data table."""
    referrals = (
        alt.Chart(alt.Data(values=board.referrals_per_week))
        .mark_bar(color="#005eb8")
        .encode(x=alt.X("week:T", title="Week"), y=alt.Y("referrals:Q", title="Referrals"))
    )
    bed_days = (
        alt.Chart(alt.Data(values=board.bed_days_by_category))
        .mark_bar(color="#d5281b")
        .encode(x=alt.X("bed_days:Q", title="Bed-days lost"), y=alt.Y("category:N", sort="-x", title=None))
    )
    destinations = (
        alt.Chart(alt.Data(values=board.destinations))
        .mark_bar(color="#007f3b")
        .encode(x=alt.X("patients:Q", title="Patients"), y=alt.Y("destination:N", sort="-x", title=None))
    )
    return {
        name: chart.properties(width="container", height=220).to_dict()
        for name, chart in (("referrals", referrals), ("bed_days", bed_days), ("destinations", destinations))
    }
