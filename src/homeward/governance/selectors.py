"""Reads for governance pages and the API."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, AuditEvent, DataSharingAgreement

AUDIT_PAGE = 100


def agreements_for(actor: Actor) -> QuerySet[DataSharingAgreement]:
    """Agreements the actor's organisation is party to."""
    actor.require(Permission.VIEW_AGREEMENTS)
    return (
        DataSharingAgreement.objects.filter(parties=actor.organisation_id)
        .prefetch_related("parties")
        .distinct()
    )


def get_agreement(*, actor: Actor, agreement_id: int) -> DataSharingAgreement:
    agreement = agreements_for(actor).filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound("No agreement with that id")
    return agreement


@transaction.atomic  # the read and its audit row commit together, or neither
def audit_events_for(
    actor: Actor,
    *,
    person_id: int | None = None,
    username: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events by the IG officer's organisation's staff, or about people it holds. Viewing is audited."""
    actor.require(Permission.VIEW_AUDIT)
    held = Person.objects.filter(organisation_id=actor.organisation_id).values("pk")
    events = AuditEvent.objects.filter(Q(organisation_id=actor.organisation_id) | Q(person_id__in=held))
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if username:
        events = events.filter(actor_username__iexact=username)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Review the audit trail",
        person_id=person_id,
        detail={
            "filters": {
                "person_id": person_id,
                "username": username,
                "action": action,
                "since": since,
                "until": until,
            }
        },
    )
    return events.order_by("-sequence")
