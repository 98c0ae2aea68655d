"""Reads of Hospital to Home cases, always through the access layer."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

CASE_TYPE = "discharge.case"


def visible_cases(actor: Actor) -> QuerySet[DischargeCase]:
    """Cases held by the actor's organisation, plus cases it takes part in under an agreement in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return DischargeCase.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return DischargeCase.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def get_case(*, actor: Actor, case_id: int, purpose: str = "View Hospital to Home case") -> DischargeCase:
    case = (
        visible_cases(actor)
        .select_related(
            "person", "organisation", "housing_organisation", "hospital", "ward", "team", "assigned_to"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No case with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=case, person_id=case.person_id)
    return case
