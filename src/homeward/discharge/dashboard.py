"""Hospital to Home figures for team leads and commissioners: aggregates only, no names.

Computed over the cases in the actor's scope (`selectors.cases_for_aggregates`): one query for the per-case
fields, one SQL sum of the bed-days lost each case stored at discharge (see `bed_days.record_lost_bed_days`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from django.db import connection
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from homeward.discharge.bed_days import UNATTRIBUTED
from homeward.discharge.codes import BlockerCategory, CaseStatus, Destination, Pathway
from homeward.discharge.models import DischargeCase, LostBedDays
from homeward.discharge.selectors import cases_for_aggregates
from homeward.governance.access import Actor

READMISSION_DAYS = 30
NO_REASON = "No reason recorded"


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
    # Discharge-ready-date measures (acute list): see `drd_measures`.
    discharged_with_drd: int = 0
    discharged_on_drd: int = 0
    drd_by_pathway: list[dict[str, Any]] = field(default_factory=list)
    drd_by_reason: list[dict[str, Any]] = field(default_factory=list)
    delayed_days_by_reason: list[dict[str, Any]] = field(default_factory=list)

    @property
    def share_on_drd(self) -> float | None:
        return self.discharged_on_drd / self.discharged_with_drd if self.discharged_with_drd else None

    @property
    def readmission_rate(self) -> float | None:
        return self.readmissions_30d / self.discharged if self.discharged else None

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "referrals": self.referrals_per_week,
            "bed_days": self.bed_days_by_category,
            "destinations": self.destinations,
            "drd_pathways": self.drd_by_pathway,
            "drd_reasons": self.drd_by_reason,
            "delayed_days": self.delayed_days_by_reason,
        }


def case_figures(actor: Actor, since: dt.date) -> Any:  # a QuerySet with annotations the stubs cannot see
    """The cases in the actor's aggregate scope referred since `since`, with the referral date and whether
    a readmission was linked to them: what the dashboard and the KPIs count."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    came_back = DischargeCase.objects.filter(previous_case=OuterRef("pk"))
    return (
        cases_for_aggregates(actor)
        .filter(referred_at__gte=start)
        .annotate(came_back=Exists(came_back), referred_on=TruncDate("referred_at"))
    )


def was_readmitted(came_back: bool, status: str) -> bool:
    """A readmission is a new admission within 30 days of discharge: linked at referral, which also marks
    the earlier case readmitted."""
    return bool(came_back) or status == CaseStatus.READMITTED


def build_dashboard(*, actor: Actor, since: dt.date | None = None) -> Dashboard:
    """Figures for the cases referred since `since` (default: the last 12 months).

    One query reads the few fields each figure needs for every case in scope (counted here); then the
    bed-days lost stored per case at discharge are summed by category, up to 10,000 cases a query. The
    case scope starts from an index on (organisation, referral date): a provider's year, not the table.
    """
    today = timezone.localdate()
    since = since or today - dt.timedelta(days=365)
    rows = case_figures(actor, since).values_list(
        "pk",
        "referred_on",
        "discharged_on",
        "destination",
        "status",
        "came_back",
        "discharge_ready_on",
        "pathway",
    )
    board = Dashboard()
    weeks: Counter[dt.date] = Counter()
    destinations: Counter[str] = Counter()
    waits: list[int] = []
    discharged_ids: list[int] = []
    delayed: dict[int, tuple[dt.date, int, str]] = {}  # discharged after their ready date
    for pk, referred_on, discharged_on, destination, status, readmitted, ready, pathway in rows:
        board.referrals += 1
        weeks[referred_on - dt.timedelta(days=referred_on.weekday())] += 1
        if discharged_on is None:
            continue
        board.discharged += 1
        discharged_ids.append(pk)
        waits.append((discharged_on - referred_on).days)
        if destination:
            destinations[destination] += 1
        board.readmissions_30d += was_readmitted(readmitted, status)
        if ready is not None:
            board.discharged_with_drd += 1
            board.discharged_on_drd += discharged_on == ready
            if discharged_on > ready:
                delayed[pk] = (discharged_on, (discharged_on - ready).days, pathway)
    board.rehoused = destinations[Destination.REHOUSED]
    board.median_days_to_discharge = statistics.median(waits) if waits else None
    board.referrals_per_week = [{"week": w.isoformat(), "referrals": n} for w, n in sorted(weeks.items())]
    labels = dict(Destination.choices)
    board.destinations = [
        {"destination": labels.get(code, code), "patients": n} for code, n in destinations.most_common()
    ]
    category_labels = dict(BlockerCategory.choices) | {UNATTRIBUTED: "No open blocker"}
    # By the ids just read (index lookups), not by repeating the case filter: a join the planner would
    # answer by scanning every stored figure.
    lost: defaultdict[str, float] = defaultdict(float)
    size = min(connection.features.max_query_params or 10_000, 10_000)
    for batch in range(0, len(discharged_ids), size):
        sums = (
            LostBedDays.objects.filter(case_id__in=discharged_ids[batch : batch + size])
            .values("category")
            .annotate(days=Sum("days"))
            .values_list("category", "days")
        )
        for category, days in sums:
            lost[category] += days
    board.bed_days_by_category = [
        {"category": category_labels.get(category, category), "bed_days": round(days, 1)}
        for category, days in sorted(lost.items(), key=lambda item: (-item[1], item[0]))
    ]
    board.bed_days_lost = float(sum(lost.values()))
    drd_measures(board, delayed, size)
    return board


def _waits(label: str, key: str, waits: list[int]) -> dict[str, Any]:
    return {
        key: label,
        "delayed_patients": len(waits),
        "mean_days": round(statistics.fmean(waits), 1),
        "median_days": float(statistics.median(waits)),
    }


def drd_measures(board: Dashboard, delayed: dict[int, tuple[dt.date, int, str]], size: int) -> None:
    """Days from the discharge-ready date to discharge for the patients delayed, by pathway and by their main
    NHS delay reason (the acute list's reason that held the most of their delayed days; on a tie, the first
    in the list), and delayed days by reason and month of discharge, from the stored `DelayedDays`."""
    from homeward.discharge.models import DelayedDays

    by_pathway: defaultdict[str, list[int]] = defaultdict(list)
    for _, wait, pathway in delayed.values():
        by_pathway[pathway].append(wait)
    pathway_labels = dict(Pathway.choices)
    board.drd_by_pathway = [
        _waits(pathway_labels.get(code, "Pathway not recorded"), "pathway", waits)
        for code, waits in sorted(by_pathway.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    ids = list(delayed)
    main: dict[int, tuple[int, int, str, bool]] = {}  # case -> (-days, order, reason, housing)
    months: defaultdict[tuple[str, str, bool], int] = defaultdict(int)
    for batch in range(0, len(ids), size):
        for case_id, text, order, housing, days in (
            DelayedDays.objects.filter(case_id__in=ids[batch : batch + size], collection="acute")
            .order_by()
            .values_list("case_id", "reason__text", "reason__order", "housing", "days")
        ):
            text = text or NO_REASON
            candidate = (-days, order or 999, text, housing)
            if case_id not in main or candidate < main[case_id]:
                main[case_id] = candidate
            months[delayed[case_id][0].strftime("%Y-%m"), text, housing] += days
    by_reason: defaultdict[tuple[str, bool], list[int]] = defaultdict(list)
    for case_id, (_, _, text, housing) in main.items():
        by_reason[text, housing].append(delayed[case_id][1])
    board.drd_by_reason = [
        _waits(text, "reason", waits) | {"housing": housing}
        for (text, housing), waits in sorted(by_reason.items(), key=lambda item: -len(item[1]))
    ]
    board.delayed_days_by_reason = [
        {"month": month, "reason": text, "housing": housing, "days": days}
        for (month, text, housing), days in sorted(months.items(), key=lambda item: (item[0][0], -item[1]))
    ]


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
    delayed_days = (
        alt.Chart(
            alt.Data(
                values=[
                    r | {"kind": "Housing" if r["housing"] else "Other"} for r in board.delayed_days_by_reason
                ]
            )
        )
        .mark_bar()
        .encode(
            x=alt.X("month:O", title="Month of discharge"),
            y=alt.Y("sum(days):Q", title="Delayed bed-days"),
            color=alt.Color(
                "kind:N",
                title="Reason",
                scale=alt.Scale(domain=["Housing", "Other"], range=["#d5281b", "#aeb7bd"]),
            ),
            tooltip=["month:O", "reason:N", "days:Q"],
        )
    )
    charts = (
        ("referrals", referrals),
        ("bed_days", bed_days),
        ("destinations", destinations),
        ("delayed_days", delayed_days),
    )
    return {name: chart.properties(width="container", height=220).to_dict() for name, chart in charts}
