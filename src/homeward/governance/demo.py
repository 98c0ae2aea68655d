"""Demo sharing: agreements between the demo organisations, cases shared with a partner, consent records
and a few genuine audit events. Called by the demo package (`homeward.demo`) with its random generator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from homeward.core.models import Membership, Organisation, Person
from homeward.governance.access import Actor
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

CARE_DATA = [DataCategory.IDENTIFIERS, DataCategory.HEALTH, DataCategory.SOCIAL]


def make_agreement(
    *,
    reference: str,
    title: str,
    purpose: str,
    parties: Sequence[Organisation],
    start_date: dt.date,
    data_categories: Sequence[str] = tuple(CARE_DATA),
) -> DataSharingAgreement:
    """An active agreement to share health and social care data for a public task (UK GDPR 6(1)(e),
    9(2)(h))."""
    agreement = DataSharingAgreement.objects.create(
        reference=reference,
        title=title,
        purpose=purpose,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
        data_categories=list(data_categories),
        start_date=start_date,
        status=AgreementStatus.ACTIVE,
    )
    agreement.parties.set(parties)
    return agreement


def share_people(
    *,
    people: Sequence[Person],
    owner: Organisation,
    partner: Organisation,
    case_type: str,
    reason: str,
    rng: random.Random,
) -> list[Participation]:
    """The owner brings the partner into each person's case."""
    now = timezone.now()
    participations = Participation.objects.bulk_create(
        [
            Participation(
                person=p,
                owner=owner,
                organisation=partner,
                case_type=case_type,
                reason=reason,
                started_at=now - dt.timedelta(days=rng.randrange(1, 60)),
            )
            for p in people
        ]
    )
    return participations


def record_shares(
    participations: Sequence[Participation], *, recorded_by: Membership, case_type: str, limit: int = 10
) -> None:
    """Audit events for the first `limit` shares, written through the chain (so `homeward audit verify`
    has real events to check)."""
    actor = Actor(user=recorded_by.user, membership=recorded_by)
    for participation in participations[:limit]:
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            purpose="Share a case with a partner",
            obj=participation,
            person_id=participation.person_id,
            detail={"organisation_id": participation.organisation_id, "case_type": case_type},
        )


def seed_consents(
    *,
    organisation: Organisation,
    agreed: Sequence[Person],
    direct_care: Sequence[Person],
    recorded_by: Membership,
    rng: random.Random,
) -> list[ConsentRecord]:
    """Consent to share with housing for `agreed`; 'not required' (direct care) for `direct_care`."""
    now = timezone.now()
    consents = [
        ConsentRecord(
            person=p,
            organisation=organisation,
            purpose=ConsentPurpose.SHARE_WITH_HOUSING,
            status=ConsentStatus.GIVEN,
            lawful_basis=LawfulBasis.CONSENT,
            article9_condition=Article9Condition.EXPLICIT_CONSENT,
            recorded_at=now - dt.timedelta(days=rng.randrange(1, 60)),
            recorded_by=recorded_by.user,
            notes="Patient agreed on the ward that Riverside Homes can help plan going home.",
        )
        for p in agreed
    ]
    consents += [
        ConsentRecord(
            person=p,
            organisation=organisation,
            purpose=ConsentPurpose.DIRECT_CARE,
            status=ConsentStatus.NOT_REQUIRED,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
            recorded_at=now - dt.timedelta(days=rng.randrange(1, 90)),
            recorded_by=recorded_by.user,
        )
        for p in direct_care
    ]
    return ConsentRecord.objects.bulk_create(consents)
