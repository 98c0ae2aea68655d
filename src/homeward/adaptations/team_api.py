"""JSON API for the co-located team's work on a case: its tasks, its schedule of works (items, quotes, the
chosen contractor, variations, running totals) and its test of resources. Thin handlers over `tasks`,
`works` and `means_test`; operations join the adaptations router (`api.py`)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import AfterValidator, ConfigDict, Field

from homeward.adaptations import means_test, selectors, tasks, works
from homeward.adaptations.api import router
from homeward.adaptations.codes import TaskKind, TeamRole, WorkKind
from homeward.adaptations.models import ResourcesTest, TeamTask
from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data


def _two_places(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


#: An amount in pounds (or a quantity) as the schema says: a JSON number, kept to two decimal places. A
#: decimal's string form would let the schema allow strings such as "" that the server must then refuse.
Pounds = Annotated[float, AfterValidator(_two_places)]
Money = Field(ge=-1_000_000, le=1_000_000, allow_inf_nan=False)


class AdaptationTaskOut(Schema):
    id: int
    kind: TaskKind
    owner_role: TeamRole
    organisation_id: int
    assigned_to_id: int | None
    note: str
    due_on: dt.date
    done_on: dt.date | None
    cancelled_reason: str = Field(description="Why the task was closed without being done; blank if done")


class AdaptationTaskIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: TaskKind
    owner_role: TeamRole
    organisation_id: Id
    working_days: int = Field(ge=1, le=260)
    assigned_to_id: Id | None = None
    note: str = Field(default="", max_length=500)


class AdaptationTaskDoneIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    task_id: Id
    done_on: dt.date | None = None


class WorkItemOut(Schema):
    id: int
    kind: WorkKind
    description: str
    quantity: Decimal
    unit_price: Decimal
    total: Decimal


class QuoteOut(Schema):
    id: int
    contractor: str
    amount: Decimal
    received_on: dt.date
    chosen: bool
    chosen_reason: str


class VariationOut(Schema):
    id: int
    description: str
    amount: Decimal
    reason: str
    agreed_on: dt.date


class ScheduleOut(Schema):
    items: list[WorkItemOut]
    quotes: list[QuoteOut]
    variations: list[VariationOut]
    works_total: Decimal
    fees_total: Decimal
    schedule_total: Decimal
    variations_total: Decimal
    approved_cost: Decimal | None
    min_quotes: int


class WorkItemIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: WorkKind = WorkKind.WORKS
    description: str = Field(min_length=1, max_length=200)
    quantity: Pounds = Field(gt=0, le=10_000, allow_inf_nan=False)
    unit_price: Pounds = Field(gt=0, le=1_000_000, allow_inf_nan=False)


class QuoteIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    contractor: str = Field(min_length=1, max_length=200)
    amount: Pounds = Field(gt=0, le=1_000_000, allow_inf_nan=False)
    received_on: dt.date
    note: str = Field(default="", max_length=500)


class ChooseIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    quote_id: Id
    reason: str = Field(default="", max_length=500)


class VariationIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1, max_length=200)
    amount: Pounds = Money
    reason: str = Field(min_length=1, max_length=500)
    agreed_on: dt.date


class ResourcesTestOut(Schema):
    id: int
    assessment_date: dt.date
    basis: str
    means_tested: bool
    contribution: Decimal
    steps: str
    warnings: str


class IncomeLineIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1, max_length=200)
    weekly_amount: Pounds = Field(ge=0, le=100_000, allow_inf_nan=False)
    disregard: Pounds = Field(default=0, ge=0, le=100_000, allow_inf_nan=False)
    disregard_reason: str = Field(default="", max_length=200)


class ResourcesTestIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    assessment_date: dt.date | None = None
    benefits: list[str] = Field(default_factory=list, max_length=20)
    personal_allowance: str = Field(default="", max_length=64)
    dependants: list[str] = Field(default_factory=list, max_length=20)
    premiums: list[str] = Field(default_factory=list, max_length=20)
    income: list[IncomeLineIn] = Field(default_factory=list, max_length=50)
    capital_amount: Annotated[float | None, AfterValidator(_two_places)] = Field(
        default=None, ge=0, le=100_000_000, allow_inf_nan=False
    )
    capital_rule: str = Field(default="standard", max_length=32)
    child_benefit_payable: bool = False


@router.get(
    "/adaptations/cases/{adaptation_id}/tasks",
    response=list[AdaptationTaskOut],
    summary="The team's tasks on a case",
)
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def list_adaptation_tasks(request: HttpRequest, adaptation_id: PathId) -> list[TeamTask]:
    case = selectors.get_case(actor=actor_of(request), case_id=adaptation_id, purpose="View the team's tasks")
    return list(case.tasks.all())


@router.post(
    "/adaptations/cases/{adaptation_id}/tasks", response={201: AdaptationTaskOut}, summary="Add a task"
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_adaptation_task(
    request: HttpRequest, adaptation_id: PathId, payload: AdaptationTaskIn
) -> Status[TeamTask]:
    return Status(201, tasks.add_task(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump()))


@router.post(
    "/adaptations/cases/{adaptation_id}/tasks/done", response=AdaptationTaskOut, summary="Mark a task done"
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def complete_adaptation_task(
    request: HttpRequest, adaptation_id: PathId, payload: AdaptationTaskDoneIn
) -> TeamTask:
    return tasks.complete_task(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump())


def _schedule(case_id: int, request: HttpRequest) -> ScheduleOut:
    case = selectors.get_case(actor=actor_of(request), case_id=case_id, purpose="View the schedule of works")
    totals = works.totals(case)
    return ScheduleOut(
        items=[
            WorkItemOut(
                id=i.pk,
                kind=WorkKind(i.kind),
                description=i.description,
                quantity=i.quantity,
                unit_price=i.unit_price,
                total=i.total,
            )
            for i in case.work_items.all()
        ],
        quotes=[QuoteOut.model_validate(q, from_attributes=True) for q in case.quotes.all()],
        variations=[VariationOut.model_validate(v, from_attributes=True) for v in case.variations.all()],
        works_total=totals.works,
        fees_total=totals.fees,
        schedule_total=totals.schedule,
        variations_total=totals.variations,
        approved_cost=totals.approved_cost,
        min_quotes=works.min_quotes(),
    )


@router.get(
    "/adaptations/cases/{adaptation_id}/works",
    response=ScheduleOut,
    summary="The schedule of works, quotes and totals",
)
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def get_adaptation_schedule(request: HttpRequest, adaptation_id: PathId) -> ScheduleOut:
    return _schedule(adaptation_id, request)


@router.post(
    "/adaptations/cases/{adaptation_id}/works/items",
    response={201: ScheduleOut},
    summary="Add an item or a fee",
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_adaptation_work_item(
    request: HttpRequest, adaptation_id: PathId, payload: WorkItemIn
) -> Status[ScheduleOut]:
    works.add_item(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump())
    return Status(201, _schedule(adaptation_id, request))


@router.post(
    "/adaptations/cases/{adaptation_id}/works/quotes", response={201: ScheduleOut}, summary="Record a quote"
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_adaptation_quote(
    request: HttpRequest, adaptation_id: PathId, payload: QuoteIn
) -> Status[ScheduleOut]:
    works.add_quote(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump())
    return Status(201, _schedule(adaptation_id, request))


@router.post(
    "/adaptations/cases/{adaptation_id}/works/choice", response=ScheduleOut, summary="Choose the contractor"
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def choose_adaptation_contractor(
    request: HttpRequest, adaptation_id: PathId, payload: ChooseIn
) -> ScheduleOut:
    works.choose_contractor(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump())
    return _schedule(adaptation_id, request)


@router.post(
    "/adaptations/cases/{adaptation_id}/works/variations",
    response={201: ScheduleOut},
    summary="Record a variation",
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_adaptation_variation(
    request: HttpRequest, adaptation_id: PathId, payload: VariationIn
) -> Status[ScheduleOut]:
    works.add_variation(actor=actor_of(request), case_id=adaptation_id, **payload.model_dump())
    return Status(201, _schedule(adaptation_id, request))


@router.get(
    "/adaptations/cases/{adaptation_id}/resources-tests",
    response=list[ResourcesTestOut],
    summary="The case's tests of resources, newest first, each step in words",
)
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def list_adaptation_resources_tests(request: HttpRequest, adaptation_id: PathId) -> list[ResourcesTest]:
    case = selectors.get_case(
        actor=actor_of(request), case_id=adaptation_id, purpose="View the test of resources"
    )
    return list(case.resources_tests.all()[:20])


@router.post(
    "/adaptations/cases/{adaptation_id}/resources-tests",
    response={201: ResourcesTestOut},
    summary="Run the test of resources (engines.dfg) with the organisation's tables",
)
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def run_adaptation_resources_test(
    request: HttpRequest, adaptation_id: PathId, payload: ResourcesTestIn
) -> Status[ResourcesTest]:
    data = payload.model_dump()
    return Status(201, means_test.run_test(actor=actor_of(request), case_id=adaptation_id, **data))
