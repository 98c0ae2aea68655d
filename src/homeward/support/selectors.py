"""Reads of social prescribing and key-work cases, always through the access layer.

A case is held by the worker's organisation and seen only by it, and only while it may see the person
(someone referred in by a GP practice drops out of view the day the sharing agreement ends). The referrer
learns what came of it through the referral, not the case."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals.models import Referral
from homeward.referrals.selectors import visible_referrals
from homeward.support.codes import CaseStatus
from homeward.support.models import SupportCase

CASE_TYPE = "support.case"
OPEN = (CaseStatus.WAITING, CaseStatus.ACTIVE)


def visible_cases(actor: Actor) -> QuerySet[SupportCase]:
    if not actor.can(Permission.VIEW_PERSON):
        return SupportCase.objects.none()
    return SupportCase.objects.filter(organisation_id=actor.organisation_id, person__in=visible_people(actor))


@transaction.atomic  # the read and its audit row commit together, or neither
def get_case(*, actor: Actor, case_id: int, purpose: str = "View a support case") -> SupportCase:
    case = (
        visible_cases(actor)
        .select_related("person", "worker", "team", "referral", "referral__from_organisation")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No case with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=case, person_id=case.person_id)
    return case


def caseload(
    actor: Actor, *, kind: str = "", worker: str = "mine", show: str = "open"
) -> QuerySet[SupportCase]:
    """The caseload list: one worker's (`mine`), nobody's yet (`unassigned`) or the organisation's (`all`)."""
    cases = (
        visible_cases(actor)
        .select_related("person", "worker")
        .annotate(goal_count=Count("goals", distinct=True), contact_count=Count("contacts", distinct=True))
    )
    if kind:
        cases = cases.filter(kind=kind)
    if worker == "mine":
        cases = cases.filter(worker=actor.user)
    elif worker == "unassigned":
        cases = cases.filter(worker__isnull=True)
    if show == "open":
        cases = cases.filter(status__in=OPEN)
    return cases.order_by("status", "referred_on", "pk") if show == "open" else cases


def record_caseload_view(*, actor: Actor, purpose: str, case_ids: list[int], people: list[int]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=purpose,
        detail={"cases": case_ids, "people": people},
    )


def referrals_for(actor: Actor, case: SupportCase) -> list[Referral]:
    """The person's referrals grouped under the case: every referral about them that the case's organisation
    sent or received (a key worker sees the whole picture; a link worker sees what it referred on)."""
    own = Q(from_organisation_id=case.organisation_id) | Q(to_organisation_id=case.organisation_id)
    return list(
        visible_referrals(actor)
        .filter(own, person_id=case.person_id)
        .select_related("from_organisation", "to_organisation", "service")
        .order_by("-requested_at")
    )
