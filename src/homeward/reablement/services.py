"""Writes for the reablement journey: refer, decide, admit to a bed, move beds, discharge and record a
readmission. Each is one transaction, validates its input (errors name the field), writes the journey's
timeline and the audit trail, and goes through the access layer; a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor, has_active_agreement, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, ConsentPurpose, Participation
from homeward.governance.services import check_sharing_basis, record_sharing_consent
from homeward.reablement import board_version
from homeward.reablement.codes import (
    HOME_DESTINATIONS,
    BedStatus,
    ReablementStatus,
    ReferralSource,
    StayDestination,
    StayStatus,
)
from homeward.reablement.lifecycle import FOLLOW_UP_DAYS, REFERRAL, STAY
from homeward.reablement.models import Bed, FollowUp, Occupancy, Referral, ReferralEvent, Stay, Unit
from homeward.reablement.occupancy import check_bed_free
from homeward.reablement.selectors import CASE_TYPE, visible_referrals, visible_stays


def journey_event(referral: Referral, actor: Actor, title: str, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title,
        note=note[:2000],
    )


def check_text(errors: dict[str, str], field: str, value: str, limit: int, *, required: str = "") -> None:
    if required and not value.strip():
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Must be {limit} characters or fewer"


def check_moment(errors: dict[str, str], field: str, value: dt.datetime, label: str) -> None:
    if timezone.is_naive(value):
        errors[field] = f"{label} needs a time zone"
    elif value > timezone.now() + dt.timedelta(minutes=5):
        errors[field] = f"{label} cannot be in the future"
    check_date(errors, field, value, label=label)


def locked_referral(actor: Actor, referral_id: int) -> Referral:
    actor.require(Permission.EDIT_PERSON)
    referral = visible_referrals(actor).select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("No reablement referral with that id")
    return referral


def locked_stay(actor: Actor, stay_id: int) -> Stay:
    actor.require(Permission.EDIT_PERSON)
    stay = visible_stays(actor).select_for_update().select_related("referral").filter(pk=stay_id).first()
    if stay is None:
        raise NotFound("No reablement stay with that id")
    return stay


def locked_bed(unit_id: int, bed_id: int | None, errors: dict[str, str]) -> Bed | None:
    """The bed, row-locked so two admissions to it queue, if it is in the unit."""
    bed = Bed.objects.select_for_update().filter(pk=bed_id, unit_id=unit_id).first() if bed_id else None
    if bed is None:
        errors["bed_id"] = "Choose a bed in this unit"
    return bed


def _linked_discharge_case(actor: Actor, person_id: int, case_id: int, errors: dict[str, str]) -> None:
    """A Hospital to Home case continues here only for the same patient on pathway 2."""
    from homeward.discharge.selectors import get_case

    try:
        case = get_case(actor=actor, case_id=case_id, purpose="Link a reablement referral")
    except NotFound:
        errors["discharge_case_id"] = "No Hospital to Home case with that id"
        return
    if case.person_id != person_id:
        errors["discharge_case_id"] = "That Hospital to Home case is for another patient"
    elif case.pathway != "2":
        errors["discharge_case_id"] = "Only a pathway 2 case (a bed for rehabilitation) continues in a unit"


@transaction.atomic
def refer(
    *,
    actor: Actor,
    person_id: int,
    unit_id: int,
    source: str,
    reason: str,
    goals: str,
    risks: str = "",
    consent_status: str = "given",
    lawful_basis: str = "6.1.a",
    discharge_case_id: int | None = None,
    referred_at: dt.datetime | None = None,
) -> Referral:
    """Refer a person to a unit: step-down from a ward or A&E, or step-up from the community. The unit's
    provider takes part in the referral under the agreement in force between the two organisations.
    `referred_at` records a referral received earlier (by phone or on paper); it defaults to now."""
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors["unit_id"] = "Choose a reablement unit"
    elif unit.organisation_id != actor.organisation_id and not has_active_agreement(
        actor.organisation_id, unit.organisation_id
    ):
        errors["unit_id"] = f"There is no data-sharing agreement in force with {unit.organisation.name}"
    check_choice(errors, "source", source, ReferralSource)
    check_text(errors, "reason", reason, 2000, required="Say why the person needs reablement")
    check_text(errors, "goals", goals, 2000, required="Say what the person wants to be able to do again")
    check_text(errors, "risks", risks, 2000)
    check_sharing_basis(errors, consent_status, lawful_basis)
    referred_at = referred_at or timezone.now()
    check_moment(errors, "referred_at", referred_at, "Referral date and time")
    if discharge_case_id is not None:
        _linked_discharge_case(actor, person.pk, discharge_case_id, errors)
    if errors:
        raise ValidationFailed(errors)
    assert unit is not None
    referral = Referral.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        unit=unit,
        referred_by=actor.user,
        referred_at=referred_at,
        source=source,
        reason=reason.strip(),
        goals=goals.strip(),
        risks=risks.strip(),
        consent_status=consent_status,
        lawful_basis=lawful_basis,
        discharge_case_id=discharge_case_id,
    )
    if unit.organisation_id != actor.organisation_id:
        Participation.objects.create(
            person=person,
            owner_id=actor.organisation_id,
            organisation_id=unit.organisation_id,
            case_type=CASE_TYPE,
            case_id=referral.pk,
            reason="Reablement referral",
            started_at=timezone.now(),
        )
    record_sharing_consent(
        actor=actor,
        person_id=person.pk,
        purpose=ConsentPurpose.REFERRAL,
        consent_status=consent_status,
        lawful_basis=lawful_basis,
        note=f"Recorded at reablement referral {referral.reference}",
    )
    journey_event(referral, actor, f"Referred to {unit.name}", reason.strip())
    if discharge_case_id is not None:
        journey_event(referral, actor, f"Continues Hospital to Home case H2H-{discharge_case_id:06d}")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Refer to reablement",
        obj=referral,
        person_id=person.pk,
        detail={"unit": unit.pk, "source": source},
    )
    return referral


@transaction.atomic
def decide_referral(*, actor: Actor, referral_id: int, decision: str, reason: str = "") -> Referral:
    """The unit accepts or declines a referral (a decline needs its reason); the referrer may withdraw."""
    referral = locked_referral(actor, referral_id)
    if decision not in (ReablementStatus.ACCEPTED, ReablementStatus.DECLINED, ReablementStatus.WITHDRAWN):
        raise ValidationFailed.single("decision", "Choose accept, decline or withdraw")
    if decision != ReablementStatus.WITHDRAWN and referral.unit.organisation_id != actor.organisation_id:
        raise NotAllowed("Only the unit's own staff accept or decline its referrals")
    REFERRAL.check(referral.status, decision)
    errors: dict[str, str] = {}
    needs_reason = "Say why" if decision != ReablementStatus.ACCEPTED else ""
    check_text(errors, "reason", reason, 500, required=needs_reason)
    if errors:
        raise ValidationFailed(errors)
    referral.status = decision
    stamp = REFERRAL.stamps.get(decision)
    if stamp:
        setattr(referral, stamp, timezone.now())
    referral.decline_reason = reason.strip()
    referral.save()
    if decision != ReablementStatus.ACCEPTED:
        freed = Bed.objects.filter(reserved_for=referral).update(
            reserved_for=None, status=BedStatus.VACANT_CLEAN
        )
    else:
        freed = 0
    journey_event(referral, actor, f"Referral {ReablementStatus(decision).label.lower()}", reason.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Decide a reablement referral",
        obj=referral,
        person_id=referral.person_id,
        detail={"decision": decision},
    )
    if freed:
        board_version.changed(referral.unit_id)
    return referral


@transaction.atomic
def admit(
    *,
    actor: Actor,
    referral_id: int,
    bed_id: int | None,
    admitted_at: dt.datetime,
    expected_discharge_on: dt.date | None = None,
) -> Stay:
    """Admit an accepted referral to a bed: the stay and its first occupancy interval start together. A
    closed bed, an occupied bed or a bed reserved for someone else is refused."""
    referral = locked_referral(actor, referral_id)
    REFERRAL.check(referral.status, ReablementStatus.ADMITTED)
    if referral.unit.organisation_id != actor.organisation_id:
        raise NotAllowed("Only the unit's own staff admit to its beds")
    errors: dict[str, str] = {}
    bed = locked_bed(referral.unit_id, bed_id, errors)
    check_moment(errors, "admitted_at", admitted_at, "Admission date and time")
    if "admitted_at" not in errors and admitted_at < referral.referred_at:
        errors["admitted_at"] = "Admission cannot be before the referral"
    if expected_discharge_on is not None:
        check_date(errors, "expected_discharge_on", expected_discharge_on, label="Expected discharge date")
        if expected_discharge_on < timezone.localdate(admitted_at):
            errors["expected_discharge_on"] = "Expected discharge cannot be before the admission"
    if bed is not None:
        if bed.status == BedStatus.CLOSED:
            errors["bed_id"] = f"Bed {bed.label} is closed ({bed.closed_reason or 'no reason given'})"
        elif bed.status == BedStatus.RESERVED and bed.reserved_for_id not in (None, referral.pk):
            errors["bed_id"] = f"Bed {bed.label} is reserved for another referral"
    if errors:
        raise ValidationFailed(errors)
    assert bed is not None
    check_bed_free(bed, admitted_at, None)
    stay = Stay.objects.create(
        referral=referral,
        unit_id=referral.unit_id,
        admitted_at=admitted_at,
        expected_discharge_on=expected_discharge_on,
    )
    Occupancy.objects.create(stay=stay, bed=bed, started_at=admitted_at)
    bed.status, bed.reserved_for = BedStatus.VACANT_CLEAN, None
    bed.save(update_fields=["status", "reserved_for"])
    referral.status = ReablementStatus.ADMITTED
    referral.save(update_fields=["status"])
    journey_event(referral, actor, f"Admitted to bed {bed.label}", f"{admitted_at:%-d %b %Y %H:%M}")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Admit to reablement",
        obj=stay,
        person_id=referral.person_id,
        detail={"bed": bed.pk},
    )
    board_version.changed(referral.unit_id)
    return stay


@transaction.atomic
def move_bed(*, actor: Actor, stay_id: int, bed_id: int | None, moved_at: dt.datetime) -> Stay:
    """Move the person to another bed: the current interval ends and the next begins at the same moment,
    within the same stay. The bed left needs cleaning."""
    stay = locked_stay(actor, stay_id)
    if stay.status != StayStatus.IN_UNIT:
        raise ValidationFailed.single("stay", "The person has left the unit")
    errors: dict[str, str] = {}
    current = stay.occupancies.select_for_update().filter(ended_at__isnull=True).first()
    bed = locked_bed(stay.unit_id, bed_id, errors)
    check_moment(errors, "moved_at", moved_at, "Move date and time")
    if current is not None and "moved_at" not in errors and moved_at <= current.started_at:
        errors["moved_at"] = "The move must be after the person went into their current bed"
    if bed is not None and current is not None and bed.pk == current.bed_id:
        errors["bed_id"] = "The person is already in that bed"
    elif bed is not None and bed.status == BedStatus.CLOSED:
        errors["bed_id"] = f"Bed {bed.label} is closed"
    if errors:
        raise ValidationFailed(errors)
    assert bed is not None and current is not None
    check_bed_free(bed, moved_at, None)
    current.ended_at = moved_at
    current.save(update_fields=["ended_at"])
    Bed.objects.filter(pk=current.bed_id).update(status=BedStatus.AWAITING_CLEAN)
    Occupancy.objects.create(stay=stay, bed=bed, started_at=moved_at)
    journey_event(stay.referral, actor, f"Moved from bed {current.bed.label} to bed {bed.label}")
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Move reablement bed",
        obj=stay,
        person_id=stay.referral.person_id,
        detail={"from_bed": current.bed_id, "to_bed": bed.pk},
    )
    board_version.changed(stay.unit_id)
    return stay


@transaction.atomic
def discharge(
    *, actor: Actor, stay_id: int, discharged_at: dt.datetime, destination: str, note: str = ""
) -> Stay:
    """Discharge from the unit: the last interval ends, the bed needs cleaning, and a discharge home sets
    the 91-day follow-up (ASCOF 2B(1)) due."""
    stay = locked_stay(actor, stay_id)
    STAY.check(stay.status, StayStatus.DISCHARGED)
    errors: dict[str, str] = {}
    check_choice(errors, "destination", destination, StayDestination)
    check_text(errors, "note", note, 1000)
    check_moment(errors, "discharged_at", discharged_at, "Discharge date and time")
    current = stay.occupancies.select_for_update().filter(ended_at__isnull=True).first()
    if "discharged_at" not in errors:
        if discharged_at < stay.admitted_at:
            errors["discharged_at"] = "Discharge cannot be before the admission"
        elif current is not None and discharged_at <= current.started_at:
            errors["discharged_at"] = "Discharge must be after the person went into their current bed"
    if errors:
        raise ValidationFailed(errors)
    if current is not None:
        current.ended_at = discharged_at
        current.save(update_fields=["ended_at"])
        Bed.objects.filter(pk=current.bed_id).update(status=BedStatus.AWAITING_CLEAN)
    stay.status = StayStatus.DISCHARGED
    stay.discharged_at = discharged_at
    stay.destination = destination
    stay.discharge_note = note.strip()
    if destination == StayDestination.READMITTED:
        stay.readmitted_on = timezone.localdate(discharged_at)
    stay.save()
    if destination in HOME_DESTINATIONS:
        due = timezone.localdate(discharged_at) + dt.timedelta(days=FOLLOW_UP_DAYS)
        FollowUp.objects.create(stay=stay, due_on=due)
    label = StayDestination(destination).label
    journey_event(stay.referral, actor, f"Discharged: {label}", note.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Discharge from reablement",
        obj=stay,
        person_id=stay.referral.person_id,
        detail={"destination": destination},
    )
    board_version.changed(stay.unit_id)
    return stay


@transaction.atomic
def record_readmission(*, actor: Actor, stay_id: int, readmitted_on: dt.date) -> Stay:
    """The person went back into an acute hospital after leaving the unit (30-day readmission tracking)."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    if stay.discharged_at is None:
        errors["readmitted_on"] = "The person is still in the unit"
    elif readmitted_on < timezone.localdate(stay.discharged_at):
        errors["readmitted_on"] = "Readmission cannot be before the discharge from the unit"
    elif readmitted_on > timezone.localdate():
        errors["readmitted_on"] = "Readmission date cannot be in the future"
    if errors:
        raise ValidationFailed(errors)
    stay.readmitted_on = readmitted_on
    stay.save(update_fields=["readmitted_on"])
    journey_event(stay.referral, actor, "Readmitted to acute hospital", f"{readmitted_on:%-d %b %Y}")
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record a readmission after reablement",
        obj=stay,
        person_id=stay.referral.person_id,
    )
    return stay
