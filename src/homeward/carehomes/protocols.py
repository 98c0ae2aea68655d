"""Shared assessment protocols: a home that agrees a protocol with a trusted assessor organisation accepts
the pre-admission assessment that organisation's trusted assessor completes, without assessing again.

The assessment is Hospital to Home's own `TrustedAssessment` (the ward sends it to the care provider); this
module records the home's protocol and, when a resident moves in from a Hospital to Home case, accepts the
assessment through Hospital to Home's own service (`discharge.services.decide_assessment`) when a protocol
was in force from the day it was completed to the day the resident moved in. Otherwise the home's own
assessment is asked for, and recorded when done.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homeward.carehomes.codes import PreAdmission
from homeward.carehomes.models import AssessmentProtocol, CareHome, Resident
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.discharge.codes import AssessmentStatus
from homeward.discharge.models import DischargeCase, TrustedAssessment
from homeward.discharge.services import decide_assessment
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction


def protocol_in_force(
    home: CareHome, assessor_organisation_id: int, start: dt.date, end: dt.date
) -> AssessmentProtocol | None:
    """The home's protocol with that assessor organisation in force on every day of [start, end]."""
    first, last = min(start, end), max(start, end)
    return (
        AssessmentProtocol.objects.filter(
            home=home, assessor_organisation_id=assessor_organisation_id, starts_on__lte=first
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        .first()
    )


def _own_home(actor: Actor, home_id: int) -> CareHome:
    actor.require(Permission.EDIT_PERSON)
    home = CareHome.objects.filter(pk=home_id, organisation_id=actor.organisation_id).first()
    if home is None:
        raise NotFound("No care home with that id")
    return home


@transaction.atomic
def agree_protocol(
    *,
    actor: Actor,
    home_id: int,
    assessor_organisation_id: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
) -> AssessmentProtocol:
    """Record that the home accepts this organisation's trusted assessments from `starts_on` (to `ends_on`,
    the last day, if known). Two protocols with one organisation may not overlap."""
    home = _own_home(actor, home_id)
    errors: dict[str, str] = {}
    assessor = Organisation.objects.filter(pk=assessor_organisation_id).first()
    if assessor is None:
        errors["assessor_organisation_id"] = "No organisation with that id"
    elif assessor.pk == home.organisation_id:
        errors["assessor_organisation_id"] = "Your own organisation's assessments need no protocol"
    check_date(errors, "starts_on", starts_on, label="Start date")
    check_date(errors, "ends_on", ends_on, label="End date")
    if starts_on and ends_on and ends_on < starts_on and "ends_on" not in errors:
        errors["ends_on"] = "End date cannot be before the start date"
    if len(note) > 500:
        errors["note"] = "Must be 500 characters or fewer"
    if not errors and assessor is not None:
        overlapping = AssessmentProtocol.objects.filter(home=home, assessor_organisation=assessor).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            errors["starts_on"] = f"{home.name} already has a protocol with {assessor.name} then"
    if errors:
        raise ValidationFailed(errors)
    assert assessor is not None
    protocol = AssessmentProtocol.objects.create(
        home=home,
        assessor_organisation=assessor,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        recorded_by=actor.user,
    )
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose="Agree a trusted assessor protocol", obj=protocol
    )
    return protocol


@transaction.atomic
def end_protocol(*, actor: Actor, protocol_id: int, ends_on: dt.date) -> AssessmentProtocol:
    """End a protocol: `ends_on` is its last day in force (not before its first; a protocol ends once)."""
    actor.require(Permission.EDIT_PERSON)
    protocol = (
        AssessmentProtocol.objects.select_for_update()
        .filter(pk=protocol_id, home__organisation_id=actor.organisation_id)
        .first()
    )
    if protocol is None:
        raise NotFound("No trusted assessor protocol with that id")
    errors: dict[str, str] = {}
    if protocol.ends_on is not None:
        errors["ends_on"] = f"This protocol already ends on {protocol.ends_on:%-d %b %Y}"
    check_date(errors, "ends_on", ends_on, label="End date")
    if ends_on and ends_on < protocol.starts_on and "ends_on" not in errors:
        errors["ends_on"] = f"End date cannot be before the start date ({protocol.starts_on:%-d %b %Y})"
    if errors:
        raise ValidationFailed(errors)
    protocol.ends_on = ends_on
    protocol.save(update_fields=["ends_on"])
    record_event(
        actor=actor, action=AuditAction.UPDATE, purpose="End a trusted assessor protocol", obj=protocol
    )
    return protocol


def settle_pre_admission(*, actor: Actor, resident: Resident, case: DischargeCase) -> Resident:
    """A resident moving in from a Hospital to Home case: accept the trusted assessment sent to the home's
    provider when a protocol with its assessor's organisation was in force from the day it was completed to
    the day the resident moved in (no re-assessment); otherwise ask for the home's own assessment.
    Called inside `services.admit_resident`'s transaction."""
    home = resident.home
    assessment = (
        TrustedAssessment.objects.filter(
            case=case,
            care_provider_id=home.organisation_id,
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
        )
        .select_related("assessor_organisation")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    protocol = (
        protocol_in_force(
            home, assessment.assessor_organisation_id, assessment.assessed_on, resident.admitted_on
        )
        if assessment is not None
        else None
    )
    resident.discharge_case_id = case.pk
    resident.trusted_assessment = assessment
    resident.protocol = protocol
    if assessment is not None and protocol is not None:
        if assessment.status == AssessmentStatus.SUBMITTED:
            decide_assessment(
                actor=actor,
                assessment_id=assessment.pk,
                accept=True,
                note=(
                    f"Accepted on admission to {home.name} under its trusted assessor protocol with "
                    f"{assessment.assessor_organisation.name} (in force from {protocol.starts_on:%-d %b %Y})"
                ),
            )
        resident.pre_admission = PreAdmission.TRUSTED_ACCEPTED
    else:
        resident.pre_admission = PreAdmission.HOME_TO_ASSESS
    resident.save(update_fields=["discharge_case_id", "trusted_assessment", "protocol", "pre_admission"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Settle a resident's pre-admission assessment",
        obj=resident,
        person_id=resident.person_id,
        detail={
            "discharge_case_id": case.pk,
            "pre_admission": resident.pre_admission,
            "trusted_assessment_id": assessment.pk if assessment else None,
            "protocol_id": protocol.pk if protocol else None,
        },
    )
    return resident


@transaction.atomic
def record_home_assessment(*, actor: Actor, resident_id: int, assessed_on: dt.date) -> Resident:
    """The home did its own pre-admission assessment (asked for when no protocol covered a trusted one)."""
    actor.require(Permission.EDIT_PERSON)
    resident = (
        Resident.objects.select_for_update()
        .filter(pk=resident_id, home__organisation_id=actor.organisation_id)
        .first()
    )
    if resident is None:
        raise NotFound("No care home resident with that id")
    errors: dict[str, str] = {}
    if resident.pre_admission != PreAdmission.HOME_TO_ASSESS:
        errors["assessed_on"] = "The home's own assessment was not asked for"
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = "Date assessed cannot be in the future"
    check_date(errors, "assessed_on", assessed_on, label="Date assessed")
    if errors:
        raise ValidationFailed(errors)
    resident.pre_admission = PreAdmission.HOME_ASSESSED
    resident.home_assessed_on = assessed_on
    resident.save(update_fields=["pre_admission", "home_assessed_on"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record the home's own pre-admission assessment",
        obj=resident,
        person_id=resident.person_id,
    )
    return resident
