"""JSON API for adaptations cases: list (a worklist), read, open and move. Thin handlers over services and
selectors; errors are problem+json (homeward.api.base)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.adaptations import selectors, services
from homeward.adaptations.clocks import case_clocks, plain_words
from homeward.adaptations.codes import AdaptationStatus, Priority, Route, Source, Tenure
from homeward.adaptations.models import AdaptationCase
from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data

router = Router(tags=["adaptations"])

AdaptationWorklist = Literal[
    "all",
    "overdue",
    "at_risk",
    "tasks_overdue",
    "first_contact",
    "assessment",
    "application",
    "approval",
    "works",
    "sign_off",
    "mine",
]
ClockKind = Literal["decision", "payment", "works"]
ClockStatus = Literal["not_started", "open", "met", "breached"]


class AdaptationClockOut(Schema):
    kind: ClockKind
    status: ClockStatus
    due_on: dt.date | None
    days_left: int | None
    is_overdue: bool
    explanation: str


class AdaptationCaseOut(Schema):
    id: int
    reference: str
    person_id: int
    organisation_id: int
    status: AdaptationStatus
    source: Source
    tenure: Tenure
    route: Route
    priority: Priority
    priority_reason: str
    needs: str
    address: str
    postcode: str
    enquiry_received_on: dt.date
    first_contact_on: dt.date | None
    assessed_on: dt.date | None
    application_submitted_on: dt.date | None
    application_valid_on: dt.date | None
    decision_on: dt.date | None
    approved_on: dt.date | None
    works_started_on: dt.date | None
    works_completed_on: dt.date | None
    inspection_passed_on: dt.date | None
    paid_on: dt.date | None
    refusal_reason: str
    review_by: dt.date | None
    clocks: list[AdaptationClockOut]

    @staticmethod
    def resolve_clocks(obj: AdaptationCase) -> list[AdaptationClockOut]:
        return [
            AdaptationClockOut(
                kind=clock.kind.value,
                status=clock.status.value,
                due_on=clock.due_on,
                days_left=clock.days_left,
                is_overdue=clock.is_overdue,
                explanation=plain_words(clock),
            )
            for clock in case_clocks(obj, today=timezone.localdate())
        ]


class AdaptationCaseIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"needs"})
    non_blank = frozenset({"needs"})
    person_id: Id
    source: Source
    tenure: Tenure
    needs: str = Field(min_length=1, max_length=2000)
    enquiry_received_on: dt.date
    route: Route = Route.DFG
    priority: Priority = Priority.STANDARD
    priority_reason: str = Field(default="", max_length=500)
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=8)


class AdaptationMoveIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    to_status: AdaptationStatus
    on: dt.date | None = None
    note: str = Field(default="", max_length=2000)
    application_valid_on: dt.date | None = None
    inspection_passed_on: dt.date | None = None
    refusal_reason: str = Field(default="", max_length=500)
    review_by: dt.date | None = None


class AdaptationListQuery(InputSchema):
    view: AdaptationWorklist = "all"
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


@router.get(
    "/adaptations/cases",
    response=list[AdaptationCaseOut],
    summary="Open adaptations cases (a worklist; audited)",
)
@personal_data("search", Permission.VIEW_PERSON)
def list_adaptation_cases(request: HttpRequest, filters: Query[AdaptationListQuery]) -> list[AdaptationCase]:
    actor = actor_of(request)
    cases = selectors.worklist(actor=actor, view=filters.view)
    page = list(cases[filters.offset : filters.offset + filters.limit])
    selectors.record_worklist_view(actor=actor, view=f"api:{filters.view}", case_ids=[c.pk for c in page])
    return page


@router.post("/adaptations/cases", response={201: AdaptationCaseOut}, summary="Open an adaptations case")
@personal_data("create", Permission.EDIT_PERSON)
def open_adaptation_case(request: HttpRequest, payload: AdaptationCaseIn) -> Status[AdaptationCase]:
    return Status(201, services.open_case(actor=actor_of(request), **payload.model_dump()))


@router.get("/adaptations/cases/{adaptation_id}", response=AdaptationCaseOut, summary="One case (audited)")
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def get_adaptation_case(request: HttpRequest, adaptation_id: PathId) -> AdaptationCase:
    return selectors.get_case(actor=actor_of(request), case_id=adaptation_id)


@router.post(
    "/adaptations/cases/{adaptation_id}/moves", response=AdaptationCaseOut, summary="Move a case to a stage"
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def move_adaptation_case(
    request: HttpRequest, adaptation_id: PathId, payload: AdaptationMoveIn
) -> AdaptationCase:
    actor = actor_of(request)
    services.move_case(actor=actor, case_id=adaptation_id, **payload.model_dump())
    return selectors.get_case(actor=actor, case_id=adaptation_id)


# The team's work and healthy homes join this router (their modules import it).
from homeward.adaptations import healthy_api, team_api  # noqa: E402, F401
