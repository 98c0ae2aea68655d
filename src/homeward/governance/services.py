"""Writes for governance: agreements, consent, participation in cases. One transaction each, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import (
    AgreementStatus,
    Article9Condition,
    AuditAction,
    ConsentPurpose,
    ConsentRecord,
    ConsentStatus,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    Participation,
)


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
    if errors:
        raise ValidationFailed(errors)
    agreement = DataSharingAgreement.objects.create(
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


@transaction.atomic
def end_agreement(
    *, actor: Actor, agreement_id: int, end_date: dt.date | None = None
) -> DataSharingAgreement:
    """End sharing: from the day after `end_date` (default: end now) no party sees the others' cases."""
    actor.require(Permission.MANAGE_AGREEMENTS)
    agreement = (
        DataSharingAgreement.objects.select_for_update()
        .filter(pk=agreement_id, parties=actor.organisation_id)
        .first()
    )
    if agreement is None:
        raise NotFound("No agreement with that id")
    if end_date is None:
        agreement.status = AgreementStatus.ENDED
        agreement.end_date = max(agreement.start_date, timezone.localdate() - dt.timedelta(days=1))
    else:
        if end_date < agreement.start_date:
            raise ValidationFailed.single("end_date", "End date must be on or after the start date")
        agreement.end_date = end_date
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
