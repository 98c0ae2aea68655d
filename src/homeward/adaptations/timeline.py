"""What adaptations cases add to a person's timeline, their open work and their subject access export,
and how a referral finds the case it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.adaptations.models import OPEN_STATUSES, AdaptationCase
from homeward.adaptations.selectors import visible_cases
from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import OpenItem, TimelineEntry
from homeward.referrals.sources import Source


def referral_source(actor: Actor, case_id: int) -> Source | None:
    """An adaptations case that an onward referral comes from, if the actor may see it."""
    case = visible_cases(actor).filter(pk=case_id).values("pk", "person_id").first()
    if case is None:
        return None
    return Source(f"ADP-{case_id:06d}", reverse("adaptations:case", args=[case_id]), case["person_id"])


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for case in visible_cases(actor).filter(person=person).prefetch_related("events"):
        url = reverse("adaptations:case", args=[case.pk])
        for event in case.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{case.reference}: {event.title}", event.note[:200], "adaptations", url
            )


def open_cases(actor: Any, person: Any) -> list[OpenItem]:
    """The person's open adaptations cases the actor can see, for the person page."""
    cases = visible_cases(actor).filter(person_id=person.pk, status__in=OPEN_STATUSES).order_by("-opened_at")
    return [
        OpenItem(
            "adaptations",
            f"Adaptations {case.reference} ({case.get_status_display()})",
            reverse("adaptations:case", args=[case.pk]),
        )
        for case in cases[:5]
    ]


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [
        model_to_dict(case)
        | {"reference": case.reference, "timeline": [model_to_dict(e) for e in case.events.all()]}
        for case in AdaptationCase.objects.filter(person=person)
    ]
