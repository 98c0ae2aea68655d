"""Reads of reablement referrals and stays, always through the access layer; units and beds are not
personal data, but who is in a bed is shown only where the viewer may see the person's referral."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement.models import Bed, Occupancy, Referral, Stay, Unit

CASE_TYPE = "reablement.referral"


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals held by the actor's organisation, plus those it takes part in under an agreement in force
    (the unit's provider takes part in every referral into its units)."""
    if not actor.can(Permission.VIEW_PERSON):
        return Referral.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return Referral.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def visible_stays(actor: Actor) -> QuerySet[Stay]:
    return Stay.objects.filter(referral__in=visible_referrals(actor))


def visible_stays_among(actor: Actor, stay_ids: list[int]) -> QuerySet[Stay]:
    """The stays among `stay_ids` the actor may see: the access check runs on those referrals only, not
    as a subquery over every referral the organisation holds (the bed board's few dozen stays)."""
    referrals = visible_referrals(actor).filter(stay__pk__in=stay_ids)
    return Stay.objects.filter(pk__in=stay_ids, referral__in=referrals)


def units() -> QuerySet[Unit]:
    return Unit.objects.select_related("organisation", "commissioner").order_by("name")


def get_unit(unit_id: int) -> Unit:
    unit = units().filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("No reablement unit with that id")
    return unit


def get_bed(bed_id: int) -> Bed:
    bed = Bed.objects.select_related("unit").filter(pk=bed_id).first()
    if bed is None:
        raise NotFound("No bed with that id")
    return bed


@transaction.atomic  # the read and its audit row commit together, or neither
def get_referral(*, actor: Actor, referral_id: int, purpose: str = "View reablement referral") -> Referral:
    referral = (
        visible_referrals(actor)
        .select_related("person", "organisation", "unit", "referred_by", "discharge_case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound("No reablement referral with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=referral, person_id=referral.person_id
    )
    return referral


@transaction.atomic
def get_stay(*, actor: Actor, stay_id: int, purpose: str = "View reablement stay") -> Stay:
    stay = (
        visible_stays(actor)
        .select_related("referral__person", "referral__organisation", "unit")
        .prefetch_related(Prefetch("occupancies", queryset=Occupancy.objects.select_related("bed")))
        .filter(pk=stay_id)
        .first()
    )
    if stay is None:
        raise NotFound("No reablement stay with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=stay, person_id=stay.referral.person_id
    )
    return stay


def referrals_waiting(actor: Actor, unit: Unit) -> QuerySet[Referral]:
    """Referrals to the unit not yet admitted, declined or withdrawn, oldest first."""
    return (
        visible_referrals(actor)
        .filter(unit=unit, status__in=("referred", "accepted"))
        .select_related("person")
        .order_by("referred_at", "pk")
    )


def stays_of_person(actor: Actor, person_id: int) -> QuerySet[Stay]:
    return visible_stays(actor).filter(referral__person_id=person_id)


def record_board_view(
    *, actor: Actor, unit: Unit, stay_ids: list[int], version: int | None = None, refresh: bool = False
) -> None:
    """The board shows initials: audit it as a search, with the stays shown. Audited: every page view, and
    every refreshed board built for a version of the unit this membership has not been audited on (so
    every change an open board receives). Not audited: a poll answered 204 (nothing sent), and a refresh
    rebuilt only because the poll's token aged out (`board_version.REVALIDATE_S`) that shows the same
    version and the same stays as the view last audited for this membership."""
    version = unit.board_version if version is None else version
    key = f"reablement-board:{actor.membership.pk}:{unit.pk}"
    shown = [version, sorted(stay_ids)]
    if refresh and cache.get(key) == shown:
        return
    cache.set(key, shown, 3600)
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Reablement bed board: {unit.name}",
        detail={"unit": unit.pk, "version": version, "stays": stay_ids},
    )
