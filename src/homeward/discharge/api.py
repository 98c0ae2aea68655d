"""JSON API for Hospital to Home: cases, blockers and moves. Thin handlers over services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.discharge import attendances, selectors, services
from homeward.discharge.codes import (
    BlockerCategory,
    CaseStatus,
    Destination,
    NonClinicalNeed,
    Pathway,
    Setting,
    SitrepCollection,
)
from homeward.discharge.models import Attendance, Blocker, DischargeCase
from homeward.discharge.sitrep import SUPPRESSED, weekly_sitrep
from homeward.governance.models import ConsentStatus, LawfulBasis
from homeward.governance.routes import no_personal_data, personal_data

router = Router(tags=["hospital to home"])


WorklistView = Literal["mine", "team", "overdue", "ready", "all"]
NoPathway = Literal[""]


class BlockerOut(Schema):
    id: int
    category: BlockerCategory
    description: str
    owner_organisation_id: int
    owner_team_id: int | None
    owner_user_id: int | None
    raised_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None
    resolution: str


class CaseOut(Schema):
    id: int
    reference: str
    person_id: int
    organisation_id: int
    housing_organisation_id: int
    hospital_id: int
    ward_id: int | None
    setting: Setting
    status: CaseStatus
    pathway: Pathway | NoPathway
    referral_reason: str
    admitted_on: dt.date
    referred_at: dt.datetime
    discharge_ready_on: dt.date | None
    discharged_on: dt.date | None
    destination: Destination | Literal[""]
    previous_case_id: int | None
    blockers: list[BlockerOut]

    @staticmethod
    def resolve_blockers(obj: DischargeCase) -> list[Blocker]:
        return list(obj.blockers.all())


class ReferralIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"referral_reason"})
    non_blank = frozenset({"referral_reason"})
    person_id: Id
    housing_organisation_id: Id
    hospital_id: Id
    ward_id: Id | None = None
    setting: Setting = Setting.WARD
    admitted_on: dt.date
    discharge_ready_on: dt.date | None = None
    pathway: Pathway | NoPathway = ""
    referral_reason: str = Field(min_length=1, max_length=2000)
    consent_status: ConsentStatus = ConsentStatus.GIVEN
    lawful_basis: LawfulBasis = LawfulBasis.CONSENT


class BlockerIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"description"})
    non_blank = frozenset({"description"})
    category: BlockerCategory
    description: str = Field(min_length=1, max_length=500)
    due_on: dt.date
    owner_organisation_id: Id | None = None
    owner_team_id: Id | None = None
    owner_user_id: Id | None = None


class ResolveIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"resolution"})
    non_blank = frozenset({"resolution"})
    resolution: str = Field(min_length=1, max_length=500)
    resolved_on: dt.date | None = None


class TransitionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    to_status: CaseStatus
    note: str = Field(default="", max_length=2000)
    discharge_ready_on: dt.date | None = None
    discharged_on: dt.date | None = None
    destination: Destination | Literal[""] = ""
    pathway: Pathway | NoPathway = ""
    died_on: dt.date | None = None


class WorklistQuery(InputSchema):
    view: WorklistView = "all"
    hospital_id: Id | None = None
    ward_id: Id | None = None
    pathway: Pathway | NoPathway = ""
    category: BlockerCategory | Literal[""] = ""
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


def _case(request: HttpRequest, case_id: int) -> DischargeCase:
    return selectors.get_case(actor=actor_of(request), case_id=case_id)


@router.get("/discharge/cases", response=list[CaseOut], summary="Open cases (a worklist; audited)")
@personal_data("search", Permission.VIEW_PERSON)
def list_cases(request: HttpRequest, filters: Query[WorklistQuery]) -> list[DischargeCase]:
    actor = actor_of(request)
    cases = selectors.worklist(
        actor=actor,
        view=filters.view,
        hospital_id=filters.hospital_id,
        ward_id=filters.ward_id,
        pathway=filters.pathway,
        category=filters.category,
    )
    page = list(cases.prefetch_related("blockers")[filters.offset : filters.offset + filters.limit])
    selectors.record_worklist_view(actor=actor, view=f"api:{filters.view}", case_ids=[c.pk for c in page])
    return page


@router.post("/discharge/cases", response={201: CaseOut}, summary="Refer a patient")
@personal_data("create", Permission.EDIT_PERSON)
def refer(request: HttpRequest, payload: ReferralIn) -> Status[DischargeCase]:
    fields: dict[str, Any] = payload.model_dump()
    return Status(201, services.refer_patient(actor=actor_of(request), **fields))


@router.get("/discharge/cases/{case_id}", response=CaseOut, summary="One case (audited)")
@personal_data("case_id", Permission.VIEW_PERSON)
def get_case(request: HttpRequest, case_id: PathId) -> DischargeCase:
    return _case(request, case_id)


@router.post("/discharge/cases/{case_id}/transitions", response=CaseOut, summary="Move a case on")
# Only the case's core team (the trust and the housing team) moves it; other participants get a 404.
@personal_data("case_id", Permission.EDIT_PERSON, reach="own")
def transition(request: HttpRequest, case_id: PathId, payload: TransitionIn) -> DischargeCase:
    services.transition_case(actor=actor_of(request), case_id=case_id, **payload.model_dump())
    return _case(request, case_id)


@router.post("/discharge/cases/{case_id}/blockers", response={201: BlockerOut}, summary="Raise a blocker")
@personal_data("case_id", Permission.EDIT_PERSON)
def raise_blocker(request: HttpRequest, case_id: PathId, payload: BlockerIn) -> Status[Blocker]:
    return Status(
        201, services.raise_blocker(actor=actor_of(request), case_id=case_id, **payload.model_dump())
    )


@router.post(
    "/discharge/cases/{case_id}/blockers/{blocker_id}/resolve",
    response=BlockerOut,
    summary="Resolve a blocker",
)
@personal_data("case_id", Permission.EDIT_PERSON)
def resolve_blocker(request: HttpRequest, case_id: PathId, blocker_id: PathId, payload: ResolveIn) -> Blocker:
    if not Blocker.objects.filter(pk=blocker_id, case_id=case_id).exists():
        raise NotFound("No blocker with that id on this case")
    return services.resolve_blocker(actor=actor_of(request), blocker_id=blocker_id, **payload.model_dump())


class AttendanceIn(InputSchema):
    """One A&E attendance, as the trust's emergency department system sends it."""

    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"complaint"})
    person_id: Id
    hospital_id: Id
    arrived_at: dt.datetime
    complaint: str = Field(min_length=1, max_length=200)
    needs: list[NonClinicalNeed] = Field(default_factory=list, max_length=10)


class AttendanceOut(Schema):
    id: int
    person_id: int
    hospital_id: int
    arrived_at: dt.datetime
    complaint: str
    needs: list[NonClinicalNeed]


@router.post("/discharge/attendances", response={201: AttendanceOut}, summary="Record an A&E attendance")
@personal_data("person_id", Permission.EDIT_PERSON)
def record_attendance(request: HttpRequest, payload: AttendanceIn) -> Status[Attendance]:
    return Status(201, attendances.record_attendance(actor=actor_of(request), **payload.model_dump()))


Figure = float | int | Literal["*"]


class SitrepQuery(InputSchema):
    organisation: Id = Field(description="The NHS trust whose report this is")
    week: dt.date = Field(description="The first day of the week: a Monday for the shipped lists")
    collection: SitrepCollection = SitrepCollection.ACUTE
    shared: bool = Field(default=False, description="Hide small numbers, for sharing outside the trust")


class SitrepOut(Schema):
    """The weekly situation report's figures; "*" is a small number hidden outside the trust."""

    week: dt.date
    organisation: int
    collection: SitrepCollection
    list: str = Field(description="The delay-reason list in force that week")
    shared: bool
    reasons: dict[str, Figure] = Field(description="Average a day with a stay of 14 days or over, by reason")
    reasons_21_plus: dict[str, Figure]
    not_recorded: Figure
    los_14_plus: Figure
    los_21_plus: Figure
    discharged: Figure
    discharged_on_ready_date: Figure
    discharges_by_pathway: dict[str, Figure]


@router.get(
    "/discharge/sitrep",
    response=SitrepOut,
    summary="The weekly discharge situation report (counts only)",
    description=f"Computed from the case history. Small numbers are {SUPPRESSED!r} when the report is seen "
    "outside the trust or asked for with shared=true.",
)
@no_personal_data("aggregate counts only: no names or identifiers; small numbers hidden outside the trust")
def sitrep(request: HttpRequest, query: Query[SitrepQuery]) -> dict[str, Any]:
    report = weekly_sitrep(
        actor=actor_of(request),
        organisation_id=query.organisation,
        week=query.week,
        collection=query.collection,
        shared=query.shared,
    )
    return report.as_json()
