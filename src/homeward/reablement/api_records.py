"""JSON API for a stay's day-by-day records and the unit's contracts: red and green days, daily notes,
functional measures and their scores, MDT reviews (attendees by discipline and organisation) with their
actions, and commissioners' contracts with the monthly report. Thin handlers over the same services and
selectors as the pages: every read of a stay goes through `selectors.get_stay` (access layer, audited);
errors are problem+json naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.reablement import contract_report as reports
from homeward.reablement import daily, mdt, plans, selectors
from homeward.reablement.codes import ContractMeasure, DayColour, Discipline, MeasureStage
from homeward.reablement.models import (
    Contract,
    DailyNote,
    FunctionalMeasure,
    MdtAction,
    MdtReview,
    MeasureScore,
    Stay,
    StayDay,
)

router = Router(tags=["reablement"])

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def _stay(request: HttpRequest, stay_id: int, purpose: str) -> Stay:
    return selectors.get_stay(actor=actor_of(request), stay_id=stay_id, purpose=purpose)


# Red and green days


class ReablementDayOut(Schema):
    id: int
    day: dt.date
    colour: DayColour
    reason: str
    delay_reason_id: int | None
    recorded_by_id: int
    recorded_at: dt.datetime


class ReablementDayIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    day: dt.date
    colour: DayColour
    reason: str = Field(default="", max_length=500, description="Needed for a red day")
    delay_reason_id: Id | None = Field(default=None, description="NHS England community delay reason")


@router.get(
    "/reablement/stays/{stay_id}/days", response=list[ReablementDayOut], summary="A stay's red and green days"
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_days(request: HttpRequest, stay_id: PathId) -> list[StayDay]:
    return list(_stay(request, stay_id, "View reablement red and green days").days.all()[:400])


@router.post(
    "/reablement/stays/{stay_id}/days",
    response={201: ReablementDayOut},
    summary="Mark a day red or green (again: changes it)",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def mark_reablement_day(request: HttpRequest, stay_id: PathId, payload: ReablementDayIn) -> Status[StayDay]:
    return Status(201, daily.mark_day(actor=actor_of(request), stay_id=stay_id, **payload.model_dump()))


# Daily notes


class ReablementNoteOut(Schema):
    id: int
    written_at: dt.datetime
    author_id: int
    organisation_id: int
    text: str


class ReablementNoteIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"text"})
    non_blank = frozenset({"text"})
    text: str = Field(min_length=1, max_length=2000)


@router.get(
    "/reablement/stays/{stay_id}/notes", response=list[ReablementNoteOut], summary="A stay's daily notes"
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_notes(request: HttpRequest, stay_id: PathId) -> list[DailyNote]:
    return list(_stay(request, stay_id, "View reablement daily notes").notes.all()[:500])


@router.post(
    "/reablement/stays/{stay_id}/notes", response={201: ReablementNoteOut}, summary="Write a daily note"
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_reablement_note(
    request: HttpRequest, stay_id: PathId, payload: ReablementNoteIn
) -> Status[DailyNote]:
    return Status(201, daily.add_note(actor=actor_of(request), stay_id=stay_id, text=payload.text))


# Functional measures and scores


class ReablementMeasureOut(Schema):
    id: int
    name: str
    description: str
    lowest: int
    highest: int
    higher_is_better: bool
    licence: str


class ReablementScoreOut(Schema):
    id: int
    measure_id: int
    stage: MeasureStage
    score: int
    scored_on: dt.date
    recorded_by_id: int


class ReablementScoreIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    measure_id: Id
    stage: MeasureStage
    score: int = Field(ge=-1_000_000, le=1_000_000, description="Within the measure's own range")
    scored_on: dt.date


@router.get(
    "/reablement/measures",
    response=list[ReablementMeasureOut],
    summary="Your organisation's functional measures (no personal data)",
)
@no_personal_data("The organisation's functional measures: names, ranges and licences")
def list_reablement_measures(request: HttpRequest) -> list[FunctionalMeasure]:
    return daily.measures_for(actor_of(request).organisation_id)


@router.get(
    "/reablement/stays/{stay_id}/scores",
    response=list[ReablementScoreOut],
    summary="A stay's functional measure scores",
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_scores(request: HttpRequest, stay_id: PathId) -> list[MeasureScore]:
    return list(_stay(request, stay_id, "View reablement functional measures").scores.all()[:500])


@router.post(
    "/reablement/stays/{stay_id}/scores",
    response={201: ReablementScoreOut},
    summary="Score a functional measure at admission, a review or discharge",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def record_reablement_score(
    request: HttpRequest, stay_id: PathId, payload: ReablementScoreIn
) -> Status[MeasureScore]:
    return Status(201, daily.record_score(actor=actor_of(request), stay_id=stay_id, **payload.model_dump()))


# MDT reviews and actions


class ReablementAttendeeOut(Schema):
    discipline: Discipline
    organisation_id: int | None
    organisation: str = Field(description="The organisation's name when the review was recorded")


class ReablementActionOut(Schema):
    id: int
    review_id: int
    description: str
    owner_organisation_id: int
    owner_team_id: int | None
    owner_user_id: int | None
    due_on: dt.date
    done_on: dt.date | None
    outcome: str


class ReablementReviewOut(Schema):
    id: int
    held_on: dt.date
    attendees: list[ReablementAttendeeOut]
    medically_stable: bool
    ready_to_leave: bool
    decisions: str
    next_review_on: dt.date | None
    actions: list[ReablementActionOut]

    @staticmethod
    def resolve_attendees(obj: MdtReview) -> list[dict[str, Any]]:
        if obj.attendance:
            return list(obj.attendance)
        return [{"discipline": c, "organisation_id": None, "organisation": ""} for c in obj.attendees]

    @staticmethod
    def resolve_actions(obj: MdtReview) -> list[MdtAction]:
        return list(obj.actions.all())


class ReablementReviewIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"decisions"})
    non_blank = frozenset({"decisions"})
    held_on: dt.date
    attendees: list[Discipline] = Field(min_length=1, max_length=len(Discipline.values))
    organisations: dict[Discipline, Id | None] | None = Field(
        default=None,
        description="The organisation each attending discipline came from (none only for the person or "
        "their family); omitted: every attendee is of your organisation",
    )
    medically_stable: bool
    ready_to_leave: bool = False
    decisions: str = Field(min_length=1, max_length=2000)
    next_review_on: dt.date | None = None


class ReablementActionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    review_id: Id
    description: str = Field(min_length=1, max_length=500)
    due_on: dt.date
    owner_user_id: Id | None = Field(default=None, description="A person of your organisation, or")
    owner_team_id: Id | None = Field(default=None, description="a team of your organisation")


class ReablementActionDoneIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(default="", max_length=500)


def _reviews(stay: Stay) -> list[MdtReview]:
    return list(stay.reviews.prefetch_related("actions")[:200])


@router.get(
    "/reablement/stays/{stay_id}/reviews",
    response=list[ReablementReviewOut],
    summary="A stay's MDT reviews with their actions",
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_reviews(request: HttpRequest, stay_id: PathId) -> list[MdtReview]:
    return _reviews(_stay(request, stay_id, "View reablement MDT reviews"))


@router.post(
    "/reablement/stays/{stay_id}/reviews",
    response={201: ReablementReviewOut},
    summary="Record an MDT review (attendees by discipline and organisation)",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def record_reablement_review(
    request: HttpRequest, stay_id: PathId, payload: ReablementReviewIn
) -> Status[MdtReview]:
    data = payload.model_dump()
    if data["organisations"] is not None:
        data["organisations"] = {str(k): v for k, v in data["organisations"].items()}
    return Status(201, plans.record_review(actor=actor_of(request), stay_id=stay_id, **data))


@router.post(
    "/reablement/stays/{stay_id}/actions",
    response={201: ReablementActionOut},
    summary="Add an action to an MDT review (a task with an owner)",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_reablement_action(
    request: HttpRequest, stay_id: PathId, payload: ReablementActionIn
) -> Status[MdtAction]:
    return Status(201, mdt.add_action(actor=actor_of(request), stay_id=stay_id, **payload.model_dump()))


@router.post(
    "/reablement/stays/{stay_id}/actions/{mdt_action_id}/done",
    response=ReablementActionOut,
    summary="Mark an MDT action done",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def complete_reablement_action(
    request: HttpRequest, stay_id: PathId, mdt_action_id: PathId, payload: ReablementActionDoneIn
) -> MdtAction:
    return mdt.complete_action(
        actor=actor_of(request), stay_id=stay_id, action_id=mdt_action_id, outcome=payload.outcome
    )


# Contracts (no personal data)


class ReablementTargetOut(Schema):
    measure: ContractMeasure
    target: float = Field(description="Shares 0-1; the median length of stay in days")
    amber_margin: float | None


class ReablementContractOut(Schema):
    id: int
    unit_id: int
    commissioner_id: int
    reference: str
    starts_on: dt.date
    ends_on: dt.date
    targets: list[ReablementTargetOut]

    @staticmethod
    def resolve_targets(obj: Contract) -> list[dict[str, Any]]:
        return [
            {"measure": t.measure, "target": t.target, "amber_margin": t.amber_margin}
            for t in obj.targets.all()
        ]


class ReablementTargetIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    measure: ContractMeasure
    target: float = Field(ge=0, le=365, description="Shares 0-1; the median length of stay 0-365 days")
    amber_margin: float | None = Field(default=None, ge=0, le=365)


class ReablementContractIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"reference"})
    unit_id: Id
    reference: str = Field(min_length=1, max_length=50)
    starts_on: dt.date
    ends_on: dt.date
    targets: list[ReablementTargetIn] = Field(min_length=1, max_length=len(ContractMeasure.values))

    def service_args(self) -> dict[str, Any]:
        measures = [t.measure for t in self.targets]
        if len(set(measures)) != len(measures):
            raise ValidationFailed.single("targets", "Give each measure's target once")
        return {
            "unit_id": self.unit_id,
            "reference": self.reference,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "targets": {str(t.measure): (t.target, t.amber_margin) for t in self.targets},
        }


class ReablementReportCellOut(Schema):
    measure: ContractMeasure
    label: str
    target: float
    actual: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    status: Literal["green", "amber", "red", "no data"]


class ReablementReportMonthOut(Schema):
    month: str = Field(description="YYYY-MM")
    cells: list[ReablementReportCellOut]
    lost_to_follow_up: int


class ReablementReportOut(Schema):
    contract: ReablementContractOut
    months: list[ReablementReportMonthOut]


class ReablementReportQuery(InputSchema):
    from_month: str | None = Field(default=None, pattern=MONTH, description="YYYY-MM; default a year back")
    months: int = Field(default=12, ge=1, le=reports.MAX_MONTHS)


@router.get(
    "/reablement/contracts",
    response=list[ReablementContractOut],
    summary="Contracts your organisation commissions or runs (no personal data)",
)
@no_personal_data("Contracts and their targets: no person")
def list_reablement_contracts(request: HttpRequest) -> list[Contract]:
    return reports.visible_contracts(actor_of(request))


@router.post(
    "/reablement/contracts",
    response={201: ReablementContractOut},
    summary="Set up a contract with its targets (commissioner)",
)
@no_personal_data("A contract's unit, dates and targets: no person")
def create_reablement_contract(request: HttpRequest, payload: ReablementContractIn) -> Status[Contract]:
    actor = actor_of(request)
    made = reports.create_contract(actor=actor, **payload.service_args())
    return Status(201, reports.editable_contract(actor, made.pk))


@router.put(
    "/reablement/contracts/{contract_id}",
    response=ReablementContractOut,
    summary="Change a contract and its whole set of targets (commissioner)",
)
@no_personal_data("A contract's unit, dates and targets: no person")
def update_reablement_contract(
    request: HttpRequest, contract_id: PathId, payload: ReablementContractIn
) -> Contract:
    actor = actor_of(request)
    reports.update_contract(actor=actor, contract_id=contract_id, **payload.service_args())
    return reports.editable_contract(actor, contract_id)


@router.get(
    "/reablement/contracts/{contract_id}/report",
    response=ReablementReportOut,
    summary="A contract's monthly figures with 95% intervals and RAG (counts only)",
)
@no_personal_data("Monthly counts, shares and medians per unit with their intervals: no person")
def reablement_contract_report(
    request: HttpRequest, contract_id: PathId, query: Query[ReablementReportQuery]
) -> dict[str, Any]:
    actor = actor_of(request)
    contract = reports.get_contract(actor, contract_id)
    first = reports.default_first(contract)
    if query.from_month:
        first = dt.date.fromisoformat(query.from_month + "-01")
    months = reports.contract_report(actor, contract, first, query.months)
    return {
        "contract": contract,
        "months": [
            {
                "month": f"{m.first:%Y-%m}",
                "lost_to_follow_up": m.lost_to_follow_up,
                "cells": [
                    {
                        "measure": c.measure,
                        "label": c.label,
                        "target": c.target,
                        "actual": c.point.value,
                        "ci_low": c.point.low,
                        "ci_high": c.point.high,
                        "n": c.point.n,
                        "status": c.status,
                    }
                    for c in m.cells
                ],
            }
            for m in months
        ],
    }


# The plan for going home (goals, blockers, arrangements) joins this router (its module imports it).
from homeward.reablement import api_plan  # noqa: E402, F401
