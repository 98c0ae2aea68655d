"""Writes for governance: agreements, consent, participation in cases. One transaction each, audited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from homeward.core.errors import Conflict, NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import (
    LINKAGE_USES,
    AgreementStatus,
    Article9Condition,
    AuditAction,
    ConsentPurpose,
    ConsentRecord,
    ConsentStatus,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    LinkageField,
    Participation,
    SharingPurpose,
)

#: Linkage needs something to tell people apart by: a name, and a date of birth or an identifier.
LINKAGE_NEEDS = ({"family_name", "given_name"}, {"date_of_birth", "nhs_number", "other_identifier"})


def check_purposes(
    purposes: list[str], linkage_fields: list[str], data_categories: list[str]
) -> dict[str, str]:
    """Field errors for an agreement's purposes and linkage fields (empty when they make sense together)."""
    errors: dict[str, str] = {}
    bad = [p for p in purposes if p not in SharingPurpose.values]
    if bad:
        errors["purposes"] = f"Unknown purposes: {', '.join(bad)}"
    elif not purposes:
        errors["purposes"] = "Choose at least one purpose"
    elif LINKAGE_USES & {SharingPurpose(p) for p in purposes} and SharingPurpose.LINKAGE not in purposes:
        errors["purposes"] = "Tenant-in-hospital alerts, linked parties and analytics need person linkage too"
    unknown = [f for f in linkage_fields if f not in LinkageField.values]
    if unknown:
        errors["linkage_fields"] = f"Unknown linkage fields: {', '.join(unknown)}"
    elif SharingPurpose.LINKAGE in purposes:
        if not all(need & set(linkage_fields) for need in LINKAGE_NEEDS):
            errors["linkage_fields"] = (
                "Linkage needs a name and a date of birth or an identifier (NHS number or another shared one)"
            )
        elif DataCategory.IDENTIFIERS not in data_categories and "data_categories" not in errors:
            errors["data_categories"] = "Linkage compares identifiers: include identifiers and contact"
    elif linkage_fields:
        errors["linkage_fields"] = "Linkage fields apply only when person linkage is a purpose"
    return errors


@transaction.atomic
def create_agreement(
    *,
    actor: Actor,
    reference: str,
    title: str,
    party_ids: list[int],
    purpose: str,
    lawful_basis: str,
    article9_condition: str = "",
    data_categories: list[str],
    start_date: dt.date,
    end_date: dt.date | None = None,
    status: str = AgreementStatus.ACTIVE,
    purposes: list[str] | None = None,
    linkage_fields: list[str] | None = None,
) -> DataSharingAgreement:
    """Record a data-sharing agreement. The actor's organisation must be one of the parties."""
    actor.require(Permission.MANAGE_AGREEMENTS)
    errors: dict[str, str] = {}
    if not reference.strip():
        errors["reference"] = "Enter the agreement's reference"
    elif DataSharingAgreement.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = "An agreement with this reference already exists"
    if not title.strip():
        errors["title"] = "Enter a title"
    if not purpose.strip():
        errors["purpose"] = "Say what the sharing is for"
    parties = list(Organisation.objects.filter(pk__in=set(party_ids)))
    if len(parties) != len(set(party_ids)):
        errors["party_ids"] = "One or more organisations do not exist"
    elif len(parties) < 2:
        errors["party_ids"] = "An agreement needs at least two organisations"
    elif actor.organisation_id not in {p.pk for p in parties}:
        errors["party_ids"] = "Your organisation must be a party to the agreement"
    check_choice(errors, "lawful_basis", lawful_basis, LawfulBasis)
    check_choice(errors, "article9_condition", article9_condition, Article9Condition, blank=True)
    check_choice(errors, "status", status, AgreementStatus)
    bad = [c for c in data_categories if c not in DataCategory.values]
    if bad or not data_categories:
        errors["data_categories"] = f"Unknown categories: {', '.join(bad)}" if bad else "Choose at least one"
    if "health" in data_categories and not article9_condition and "article9_condition" not in errors:
        errors["article9_condition"] = "Health data is special category data: choose an Article 9 condition"
    if end_date is not None and end_date < start_date:
        errors["end_date"] = "End date must be on or after the start date"
    check_date(errors, "start_date", start_date, label="Start date")
    check_date(errors, "end_date", end_date, label="End date")
    purposes = list(dict.fromkeys(purposes if purposes is not None else [SharingPurpose.DIRECT_CARE]))
    linkage_fields = list(dict.fromkeys(linkage_fields or []))
    errors.update(check_purposes(purposes, linkage_fields, data_categories))
    if errors:
        raise ValidationFailed(errors)
    agreement = DataSharingAgreement.objects.create(
        purposes=purposes,
        linkage_fields=linkage_fields,
        reference=reference.strip(),
        title=title.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        article9_condition=article9_condition,
        data_categories=list(data_categories),
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    agreement.parties.set(parties)
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose="Record a data-sharing agreement", obj=agreement
    )
    return agreement


def agreement_has_ended(agreement: DataSharingAgreement) -> bool:
    """Ended for good: its status says so, or its last day has passed. Then it cannot be changed."""
    return agreement.status == AgreementStatus.ENDED or (
        agreement.end_date is not None and agreement.end_date < timezone.localdate()
    )


@transaction.atomic
def end_agreement(
    *, actor: Actor, agreement_id: int, end_date: dt.date | None = None
) -> DataSharingAgreement:
    """End sharing: from the day after `end_date` (default: end now) no party sees the others' cases.

    An ended agreement is immutable (its status is ended, or its last day has passed): renewing sharing
    means recording a new agreement. An end date already set may be brought forward, never moved later.
    """
    actor.require(Permission.MANAGE_AGREEMENTS)
    agreement = (
        DataSharingAgreement.objects.select_for_update()
        .filter(pk=agreement_id, parties=actor.organisation_id)
        .first()
    )
    if agreement is None:
        raise NotFound("No agreement with that id")
    today = timezone.localdate()
    if agreement_has_ended(agreement):
        raise Conflict(
            f"Agreement {agreement.reference} has already ended (on {agreement.end_date}) and cannot be "
            "changed; to share again, record a new agreement"
        )
    if end_date is None:
        agreement.status = AgreementStatus.ENDED
        agreement.end_date = max(agreement.start_date, today - dt.timedelta(days=1))
    else:
        errors: dict[str, str] = {}
        if end_date < agreement.start_date:
            errors["end_date"] = "End date must be on or after the start date"
        elif agreement.end_date is not None and end_date > agreement.end_date:
            errors["end_date"] = (
                f"The agreement already ends on {agreement.end_date}; an end date can be brought forward, "
                "not moved later (record a new agreement to extend sharing)"
            )
        check_date(errors, "end_date", end_date, label="End date")
        if errors:
            raise ValidationFailed(errors)
        agreement.end_date = end_date
        if end_date < today:
            agreement.status = AgreementStatus.ENDED
    agreement.save()
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="End a data-sharing agreement",
        obj=agreement,
        detail={"end_date": agreement.end_date, "status": agreement.status},
    )
    return agreement


def check_sharing_basis(errors: dict[str, str], consent_status: str, lawful_basis: str) -> None:
    """Sharing needs consent given, or another lawful basis named when consent was refused or not asked."""
    check_choice(errors, "consent_status", consent_status, ConsentStatus)
    check_choice(errors, "lawful_basis", lawful_basis, LawfulBasis)
    if (
        consent_status in (ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN)
        and lawful_basis == LawfulBasis.CONSENT
    ):
        errors["consent_status"] = (
            "The person has not consented: record the other lawful basis relied on "
            "(e.g. Art 6(1)(e) public task) or do not share"
        )


def record_sharing_consent(
    *, actor: Actor, person_id: int, purpose: str, consent_status: str, lawful_basis: str, note: str
) -> ConsentRecord:
    """The consent (or other basis) a referral relied on, written with the referral (already validated)."""
    return ConsentRecord.objects.create(
        person_id=person_id,
        organisation_id=actor.organisation_id,
        purpose=purpose,
        status=consent_status if consent_status != ConsentStatus.WITHDRAWN else ConsentStatus.REFUSED,
        lawful_basis=lawful_basis,
        article9_condition="9.2.h",
        recorded_at=timezone.now(),
        recorded_by=actor.user,
        notes=note,
    )


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    person_id: int,
    purpose: str,
    status: str,
    lawful_basis: str,
    article9_condition: str = "",
    notes: str = "",
) -> ConsentRecord:
    actor.require(Permission.RECORD_CONSENT)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "purpose", purpose, ConsentPurpose)
    check_choice(errors, "status", status, ConsentStatus)
    check_choice(errors, "lawful_basis", lawful_basis, LawfulBasis)
    check_choice(errors, "article9_condition", article9_condition, Article9Condition, blank=True)
    if status == ConsentStatus.WITHDRAWN:
        errors["status"] = "To withdraw consent, use withdraw on the existing record"
    if status == ConsentStatus.GIVEN and lawful_basis != LawfulBasis.CONSENT and "lawful_basis" not in errors:
        errors["lawful_basis"] = (
            "When consent is given and relied on, the lawful basis is Art 6(1)(a) consent"
        )
    if len(notes) > 2000:
        errors["notes"] = "Notes must be 2000 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    consent = ConsentRecord.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        purpose=purpose,
        status=status,
        lawful_basis=lawful_basis,
        article9_condition=article9_condition,
        notes=notes.strip(),
        recorded_at=timezone.now(),
        recorded_by=actor.user,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record consent",
        obj=consent,
        person_id=person.pk,
        detail={"purpose": purpose, "status": status},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent_id: int, reason: str) -> ConsentRecord:
    actor.require(Permission.RECORD_CONSENT)
    consent = (
        ConsentRecord.objects.select_for_update()
        .filter(pk=consent_id, person__in=visible_people(actor))
        .first()
    )
    if consent is None:
        raise NotFound("No consent record with that id")
    if consent.status != ConsentStatus.GIVEN:
        raise ValidationFailed.single("status", "Only consent that was given can be withdrawn")
    if not reason.strip():
        raise ValidationFailed.single(
            "reason", "Say why consent was withdrawn (the person's words if possible)"
        )
    consent.status = ConsentStatus.WITHDRAWN
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason.strip()[:2000]
    consent.save()
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Withdraw consent",
        obj=consent,
        person_id=consent.person_id,
        detail={"status": "withdrawn"},
    )
    return consent


@transaction.atomic
def add_participant(
    *,
    actor: Actor,
    person_id: int,
    organisation_id: int,
    case_type: str,
    case_id: int | None = None,
    reason: str = "",
) -> Participation:
    """Bring another organisation into a case held by the actor's organisation.

    They will see the person only while an agreement between the two organisations is in force.
    """
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id, organisation_id=actor.organisation_id).first()
    if person is None:
        raise NotFound("No person with that id held by your organisation")
    if not Organisation.objects.filter(pk=organisation_id).exists():
        raise ValidationFailed.single("organisation_id", "No organisation with that id")
    if organisation_id == actor.organisation_id:
        raise ValidationFailed.single("organisation_id", "Your own organisation already holds this case")
    participation = Participation.objects.create(
        person=person,
        owner_id=actor.organisation_id,
        organisation_id=organisation_id,
        case_type=case_type,
        case_id=case_id,
        reason=reason[:300],
        started_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Share a case with a partner",
        obj=participation,
        person_id=person.pk,
        detail={"organisation_id": organisation_id, "case_type": case_type},
    )
    return participation


def end_participations(*, actor: Actor, case_type: str, case_id: int, retain: bool, reason: str) -> int:
    """End the participations a case created (e.g. the receiver's sight of a referred person).

    retain=False ends them now (a referral rejected, cancelled or entered in error); retain=True ends them
    after settings.PARTICIPATION_RETENTION_DAYS (a referral completed or failed). Only this case's
    participations end: anything else that gives the organisation sight of the person is untouched.
    Call inside the caller's transaction; audited."""
    now = timezone.now()
    ends = now + dt.timedelta(days=settings.PARTICIPATION_RETENTION_DAYS) if retain else now
    open_ones = Participation.objects.filter(case_type=case_type, case_id=case_id).filter(
        models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=ends)
    )
    ended = 0
    for participation in open_ones.select_for_update():
        participation.ended_at = ends
        participation.save(update_fields=["ended_at"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="End a partner's participation in a case",
            obj=participation,
            person_id=participation.person_id,
            detail={"organisation_id": participation.organisation_id, "ends_at": ends, "reason": reason},
        )
        ended += 1
    return ended
