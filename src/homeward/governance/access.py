"""The access layer: the only way to reach personal data.

An actor (a user acting through one membership) sees a person when
  * the person's record is held by the actor's organisation, or
  * the actor's organisation takes part in a case about the person (an open Participation) AND a
    data-sharing agreement between the holding organisation and the actor's organisation is in force today.
Nothing else. Roles further narrow what may be done (see homeward.core.roles).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from homeward.core.errors import NotAllowed
from homeward.core.models import Membership, Organisation, Person, User
from homeward.core.roles import Permission, role_can
from homeward.governance.models import AgreementStatus, DataSharingAgreement, Participation

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Actor:
    """Who is acting, for which organisation, in which role."""

    user: User
    membership: Membership

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def organisation_id(self) -> int:
        return self.membership.organisation_id

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, permission: Permission) -> bool:
        return role_can(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise NotAllowed(
                f"Your role ({self.membership.get_role_display()}) cannot {permission.replace('_', ' ')}"
            )


def agreements_in_force(on: dt.date | None = None) -> QuerySet[DataSharingAgreement]:
    on = on or timezone.localdate()
    return DataSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def has_active_agreement(
    first: Organisation | int, second: Organisation | int, on: dt.date | None = None
) -> bool:
    return agreements_in_force(on).filter(parties=first).filter(parties=second).exists()


def partners_in_force(organisation_id: int) -> QuerySet[Any]:
    """Ids of the organisations that share an agreement in force with this one (itself included)."""
    parties = DataSharingAgreement.parties.through.objects
    return parties.filter(
        datasharingagreement__in=agreements_in_force().filter(parties=organisation_id)
    ).values("organisation_id")


def shared_participations(organisation_id: int) -> QuerySet[Participation]:
    """Open participations of an organisation that an agreement with the case's holder covers today.

    Open means not ended, or ending later (after a completed referral, sight lasts for the retention
    window: governance.services.end_participations sets the end ahead).

    The partner list is an uncorrelated subquery, so the database works it out once per query, not once per
    row it checks (a worklist checks hundreds of cases)."""
    return Participation.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()),
        organisation_id=organisation_id,
        owner_id__in=partners_in_force(organisation_id),
    )


def shared_case_ids(organisation_id: int, case_type: str) -> QuerySet[Any]:
    """Ids of the cases of one type that an organisation takes part in under an agreement in force."""
    return shared_participations(organisation_id).filter(case_type=case_type).values("case_id")


def visible_case_rows(cases: QuerySet[M], actor: Actor, case_type: str) -> QuerySet[M]:
    """Cases (of a model with an `organisation`, the holder) that the actor's organisation holds or takes
    part in under an agreement in force: the one filter every casework app's `visible_cases` applies."""
    shared = shared_participations(actor.organisation_id).filter(case_type=case_type, case_id=OuterRef("pk"))
    return cases.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def visible_case_parts(cases: QuerySet[M], actor: Actor, case_type: str) -> tuple[QuerySet[M], QuerySet[M]]:
    """`visible_case_rows` as two disjoint parts: the cases the organisation holds, and those other holders
    share with it. Their union is exactly `visible_case_rows`, so a count is the sum of the two counts.

    Each part can use its own index (the holder's (organisation, status) index; the participation's case
    ids), where the OR of the one-filter form makes PostgreSQL test every row of the table that the other
    conditions leave (it cannot use an index for "held by us OR shared with us")."""
    own = cases.filter(organisation_id=actor.organisation_id)
    shared = cases.filter(pk__in=shared_case_ids(actor.organisation_id, case_type)).exclude(
        organisation_id=actor.organisation_id
    )
    return own, shared


def visible_people(actor: Actor) -> QuerySet[Person]:
    """Every person the actor may see. Empty for roles that may not see identifiable records."""
    if not actor.can(Permission.VIEW_PERSON):
        return Person.objects.none()
    shared = shared_participations(actor.organisation_id).filter(person_id=OuterRef("pk"))
    return Person.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def fully_visible_people(actor: Actor) -> QuerySet[Person]:
    """People whose whole record the actor may see: held by its organisation, or shared without limits.

    Someone known only through a referral that shared a few fields is left out, so that searching by a
    field the referral did not share cannot find them (or confirm that field)."""
    if not actor.can(Permission.VIEW_PERSON):
        return Person.objects.none()
    shared = shared_participations(actor.organisation_id).filter(person_id=OuterRef("pk"), fields=[])
    return Person.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


def fully_visible_people_parts(actor: Actor) -> list[QuerySet[Person]]:
    """`fully_visible_people` as its two parts, the organisation's own records and those shared with it in
    full, for a search that reads each from its own index and merges them (their union is exactly
    `fully_visible_people`)."""
    if not actor.can(Permission.VIEW_PERSON):
        return []
    # The shared part keeps fully_visible_people's "own OR EXISTS shared" form: the OR keeps the
    # participation check a hashed subplan tested along a name-ordered index scan, where a plain semi-join
    # would read every participation of the organisation (tens of thousands) and sort.
    return [
        Person.objects.filter(organisation_id=actor.organisation_id),
        fully_visible_people(actor).exclude(organisation_id=actor.organisation_id),
    ]


def shared_fields_of(actor: Actor, person: Person) -> frozenset[str] | None:
    """The groups of a person's record the actor may see (see governance.fields); None means all of it."""
    if person.organisation_id == actor.organisation_id:
        return None
    groups: set[str] = set()
    for fields in (
        shared_participations(actor.organisation_id)
        .filter(person_id=person.pk)
        .values_list("fields", flat=True)
    ):
        if not fields:
            return None
        groups.update(fields)
    return frozenset(groups)


def can_see_person(actor: Actor, person_id: int) -> bool:
    return visible_people(actor).filter(pk=person_id).exists()
