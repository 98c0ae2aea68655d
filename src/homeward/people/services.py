"""Writes to people: one transaction each, validated, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.core.validators import normalise_nhs_number, normalise_postcode
from homeward.governance.access import Actor, shared_fields_of, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

PERSON_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "uprn",
    "phone",
    "email",
    "contact_preference",
    "preferred_language",
    "interpreter_required",
    "accessibility_needs",
)
OLDEST_AGE_YEARS = 125


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(PERSON_FIELDS))
    if unknown:
        raise ValidationFailed({name: "unknown field" for name in unknown})


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("nhs_number",):
        if out.get(name) is not None:
            out[name] = normalise_nhs_number(str(out[name]))
    if out.get("postcode"):
        out["postcode"] = normalise_postcode(out["postcode"])
    for name, value in out.items():
        if isinstance(value, str) and name != "accessibility_needs":
            out[name] = value.strip()
        if value is None and name not in ("date_of_birth",):
            out[name] = "" if name != "interpreter_required" else False
    return out


def _validate(person: Person) -> None:
    errors: dict[str, str] = {}
    try:
        person.full_clean(exclude=["organisation"], validate_unique=True)
    except ValidationError as exc:
        errors.update({field: " ".join(messages) for field, messages in exc.message_dict.items()})
    dob = person.date_of_birth
    if isinstance(dob, dt.date) and "date_of_birth" not in errors:
        today = timezone.localdate()
        if dob > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif dob.year < today.year - OLDEST_AGE_YEARS:
            errors["date_of_birth"] = f"Date of birth must be within the last {OLDEST_AGE_YEARS} years"
    if (
        person.nhs_number
        and "nhs_number" not in errors
        and Person.objects.filter(organisation_id=person.organisation_id, nhs_number=person.nhs_number)
        .exclude(pk=person.pk)
        .exists()
    ):
        errors["__all__"] = "duplicate"
    if "__all__" in errors:  # a unique constraint: the only one on Person is the NHS number per organisation
        errors["nhs_number"] = "A person with this NHS number is already registered by your organisation"
        del errors["__all__"]
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def register_person(*, actor: Actor, **fields: Any) -> Person:
    """Create a person record held by the actor's organisation."""
    actor.require(Permission.EDIT_PERSON)
    _check_fields(fields)
    person = Person(organisation_id=actor.organisation_id, **_normalise(fields))
    _validate(person)
    person.save()
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Register a person",
        obj=person,
        person_id=person.pk,
        detail={"fields": sorted(k for k, v in fields.items() if v not in ("", None))},
    )
    return person


@transaction.atomic
def update_person(*, actor: Actor, person_id: int, changes: dict[str, Any]) -> Person:
    """Change some fields of a person the actor can see; records which fields changed, not their values."""
    actor.require(Permission.EDIT_PERSON)
    _check_fields(changes)
    person = visible_people(actor).select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    if shared_fields_of(actor, person) is not None:
        raise NotAllowed("Only part of this record was shared with your organisation; ask the holder")
    normalised = _normalise(changes)
    changed = sorted(name for name, value in normalised.items() if getattr(person, name) != value)
    for name, value in normalised.items():
        setattr(person, name, value)
    _validate(person)
    person.save()
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Update a person's details",
        obj=person,
        person_id=person.pk,
        detail={"changed": changed},
    )
    return person
