"""Care-home KPIs by month for the actor's own homes (counts only, never names): 999 calls, conveyances,
A&E attendances and emergency admissions (counts and per 1,000 occupied bed-days), triage calls, the
admissions they avoided and how many "stay" decisions stayed well at 24 and 72 hours, advance care plans in
place, reviewed and overdue, and deaths in the preferred place. The business-case proposer is in
`business_case.py`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from homeward.carehomes.codes import PlaceOfCare, PlaceOfDeath, TriageDecision
from homeward.carehomes.models import (
    CarePlan,
    EmergencyCall,
    HospitalTransfer,
    Occupancy,
    Resident,
    TriageCall,
)
from homeward.carehomes.selectors import EARLY_HOURS, follow_up_window, follow_ups, stayed_well
from homeward.casework.kpis import (
    KPI,
    Months,
    Point,
    count_interval,
    count_point,
    monthly,
    share_point,
    within,
)
from homeward.governance.access import Actor

#: Rates are per this many occupied bed-days (a resident in a room for a day is one bed-day).
PER_BED_DAYS = 1000
#: Deaths in a place that matches the plan's preferred place of care.
PLACE_MATCH: dict[str, str] = {
    PlaceOfDeath.CARE_HOME: PlaceOfCare.CARE_HOME,
    PlaceOfDeath.HOSPICE: PlaceOfCare.HOSPICE,
    PlaceOfDeath.HOSPITAL: PlaceOfCare.HOSPITAL,
}


def _on_last_day(spans: Months) -> dt.date:
    return min(max(b for _, b in spans) - dt.timedelta(days=1), timezone.localdate())


def _by_month(queryset: QuerySet[Any], field: str) -> Counter[str]:
    """Rows per calendar month of `field` (a date-time), in one grouped query."""
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return Counter({f"{month:%Y-%m}": n for month, n in rows if month is not None})


def _total(counts: Counter[str], spans: Months) -> int:
    return sum(counts[f"{a:%Y-%m}"] for a, _ in spans)


class BedDays:
    """Occupancies [starts_on, ends_on) as day numbers, read once, so each month's occupied bed-days is a
    vector sum (an open occupancy runs to the end of today)."""

    def __init__(self, occupancies: Iterable[tuple[dt.date, dt.date | None]]) -> None:
        end_of_today = (timezone.localdate() + dt.timedelta(days=1)).toordinal()
        rows = list(occupancies)
        self.starts = np.fromiter((a.toordinal() for a, _ in rows), dtype=np.int64, count=len(rows))
        self.ends = np.fromiter(
            (b.toordinal() if b else end_of_today for _, b in rows), dtype=np.int64, count=len(rows)
        )

    def in_spans(self, spans: Months) -> int:
        total = 0
        for a, b in spans:
            days = np.minimum(self.ends, b.toordinal()) - np.maximum(self.starts, a.toordinal())
            total += int(days[days > 0].sum())
        return total


def occupied_bed_days(occupancies: Iterable[tuple[dt.date, dt.date | None]], spans: Months) -> int:
    """Occupied bed-days in the spans: each occupancy [starts_on, ends_on) counts the days it overlaps."""
    return BedDays(occupancies).in_spans(spans)


def rate_point(month: str, events: int, bed_days: int) -> Point:
    """Events per 1,000 occupied bed-days, with the Poisson interval of the count scaled alike."""
    if bed_days == 0:
        return Point(month, None, None, None, 0)
    low, high = count_interval(events)
    scale = PER_BED_DAYS / bed_days
    return Point(month, events * scale, low * scale, high * scale, bed_days)


def carehome_kpis(actor: Actor, months: Months, home_id: int | None = None) -> list[KPI]:
    """Counts and rates for the actor's organisation's homes (or one of them), by month. Each series is read
    with one grouped query over the whole period, and the state of the plans once per month end."""
    homes = Q(home__organisation_id=actor.organisation_id)
    if home_id is not None:
        homes &= Q(home_id=home_id)
    first, last = months[0][0], months[-1][1]
    # Bounds as moments (local midnight), so the database compares the stored column, not a date made from it.
    since, until = (timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for day in (first, last))
    residents = Resident.objects.filter(homes)
    in_period = {"resident__in": residents}
    transfers = HospitalTransfer.objects.filter(**in_period, left_at__gte=since, left_at__lt=until)
    calls = TriageCall.objects.filter(**in_period, called_at__gte=since, called_at__lt=until)
    now = timezone.now()
    counts = {
        "999": _by_month(
            EmergencyCall.objects.filter(**in_period, called_at__gte=since, called_at__lt=until),
            "called_at",
        ),
        "conveyed": _by_month(transfers.filter(by_ambulance=True), "left_at"),
        "ae": _by_month(transfers.filter(attended_ae=True), "left_at"),
        "admitted": _by_month(transfers.filter(admitted=True), "left_at"),
    }
    counts |= _triage_counts(calls, now)
    occupancies = BedDays(
        Occupancy.objects.filter(resident__in=residents, starts_on__lt=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first))
        .values_list("starts_on", "ends_on")
    )
    deaths = _deaths(residents, first, last)
    plans = PlanBook(residents, first)

    def plans_on(spans: Months) -> dict[str, int]:
        return plans.on(_on_last_day(spans))

    def count_of(key: str) -> Callable[[str, Months], Point]:
        return lambda label, spans: count_point(label, _total(counts[key], spans))

    bed_day_totals: dict[tuple[tuple[dt.date, dt.date], ...], int] = {}

    def bed_days_in(spans: Months) -> int:
        key = tuple(spans)
        if key not in bed_day_totals:
            bed_day_totals[key] = occupancies.in_spans(spans)
        return bed_day_totals[key]

    def rate_of(key: str) -> Callable[[str, Months], Point]:
        return lambda label, spans: rate_point(label, _total(counts[key], spans), bed_days_in(spans))

    def stayed_well(key: str) -> Callable[[str, Months], Point]:
        return lambda label, spans: share_point(
            label, _total(counts[f"well_{key}"], spans), _total(counts[f"stays_{key}"], spans)
        )

    def bed_days(label: str, spans: Months) -> Point:
        return count_point(label, bed_days_in(spans))

    def with_plan(label: str, spans: Months) -> Point:
        state = plans_on(spans)
        return share_point(label, state["with_plan"], state["living"])

    def reviewed(label: str, spans: Months) -> Point:
        state = plans_on(spans)
        return share_point(label, state["reviewed"], state["living"])

    def overdue(label: str, spans: Months) -> Point:
        state = plans_on(spans)
        return count_point(label, state["with_plan"] - state["reviewed"])

    def preferred_place(label: str, spans: Months) -> Point:
        its = [matched for day, matched in deaths if within(day, spans) and matched is not None]
        return share_point(label, sum(its), len(its))

    hours = int(follow_up_window().total_seconds() // 3600)
    per = "per 1,000 occupied bed-days (from the residents' room occupancy)"
    out = []
    for key, label, unit, better, fn, note in [
        (
            "carehomes_bed_days",
            "Occupied bed-days",
            "count",
            "higher",
            bed_days,
            "Residents × days in a room",
        ),
        ("carehomes_999_calls", "999 calls", "count", "lower", count_of("999"), "By month of the call"),
        ("carehomes_999_rate", "999 calls per 1,000 bed-days", "rate", "lower", rate_of("999"), per),
        (
            "carehomes_conveyances",
            "Residents conveyed to hospital by ambulance",
            "count",
            "lower",
            count_of("conveyed"),
            "By month",
        ),
        (
            "carehomes_conveyance_rate",
            "Conveyances per 1,000 bed-days",
            "rate",
            "lower",
            rate_of("conveyed"),
            per,
        ),
        ("carehomes_ae_rate", "A&E attendances per 1,000 bed-days", "rate", "lower", rate_of("ae"), per),
        (
            "carehomes_admissions",
            "Residents admitted to hospital",
            "count",
            "lower",
            count_of("admitted"),
            "As the home recorded them",
        ),
        (
            "carehomes_admission_rate",
            "Emergency admissions per 1,000 bed-days",
            "rate",
            "lower",
            rate_of("admitted"),
            per,
        ),
        (
            "carehomes_triage_calls",
            "Out-of-hours triage calls",
            "count",
            "higher",
            count_of("triaged"),
            "By month of the call",
        ),
        (
            "carehomes_admissions_avoided",
            "Admissions avoided after triage",
            "count",
            "higher",
            count_of("avoided"),
            f"A call whose decision was not to convey, with no admission in the {hours} hours after it",
        ),
        (
            "carehomes_stayed_well_24h",
            "Stay decisions: stayed well at 24 hours",
            "share",
            "higher",
            stayed_well("early"),
            f'Of the "stay in the home" decisions whose {EARLY_HOURS} hours have passed',
        ),
        (
            "carehomes_stayed_well_72h",
            f"Stay decisions: stayed well at {hours} hours",
            "share",
            "higher",
            stayed_well("late"),
            f'Of the "stay in the home" decisions whose {hours} hours have passed',
        ),
        (
            "carehomes_plan_coverage",
            "Residents with an advance care plan",
            "share",
            "higher",
            with_plan,
            "On the last day of the month",
        ),
        (
            "carehomes_plans_reviewed",
            "Residents with a plan in place and reviewed on time",
            "share",
            "higher",
            reviewed,
            "On the last day of the month: a current plan not past its review date",
        ),
        (
            "carehomes_plans_overdue",
            "Advance care plans overdue for review",
            "count",
            "lower",
            overdue,
            "On the last day of the month",
        ),
        (
            "carehomes_preferred_place_deaths",
            "Deaths in the preferred place",
            "share",
            "higher",
            preferred_place,
            "Of the deaths whose plan (current on the day) stated a preferred place",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out


class PlanBook:
    """The residents' stays and advance care plans, read once (two queries), so the state of the plans on
    each month's last day is counted in memory, as vectors: residents living in the homes that day, those
    with a plan in force, and those whose plan in force is not past its review date."""

    def __init__(self, residents: QuerySet[Resident], first: dt.date) -> None:
        far = dt.date.max.toordinal()
        zone = timezone.get_current_timezone()  # once, as in _triage_counts
        stays = list(residents.values_list("pk", "admitted_on", "left_on"))
        self.seen: dict[dt.date, dict[str, int]] = {}
        # Residents by position: stay i is [admitted[i], left[i]).
        position = {pk: i for i, (pk, _, _) in enumerate(stays)}
        self.admitted = np.fromiter((a.toordinal() for _, a, _ in stays), dtype=np.int64, count=len(stays))
        self.left = np.fromiter(
            (b.toordinal() if b else far for _, _, b in stays), dtype=np.int64, count=len(stays)
        )
        rows = [
            (position[rid], agreed.toordinal(), ended, review.toordinal())
            for rid, agreed, ended, review in CarePlan.objects.filter(resident__in=residents)
            .filter(Q(superseded_at__isnull=True) | Q(superseded_at__date__gte=first))
            .values_list("resident_id", "agreed_on", "superseded_at", "review_on")
            if rid in position
        ]
        self.plan_resident = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.agreed = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        # The day a plan was superseded is the UK day (timezone.localtime).
        self.ended = np.fromiter(
            (r[2].astimezone(zone).date().toordinal() if r[2] else far for r in rows),
            dtype=np.int64,
            count=len(rows),
        )
        self.review = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))

    def on(self, day: dt.date) -> dict[str, int]:
        if day not in self.seen:
            self.seen[day] = self._count(day.toordinal())
        return self.seen[day]

    def _count(self, d: int) -> dict[str, int]:
        living = (self.admitted <= d) & (d < self.left)
        in_force = (self.agreed <= d) & (d < self.ended) & living[self.plan_resident]
        with_plan = np.unique(self.plan_resident[in_force])
        reviewed = np.unique(self.plan_resident[in_force & (self.review >= d)])
        return {"living": int(living.sum()), "with_plan": len(with_plan), "reviewed": len(reviewed)}


def _triage_counts(calls: QuerySet[TriageCall], now: dt.datetime) -> dict[str, Counter[str]]:
    """Triage calls by month, and the outcome counts, from one query (selectors.follow_ups): calls that
    stayed well (any decision but conveying), and "stay" decisions whose 24 or 72 hours have passed and
    those that stayed well."""
    windows = {"early": follow_up_window(EARLY_HOURS), "late": follow_up_window()}
    out: dict[str, Counter[str]] = {
        key: Counter()
        for key in ("triaged", "avoided", "stays_early", "well_early", "stays_late", "well_late")
    }
    zone = timezone.get_current_timezone()  # once: each look-up goes through a thread-local
    months: dict[tuple[int, int], str] = {}
    for called_at, decision, transfer, case, died in follow_ups(calls):
        local = called_at.astimezone(zone)  # timezone.localtime(called_at)
        ym = (local.year, local.month)
        month = months.get(ym) or months.setdefault(ym, f"{local:%Y-%m}")
        out["triaged"][month] += 1
        is_stay = decision == TriageDecision.STAY
        for key, window in windows.items():
            # The 24-hour outcome counts only for "stay" decisions; the 72-hour one for every call.
            if called_at > now - window or (key == "early" and not is_stay):
                continue
            well = stayed_well(called_at, decision, transfer, case, died, window, zone=zone)
            if key == "late" and well:
                out["avoided"][month] += 1
            if is_stay:
                out[f"stays_{key}"][month] += 1
                out[f"well_{key}"][month] += well
    return out


def _deaths(
    residents: QuerySet[Resident], first: dt.date, last: dt.date
) -> list[tuple[dt.date, bool | None]]:
    """Each death in [first, last): the day, and whether the place matched the preferred place of the plan in
    force that day (None when there was no plan or it stated no preference)."""
    died = list(
        residents.filter(died_on__gte=first, died_on__lt=last).values_list("pk", "died_on", "place_of_death")
    )
    plans: dict[int, list[tuple[dt.date, dt.datetime | None, str]]] = {}
    for resident_id, agreed_on, superseded_at, place in CarePlan.objects.filter(
        resident_id__in=[pk for pk, _, _ in died]
    ).values_list("resident_id", "agreed_on", "superseded_at", "preferred_place"):
        plans.setdefault(resident_id, []).append((agreed_on, superseded_at, place))
    out: list[tuple[dt.date, bool | None]] = []
    for pk, day, place in died:
        assert day is not None  # filtered on died_on
        preferred = next(
            (
                p
                for agreed, ended, p in sorted(plans.get(pk, []), reverse=True)
                if agreed <= day and (ended is None or timezone.localtime(ended).date() > day)
            ),
            None,
        )
        if preferred in (None, PlaceOfCare.NO_PREFERENCE):
            out.append((day, None))
        else:
            out.append((day, PLACE_MATCH.get(place) == preferred))
    return out
