"""Supported-housing KPIs after the stay and on the plan's clock (counts and shares only, no names):
tenancies sustained at the 3, 6 and 12-month follow-ups, people lost to follow-up (reported apart, never
counted as housed or not), returns to homelessness or to supported housing within 12 months of leaving,
and assessments and support plans on time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from homeward.casework.kpis import KPI, Months, Point, monthly, share_point, within
from homeward.housing.codes import FollowUpResult, MoveOnDestination
from homeward.housing.models import FollowUp, Placement

#: Follow-up results that say whether the person is still housed (a "lost" follow-up says nothing).
ANSWERED = (FollowUpResult.STILL_HOUSED, FollowUpResult.NOT_HOUSED, FollowUpResult.RETURNED)
RETURN_WINDOW = dt.timedelta(days=365)


def sustainment_kpis(own: QuerySet[Placement], months: Months) -> list[KPI]:
    today = timezone.localdate()
    follow_ups: list[tuple[Any, ...]] = list(
        FollowUp.objects.filter(placement__in=own).values_list("months", "due_on", "done_on", "result")
    )
    departures: list[tuple[Any, ...]] = list(
        own.filter(departed_on__isnull=False)
        .exclude(destination=MoveOnDestination.DIED)
        .values_list("pk", "person_id", "departed_on", "destination")
    )
    # Returns: a later referral linked to the stay (`previous_placement`), or a follow-up that found the
    # person no longer housed or back in supported housing, within 12 months of leaving.
    came_back = dict(
        own.filter(previous_placement__isnull=False).values_list("previous_placement_id", "referred_on")
    )
    not_housed: dict[int, dt.date] = {}
    for pid, done in FollowUp.objects.filter(
        placement__in=own, result__in=(FollowUpResult.NOT_HOUSED, FollowUpResult.RETURNED)
    ).values_list("placement_id", "done_on"):
        if done is not None and (pid not in not_housed or done < not_housed[pid]):
            not_housed[pid] = done
    arrivals: list[tuple[Any, ...]] = list(
        own.filter(arrived_on__isnull=False).values_list(
            "arrived_on", "assessed_needs_on", "plan_agreed_on", "scheme__plan_within_days"
        )
    )

    def sustained(at: int) -> Callable[[str, Months], Point]:
        def build(label: str, spans: Months) -> Point:
            due = [f for f in follow_ups if f[0] == at and within(f[1], spans) and f[3] in ANSWERED]
            return share_point(label, sum(f[3] == FollowUpResult.STILL_HOUSED for f in due), len(due))

        return build

    def lost(label: str, spans: Months) -> Point:
        due = [f for f in follow_ups if within(f[1], spans) and f[1] < today]
        gone = sum(f[3] == FollowUpResult.LOST or (f[2] is None and not f[3]) for f in due)
        return share_point(label, gone, len(due))

    def returns(label: str, spans: Months) -> Point:
        # Only departures whose 12 months have passed: a more recent one may yet return.
        left = [d for d in departures if within(d[2], spans) and d[2] + RETURN_WINDOW <= today]
        back = 0
        for pk, _, departed, destination in left:
            limit = departed + RETURN_WINDOW
            again = came_back.get(pk)
            found = not_housed.get(pk)
            if (
                destination == MoveOnDestination.ROUGH_SLEEPING
                or (again is not None and again <= limit)
                or (found is not None and found <= limit)
            ):
                back += 1
        return share_point(label, back, len(left))

    def on_time(index: int) -> Callable[[str, Months], Point]:
        def build(label: str, spans: Months) -> Point:
            # Arrivals whose due date has passed (or whose record is already in), by month of arrival.
            rows = [
                r
                for r in arrivals
                if within(r[0], spans) and (r[index] is not None or r[0] + dt.timedelta(days=r[3]) < today)
            ]
            done = sum(1 for r in rows if r[index] is not None and r[index] <= r[0] + dt.timedelta(days=r[3]))
            return share_point(label, done, len(rows))

        return build

    specs: list[tuple[str, str, str, Any, str]] = [
        (
            "housing_sustained_3",
            "Still housed at the 3-month follow-up",
            "higher",
            sustained(3),
            "By month the follow-up was due; people who could not be contacted are left out (see lost)",
        ),
        ("housing_sustained_6", "Still housed at the 6-month follow-up", "higher", sustained(6), "As above"),
        (
            "housing_sustained_12",
            "Still housed at the 12-month follow-up",
            "higher",
            sustained(12),
            "As above",
        ),
        (
            "housing_lost_to_follow_up",
            "Follow-ups lost (could not be contacted, or not done)",
            "lower",
            lost,
            "All follow-up points, by month due; reported apart from the sustainment shares",
        ),
        (
            "housing_returns_12",
            "Returns to homelessness or supported housing within 12 months",
            "lower",
            returns,
            "By month of departure, departures at least 12 months ago; a return is a new referral linked "
            "to the stay, a follow-up that found the person no longer housed or back, or leaving to sleep "
            "rough. Deaths are left out",
        ),
        (
            "housing_assessment_on_time",
            "Needs and risk assessments within the scheme's days of arrival",
            "higher",
            on_time(1),
            "By month of arrival",
        ),
        (
            "housing_plan_on_time",
            "Support plans within the scheme's days of arrival",
            "higher",
            on_time(2),
            "By month of arrival",
        ),
    ]
    out = []
    for key, label, better, fn, note in specs:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, "share", better, points, base, note))
    return out
