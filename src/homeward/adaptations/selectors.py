"""Reads of adaptations cases, always through the access layer; a case the actor may not see is NotFound."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, When
from django.utils import timezone

from homeward.adaptations.codes import AdaptationStatus
from homeward.adaptations.models import OPEN_STATUSES, AdaptationCase
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.engines.dfg import add_months
from homeward.governance.access import Actor, shared_participations
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
    "mine": "My cases",
}


def visible_cases(actor: Actor) -> QuerySet[AdaptationCase]:
    """Cases held by the actor's organisation, plus cases it takes part in under an agreement in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return AdaptationCase.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return AdaptationCase.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


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


def worklist(*, actor: Actor, view: str = "all") -> QuerySet[AdaptationCase]:
    """Open cases for a worklist: urgent and overdue first, then the oldest enquiry."""
    today = timezone.localdate()
    cases = visible_cases(actor).filter(status__in=OPEN_STATUSES).select_related("person", "assigned_to")
    if view == "mine":
        cases = cases.filter(assigned_to=actor.user)
    elif view == "overdue":
        cases = cases.filter(overdue_filter(today))
    elif view in AdaptationStatus.values:
        cases = cases.filter(status=view)
    overdue = Case(When(overdue_filter(today), then=1), default=0, output_field=IntegerField())
    return cases.annotate(overdue=overdue).order_by(
        "-overdue", F("priority").desc(), "enquiry_received_on", "pk"
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


def cases_for_blocker(actor: Actor, blocker_id: int) -> QuerySet[AdaptationCase]:
    """The fast-track cases opened from a Hospital to Home blocker that the actor may see."""
    return visible_cases(actor).filter(discharge_blocker_id=blocker_id)
