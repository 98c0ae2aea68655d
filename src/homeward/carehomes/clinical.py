"""Writes for what happens when a resident becomes unwell: observations, an out-of-hours triage call, and a
transfer to hospital (which opens or joins a Hospital to Home case). One transaction each, errors name the
field, audited; only the home's own organisation writes.

An early-warning score is computed only when the home's organisation turned on a scheme (scoring.py);
Homeward ships none. A set of observations shows deterioration when that score reaches the scheme's trigger,
or, whatever the scheme, when alertness is anything but "alert" or a carer noticed a soft sign
(Homeward's own rule for a closer look, not a clinical score; docs/carehomes.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from homeward.carehomes import scoring
from homeward.carehomes.codes import (
    ClinicianRole,
    Consciousness,
    EmergencyCallOutcome,
    PlaceOfDeath,
    SoftSign,
    TriageDecision,
)
from homeward.carehomes.models import EmergencyCall, HospitalTransfer, Observation, Resident, TriageCall
from homeward.carehomes.services import check_day, check_text, locked_resident, share_with
from homeward.core.errors import ValidationFailed, check_choice
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.validators import check_date
from homeward.discharge.models import DischargeCase
from homeward.discharge.selectors import OPEN_STATUSES
from homeward.discharge.services import bring_in_care_provider
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: Plausible bounds (inclusive) for each measurement: a value outside them is a typing slip, not an
#: observation (Homeward's input check, not a clinical threshold; docs/carehomes.md).
BOUNDS: dict[str, tuple[Decimal | int, Decimal | int, str]] = {
    "temperature": (Decimal("25.0"), Decimal("45.0"), "Temperature"),
    "pulse": (20, 250, "Pulse"),
    "respiratory_rate": (4, 60, "Breaths a minute"),
    "systolic": (50, 260, "Systolic blood pressure"),
    "diastolic": (20, 160, "Diastolic blood pressure"),
    "oxygen_saturation": (50, 100, "Oxygen saturation"),
}
#: How far ahead of the server's clock a device may be when it stamps observations.
CLOCK_SKEW = dt.timedelta(minutes=5)


def check_moment(errors: dict[str, str], field: str, value: dt.datetime | None, label: str) -> None:
    if value is None:
        errors[field] = f"Give the {label.lower()}"
        return
    if value > timezone.now() + CLOCK_SKEW:
        errors[field] = f"{label} cannot be in the future"
    check_date(errors, field, value, label=label)


def check_bounds(errors: dict[str, str], values: dict[str, Decimal | int | None]) -> None:
    for field, (low, high, label) in BOUNDS.items():
        value = values.get(field)
        if value is not None and not low <= value <= high:
            errors[field] = f"{label} must be between {low} and {high}"


def shows_deterioration(
    points: int | None, trigger: int | None, consciousness: str, soft_signs: list[str]
) -> bool:
    """A score at or above the scheme's trigger; or alertness other than "alert"; or any soft sign."""
    if points is not None and trigger is not None and points >= trigger:
        return True
    return consciousness not in ("", Consciousness.ALERT) or bool(soft_signs)


@transaction.atomic
def record_observations(
    *,
    actor: Actor,
    resident_id: int,
    taken_at: dt.datetime,
    temperature: Decimal | None = None,
    pulse: int | None = None,
    respiratory_rate: int | None = None,
    systolic: int | None = None,
    diastolic: int | None = None,
    oxygen_saturation: int | None = None,
    on_oxygen: bool = False,
    consciousness: str = "",
    soft_signs: list[str] | None = None,
    note: str = "",
) -> Observation:
    """Record a set of observations. Take what you can: any measurement may be left out, but not all."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    soft_signs = list(dict.fromkeys(soft_signs or []))
    check_moment(errors, "taken_at", taken_at, "Time taken")
    values: dict[str, Decimal | int | None] = {
        "temperature": temperature,
        "pulse": pulse,
        "respiratory_rate": respiratory_rate,
        "systolic": systolic,
        "diastolic": diastolic,
        "oxygen_saturation": oxygen_saturation,
    }
    check_bounds(errors, values)
    if (systolic is None) != (diastolic is None):
        errors.setdefault(
            "diastolic" if diastolic is None else "systolic", "Give both blood pressure figures"
        )
    elif systolic is not None and diastolic is not None and diastolic >= systolic:
        errors.setdefault("diastolic", "Diastolic blood pressure must be lower than systolic")
    check_choice(errors, "consciousness", consciousness, Consciousness, blank=True)
    for sign in soft_signs:
        check_choice(errors, "soft_signs", sign, SoftSign)
    check_text(errors, "note", note, 500)
    if all(v is None for v in values.values()) and not consciousness and not soft_signs:
        errors.setdefault("pulse", "Record at least one observation")
    if errors:
        raise ValidationFailed(errors)
    scheme = scoring.scheme_for(resident.home.organisation_id)
    points = None
    if scheme is not None:
        points = scoring.score(
            scheme.bands.all(), values | {"on_oxygen": on_oxygen, "consciousness": consciousness}
        )
    observation = Observation.objects.create(
        resident=resident,
        taken_at=taken_at,
        recorded_by=actor.user,
        on_oxygen=on_oxygen,
        consciousness=consciousness,
        soft_signs=soft_signs,
        note=note.strip(),
        scheme=scheme if points is not None else None,
        score=points,
        is_deterioration=shows_deterioration(
            points, scheme.trigger_score if scheme else None, consciousness, soft_signs
        ),
        **values,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record a resident's observations",
        obj=observation,
        person_id=resident.person_id,
    )
    return observation


@transaction.atomic
def record_triage(
    *,
    actor: Actor,
    resident_id: int,
    called_at: dt.datetime,
    clinician_role: str,
    clinician_name: str,
    decision: str,
    reasons: str,
    clinician_organisation_id: int | None = None,
    observation_id: int | None = None,
) -> TriageCall:
    """Record an out-of-hours triage call: who was consulted, what they saw (the observations chosen and
    the current advance care plan), the decision and why. A consulting hospital takes part in the
    resident's record from then on (under an agreement)."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    check_moment(errors, "called_at", called_at, "Time of the call")
    check_choice(errors, "clinician_role", clinician_role, ClinicianRole)
    check_text(errors, "clinician_name", clinician_name, 200, required="Name the clinician consulted")
    check_choice(errors, "decision", decision, TriageDecision)
    check_text(errors, "reasons", reasons, 2000, required="Give the reasons for the decision")
    if (
        clinician_organisation_id is not None
        and not Organisation.objects.filter(pk=clinician_organisation_id).exists()
    ):
        errors["clinician_organisation_id"] = "No organisation with that id"
    observation = None
    if observation_id is not None:
        observation = resident.observations.filter(pk=observation_id).first()
        if observation is None:
            errors["observation_id"] = "No observations with that id for this resident"
        elif called_at is not None and observation.taken_at > called_at + CLOCK_SKEW:
            errors["observation_id"] = "The observations were taken after the call"
    if errors:
        raise ValidationFailed(errors)
    call = TriageCall.objects.create(
        resident=resident,
        called_at=called_at,
        clinician_role=clinician_role,
        clinician_name=clinician_name.strip(),
        clinician_organisation_id=clinician_organisation_id,
        observation=observation,
        care_plan=resident.care_plans.filter(superseded_at__isnull=True).first(),
        decision=decision,
        reasons=reasons.strip(),
        recorded_by=actor.user,
    )
    if clinician_organisation_id is not None:
        share_with(actor, resident, clinician_organisation_id, "Consulted on an out-of-hours triage call")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record a triage call",
        obj=call,
        person_id=resident.person_id,
    )
    return call


@transaction.atomic
def record_transfer(
    *,
    actor: Actor,
    resident_id: int,
    left_at: dt.datetime,
    reason: str,
    by_ambulance: bool = True,
    attended_ae: bool = True,
    admitted: bool = False,
    hospital_organisation_id: int | None = None,
) -> HospitalTransfer:
    """Record that a resident went to hospital (conveyed, seen in A&E, admitted or not). The hospital
    takes part in the resident's record from then on, under an agreement. An admission joins the
    hospital's open Hospital to Home case for the person, if it has one, with the home taking part;
    otherwise the hospital opens one from the resident's page (hospital.open_hospital_case)."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    check_moment(errors, "left_at", left_at, "Time the resident left")
    check_text(errors, "reason", reason, 500, required="Say why the resident went to hospital")
    if (
        hospital_organisation_id is not None
        and not Organisation.objects.filter(
            pk=hospital_organisation_id, kind=OrganisationKind.NHS_TRUST
        ).exists()
    ):
        errors["hospital_organisation_id"] = "No hospital trust with that id"
    if errors:
        raise ValidationFailed(errors)
    transfer = HospitalTransfer.objects.create(
        resident=resident,
        left_at=left_at,
        hospital_organisation_id=hospital_organisation_id,
        by_ambulance=by_ambulance,
        attended_ae=attended_ae,
        admitted=admitted,
        reason=reason.strip(),
        recorded_by=actor.user,
    )
    if hospital_organisation_id is not None:
        share_with(actor, resident, hospital_organisation_id, "Resident went to this hospital")
    if admitted and hospital_organisation_id is not None:
        join_hospital_case(transfer)
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record a hospital transfer",
        obj=transfer,
        person_id=resident.person_id,
    )
    return transfer


def join_hospital_case(transfer: HospitalTransfer) -> DischargeCase | None:
    """Link an admission to the hospital's open Hospital to Home case for the same person, admitted on or
    after the day the resident left, and bring the home's care provider into that case (discharge's own
    service). The provider sees the case only while an agreement with the trust is in force."""
    if transfer.discharge_case_id is not None or transfer.hospital_organisation_id is None:
        return None
    left = timezone.localtime(transfer.left_at).date()
    case = (
        DischargeCase.objects.filter(
            person_id=transfer.resident.person_id,
            organisation_id=transfer.hospital_organisation_id,
            status__in=OPEN_STATUSES,
            admitted_on__gte=left - dt.timedelta(days=1),
        )
        .order_by("admitted_on", "pk")
        .first()
    )
    if case is None:
        return None
    transfer.discharge_case_id = case.pk
    transfer.save(update_fields=["discharge_case_id"])
    bring_in_care_provider(
        case=case,
        provider_id=transfer.resident.home.organisation_id,
        reason=f"Care home the patient was admitted from ({transfer.resident.home.name})",
    )
    return case


@transaction.atomic
def record_emergency_call(
    *, actor: Actor, resident_id: int, called_at: dt.datetime, outcome: str, reason: str
) -> EmergencyCall:
    """Record a 999 call for a resident and what came of it (a conveyance is recorded as a transfer too)."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    check_moment(errors, "called_at", called_at, "Time of the call")
    check_choice(errors, "outcome", outcome, EmergencyCallOutcome)
    check_text(errors, "reason", reason, 500, required="Say why 999 was called")
    if errors:
        raise ValidationFailed(errors)
    call = EmergencyCall.objects.create(
        resident=resident, called_at=called_at, outcome=outcome, reason=reason.strip(), recorded_by=actor.user
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record a 999 call",
        obj=call,
        person_id=resident.person_id,
    )
    return call


@transaction.atomic
def record_death(*, actor: Actor, resident_id: int, died_on: dt.date, place: str) -> Resident:
    """Record that a resident died, and where: they leave the home that day and their room is free."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    if died_on is None:
        errors["died_on"] = "Give the date of death"
    check_day(errors, "died_on", died_on, "Date of death")
    if died_on is not None and died_on < resident.admitted_on:
        errors.setdefault("died_on", "Date of death cannot be before the resident moved in")
    check_choice(errors, "place", place, PlaceOfDeath)
    if resident.died_on is not None:
        errors["died_on"] = "A death is already recorded for this resident"
    elif resident.left_on is not None:
        errors["died_on"] = "The resident has already left the home"
    if errors:
        raise ValidationFailed(errors)
    resident.died_on, resident.place_of_death, resident.left_on = died_on, place, died_on
    resident.save(update_fields=["died_on", "place_of_death", "left_on"])
    for occupancy in resident.occupancies.filter(ends_on__isnull=True):
        # An occupancy that started on the day of death ends the next day (an interval cannot be empty).
        occupancy.ends_on = max(died_on, occupancy.starts_on + dt.timedelta(days=1))
        occupancy.save(update_fields=["ends_on"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record a resident's death",
        obj=resident,
        person_id=resident.person_id,
    )
    return resident
