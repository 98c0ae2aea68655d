"""The caseload dashboard: time to first contact, caseload sizes, and change in wellbeing with 95%
confidence intervals, over one organisation's cases (or one worker's). Counts only: nobody is named."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from homeward.casework.kpis import Point, mean_point, median_point, share_interval
from homeward.core.models import User
from homeward.support.codes import CaseStatus, Timepoint
from homeward.support.models import SupportCase, WellbeingMeasure
from homeward.support.wellbeing import SERIES, Series, improvement, value_of


@dataclass(frozen=True)
class WorkerLoad:
    name: str
    waiting: int
    active: int
    discharged: int  # in the period

    @property
    def open(self) -> int:
        return self.waiting + self.active


@dataclass(frozen=True)
class Change:
    series: Series
    mean: Point  # mean change (positive = better) with its t interval; n = people measured twice
    before: float | None
    after: float | None
    improved: int
    improved_low: float | None
    improved_high: float | None

    @property
    def improved_percent(self) -> tuple[float, float, float] | None:
        """The share improved and its interval, as percentages."""
        if not self.mean.n or self.improved_low is None or self.improved_high is None:
            return None
        return 100 * self.improved / self.mean.n, 100 * self.improved_low, 100 * self.improved_high


@dataclass(frozen=True)
class Dashboard:
    since: dt.date
    referred: int
    contacted: int
    first_contact: Point  # median days with its distribution-free interval
    within_14: tuple[int, int, float | None, float | None]  # contacted within 14 days, of n, interval (%)
    workers: list[WorkerLoad]
    unassigned: int
    changes: list[Change]
    discharged: int


def build(cases: QuerySet[SupportCase], since: dt.date) -> Dashboard:
    """`cases` are already limited to what the viewer may see (and, for one worker, to theirs)."""
    period = cases.filter(referred_on__gte=since)
    waits = [
        (first - referred).days
        for referred, first in period.exclude(first_contact_on__isnull=True).values_list(
            "referred_on", "first_contact_on"
        )
        if first is not None
    ]
    soon = sum(1 for w in waits if w <= 14)
    low, high = share_interval(soon, len(waits))
    low, high = (None, None) if low is None or high is None else (100 * low, 100 * high)
    loads = (
        cases.exclude(worker__isnull=True)
        .values("worker")
        .annotate(
            waiting=Count("pk", filter=Q(status=CaseStatus.WAITING)),
            active=Count("pk", filter=Q(status=CaseStatus.ACTIVE)),
            discharged=Count("pk", filter=Q(status=CaseStatus.DISCHARGED, discharged_on__gte=since)),
        )
    )
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=[row["worker"] for row in loads])}
    workers = sorted(
        (WorkerLoad(names[row["worker"]], row["waiting"], row["active"], row["discharged"]) for row in loads),
        key=lambda w: (-w.open, w.name),
    )
    return Dashboard(
        since=since,
        referred=period.count(),
        contacted=len(waits),
        first_contact=median_point("period", waits),
        within_14=(soon, len(waits), low, high),
        workers=[w for w in workers if w.open or w.discharged],
        unassigned=cases.filter(
            worker__isnull=True, status__in=(CaseStatus.WAITING, CaseStatus.ACTIVE)
        ).count(),
        changes=wellbeing_changes(period),
        discharged=period.filter(status=CaseStatus.DISCHARGED).count(),
    )


def wellbeing_changes(cases: QuerySet[SupportCase]) -> list[Change]:
    """For each measure: the people measured before and after, their mean change and its interval, and how
    many improved by at least the measure's meaningful change."""
    pairs: dict[tuple[int, str], dict[str, WellbeingMeasure]] = defaultdict(dict)
    for m in WellbeingMeasure.objects.filter(case__in=cases).only(
        "case_id", "tool", "timepoint", "answers", "score"
    ):
        pairs[m.case_id, m.tool][m.timepoint] = m
    out = []
    for series in SERIES:
        befores, afters, gains = [], [], []
        for (_case, tool), points in pairs.items():
            if tool != series.tool or len(points) < 2:
                continue
            b, a = points[Timepoint.BASELINE], points[Timepoint.FOLLOW_UP]
            before, after = value_of(series, b.answers, b.score), value_of(series, a.answers, a.score)
            befores.append(before)
            afters.append(after)
            gains.append(improvement(series, before, after))
        improved = sum(1 for g in gains if g >= series.meaningful_change)
        low, high = share_interval(improved, len(gains))
        out.append(
            Change(
                series=series,
                mean=mean_point(series.key, gains),
                before=sum(befores) / len(befores) if befores else None,
                after=sum(afters) / len(afters) if afters else None,
                improved=improved,
                improved_low=low,
                improved_high=high,
            )
        )
    return out
