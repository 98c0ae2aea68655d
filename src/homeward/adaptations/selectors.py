"""Reads of adaptations cases, always through the access layer; a case the actor may not see is NotFound."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, When
from django.utils import timezone

from homeward.adaptations.codes import AdaptationStatus
from homeward.adaptations.models import OPEN_STATUSES, AdaptationCase
from homeward.core.errors import NotFound
from homeward.core.roles import Permission, Role
from homeward.engines.dfg import add_months
from homeward.governance import access
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

CASE_TYPE = "adaptations.case"

WORKLIST_VIEWS = {
    "all": "All open cases",
    "overdue": "Overdue clocks",
    "first_contact": "Stage 0",
    "assessment": "Stage 1: assessment",
    "application": "Stage 2: application",
    "approval": "Stage 3: approval",
    "works": "Stage 4: works",
    "sign_off": "Sign-off and payment",
    "at_risk": "Near a deadline",
    "tasks_overdue": "Tasks overdue",
    "mine": "My cases",
}
#: A clock is "near breach" when it falls due within this many working days (Homeward's default for the
#: escalation worklist; not statutory).
AT_RISK_WORKING_DAYS = 20


def visible_cases(actor: Actor) -> QuerySet[AdaptationCase]:
    """Cases held by the actor's organisation, plus cases it takes part in under an agreement in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return AdaptationCase.objects.none()
    return access.visible_case_rows(AdaptationCase.objects.all(), actor, CASE_TYPE)


def visible_case_parts(actor: Actor) -> tuple[QuerySet[AdaptationCase], ...]:
    """`visible_cases` as its two disjoint parts (held by the actor's organisation; shared with it), for a
    count that reads each through its own index and adds them up."""
    if not actor.can(Permission.VIEW_PERSON):
        return ()
    return access.visible_case_parts(AdaptationCase.objects.all(), actor, CASE_TYPE)


@transaction.atomic  # the read and its audit row commit together, or neither
def get_case(*, actor: Actor, case_id: int, purpose: str = "View adaptations case") -> AdaptationCase:
    case = (
        visible_cases(actor)
        .select_related("person", "organisation", "team", "assigned_to", "opened_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No adaptations case with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=case, person_id=case.person_id)
    return case


def latest_overdue_start(today: dt.date, months: int) -> dt.date:
    """The last start date whose clock of `months` calendar months (as `engines.dfg.add_months` counts them)
    is past due on `today`: every start on or before it is overdue. Exact at month ends, where the engine
    clamps (31 Aug + 6 months = 28 Feb), because it asks the engine rather than subtracting months."""
    start = add_months(today, -months)
    while add_months(start, months) >= today:
        start -= dt.timedelta(days=1)
    while add_months(start + dt.timedelta(days=1), months) < today:
        start += dt.timedelta(days=1)
    return start


def overdue_filter(today: dt.date) -> Q:
    """Open cases with a statutory clock past its due date, in SQL, for the worklist (the case page shows
    each clock from the engine itself): no decision 6 months after the valid application, no payment 12
    months after it, or works not completed 12 months after approval (or by the extended date)."""
    six, twelve = latest_overdue_start(today, 6), latest_overdue_start(today, 12)
    decision = Q(decision_on__isnull=True, approved_on__isnull=True, application_valid_on__lte=six)
    payment = Q(paid_on__isnull=True, application_valid_on__lte=twelve)
    works = Q(approved_on__isnull=False, works_completed_on__isnull=True) & (
        Q(works_extended_to__isnull=True, approved_on__lte=twelve) | Q(works_extended_to__lt=today)
    )
    return decision | payment | works


def at_risk_filter(today: dt.date) -> Q:
    """Open cases with a statutory clock not yet overdue but due within `AT_RISK_WORKING_DAYS` working
    days: overdue by the horizon date, not overdue today (the same SQL as the overdue tab)."""
    from homeward.casework.workdays import add_working_days

    horizon = add_working_days(today, AT_RISK_WORKING_DAYS)
    return overdue_filter(horizon) & ~overdue_filter(today)


def tasks_overdue_filter(today: dt.date, organisation_id: int | None = None) -> Q:
    """Cases with a team task past its due date and not done (of one organisation, if given)."""
    from homeward.adaptations.models import TeamTask

    tasks = TeamTask.objects.filter(case_id=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    if organisation_id is not None:
        tasks = tasks.filter(organisation_id=organisation_id)
    return Q(Exists(tasks))


def _worklist_filter(actor: Actor, view: str, today: dt.date) -> Q:
    """Which open cases a worklist tab lists."""
    if view == "mine":
        return Q(assigned_to=actor.user)
    if view == "overdue":
        return overdue_filter(today)
    if view == "at_risk":
        return at_risk_filter(today)
    if view == "tasks_overdue":
        return tasks_overdue_filter(today, actor.organisation_id)
    if view in AdaptationStatus.values:
        return Q(status=view)
    return Q()


def worklist(*, actor: Actor, view: str = "all") -> QuerySet[AdaptationCase]:
    """Open cases for a worklist: urgent and overdue first, then the oldest enquiry.

    The tab's cases are picked from each part of `visible_case_parts` through its own index and their ids
    unioned: the one-filter "held by us OR shared with us" form reads every open case of every holder
    (26,000 rows at benchmark scale) to keep one organisation's 2,900."""
    today = timezone.localdate()
    picks = [
        part.filter(_worklist_filter(actor, view, today), status__in=OPEN_STATUSES).order_by().values("pk")
        for part in visible_case_parts(actor)
    ]
    if not picks:
        return AdaptationCase.objects.none()
    overdue = Case(When(overdue_filter(today), then=1), default=0, output_field=IntegerField())
    return (
        AdaptationCase.objects.filter(pk__in=picks[0].union(*picks[1:]))
        .select_related("person", "assigned_to")
        .annotate(overdue=overdue)
        .order_by("-overdue", F("priority").desc(), "enquiry_received_on", "pk")
    )


def record_worklist_view(*, actor: Actor, view: str, case_ids: list[int]) -> None:
    """A worklist shows names: audit it as a search, with the cases shown."""
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Adaptations worklist: {view}",
        detail={"cases": case_ids},
    )


def cases_of_person(actor: Actor, person_id: int) -> QuerySet[AdaptationCase]:
    return visible_cases(actor).filter(person_id=person_id)


@dataclass(frozen=True)
class FastTrackLink:
    """What a Hospital to Home blocker shows of the adaptations case opened from it."""

    reference: str
    url: str
    stage: str
    works_due_on: dt.date | None  # the statutory 12 months from approval (or the extended date)
    is_open: bool


def fast_track_cases(actor: Actor, discharge_case_id: int) -> dict[int, list[FastTrackLink]]:
    """The adaptations cases opened from a Hospital to Home case's blockers that the actor may see, by
    blocker id, with their stage and when the works are due."""
    from django.urls import reverse

    from homeward.adaptations.clocks import case_clocks

    today = timezone.localdate()
    out: dict[int, list[FastTrackLink]] = {}
    for case in visible_cases(actor).filter(discharge_blocker__case_id=discharge_case_id).order_by("pk"):
        works = [c for c in case_clocks(case, today=today) if c.kind.value == "works"]
        link = FastTrackLink(
            case.reference,
            reverse("adaptations:case", args=[case.pk]),
            case.get_status_display(),
            works[0].due_on if works else None,
            case.is_open,
        )
        out.setdefault(case.discharge_blocker_id or 0, []).append(link)
    return out


def today_items(actor: Actor) -> list[Any]:
    """Adaptations counts for the home page (no names), each linking to the worklist tab that lists them."""
    from django.urls import reverse

    from homeward.casework.today import TodayItem

    if not actor.can(Permission.EDIT_PERSON):
        return []
    ours = visible_cases(actor).filter(organisation_id=actor.organisation_id, status__in=OPEN_STATUSES)
    url = reverse("adaptations:worklist")
    today = timezone.localdate()
    items = [
        TodayItem(
            "Adaptations cases with an overdue statutory clock",
            ours.filter(overdue_filter(today)).count(),
            f"{url}?view=overdue",
            urgent=True,
        ),
        TodayItem(
            "Adaptations team tasks overdue (your organisation's)",
            sum(
                part.filter(
                    tasks_overdue_filter(today, actor.organisation_id), status__in=OPEN_STATUSES
                ).count()
                for part in visible_case_parts(actor)
            ),
            f"{url}?view=tasks_overdue",
        ),
    ]
    if actor.role == Role.TEAM_LEAD:
        # Escalation: the team lead sees the cases whose statutory clock is near breach.
        items.append(
            TodayItem(
                f"Adaptations cases near a statutory deadline (within {AT_RISK_WORKING_DAYS} working days)",
                ours.filter(at_risk_filter(today)).count(),
                f"{url}?view=at_risk",
                urgent=True,
            )
        )
    return items
