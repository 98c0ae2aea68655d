"""Reads of supported housing, always through the access layer; what the actor may not see is NotFound.

Schemes and units are the provider's own (other organisations get 404); placements are the provider's,
plus those another organisation (the referrer: a council, probation, a hospital) takes part in under an
agreement in force."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_participations, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.codes import PlacementStatus, UnitStatus
from homeward.housing.lifecycle import OPEN_STATUSES, WAITING_STATUSES
from homeward.housing.models import Occupancy, OptionsConversation, PeoplePlaceCase, Placement, Scheme, Unit

CASE_TYPE = "housing.placement"


def visible_schemes(actor: Actor) -> QuerySet[Scheme]:
    """The schemes the actor's organisation runs (counts only: no personal data on their own)."""
    if not (actor.can(Permission.VIEW_PERSON) or actor.can(Permission.MANAGE_ORGANISATION)):
        return Scheme.objects.none()
    return Scheme.objects.filter(organisation_id=actor.organisation_id)


def get_scheme(*, actor: Actor, scheme_id: int) -> Scheme:
    scheme = visible_schemes(actor).select_related("commissioner").filter(pk=scheme_id).first()
    if scheme is None:
        raise NotFound("No scheme with that id")
    return scheme


def visible_placements(actor: Actor) -> QuerySet[Placement]:
    """Placements held by the actor's organisation, plus those it takes part in under an agreement."""
    if not actor.can(Permission.VIEW_PERSON):
        return Placement.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return Placement.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


@transaction.atomic  # the read and its audit row commit together, or neither
def get_placement(
    *, actor: Actor, placement_id: int, purpose: str = "View supported housing placement"
) -> Placement:
    placement = (
        visible_placements(actor)
        .select_related(
            "person", "scheme", "organisation", "key_worker", "offered_unit", "referrer_organisation"
        )
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise NotFound("No supported housing placement with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=placement, person_id=placement.person_id
    )
    return placement


def units_with_occupants(scheme: Scheme) -> list[Unit]:
    """The scheme's units, each with `current` (today's occupancy with its placement and person, or None)."""
    from django.utils import timezone

    today = timezone.localdate()
    current = Occupancy.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    units: list[Unit] = list(
        scheme.units.prefetch_related(
            Prefetch("occupancies", queryset=current.select_related("placement__person"), to_attr="now")
        )
    )
    for unit in units:
        unit.current = unit.now[0] if unit.now else None  # type: ignore[attr-defined]
    return units


def residents(*, actor: Actor, scheme_id: int) -> QuerySet[Placement]:
    """A scheme's residents today, for its resident list (the caller audits the names it shows)."""
    return (
        visible_placements(actor)
        .filter(organisation_id=actor.organisation_id, scheme_id=scheme_id, status=PlacementStatus.RESIDENT)
        .select_related("person", "key_worker")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def waiting(*, actor: Actor, scheme_id: int) -> QuerySet[Placement]:
    """Referrals not yet living in the scheme, oldest first."""
    return (
        visible_placements(actor)
        .filter(organisation_id=actor.organisation_id, scheme_id=scheme_id, status__in=WAITING_STATUSES)
        .select_related("person")
        .order_by("referred_on", "pk")
    )


def caseload(*, actor: Actor) -> QuerySet[Placement]:
    """The key worker's residents and referrals still open."""
    return (
        visible_placements(actor)
        .filter(key_worker=actor.user, status__in=OPEN_STATUSES)
        .select_related("person", "scheme")
        .order_by("scheme__name", "person__family_name", "pk")
    )


def with_review_due(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Annotate each placement with its last review's next date (`last_next_review_on`), so a list can
    flag overdue reviews without a query per row (`keywork.next_review_due` reads the annotation)."""
    from django.db.models import Subquery

    from homeward.housing.models import PlanReview

    last = PlanReview.objects.filter(placement=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    return placements.annotate(last_next_review_on=Subquery(last.values("next_review_on")[:1]))


def record_list_view(*, actor: Actor, purpose: str, placement_ids: list[int]) -> None:
    """A list shows names: audit it as a search, with the placements shown."""
    record_event(
        actor=actor, action=AuditAction.SEARCH, purpose=purpose, detail={"placements": placement_ids}
    )


def placements_of_person(actor: Actor, person_id: int) -> QuerySet[Placement]:
    return visible_placements(actor).filter(person_id=person_id)


def visible_conversations(actor: Actor) -> QuerySet[OptionsConversation]:
    """ "Stay or move?" conversations held by the actor's organisation (they are not shared)."""
    if not actor.can(Permission.VIEW_PERSON):
        return OptionsConversation.objects.none()
    return OptionsConversation.objects.filter(organisation_id=actor.organisation_id)


@transaction.atomic
def get_conversation(*, actor: Actor, conversation_id: int) -> OptionsConversation:
    found = (
        visible_conversations(actor)
        .select_related("person", "adviser")
        .filter(pk=conversation_id, person__in=visible_people(actor))
        .first()
    )
    if found is None:
        raise NotFound("No housing options conversation with that id")
    record_event(
        actor=actor,
        action=AuditAction.VIEW,
        purpose="View a housing options conversation",
        obj=found,
        person_id=found.person_id,
    )
    return found


def vacancies(actor: Actor, scheme_types: tuple[str, ...]) -> list[tuple[Scheme, int, int]]:
    """The organisation's schemes of these types with their empty lettable units today and the people
    waiting (counts only), for a "move" option."""
    from django.utils import timezone

    today = timezone.localdate()
    occupied = Occupancy.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    out = []
    for scheme in visible_schemes(actor).filter(scheme_type__in=scheme_types):
        empty = (
            scheme.units.exclude(status=UnitStatus.OUT_OF_USE)
            .exclude(pk__in=occupied.values("unit_id"))
            .count()
        )
        queue = scheme.placements.filter(status__in=WAITING_STATUSES).count()
        out.append((scheme, empty, queue))
    return out


def scheme_for_standards(*, actor: Actor, scheme_id: int) -> Scheme | None:
    """A scheme whose standards evidence (counts only) the actor may read: one their organisation runs,
    or one it commissions (a council licensing officer or commissioner), whatever their role there."""
    return (
        Scheme.objects.filter(pk=scheme_id)
        .filter(Q(organisation_id=actor.organisation_id) | Q(commissioner_id=actor.organisation_id))
        .first()
    )


def recent_activity_sessions(scheme: Scheme) -> QuerySet[Any]:
    """The scheme's activity sessions, latest first, each with its attendance count."""
    from django.db.models import Count

    from homeward.housing.models import ActivitySession

    return (
        ActivitySession.objects.filter(activity__scheme=scheme)
        .select_related("activity")
        .annotate(attended=Count("attendees"))
        .order_by("-held_on", "-pk")
    )


def own_scheme_records(*, actor: Actor, scheme_id: int) -> Scheme:
    """A scheme whose named records (incidents, departures, feedback) the actor may read: one their
    organisation runs, with a role that sees people. Anyone else gets NotFound."""
    if not actor.can(Permission.VIEW_PERSON):
        raise NotFound("No scheme with that id")
    return get_scheme(actor=actor, scheme_id=scheme_id)


@transaction.atomic
def scheme_incidents(
    *, actor: Actor, scheme_id: int, start: Any, end: Any, limit: int = 50, offset: int = 0
) -> list[Any]:
    """The scheme's incidents in [start, end] (days included), latest first; audited with the residents
    they name."""
    from homeward.housing.models import Incident

    scheme = own_scheme_records(actor=actor, scheme_id=scheme_id)
    found = list(
        Incident.objects.filter(
            scheme=scheme, occurred_at__date__gte=start, occurred_at__date__lte=end
        ).prefetch_related("residents")[offset : offset + limit]
    )
    record_list_view(
        actor=actor,
        purpose=f"Scheme incidents (API): {scheme.name}",
        placement_ids=sorted({p.pk for i in found for p in i.residents.all()}),
    )
    return found


@transaction.atomic
def scheme_departures(
    *, actor: Actor, scheme_id: int, start: Any, end: Any, limit: int = 50, offset: int = 0
) -> list[Placement]:
    """The placements that left the scheme in [start, end], with their follow-ups; audited."""
    scheme = own_scheme_records(actor=actor, scheme_id=scheme_id)
    found = list(
        visible_placements(actor)
        .filter(scheme=scheme, departed_on__gte=start, departed_on__lte=end)
        .prefetch_related("follow_ups")
        .order_by("-departed_on", "-pk")[offset : offset + limit]
    )
    record_list_view(
        actor=actor, purpose=f"Scheme departures (API): {scheme.name}", placement_ids=[p.pk for p in found]
    )
    return found


def record_standards_export(*, actor: Actor, scheme: Scheme, start: Any, end: Any, fmt: str) -> None:
    """Every download of a scheme's standards evidence is audited (counts only, but a licensing record)."""
    record_event(
        actor=actor,
        action=AuditAction.EXPORT,
        purpose=f"Standards evidence export: {scheme.name}",
        obj=scheme,
        detail={"from": start.isoformat(), "to": end.isoformat(), "format": fmt},
    )


@transaction.atomic
def scheme_feedback(
    *, actor: Actor, scheme_id: int, start: Any, end: Any, limit: int = 50, offset: int = 0
) -> list[Any]:
    """Feedback about the scheme received in [start, end], latest first; audited with anyone named."""
    from homeward.housing.models import Feedback

    scheme = own_scheme_records(actor=actor, scheme_id=scheme_id)
    found = list(
        Feedback.objects.filter(scheme=scheme, received_on__gte=start, received_on__lte=end)
        .select_related("placement__person")
        .order_by("-received_on", "-pk")[offset : offset + limit]
    )
    record_list_view(
        actor=actor,
        purpose=f"Resident feedback: {scheme.name}",
        placement_ids=sorted({f.placement_id for f in found if f.placement_id}),
    )
    return found


def visible_people_place_cases(actor: Actor) -> QuerySet[PeoplePlaceCase]:
    """People and place cases held by the actor's organisation (they are not shared)."""
    if not actor.can(Permission.VIEW_PERSON):
        return PeoplePlaceCase.objects.none()
    return PeoplePlaceCase.objects.filter(
        organisation_id=actor.organisation_id, person__in=visible_people(actor)
    )


@transaction.atomic  # the read and its audit row commit together, or neither
def get_people_place_case(*, actor: Actor, case_id: int) -> PeoplePlaceCase:
    case = visible_people_place_cases(actor).select_related("person", "opened_by").filter(pk=case_id).first()
    if case is None:
        raise NotFound("No people and place case with that id")
    record_event(
        actor=actor,
        action=AuditAction.VIEW,
        purpose="View a people and place case",
        obj=case,
        person_id=case.person_id,
    )
    return case
