"""Hospital to Home figures for team leads and commissioners: aggregates only, no names.

Computed over the cases the actor may see. Counts come from SQL; medians and bed-days lost are computed in
Python from the discharged cases (fine for a service's caseload; a region-wide view would move bed-day
attribution into SQL or the analytics engine).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from homeward.discharge.bed_days import BlockerSpan, bed_days_lost
from homeward.discharge.codes import BlockerCategory, CaseStatus, Destination
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
    today = timezone.localdate()
    since = since or today - dt.timedelta(days=365)
    cases = visible_cases(actor).filter(referred_at__date__gte=since)
    board = Dashboard(referrals=cases.count())
    weekly = (
        cases.annotate(week=TruncWeek("referred_at")).values("week").annotate(n=Count("pk")).order_by("week")
    )
    board.referrals_per_week = [
        {"week": row["week"].date().isoformat(), "referrals": row["n"]} for row in weekly
    ]
    labels = dict(Destination.choices)
    board.destinations = [
        {"destination": labels.get(row["destination"], row["destination"]), "patients": row["n"]}
        for row in cases.exclude(destination="").values("destination").annotate(n=Count("pk")).order_by("-n")
    ]
    discharged = list(
        cases.filter(discharged_on__isnull=False)
        .prefetch_related("blockers")
        .only("pk", "referred_at", "discharge_ready_on", "discharged_on", "destination", "status")
    )
    board.discharged = len(discharged)
    board.rehoused = sum(1 for c in discharged if c.destination == Destination.REHOUSED)
    waits = [(c.discharged_on - c.referred_at.date()).days for c in discharged if c.discharged_on]
    board.median_days_to_discharge = statistics.median(waits) if waits else None
    by_category: dict[str, float] = defaultdict(float)
    category_labels = dict(BlockerCategory.choices)
    for case in discharged:
        lost = bed_days_lost(
            discharge_ready_on=case.discharge_ready_on,
            discharged_on=case.discharged_on,
            blockers=[BlockerSpan(b.category, b.raised_on, b.resolved_on) for b in case.blockers.all()],
        )
        board.bed_days_lost += lost.total
        for category, days in lost.by_category.items():
            by_category[category_labels.get(category, "No open blocker")] += days
    board.bed_days_by_category = [
        {"category": name, "bed_days": round(days, 1)}
        for name, days in sorted(by_category.items(), key=lambda i: -i[1])
    ]
    # A readmission is a new admission within 30 days of discharge (linked at referral, which also marks the
    # earlier case readmitted): count the discharged cases that came back.
    discharged_ids = [c.pk for c in discharged]
    came_back = set(
        visible_cases(actor).filter(previous_case__in=discharged_ids).values_list("previous_case", flat=True)
    )
    came_back |= {c.pk for c in discharged if c.status == CaseStatus.READMITTED}
    board.readmissions_30d = len(came_back)
    return board


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
