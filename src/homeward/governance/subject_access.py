"""Subject access: everything Homeward holds on one person, as JSON (UK GDPR Art 15).

Modules add their own sections with `register_section`, so a new module's data is never forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.models import model_to_dict
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_fields_of, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, AuditEvent

Section = Callable[[Person], Any]
_SECTIONS: dict[str, Section] = {}


def register_section(name: str, builder: Section) -> None:
    _SECTIONS[name] = builder


def _rows(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [model_to_dict(obj, exclude=list(exclude)) | {"id": obj.pk} for obj in queryset]


def _core_sections(person: Person) -> dict[str, Any]:
    return {
        "person": model_to_dict(person) | {"id": person.pk, "held_by": person.organisation.name},
        "tenancies": [
            model_to_dict(t) | {"address": str(t.property)}
            for t in person.tenancies.select_related("property")
        ],
        "consents": _rows(person.consents.all()),
        "shared_with": [
            {
                "organisation": p.organisation.name,
                "case_type": p.case_type,
                "started_at": p.started_at,
                "ended_at": p.ended_at,
                "reason": p.reason,
            }
            for p in person.participations.select_related("organisation")
        ],
        "access_log": [
            {"when": e.occurred_at, "who": e.actor_username, "action": e.action, "purpose": e.purpose}
            for e in AuditEvent.objects.filter(person_id=person.pk).order_by("sequence")
        ],
    }


def export_subject_access(*, actor: Actor, person_id: int) -> dict[str, Any]:
    actor.require(Permission.EXPORT_SUBJECT_ACCESS)
    person = visible_people(actor).select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    if shared_fields_of(actor, person) is not None:
        raise NotAllowed("Only part of this record was shared with your organisation; ask the holder")
    document: dict[str, Any] = {
        "generated_at": timezone.now(),
        "generated_by": actor.user.username,
        "organisation": actor.organisation.name,
        **_core_sections(person),
    }
    for name, builder in sorted(_SECTIONS.items()):
        document[name] = builder(person)
    record_event(
        actor=actor,
        action=AuditAction.EXPORT,
        purpose="Subject access request",
        obj=person,
        person_id=person.pk,
        detail={"sections": sorted(document)},
    )
    return document
