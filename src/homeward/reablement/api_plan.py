"""JSON API for a stay's plan for going home: the goals agreed with the person and their progress, the
blockers (Hospital to Home's categories, an owner, NHS England's community delay reason), and what is
arranged (an adaptation through the adaptations module, other support as an onward referral). Thin handlers
over `plans` and `arrangements`, the same services as the pages; every read of a stay goes through
`selectors.get_stay` (access layer, audited). Operations join the reablement records router."""

from __future__ import annotations

import datetime as dt
import enum

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from homeward.adaptations.codes import Tenure
from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.discharge.codes import BlockerCategory
from homeward.governance.models import ConsentStatus, LawfulBasis
from homeward.governance.routes import personal_data
from homeward.reablement import arrangements, plans
from homeward.reablement.api_records import _stay, router
from homeward.reablement.codes import ArrangementKind, GoalProgress
from homeward.reablement.models import DischargeArrangement, Goal, StayBlocker
from homeward.referrals.codes import ServiceKind, Urgency


class ReablementGoalProgress(enum.StrEnum):
    """`codes.GoalProgress` under its own name in the OpenAPI document (supported housing has a
    GoalProgress of its own, with other values)."""

    NOT_STARTED = GoalProgress.NOT_STARTED.value
    PARTLY = GoalProgress.PARTLY.value
    ATTAINED = GoalProgress.ATTAINED.value
    NOT_ATTAINED = GoalProgress.NOT_ATTAINED.value


# Goals


class ReablementGoalOut(Schema):
    id: int
    description: str
    target_on: dt.date
    progress: ReablementGoalProgress
    agreed_with_person: bool
    updated_on: dt.date


class ReablementGoalIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"description"})
    description: str = Field(min_length=1, max_length=500, description="The goal, in the person's words")
    target_on: dt.date
    agreed_with_person: bool = True


class ReablementGoalProgressIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    progress: ReablementGoalProgress


@router.get(
    "/reablement/stays/{stay_id}/goals",
    response=list[ReablementGoalOut],
    summary="A stay's support-plan goals with their progress",
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_goals(request: HttpRequest, stay_id: PathId) -> list[Goal]:
    return list(_stay(request, stay_id, "View reablement goals").goals.all()[:200])


@router.post(
    "/reablement/stays/{stay_id}/goals",
    response={201: ReablementGoalOut},
    summary="Agree a goal of the support plan with the person",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_reablement_goal(request: HttpRequest, stay_id: PathId, payload: ReablementGoalIn) -> Status[Goal]:
    return Status(201, plans.add_goal(actor=actor_of(request), stay_id=stay_id, **payload.model_dump()))


@router.post(
    "/reablement/stays/{stay_id}/goals/{reablement_goal_id}/progress",
    response=ReablementGoalOut,
    summary="Record a goal's progress (attained, partly, not attained)",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def update_reablement_goal(
    request: HttpRequest, stay_id: PathId, reablement_goal_id: PathId, payload: ReablementGoalProgressIn
) -> Goal:
    if not Goal.objects.filter(pk=reablement_goal_id, stay_id=stay_id).exists():
        raise NotFound("No goal with that id in this stay")
    return plans.update_goal(
        actor=actor_of(request), goal_id=reablement_goal_id, progress=str(payload.progress)
    )


# Blockers


class ReablementBlockerOut(Schema):
    id: int
    category: BlockerCategory
    description: str
    owner_organisation_id: int
    owner_team_id: int | None
    owner_user_id: int | None
    delay_reason_id: int | None
    raised_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None
    resolution: str


class ReablementBlockerIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"description"})
    category: BlockerCategory
    description: str = Field(min_length=1, max_length=500, description="What is in the way")
    due_on: dt.date
    owner_organisation_id: Id | None = Field(default=None, description="Your organisation when left out")
    owner_team_id: Id | None = None
    owner_user_id: Id | None = None
    delay_reason_id: Id | None = Field(
        default=None, description="NHS England's community delay reason; its category's when left out"
    )


class ReablementBlockerResolveIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"resolution"})
    resolution: str = Field(min_length=1, max_length=500, description="How it was cleared")


@router.get(
    "/reablement/stays/{stay_id}/blockers",
    response=list[ReablementBlockerOut],
    summary="A stay's blockers to going home, open and cleared",
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_blockers(request: HttpRequest, stay_id: PathId) -> list[StayBlocker]:
    return list(_stay(request, stay_id, "View reablement blockers").blockers.all()[:200])


@router.post(
    "/reablement/stays/{stay_id}/blockers",
    response={201: ReablementBlockerOut},
    summary="Raise a blocker to going home, with its owner and due date",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def raise_reablement_blocker(
    request: HttpRequest, stay_id: PathId, payload: ReablementBlockerIn
) -> Status[StayBlocker]:
    data = payload.model_dump()
    data["category"] = str(data["category"])
    return Status(201, plans.raise_blocker(actor=actor_of(request), stay_id=stay_id, **data))


@router.post(
    "/reablement/stays/{stay_id}/blockers/{stay_blocker_id}/resolve",
    response=ReablementBlockerOut,
    summary="Clear a blocker, saying how",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def resolve_reablement_blocker(
    request: HttpRequest, stay_id: PathId, stay_blocker_id: PathId, payload: ReablementBlockerResolveIn
) -> StayBlocker:
    return plans.resolve_blocker(
        actor=actor_of(request), stay_id=stay_id, blocker_id=stay_blocker_id, resolution=payload.resolution
    )


# Arrangements for going home


class ReablementArrangementOut(Schema):
    id: int
    kind: ArrangementKind
    description: str
    adaptation_case_id: int | None
    referral_id: int | None
    starts_on: dt.date | None
    arranged_by_id: int
    arranged_at: dt.datetime


class ReablementSupportIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"description"})
    kind: ArrangementKind = Field(description="Anything but an adaptation (that has its own operation)")
    description: str = Field(min_length=1, max_length=500, description="What is arranged")
    to_organisation_id: Id = Field(description="The organisation that provides it, under an agreement")
    service_kind: ServiceKind = ServiceKind.OTHER
    starts_on: dt.date | None = None
    urgency: Urgency = Urgency.ROUTINE
    consent_status: ConsentStatus = ConsentStatus.GIVEN
    lawful_basis: LawfulBasis = LawfulBasis.CONSENT


class ReablementAdaptationIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"needs"})
    needs: str = Field(min_length=1, max_length=500, description="What adaptation the person needs")
    tenure: Tenure | None = Field(default=None, description="Needed to open a new adaptations case")
    adaptation_case_id: Id | None = Field(default=None, description="Link the person's open case instead")
    address: str = Field(default="", max_length=300, description="The person's own when left out")
    postcode: str = Field(default="", max_length=8)


@router.get(
    "/reablement/stays/{stay_id}/arrangements",
    response=list[ReablementArrangementOut],
    summary="What is arranged for going home (adaptations cases and onward referrals)",
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def list_reablement_arrangements(request: HttpRequest, stay_id: PathId) -> list[DischargeArrangement]:
    return list(_stay(request, stay_id, "View reablement arrangements").arrangements.all()[:200])


@router.post(
    "/reablement/stays/{stay_id}/arrangements/support",
    response={201: ReablementArrangementOut},
    summary="Arrange support for going home, as an onward referral",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def arrange_reablement_support(
    request: HttpRequest, stay_id: PathId, payload: ReablementSupportIn
) -> Status[DischargeArrangement]:
    return Status(
        201,
        arrangements.arrange_support(
            actor=actor_of(request),
            stay_id=stay_id,
            kind=str(payload.kind),
            description=payload.description,
            to_organisation_id=payload.to_organisation_id,
            service_kind=str(payload.service_kind),
            starts_on=payload.starts_on,
            urgency=str(payload.urgency),
            consent_status=str(payload.consent_status),
            lawful_basis=str(payload.lawful_basis),
        ),
    )


@router.post(
    "/reablement/stays/{stay_id}/arrangements/adaptation",
    response={201: ReablementArrangementOut},
    summary="Arrange an adaptation for going home: open an adaptations case or link the person's open one",
)
@personal_data("stay_id", Permission.EDIT_PERSON)
def arrange_reablement_adaptation(
    request: HttpRequest, stay_id: PathId, payload: ReablementAdaptationIn
) -> Status[DischargeArrangement]:
    data = payload.model_dump()
    data["tenure"] = str(data["tenure"]) if data["tenure"] is not None else ""
    return Status(201, arrangements.arrange_adaptation(actor=actor_of(request), stay_id=stay_id, **data))
