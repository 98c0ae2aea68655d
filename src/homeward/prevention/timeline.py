"""What prevention adds to a person's timeline and subject access export: concerns and alerts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.housing.services import people_place_case_for_source
from homeward.people.timeline import TimelineEntry, at_midnight
from homeward.prevention.codes import ALERT_SOURCE, AlertDecision
from homeward.prevention.models import Concern, RiskAlert
from homeward.prevention.selectors import visible_alerts, visible_concerns


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for concern in visible_concerns(actor).filter(person=person).select_related("raised_by"):
        yield TimelineEntry(
            concern.raised_at,
            f"Concern raised: {concern.get_category_display()}",
            concern.seen[:200],
            "concern",
        )
    for alert in visible_alerts(actor).filter(person=person).select_related("run"):
        yield TimelineEntry(
            alert.run.ran_at,
            f"Tenancy-trigger alert (score {alert.score:g})",
            "; ".join(alert.reasons),
            "alert",
            f"/prevention/alerts/{alert.pk}/",
        )
        if alert.decision == AlertDecision.PEOPLE_PLACE and alert.decided_on:
            case = people_place_case_for_source(actor, ALERT_SOURCE, alert.pk)
            yield TimelineEntry(
                at_midnight(alert.decided_on),
                "Tenancy-trigger alert decided: people and place case opened",
                case.reference if case else "",
                "alert",
                reverse("housing:people_place", args=[case.pk])
                if case
                else f"/prevention/alerts/{alert.pk}/",
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [model_to_dict(c) | {"kind": "concern"} for c in Concern.objects.filter(person=person)] + [
        model_to_dict(a) | {"kind": "tenancy-trigger alert"} for a in RiskAlert.objects.filter(person=person)
    ]
