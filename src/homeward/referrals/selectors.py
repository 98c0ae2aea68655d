"""Reads of referrals, always through the access layer."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals.lifecycle import OPEN_STATUSES
from homeward.referrals.models import Referral

CASE_TYPE = "referrals.referral"


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent, plus those sent to it while an agreement is in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return Referral.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return Referral.objects.filter(Q(from_organisation_id=actor.organisation_id) | Exists(shared))


def get_referral(*, actor: Actor, referral_id: int, purpose: str = "View referral") -> Referral:
    referral = (
        visible_referrals(actor)
        .select_related("person", "from_organisation", "to_organisation", "to_team", "referred_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound("No referral with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=referral, person_id=referral.person_id
    )
    return referral


def referrals_from(actor: Actor, source_type: str, source_id: int) -> list[Referral]:
    """Onward referrals made from one case (the case page has already audited the view of the case)."""
    return list(
        visible_referrals(actor)
        .filter(source_type=source_type, source_id=source_id)
        .select_related("to_organisation")
        .order_by("requested_at")
    )


def inbox(actor: Actor, box: str = "incoming", show: str = "open") -> QuerySet[Referral]:
    referrals = visible_referrals(actor).select_related("person", "from_organisation", "to_organisation")
    if box == "incoming":
        referrals = referrals.filter(to_organisation_id=actor.organisation_id)
    elif box == "outgoing":
        referrals = referrals.filter(from_organisation_id=actor.organisation_id)
    if show == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    return referrals.order_by("-urgency", "requested_at") if show == "open" else referrals


def record_inbox_view(*, actor: Actor, box: str, referral_ids: list[int]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Referrals: {box}",
        detail={"referrals": referral_ids},
    )
