"""Falls and readmissions after an intervention (issue 17 item 11), by month of the intervention, counts and
shares only: people who had a falls-prevention home hazard check or an adaptation's works completed, and
how many of them were admitted to hospital in the 90 days after, from the Hospital to Home cases Homeward
holds that the organisation can see.

- The intervention is a person's first in the month: a falls check recorded (the visit date) or the works
  of an adaptations case completed, by the organisation itself.
- Followed: 90 days have passed since it. An admission counts when a Hospital to Home case for the person
  was admitted in the 90 days after the intervention (day 1 to day 90).
- Not yet followable: fewer than 90 days have passed; reported separately, never in the share.

Hospital to Home cases carry no coded reason for admission, so an admission *for a fall* cannot be told
from any other: the share counts any admission. Admissions to a hospital not sharing with the organisation
are not seen, so the share is a floor, not the whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from homeward.adaptations.codes import VisitKind
from homeward.adaptations.healthy_selectors import visible_visits
from homeward.adaptations.selectors import visible_cases
from homeward.casework.kpis import KPI, Months, Point, count_point, monthly, share_point, within
from homeward.discharge import selectors as discharge_selectors
from homeward.governance.access import Actor

FOLLOW_UP_DAYS = 90


def interventions(actor: Actor) -> list[tuple[int, dt.date]]:
    """(person, date) of each person's first falls check or completed adaptation in each month."""
    org = actor.organisation_id
    checks = (
        visible_visits(actor)
        .filter(organisation_id=org, kind=VisitKind.FALLS_CHECK)
        .exclude(falls_answers={})
        .values_list("person_id", "visited_on")
    )
    works = (
        visible_cases(actor)
        .filter(organisation_id=org, works_completed_on__isnull=False)
        .values_list("person_id", "works_completed_on")
    )
    first: dict[tuple[int, int, int], dt.date] = {}
    for person, day in [*checks, *works]:
        if day is None:
            continue
        key = (person, day.year, day.month)
        if key not in first or day < first[key]:
            first[key] = day
    return sorted((person, day) for (person, _, _), day in first.items())


def admitted_within(actor: Actor, people: Iterable[int]) -> dict[int, list[dt.date]]:
    """Admission dates of the Hospital to Home cases the actor can see, by person."""
    out: dict[int, list[dt.date]] = {}
    rows = discharge_selectors.visible_cases(actor).filter(person_id__in=set(people))
    for person, day in rows.values_list("person_id", "admitted_on"):
        out.setdefault(person, []).append(day)
    return out


def followup_kpis(actor: Actor, months: Months, *, today: dt.date | None = None) -> list[KPI]:
    today = today or timezone.localdate()
    done = interventions(actor)
    admissions = admitted_within(actor, (person for person, _ in done))
    rows = []
    for person, day in done:
        followable = day + dt.timedelta(days=FOLLOW_UP_DAYS) <= today
        admitted = any(
            day < admitted_on <= day + dt.timedelta(days=FOLLOW_UP_DAYS)
            for admitted_on in admissions.get(person, [])
        )
        rows.append((day, followable, admitted))

    def followed(label: str, spans: Months) -> Point:
        return count_point(label, sum(1 for day, ok, _ in rows if ok and within(day, spans)))

    def readmitted(label: str, spans: Months) -> Point:
        base = [admitted for day, ok, admitted in rows if ok and within(day, spans)]
        return share_point(label, sum(base), len(base))

    def not_followable(label: str, spans: Months) -> Point:
        return count_point(label, sum(1 for day, ok, _ in rows if not ok and within(day, spans)))

    note = (
        f"Any Hospital to Home admission in the {FOLLOW_UP_DAYS} days after a falls check or completed "
        "adaptation (no admission reason is coded, so falls cannot be told apart); hospitals that do not "
        "share with you are not seen"
    )
    out = []
    for key, label, unit, better, fn, why in [
        (
            "followup_people_followed",
            f"People followed {FOLLOW_UP_DAYS} days after a falls check or adaptation",
            "count",
            "higher",
            followed,
            f"The denominator: by month of the intervention, once {FOLLOW_UP_DAYS} days have passed",
        ),
        (
            "followup_admitted_within_90_days",
            f"Share admitted to hospital within {FOLLOW_UP_DAYS} days of a falls check or adaptation",
            "share",
            "lower",
            readmitted,
            note,
        ),
        (
            "followup_not_yet_followable",
            f"Falls checks and adaptations not yet followable (under {FOLLOW_UP_DAYS} days ago)",
            "count",
            "lower",
            not_followable,
            "Left out of the share until their 90 days have passed",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, why))
    return out
