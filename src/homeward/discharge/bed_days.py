"""Bed-days lost: days a patient stays in hospital after they are ready to leave, and what held them.

Counting follows the midnight census used for NHS bed-day and delayed-discharge counts: a day is lost when
the patient is discharge-ready and still in a bed at the midnight that ends it. So the days lost are the
calendar days from the discharge-ready date up to, not including, the discharge date. A blocker holds a lost
day when it is open at that midnight (raised on or before the day, resolved after it); a blocker raised and
resolved on the same day holds none. A lost day held by several blockers is shared equally between their
categories; a lost day held by none is "unattributed".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class BlockerSpan:
    category: str
    raised_on: dt.date
    resolved_on: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        """Open at the midnight that ends `day`."""
        return self.raised_on <= day and (self.resolved_on is None or self.resolved_on > day)


@dataclass(frozen=True)
class BedDaysLost:
    total: float
    by_category: dict[str, float] = field(default_factory=dict)


def bed_days_lost(
    *,
    discharge_ready_on: dt.date | None,
    discharged_on: dt.date | None,
    blockers: Iterable[BlockerSpan],
    today: dt.date | None = None,
) -> BedDaysLost:
    """Lost days for one case; a patient still in hospital is counted up to (not including) `today`."""
    if discharge_ready_on is None:
        return BedDaysLost(0.0, {})
    end = discharged_on or today or dt.date.today()
    if end <= discharge_ready_on:
        return BedDaysLost(0.0, {})
    spans = list(blockers)
    by_category: dict[str, float] = defaultdict(float)
    day = discharge_ready_on
    while day < end:
        holding = [span.category for span in spans if span.holds(day)]
        if holding:
            share = 1.0 / len(holding)
            for category in holding:
                by_category[category] += share
        else:
            by_category[UNATTRIBUTED] += 1.0
        day += dt.timedelta(days=1)
    return BedDaysLost(float((end - discharge_ready_on).days), dict(by_category))


def lost_bed_day_rows(cases: Iterable[Any], model: Any) -> list[Any]:
    """`model` rows (LostBedDays, or its historical version in a migration) for discharged cases whose
    blockers are prefetched."""
    rows = []
    for case in cases:
        lost = bed_days_lost(
            discharge_ready_on=case.discharge_ready_on,
            discharged_on=case.discharged_on,
            blockers=[BlockerSpan(b.category, b.raised_on, b.resolved_on) for b in case.blockers.all()],
        )
        rows += [model(case_id=case.pk, category=c, days=d) for c, d in lost.by_category.items()]
    return rows


def record_lost_bed_days(case: Any) -> None:
    """Store a discharged case's bed-days lost by category (replacing any earlier figures)."""
    from homeward.discharge.models import LostBedDays

    LostBedDays.objects.filter(case=case).delete()
    if case.discharged_on is None:
        return
    LostBedDays.objects.bulk_create(lost_bed_day_rows([case], LostBedDays))
