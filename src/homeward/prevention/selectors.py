"""Reads of concerns and alerts, through the access layer: both are held by the organisation that raised
them (a concern is also seen by the organisation holding the person's record)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.prevention.models import Concern, RiskAlert


def visible_concerns(actor: Actor) -> QuerySet[Concern]:
    if not actor.can(Permission.VIEW_PERSON):
        return Concern.objects.none()
    return Concern.objects.filter(
        Q(organisation_id=actor.organisation_id) | Q(person__organisation_id=actor.organisation_id)
    ).filter(person__in=visible_people(actor))


def visible_alerts(actor: Actor) -> QuerySet[RiskAlert]:
    if not actor.can(Permission.VIEW_PERSON):
        return RiskAlert.objects.none()
    return RiskAlert.objects.filter(organisation_id=actor.organisation_id)


@transaction.atomic  # the read and its audit row commit together, or neither
def get_alert(*, actor: Actor, alert_id: int) -> RiskAlert:
    alert = (
        visible_alerts(actor).select_related("person", "tenancy", "decided_by").filter(pk=alert_id).first()
    )
    if alert is None:
        raise NotFound("No alert with that id")
    record_event(
        actor=actor,
        action=AuditAction.VIEW,
        purpose="View a tenancy-trigger alert",
        obj=alert,
        person_id=alert.person_id,
        detail={"tenancy_ref": alert.tenancy_ref},
    )
    return alert


def record_list_view(*, actor: Actor, purpose: str, people: list[int], detail: dict[str, object]) -> None:
    record_event(actor=actor, action=AuditAction.SEARCH, purpose=purpose, detail=detail | {"people": people})


def today_items(actor: Actor) -> list[Any]:
    """Risk alerts not yet decided, for the home page (whoever triages them)."""
    from django.urls import reverse

    from homeward.casework.today import TodayItem

    if not actor.can(Permission.EDIT_PERSON):
        return []
    open_alerts = visible_alerts(actor).filter(decided_on__isnull=True).count()
    return [TodayItem("Risk alerts to triage", open_alerts, reverse("prevention:alerts"))]
