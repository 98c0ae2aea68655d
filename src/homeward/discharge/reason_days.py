"""One NHS delay reason per delayed patient per day, derived from what the case stores.

The day-by-day history is not a separate table: it is worked out, deterministically, from the dates the
case already keeps — admission, discharge-ready date, discharge (or the day the case was cancelled or the
patient died), each blocker's raised and resolved dates, and each reason override's start and end. The same
stored facts always give the same history, a correction to a date (a blocker resolved on an earlier day)
corrects every report that counts it, and lists are never edited once loaded (`delay_reasons.py`), so a
past week keeps the reasons of the list that was in force.

Counting follows the midnight census of `bed_days.py`:

- a patient is *delayed* on day D when their discharge-ready date is on or before D and they are still in
  hospital at the midnight that ends D (discharged, or the case ended, after D), unless they met the
  criteria to reside again that day (the case moved from discharge-ready back to active on or before D and
  not yet back to ready);
- their *length of stay* on D is the number of days from admission to D (admitted on 1 January: 14 days on
  15 January);
- a blocker *holds* D when raised on or before D and not resolved by the midnight that ends it, so a
  blocker raised and resolved on the same day holds no day;
- the *reason* on D is, first, the override in force on D (the latest set, if several), when its reason is
  in the list being counted; otherwise the reason the list maps the category of the **oldest** blocker
  holding D to (earliest raised; the first recorded on a tie); otherwise none — "no reason recorded", which
  the sitrep page shows for the discharge lead to resolve before submitting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

OVERRIDE = "override"
BLOCKER = "blocker"


@dataclass(frozen=True)
class BlockerSpell:
    pk: int
    category: str
    raised_on: dt.date
    resolved_on: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        return self.raised_on <= day and (self.resolved_on is None or self.resolved_on > day)


@dataclass(frozen=True)
class OverrideSpell:
    pk: int
    reason_id: int
    starts_on: dt.date
    ends_on: dt.date | None = None

    def holds(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)


@dataclass(frozen=True)
class Stay:
    case_id: int
    admitted_on: dt.date
    discharge_ready_on: dt.date | None
    left_on: dt.date | None
    blockers: tuple[BlockerSpell, ...] = field(default=())
    overrides: tuple[OverrideSpell, ...] = field(default=())
    #: Spells when the patient met the criteria to reside again (moved from discharge-ready back to active,
    #: until moved to ready again): from the day of the first move up to, not including, the day of the next.
    unwell: tuple[tuple[dt.date, dt.date | None], ...] = field(default=())

    def delayed_on(self, day: dt.date) -> bool:
        return (
            self.discharge_ready_on is not None
            and self.discharge_ready_on <= day
            and (self.left_on is None or self.left_on > day)
            and not any(start <= day and (end is None or day < end) for start, end in self.unwell)
        )

    def length_of_stay(self, day: dt.date) -> int:
        return (day - self.admitted_on).days


@dataclass(frozen=True)
class DayReason:
    day: dt.date
    reason_id: int | None
    source: str | None  # OVERRIDE, BLOCKER or None
    blocker_id: int | None = None


def reason_on(
    stay: Stay, day: dt.date, by_category: Mapping[str, int], reason_ids: Collection[int]
) -> DayReason:
    """The reason on `day` in one list (`by_category`: the list's mapping; `reason_ids`: its reasons)."""
    overrides = [o for o in stay.overrides if o.holds(day) and o.reason_id in reason_ids]
    if overrides:
        return DayReason(day, max(overrides, key=lambda o: o.pk).reason_id, OVERRIDE)
    holding = [b for b in stay.blockers if b.holds(day)]
    if holding:
        oldest = min(holding, key=lambda b: (b.raised_on, b.pk))
        return DayReason(day, by_category.get(oldest.category), BLOCKER, oldest.pk)
    return DayReason(day, None, None)


def reason_history(
    stay: Stay, days: Iterable[dt.date], by_category: Mapping[str, int], reason_ids: Collection[int]
) -> list[DayReason]:
    """The reason of each day in `days` on which the patient is delayed."""
    return [reason_on(stay, day, by_category, reason_ids) for day in days if stay.delayed_on(day)]


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
