"""Occupancy as intervals: the checks that keep one resident per unit, and the figures worked out from
the intervals (occupied and void unit-nights, occupancy %). A unit's spells out of use are intervals too:
their nights are not lettable, so they are neither occupied nor void.

An interval is half-open, [starts_on, ends_on): a resident who arrives on the 1st and leaves on the 8th
slept 7 nights in the unit, and someone else may arrive on the 8th. An open interval (no ends_on) runs on.
PostgreSQL also refuses an overlap itself (exclusion constraint `housing_one_resident_per_unit`, migration
0002); this check gives the clear message and covers SQLite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from homeward.core.errors import ValidationFailed
from homeward.housing.models import Occupancy, Unit, UnitOutOfUse


def overlapping(unit_id: int, starts_on: dt.date, ends_on: dt.date | None) -> Q:
    """Intervals in the unit that share at least one night with [starts_on, ends_on)."""
    q = Q(unit_id=unit_id) & (Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
    if ends_on is not None:
        q &= Q(starts_on__lt=ends_on)
    return q


def check_free(
    unit: Unit, starts_on: dt.date, ends_on: dt.date | None = None, *, field: str = "unit_id"
) -> None:
    """Refuse a stay in a unit someone else occupies on any of the same nights (the unit row is locked by
    the caller, so two arrivals at once cannot both pass)."""
    clash = (
        Occupancy.objects.filter(overlapping(unit.pk, starts_on, ends_on))
        .select_related("placement")
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        until = f" until {clash.ends_on:%-d %b %Y}" if clash.ends_on else ""
        raise ValidationFailed.single(
            field,
            f"{unit.name} is occupied from {clash.starts_on:%-d %b %Y}{until} "
            f"({clash.placement.reference}): choose another unit or date",
        )


def nights(starts_on: dt.date, ends_on: dt.date | None, start: dt.date, end: dt.date) -> int:
    """Nights of [starts_on, ends_on) that fall within the period [start, end)."""
    first = max(starts_on, start)
    last = min(ends_on or end, end)
    return max(0, (last - first).days)


@dataclass(frozen=True)
class OccupancyFigures:
    """A scheme's units over a period [start, end): nights the units could be let, nights occupied."""

    start: dt.date
    end: dt.date
    units: int
    available_nights: int
    occupied_nights: int

    @property
    def void_nights(self) -> int:
        return self.available_nights - self.occupied_nights

    @property
    def occupancy(self) -> float | None:
        return self.occupied_nights / self.available_nights if self.available_nights else None


def scheme_figures(scheme_id: int, start: dt.date, end: dt.date) -> OccupancyFigures:
    """Occupied and void unit-nights for one scheme over [start, end), from the intervals. A unit counts
    from the day it came into use, less its nights out of use."""
    units = list(
        Unit.objects.filter(scheme_id=scheme_id, in_use_from__lt=end).values_list("pk", "in_use_from")
    )
    in_use = sum(max(0, (end - max(start, since)).days) for _, since in units)
    out_of_use = _nights_within(UnitOutOfUse.objects.filter(unit__scheme_id=scheme_id), start, end)
    occupied = _nights_within(Occupancy.objects.filter(unit__scheme_id=scheme_id), start, end)
    return OccupancyFigures(start, end, len(units), in_use - out_of_use, occupied)


def _nights_within(intervals: QuerySet[Any], start: dt.date, end: dt.date) -> int:
    """Nights of the intervals (rows with `starts_on` and `ends_on`) that fall within [start, end)."""
    touching = intervals.filter(starts_on__lt=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
    return sum(nights(s, e, start, end) for s, e in touching.values_list("starts_on", "ends_on"))
