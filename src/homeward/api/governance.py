"""JSON API for agreements, consent, the audit log and subject access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance import selectors, services
from homeward.governance.models import (
    AgreementStatus,
    Article9Condition,
    AuditAction,
    AuditEvent,
    ConsentPurpose,
    ConsentRecord,
    ConsentStatus,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    LinkageField,
    SharingPurpose,
)
from homeward.governance.routes import no_personal_data, personal_data
from homeward.governance.subject_access import export_subject_access

router = Router(tags=["governance"])


class AgreementOut(Schema):
    id: int
    reference: str
    title: str
    purpose: str
    lawful_basis: LawfulBasis
    article9_condition: Article9Condition
    data_categories: list[DataCategory]
    start_date: dt.date
    end_date: dt.date | None
    status: AgreementStatus
    in_force: bool
    party_ids: list[int]
    purposes: list[SharingPurpose]
    linkage_fields: list[LinkageField]

    @staticmethod
    def resolve_in_force(obj: DataSharingAgreement) -> bool:
        return obj.is_in_force(timezone.localdate())

    @staticmethod
    def resolve_party_ids(obj: DataSharingAgreement) -> list[int]:
        return sorted(p.pk for p in obj.parties.all())


class AgreementIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"purpose"})
    non_blank = frozenset({"reference", "title", "purpose"})
    reference: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    party_ids: list[Id] = Field(min_length=2, max_length=20)
    purpose: str = Field(min_length=1, max_length=2000)
    lawful_basis: LawfulBasis
    article9_condition: Article9Condition = Article9Condition.NONE
    data_categories: list[DataCategory] = Field(min_length=1, max_length=10)
    start_date: dt.date
    end_date: dt.date | None = None
    status: AgreementStatus = AgreementStatus.ACTIVE
    purposes: list[SharingPurpose] = Field(default=[SharingPurpose.DIRECT_CARE], min_length=1, max_length=5)
    linkage_fields: list[LinkageField] = Field(default=[], max_length=12)


class EndAgreementIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    end_date: dt.date | None = None


class ConsentIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"notes"})
    purpose: ConsentPurpose
    status: ConsentStatus
    lawful_basis: LawfulBasis
    article9_condition: Article9Condition = Article9Condition.NONE
    notes: str = Field(default="", max_length=2000)


class ConsentOut(Schema):
    id: int
    purpose: ConsentPurpose
    status: ConsentStatus
    lawful_basis: LawfulBasis
    article9_condition: Article9Condition
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None


class AuditOut(Schema):
    sequence: int
    occurred_at: dt.datetime
    actor_username: str
    organisation_id: int | None
    role: str
    action: str
    object_type: str
    object_id: str
    person_id: int | None
    purpose: str


class AuditFilters(InputSchema):
    person_id: Id | None = None
    username: str = Field(default="", max_length=150)
    action: AuditAction | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Offset = 0


@router.get("/agreements", response=list[AgreementOut], summary="Agreements your organisation is party to")
@no_personal_data("agreements describe organisations, not people")
def list_agreements(request: HttpRequest) -> Any:
    return selectors.agreements_for(actor_of(request))


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
@no_personal_data("agreements describe organisations, not people")
def get_agreement(request: HttpRequest, agreement_id: PathId) -> DataSharingAgreement:
    return selectors.get_agreement(actor=actor_of(request), agreement_id=agreement_id)


@router.post("/agreements", response={201: AgreementOut}, summary="Record an agreement")
@no_personal_data("agreements describe organisations, not people")
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[DataSharingAgreement]:
    agreement = services.create_agreement(actor=actor_of(request), **payload.model_dump())
    return Status(201, agreement)


@router.post("/agreements/{agreement_id}/end", response=AgreementOut, summary="End an agreement")
@no_personal_data("agreements describe organisations, not people")
def end_agreement(
    request: HttpRequest, agreement_id: PathId, payload: EndAgreementIn
) -> DataSharingAgreement:
    return services.end_agreement(
        actor=actor_of(request),
        agreement_id=agreement_id,
        end_date=payload.end_date,
    )


@router.post(
    "/people/{person_id}/consents", response={201: ConsentOut}, summary="Record consent or lawful basis"
)
@personal_data("person_id", Permission.RECORD_CONSENT)
def record_consent(request: HttpRequest, person_id: PathId, payload: ConsentIn) -> Status[ConsentRecord]:
    consent = services.record_consent(
        actor=actor_of(request),
        person_id=person_id,
        **payload.model_dump(),
    )
    return Status(201, consent)


@router.get("/audit-events", response=list[AuditOut], summary="Audit log (IG officers)")
@personal_data("search", Permission.VIEW_AUDIT, reach="own")
def list_audit_events(request: HttpRequest, filters: Query[AuditFilters]) -> list[AuditEvent]:
    events = selectors.audit_events_for(
        actor_of(request),
        person_id=filters.person_id,
        username=filters.username,
        action=filters.action or "",
        since=filters.since,
        until=filters.until,
    )
    return list(events[filters.offset : filters.offset + filters.limit])


@router.get(
    "/people/{person_id}/subject-access",
    response=dict[str, Any],
    summary="Everything held on a person (IG officers; audited export)",
)
@personal_data("person_id", Permission.EXPORT_SUBJECT_ACCESS)
def subject_access(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    return export_subject_access(actor=actor_of(request), person_id=person_id)
