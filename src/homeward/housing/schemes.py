"""Writes for schemes and their units: set up a scheme, add units, mark a unit void or out of use.

A unit's status says what it is when empty; nobody may mark an occupied unit void or out of use (move the
resident first), so the status never contradicts the stays. Each spell out of use is kept as an interval
(`UnitOutOfUse`), opened and closed here, so the occupancy figures leave those nights out of the lettable
ones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.codes import SchemeType, Staffing, UnitStatus, VoidReason
from homeward.housing.models import Occupancy, Scheme, Unit, UnitOutOfUse
from homeward.housing.occupancy import overlapping


def check_text(errors: dict[str, str], field: str, value: str, limit: int, *, required: str = "") -> None:
    if required and not value.strip():
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Must be {limit} characters or fewer"


@transaction.atomic
def create_scheme(
    *,
    actor: Actor,
    name: str,
    scheme_type: str,
    staffing: str,
    contracted_units: int,
    commissioner_id: int | None = None,
    address: str = "",
    plan_within_days: int = 28,
    review_every_days: int = 91,
) -> Scheme:
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 200, required="Give the scheme a name")
    check_choice(errors, "scheme_type", scheme_type, SchemeType)
    check_choice(errors, "staffing", staffing, Staffing)
    if not 0 <= contracted_units <= 2000:
        errors["contracted_units"] = "Enter the contracted units, from 0 to 2000"
    if not 1 <= plan_within_days <= 90:
        errors["plan_within_days"] = "Enter the days to a support plan, from 1 to 90"
    if not 7 <= review_every_days <= 366:
        errors["review_every_days"] = "Enter the days between reviews, from 7 to 366"
    check_text(errors, "address", address, 300)
    if commissioner_id is not None and not Organisation.objects.filter(pk=commissioner_id).exists():
        errors["commissioner_id"] = "No organisation with that id"
    if errors:
        raise ValidationFailed(errors)
    scheme = Scheme.objects.create(
        organisation_id=actor.organisation_id,
        name=name.strip(),
        scheme_type=scheme_type,
        staffing=staffing,
        contracted_units=contracted_units,
        commissioner_id=commissioner_id,
        address=address.strip(),
        plan_within_days=plan_within_days,
        review_every_days=review_every_days,
    )
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose="Set up a supported housing scheme", obj=scheme
    )
    return scheme


@transaction.atomic
def add_unit(*, actor: Actor, scheme_id: int, name: str, in_use_from: dt.date) -> Unit:
    actor.require(Permission.EDIT_PERSON)
    scheme = Scheme.objects.filter(pk=scheme_id, organisation_id=actor.organisation_id).first()
    if scheme is None:
        raise NotFound("No scheme with that id")
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 50, required="Name the unit (for example, Room 12)")
    if not errors and scheme.units.filter(name=name.strip()).exists():
        errors["name"] = f"{scheme.name} already has a unit called {name.strip()}"
    if errors:
        raise ValidationFailed(errors)
    unit = Unit.objects.create(
        scheme=scheme, name=name.strip(), status_since=in_use_from, in_use_from=in_use_from
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Add a unit to a scheme", obj=unit)
    return unit


def is_occupied(unit: Unit, on: dt.date) -> bool:
    return (
        Occupancy.objects.filter(unit=unit, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exists()
    )


@transaction.atomic
def set_unit_status(
    *,
    actor: Actor,
    unit_id: int,
    status: str,
    void_reason: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> Unit:
    """Mark an empty unit ready to let, void (with its reason) or out of use (with a note saying why)."""
    actor.require(Permission.EDIT_PERSON)
    unit = (
        Unit.objects.select_for_update()
        .filter(pk=unit_id, scheme__organisation_id=actor.organisation_id)
        .select_related("scheme")
        .first()
    )
    if unit is None:
        raise NotFound("No unit with that id")
    day = on or timezone.localdate()
    errors: dict[str, str] = {}
    check_choice(errors, "status", status, UnitStatus)
    if status == UnitStatus.VOID:
        if not void_reason:
            errors["void_reason"] = "Say why the unit is void"
        else:
            check_choice(errors, "void_reason", void_reason, VoidReason)
    elif void_reason:
        errors["void_reason"] = "Only a void unit has a void reason"
    check_text(
        errors,
        "note",
        note,
        300,
        required="Say why the unit is out of use" if status == UnitStatus.OUT_OF_USE else "",
    )
    if day > timezone.localdate():
        errors["on"] = "The date cannot be in the future"
    if not errors and status != UnitStatus.READY_TO_LET and is_occupied(unit, day):
        errors["status"] = f"{unit.name} is occupied: record the resident's move or departure first"
    spell = unit.out_of_use_spells.filter(ends_on__isnull=True).first()
    if not errors:
        _check_spell_dates(errors, unit, status, day, spell)
    if errors:
        raise ValidationFailed(errors)
    if spell is not None and status != UnitStatus.OUT_OF_USE:
        spell.ends_on = day
        spell.save(update_fields=["ends_on"])
    elif spell is not None:
        spell.note = note.strip()
        spell.save(update_fields=["note"])
    elif status == UnitStatus.OUT_OF_USE:
        UnitOutOfUse.objects.create(unit=unit, starts_on=day, note=note.strip())
    unit.status, unit.void_reason, unit.status_note, unit.status_since = (
        status,
        void_reason,
        note.strip(),
        day,
    )
    unit.save(update_fields=["status", "void_reason", "status_note", "status_since"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Change a unit's status",
        obj=unit,
        detail={"status": status, "void_reason": void_reason},
    )
    return unit


def _check_spell_dates(
    errors: dict[str, str], unit: Unit, status: str, day: dt.date, spell: UnitOutOfUse | None
) -> None:
    """A spell out of use ends after it began, and a new one neither starts inside an earlier one nor
    covers a night someone lived in the unit."""
    if spell is not None and status != UnitStatus.OUT_OF_USE and day <= spell.starts_on:
        errors["on"] = f"{unit.name} has been out of use since {spell.starts_on:%-d %b %Y}: give a later date"
    if spell is None and status == UnitStatus.OUT_OF_USE:
        last = unit.out_of_use_spells.order_by("-ends_on").values_list("ends_on", flat=True).first()
        if last is not None and day < last:
            errors["on"] = f"{unit.name} was out of use until {last:%-d %b %Y}: give that date or later"
        elif Occupancy.objects.filter(overlapping(unit.pk, day, None)).exists():
            errors["on"] = f"Someone lived in {unit.name} after that date: give a date after they left"
