"""Reads of linkage data, through the agreement: a party sees its own records, and of the other party's
record only the fields the agreement lets linkage compare. Every read of a pair is audited for both
people; a pair outside the actor's reach is NotFound (404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.dateformat import format as date_format

from homeward.casework.today import TodayItem
from homeward.core.errors import NotFound
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.engines.linkage import FIELD_LABELS
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, DataSharingAgreement, SharingPurpose
from homeward.linkage.codes import WAITING, AlertStatus
from homeward.linkage.models import LinkageRun, LinkPair, PairDecision, TenantInHospitalAlert
from homeward.linkage.records import record_values, usable_fields
from homeward.people.timeline import KnownElsewhere


def agreements_allowing(actor: Actor, purpose: str) -> list[DataSharingAgreement]:
    """Agreements in force today that the actor's organisation is party to and that name `purpose`."""
    found = agreements_in_force().filter(parties=actor.organisation_id).prefetch_related("parties")
    return [a for a in found.order_by("reference") if a.allows(purpose)]


def visible_pairs(actor: Actor) -> QuerySet[LinkPair]:
    """Pairs under an agreement in force naming linkage, where the actor's organisation holds one side."""
    if not actor.can(Permission.REVIEW_LINKS):
        return LinkPair.objects.none()
    ids = [a.pk for a in agreements_allowing(actor, SharingPurpose.LINKAGE)]
    own = actor.organisation_id
    return LinkPair.objects.filter(agreement_id__in=ids).filter(
        Q(left__organisation_id=own) | Q(right__organisation_id=own)
    )


def review_queue(actor: Actor) -> QuerySet[LinkPair]:
    """Pairs waiting for a reviewer, most likely first."""
    return (
        visible_pairs(actor)
        .filter(status__in=WAITING)
        .select_related("left__organisation", "right__organisation", "agreement")
        .order_by("-match_probability", "pk")
    )


@dataclass
class RecordSide:
    person: Person
    organisation: str
    own: bool
    values: list[tuple[str, str]]  # (label, value) for the fields shown


@dataclass
class PairView:
    pair: LinkPair
    own: RecordSide
    other: RecordSide
    fields: list[str]
    contributions: list[dict[str, Any]]
    chart: dict[str, Any] | None
    decisions: list[PairDecision] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(field, own value, other party's value), for the side-by-side table."""
        return [
            (label, mine, theirs)
            for (label, mine), (_, theirs) in zip(self.own.values, self.other.values, strict=True)
        ]


def _side(person: Person, fields: list[str], own: bool) -> RecordSide:
    values = record_values(person, fields)
    if values.get("date_of_birth"):
        values["date_of_birth"] = date_format(person.date_of_birth, "j F Y")
    return RecordSide(
        person=person,
        organisation=person.organisation.name,
        own=own,
        values=[(FIELD_LABELS[f], values[f] or "Not recorded") for f in fields],
    )


@transaction.atomic  # the read and its audit rows commit together, or neither
def get_pair(*, actor: Actor, pair_id: int) -> PairView:
    pair = (
        visible_pairs(actor)
        .select_related("left__organisation", "right__organisation", "agreement", "decided_by")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        raise NotFound("No pair with that id")
    sides = pair.side_of(actor.organisation_id)
    assert sides is not None  # visible_pairs keeps only pairs with one side held by the actor
    own, other = sides
    fields = usable_fields(pair.agreement.linkage_fields)
    for person in (own, other):
        record_event(
            actor=actor,
            action=AuditAction.VIEW,
            purpose="Review a possible person link",
            obj=pair,
            person_id=person.pk,
            detail={"agreement": pair.agreement.reference, "fields": fields},
        )
    explanation = pair.explanation or {}
    return PairView(
        pair=pair,
        own=_side(own, fields, True),
        other=_side(other, fields, False),
        fields=fields,
        contributions=list(explanation.get("contributions", [])),
        chart=explanation.get("chart"),
        decisions=list(pair.decisions.select_related("decided_by", "organisation")),
    )


def record_queue_view(*, actor: Actor, pairs: list[LinkPair]) -> None:
    people = sorted({p.left_id for p in pairs} | {p.right_id for p in pairs})
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="List possible person links for review",
        detail={"pairs": [p.pk for p in pairs], "people": people},
    )


def runs_for(actor: Actor) -> dict[int, LinkageRun | None]:
    """The latest run of each linkage agreement the actor's organisation is party to."""
    out: dict[int, LinkageRun | None] = {}
    for agreement in agreements_allowing(actor, SharingPurpose.LINKAGE):
        out[agreement.pk] = LinkageRun.objects.filter(agreement=agreement).first()
    return out


def visible_alerts(actor: Actor) -> QuerySet[TenantInHospitalAlert]:
    """The organisation's tenant-in-hospital alerts, while an agreement naming that purpose is in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return TenantInHospitalAlert.objects.none()
    ids = [a.pk for a in agreements_allowing(actor, SharingPurpose.TENANT_IN_HOSPITAL)]
    return TenantInHospitalAlert.objects.filter(organisation_id=actor.organisation_id, agreement_id__in=ids)


def open_alerts(actor: Actor) -> QuerySet[TenantInHospitalAlert]:
    return (
        visible_alerts(actor)
        .exclude(status=AlertStatus.CLOSED)
        .select_related("tenant", "agreement")
        .order_by("status", "-admitted_on", "-pk")
    )


def record_alerts_view(*, actor: Actor, alerts: list[TenantInHospitalAlert]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="List tenant-in-hospital alerts",
        detail={"alerts": [a.pk for a in alerts], "people": sorted({a.tenant_id for a in alerts})},
    )


def today_items(actor: Actor) -> list[TodayItem]:
    items: list[TodayItem] = []
    if actor.can(Permission.VIEW_PERSON):
        new = visible_alerts(actor).filter(status=AlertStatus.OPEN).count()
        if new:
            items.append(TodayItem("Tenants in hospital (new)", new, reverse("linkage:alerts"), urgent=True))
    if actor.can(Permission.REVIEW_LINKS):
        waiting = visible_pairs(actor).filter(status__in=WAITING).count()
        items.append(TodayItem("Possible person links to review", waiting, reverse("linkage:review")))
    return items


def linked_organisations(actor: Actor, person_id: int) -> list[str]:
    """Names of the other parties holding a record linked to this person (never their records), under
    agreements in force naming 'linked parties'."""
    from homeward.linkage.models import PersonIdentity

    names: set[str] = set()
    for agreement in agreements_allowing(actor, SharingPurpose.LINKED_PARTIES):
        mine = PersonIdentity.objects.filter(agreement=agreement, person_id=person_id).first()
        if mine is None:
            continue
        others = PersonIdentity.objects.filter(agreement=agreement, identity=mine.identity).exclude(
            person__organisation_id=actor.organisation_id
        )
        names.update(others.values_list("person__organisation__name", flat=True))
    return sorted(names)


def known_elsewhere(actor: Actor, person_id: int) -> list[KnownElsewhere]:
    """The case view: the other parties holding a record linked to this person, and whether each is working
    with the person now (an open case or referral on its own record: `parties.working_with`), under
    agreements in force naming 'linked parties'. Names only, never their records."""
    from homeward.linkage.models import PersonIdentity
    from homeward.linkage.parties import working_with

    held: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for agreement in agreements_allowing(actor, SharingPurpose.LINKED_PARTIES):
        mine = PersonIdentity.objects.filter(agreement=agreement, person_id=person_id).first()
        if mine is None:
            continue
        others = PersonIdentity.objects.filter(agreement=agreement, identity=mine.identity).exclude(
            person__organisation_id=actor.organisation_id
        )
        for other_id, org_id, name in others.values_list(
            "person_id", "person__organisation_id", "person__organisation__name"
        ):
            held.setdefault(org_id, set()).add(other_id)
            names[org_id] = name
    return sorted(
        (KnownElsewhere(names[org], org in working_with(records)) for org, records in held.items()),
        key=lambda k: k.organisation,
    )


def analytics_keys(actor: Actor, agreement: DataSharingAgreement) -> dict[int, str]:
    """For analytics under `agreement`: every linked record's person id → its identity's pseudonymised key
    (HMAC of the identity id under the installation's secret; `linkage.analytics.identity_key`). Records of
    one person held by different parties get the same key, so outcomes can be joined across parties
    without names. The person ids are for joining inside Homeward (e.g. the evaluation app) and must never
    be shown to an analyst: show the keys. NotFound unless the actor may see pseudonymised data and the
    agreement is in force, has the actor's organisation as a party and names analytics (and linkage).
    Audited (counts only)."""
    from homeward.linkage import analytics

    allowed = analytics.analytics_agreement(actor, agreement.pk)
    keys = analytics.identity_keys(allowed)
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Pseudonymised identity keys for analytics",
        obj=allowed,
        detail={"agreement": allowed.reference, "records": len(keys), "identities": len(set(keys.values()))},
    )
    return keys
