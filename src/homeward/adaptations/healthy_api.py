"""JSON API for healthy homes: home visits with their HHSRS hazards (scored by the engine), handyperson
jobs and the falls check, and Awaab's Law reports with their clocks. Thin handlers over `visits`,
`awaab_reports` and `healthy_selectors`; operations join the adaptations router (`api.py`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Schema, Status
from pydantic import AwareDatetime, ConfigDict, Field

from homeward.adaptations import awaab_reports, healthy_selectors, visits
from homeward.adaptations.api import router
from homeward.adaptations.codes import (
    AwaabEvidenceKind,
    AwaabHazardKind,
    CheckerRole,
    HazardAction,
    JobKind,
    VisitKind,
)
from homeward.adaptations.healthy_models import AwaabReport, HomeVisit
from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data


class HazardFindingOut(Schema):
    id: int
    hazard: str
    likelihood: float
    spread: list[int]
    score: float
    band: str
    category: int
    explanation: str
    action: HazardAction
    action_by_id: int
    removed_on: dt.date | None

    @staticmethod
    def resolve_spread(obj: object) -> list[int]:
        return [obj.class_i, obj.class_ii, obj.class_iii, obj.class_iv]  # type: ignore[attr-defined]


class HandypersonJobOut(Schema):
    id: int
    kind: JobKind
    description: str
    organisation_id: int
    requested_on: dt.date
    done_on: dt.date | None
    minutes: int | None
    materials_cost: Decimal | None


class HomeVisitOut(Schema):
    id: int
    reference: str
    person_id: int
    organisation_id: int
    case_id: int | None
    kind: VisitKind
    address: str
    visited_on: dt.date
    checker_role: str
    falls_summary: str
    hazards: list[HazardFindingOut]
    jobs: list[HandypersonJobOut]

    @staticmethod
    def resolve_hazards(obj: HomeVisit) -> list[object]:
        return list(obj.findings.all())

    @staticmethod
    def resolve_jobs(obj: HomeVisit) -> list[object]:
        return list(obj.jobs.all())


class HomeVisitIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"notes"})
    person_id: Id
    visited_on: dt.date
    kind: VisitKind = VisitKind.HOME_SAFETY
    case_id: Id | None = None
    checker_role: CheckerRole | None = None
    address: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=2000)


class HazardFindingIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    hazard: str = Field(min_length=1, max_length=64)
    likelihood: float = Field(allow_inf_nan=False, ge=-1e9, le=1e9)
    spread: list[int] = Field(min_length=4, max_length=4)
    action: HazardAction
    action_by_id: Id | None = None
    action_note: str = Field(default="", max_length=500)


class HandypersonJobIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: JobKind
    description: str = Field(min_length=1, max_length=300)
    organisation_id: Id | None = None
    finding_id: Id | None = None


class FallsCheckIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, str] = Field(max_length=200)
    notes: dict[str, str] = Field(default_factory=dict, max_length=200)


class VisitListQuery(InputSchema):
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


@router.get("/adaptations/visits", response=list[HomeVisitOut], summary="Home visits, newest first (audited)")
@personal_data("search", Permission.VIEW_PERSON)
def list_home_visits(request: HttpRequest, filters: Query[VisitListQuery]) -> list[HomeVisit]:
    actor = actor_of(request)
    page = list(
        healthy_selectors.visits(actor).prefetch_related("findings", "jobs")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    healthy_selectors.record_list_view(actor=actor, purpose="API: home visits", ids=[v.pk for v in page])
    return page


@router.post("/adaptations/visits", response={201: HomeVisitOut}, summary="Record a home visit")
@personal_data("create", Permission.EDIT_PERSON)
def open_home_visit(request: HttpRequest, payload: HomeVisitIn) -> Status[HomeVisit]:
    data = payload.model_dump()
    data["checker_role"] = data["checker_role"] or ""
    return Status(201, visits.open_visit(actor=actor_of(request), **data))


@router.get("/adaptations/visits/{visit_id}", response=HomeVisitOut, summary="One home visit (audited)")
@personal_data("visit_id", Permission.VIEW_PERSON)
def get_home_visit(request: HttpRequest, visit_id: PathId) -> HomeVisit:
    return healthy_selectors.get_visit(actor=actor_of(request), visit_id=visit_id)


@router.post(
    "/adaptations/visits/{visit_id}/hazards",
    response={201: HazardFindingOut},
    summary="Record an HHSRS hazard (scored by the engine)",
)
@personal_data("visit_id", Permission.EDIT_PERSON)
def add_home_visit_hazard(request: HttpRequest, visit_id: PathId, payload: HazardFindingIn) -> Status[object]:
    data = payload.model_dump()
    data["spread"] = tuple(data["spread"])
    return Status(201, visits.add_finding(actor=actor_of(request), visit_id=visit_id, **data))


@router.post(
    "/adaptations/visits/{visit_id}/jobs", response={201: HandypersonJobOut}, summary="Add a handyperson job"
)
@personal_data("visit_id", Permission.EDIT_PERSON)
def add_home_visit_job(request: HttpRequest, visit_id: PathId, payload: HandypersonJobIn) -> Status[object]:
    return Status(201, visits.add_job(actor=actor_of(request), visit_id=visit_id, **payload.model_dump()))


@router.post(
    "/adaptations/visits/{visit_id}/falls-check", response=HomeVisitOut, summary="Record the falls check"
)
@personal_data("visit_id", Permission.EDIT_PERSON)
def record_home_visit_falls_check(request: HttpRequest, visit_id: PathId, payload: FallsCheckIn) -> HomeVisit:
    actor = actor_of(request)
    visits.record_falls_check(actor=actor, visit_id=visit_id, **payload.model_dump())
    return healthy_selectors.get_visit(actor=actor, visit_id=visit_id)


class AwaabClockOut(Schema):
    kind: str
    label: str
    status: str
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    days_left: int | None
    working_days_left: int | None
    explanation: str


class AwaabReportOut(Schema):
    id: int
    reference: str
    person_id: int
    organisation_id: int
    hazard: AwaabHazardKind
    address: str
    description: str
    aware_at: dt.datetime
    investigation_concluded_at: dt.datetime | None
    hazard_found: bool | None
    summary_sent_at: dt.datetime | None
    safety_work_done_at: dt.datetime | None
    further_works_begun_at: dt.datetime | None
    further_works_started_at: dt.datetime | None
    clocks: list[AwaabClockOut]

    @staticmethod
    def resolve_clocks(obj: AwaabReport) -> list[AwaabClockOut]:
        return [
            AwaabClockOut(
                kind=c.kind.value,
                label=c.label,
                status=c.status.value,
                due_at=c.due_at,
                completed_at=c.completed_at,
                days_left=c.days_left,
                working_days_left=c.working_days_left,
                explanation=c.explanation,
            )
            for c in healthy_selectors.report_clocks(obj)
        ]


class AwaabReportIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"description"})
    non_blank = frozenset({"description"})
    person_id: Id
    hazard: AwaabHazardKind
    aware_at: AwareDatetime
    description: str = Field(min_length=1, max_length=2000)
    address: str = Field(default="", max_length=300)
    visit_id: Id | None = None


class AwaabStepIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    step: str = Field(max_length=40)
    at: AwareDatetime
    hazard_found: bool | None = None


class AwaabEvidenceIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: AwaabEvidenceKind
    at: AwareDatetime
    note: str = Field(default="", max_length=2000)


class AwaabListQuery(InputSchema):
    view: str = Field(default="all", pattern="^(all|breached|open)$")


@router.get(
    "/adaptations/awaab-reports",
    response=list[AwaabReportOut],
    summary="The landlord's Awaab's Law reports with their clocks (audited)",
)
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def list_awaab_reports(request: HttpRequest, filters: Query[AwaabListQuery]) -> list[AwaabReport]:
    actor = actor_of(request)
    rows = healthy_selectors.awaab_dashboard(actor, view=filters.view).rows
    healthy_selectors.record_list_view(
        actor=actor, purpose="API: Awaab's Law reports", ids=[r.report.pk for r in rows]
    )
    return [r.report for r in rows]


@router.post(
    "/adaptations/awaab-reports", response={201: AwaabReportOut}, summary="Open an Awaab's Law report"
)
@personal_data("create", Permission.EDIT_PERSON)
def open_awaab_report(request: HttpRequest, payload: AwaabReportIn) -> Status[AwaabReport]:
    return Status(201, awaab_reports.open_report(actor=actor_of(request), **payload.model_dump()))


@router.get(
    "/adaptations/awaab-reports/{report_id}", response=AwaabReportOut, summary="One report with its clocks"
)
@personal_data("report_id", Permission.VIEW_PERSON)
def get_awaab_report(request: HttpRequest, report_id: PathId) -> AwaabReport:
    return healthy_selectors.get_report(actor=actor_of(request), report_id=report_id)


@router.post("/adaptations/awaab-reports/{report_id}/steps", response=AwaabReportOut, summary="Record a step")
@personal_data("report_id", Permission.EDIT_PERSON, reach="own")  # the landlord records its steps
def record_awaab_step(request: HttpRequest, report_id: PathId, payload: AwaabStepIn) -> AwaabReport:
    actor = actor_of(request)
    awaab_reports.record_step(actor=actor, report_id=report_id, **payload.model_dump())
    return healthy_selectors.get_report(actor=actor, report_id=report_id)


@router.post(
    "/adaptations/awaab-reports/{report_id}/evidence", response=AwaabReportOut, summary="Record evidence"
)
@personal_data("report_id", Permission.EDIT_PERSON, reach="own")  # the landlord records its steps
def record_awaab_evidence(request: HttpRequest, report_id: PathId, payload: AwaabEvidenceIn) -> AwaabReport:
    actor = actor_of(request)
    awaab_reports.add_evidence(actor=actor, report_id=report_id, **payload.model_dump())
    return healthy_selectors.get_report(actor=actor, report_id=report_id)
