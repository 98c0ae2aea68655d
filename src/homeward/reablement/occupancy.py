"""Occupancy, void days and length of stay, derived from the stored intervals (never typed in).

An interval is [started_at, ended_at); an open interval runs to "now". A period is [first day, day after the
last) in local time. Bed-days are interval hours / 24, so an admission at 14:00 and a discharge at 10:00 the
next day use 0.83 bed-days; length of stay is counted as NHS data sets count it, in calendar days from the
admission date to the discharge date (a same-day discharge is 0 days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.reablement.models import Bed, Occupancy, Stay, Unit

Interval = tuple[dt.datetime, dt.datetime | None]


def at_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overlap_days(
    intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> float:
    """Total length in days of the intervals' overlap with [start, end); open intervals end at `now`."""
    total = 0.0
    for a, b in intervals:
        b = b or now
        low, high = max(a, start), min(b, end)
        if high > low:
            total += (high - low).total_seconds() / 86400
    return total


def length_of_stay(stay: Stay, today: dt.date | None = None) -> int:
    """Calendar days from the admission date to the discharge date (or to today while in the unit)."""
    admitted = timezone.localdate(stay.admitted_at)
    left = timezone.localdate(stay.discharged_at) if stay.discharged_at else (today or timezone.localdate())
    return (left - admitted).days


def available_days(bed: Bed, first: dt.date, last: dt.date) -> int:
    """Days in [first, last] the bed was open: a closed bed is unavailable from the day it was closed."""
    end = last
    if bed.status == "closed" and bed.closed_on is not None:
        end = min(last, bed.closed_on - dt.timedelta(days=1))
    return max(0, (end - first).days + 1)


def unit_occupancy(
    unit: Unit, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> dict[str, float]:
    """Available and occupied bed-days, void bed-days and occupancy share of a unit over [first, last]."""
    now = now or timezone.now()
    start, end = at_midnight(first), at_midnight(last + dt.timedelta(days=1))
    beds = list(unit.beds.all())
    available = float(sum(available_days(bed, first, last) for bed in beds))
    rows = Occupancy.objects.filter(bed__unit=unit, started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    occupied = overlap_days(rows.values_list("started_at", "ended_at"), start, min(end, now), now)
    return {
        "available_bed_days": available,
        "occupied_bed_days": occupied,
        "void_bed_days": max(0.0, available - occupied),
        "occupancy": occupied / available if available else 0.0,
    }


def bed_void_days(bed: Bed, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> float:
    """Days in [first, last] the bed was open but held nobody."""
    now = now or timezone.now()
    start, end = at_midnight(first), at_midnight(last + dt.timedelta(days=1))
    occupied = overlap_days(bed.occupancies.values_list("started_at", "ended_at"), start, min(end, now), now)
    return max(0.0, available_days(bed, first, last) - occupied)


def check_bed_free(bed: Bed, start: dt.datetime, end: dt.datetime | None, *, field: str = "bed_id") -> None:
    """Refuse an interval that overlaps another on the same bed. The service check every database gets; on
    PostgreSQL the exclusion constraint would refuse it anyway (the caller holds the bed's row lock)."""
    clash = Occupancy.objects.filter(bed=bed).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    if end is not None:
        clash = clash.filter(started_at__lt=end)
    if clash.exists():
        raise ValidationFailed.single(field, f"Bed {bed.label} already holds someone at that time")
