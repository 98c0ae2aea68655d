"""Writes for units and beds: set up a unit and its beds, and set a bed's status (clean, reserve, close).

"Occupied" is never set here: it follows from an open occupancy interval (`services.admit`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement import board_version
from homeward.reablement.codes import BedStatus, BedType, ReablementStatus, StaffingModel
from homeward.reablement.models import Bed, Unit
from homeward.reablement.selectors import visible_referrals
from homeward.reablement.services import check_text


@transaction.atomic
def create_unit(
    *,
    actor: Actor,
    name: str,
    address: str,
    commissioned_beds: int,
    staffing_model: str,
    bed_labels: list[str],
    postcode: str = "",
    commissioner_id: int | None = None,
) -> Unit:
    """A unit run by the actor's organisation, with its beds (standard until typed otherwise)."""
    actor.require(Permission.MANAGE_ORGANISATION)
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 200, required="Give the unit a name")
    check_text(errors, "address", address, 300, required="Give the unit's address")
    check_choice(errors, "staffing_model", staffing_model, StaffingModel)
    if not 1 <= commissioned_beds <= 200:
        errors["commissioned_beds"] = "Commissioned beds must be between 1 and 200"
    labels = [label.strip() for label in bed_labels if label.strip()]
    if not labels or len(labels) > 200 or len(set(labels)) != len(labels) or max(map(len, labels)) > 20:
        errors["bed_labels"] = "Give 1 to 200 different bed labels of up to 20 characters"
    if commissioner_id is not None and not Organisation.objects.filter(pk=commissioner_id).exists():
        errors["commissioner_id"] = "No organisation with that id"
    if errors:
        raise ValidationFailed(errors)
    unit = Unit.objects.create(
        organisation_id=actor.organisation_id,
        commissioner_id=commissioner_id,
        name=name.strip(),
        address=address.strip(),
        postcode=postcode.strip().upper()[:8],
        commissioned_beds=commissioned_beds,
        staffing_model=staffing_model,
    )
    Bed.objects.bulk_create([Bed(unit=unit, label=label) for label in labels])
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Set up a reablement unit", obj=unit)
    return unit


@transaction.atomic
def set_bed_status(
    *,
    actor: Actor,
    bed_id: int,
    status: str,
    reason: str = "",
    on: dt.date | None = None,
    referral_id: int | None = None,
    bed_type: str = "",
) -> Bed:
    """Mark a bed clean, awaiting clean, reserved for a named referral, or closed (with reason and date)."""
    actor.require(Permission.EDIT_PERSON)
    bed = Bed.objects.select_for_update().select_related("unit").filter(pk=bed_id).first()
    if bed is None:
        raise NotFound("No bed with that id")
    if bed.unit.organisation_id != actor.organisation_id:
        raise NotAllowed("Only the unit's own staff change its beds")
    errors: dict[str, str] = {}
    check_choice(errors, "status", status, BedStatus)
    check_choice(errors, "bed_type", bed_type, BedType, blank=True)
    if bed.occupancies.filter(ended_at__isnull=True).exists() and status != bed.status:
        errors["status"] = f"Bed {bed.label} is occupied: discharge or move the person first"
    referral = None
    if status == BedStatus.RESERVED:
        referral = (
            visible_referrals(actor)
            .filter(
                pk=referral_id,
                unit_id=bed.unit_id,
                status__in=(ReablementStatus.REFERRED, ReablementStatus.ACCEPTED),
            )
            .first()
            if referral_id
            else None
        )
        if referral is None:
            errors["referral_id"] = "Choose the waiting referral the bed is reserved for"
    if status == BedStatus.CLOSED:
        check_text(errors, "reason", reason, 200, required="Say why the bed is closed")
        if on is None:
            errors["on"] = "Enter the date the bed closed"
        else:
            check_date(errors, "on", on, label="Closing date")
            if on > timezone.localdate():
                errors["on"] = "Closing date cannot be in the future"
    if errors:
        raise ValidationFailed(errors)
    bed.status = status
    bed.reserved_for = referral
    bed.closed_reason = reason.strip() if status == BedStatus.CLOSED else ""
    bed.closed_on = on if status == BedStatus.CLOSED else None
    if bed_type:
        bed.bed_type = bed_type
    bed.save()
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Set a reablement bed's status",
        obj=bed,
        person_id=referral.person_id if referral else None,
        detail={"status": status},
    )
    board_version.changed(bed.unit_id)
    return bed
