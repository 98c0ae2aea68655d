"""What Hospital to Home adds to a person's timeline and to their subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict

from homeward.core.models import Person
from homeward.core.timeline import TimelineEntry
from homeward.discharge.models import DischargeCase
from homeward.discharge.selectors import visible_cases
from homeward.governance.access import Actor


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    cases = visible_cases(actor).filter(person=person).select_related("hospital").prefetch_related("events")
    for case in cases:
        for event in case.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{case.reference}: {event.title}", event.note[:200], "discharge"
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [
        model_to_dict(case)
        | {
            "reference": case.reference,
            "blockers": [model_to_dict(b) for b in case.blockers.all()],
            "follow_ups": [model_to_dict(t) for t in case.follow_ups.all()],
            "timeline": [model_to_dict(e) for e in case.events.all()],
            "screen": model_to_dict(case.screen) if hasattr(case, "screen") else None,
        }
        for case in DischargeCase.objects.filter(person=person)
    ]
