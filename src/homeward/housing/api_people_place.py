"""JSON API for the people and place team's light-touch cases: open one for a person, read one, close it
with its outcome. Held by the opening organisation only (others get 404); every read is audited through
the selectors. Operations join the housing router (`api.py`)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.housing import selectors, services
from homeward.housing.api import router
from homeward.housing.codes import PeoplePlaceHelp, PeoplePlaceOutcome
from homeward.housing.models import PeoplePlaceCase
from homeward.referrals.selectors import referrals_from


class PeoplePlaceReferralOut(Schema):
    id: int
    service_kind: str
    to_organisation_id: int
    status: str


class PeoplePlaceCaseOut(Schema):
    id: int
    reference: str
    person_id: int
    opened_on: dt.date
    help: list[str]
    note: str
    source_type: str
    source_id: int | None
    outcome: str
    closed_on: dt.date | None
    outcome_note: str
    referrals: list[PeoplePlaceReferralOut]


class PeoplePlaceCaseIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    person_id: Id
    help: list[PeoplePlaceHelp] = Field(min_length=1, max_length=4, description="What help the tenant needs")
    note: str = Field(default="", max_length=500)
    on: dt.date | None = Field(default=None, description="The day it opened; today when left out")


class PeoplePlaceCloseIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    outcome: PeoplePlaceOutcome
    on: dt.date
    note: str = Field(default="", max_length=500, description="What was done, in a sentence")


def _out(request: HttpRequest, case: PeoplePlaceCase) -> PeoplePlaceCaseOut:
    sent = referrals_from(actor_of(request), "housing.people_place", case.pk)
    return PeoplePlaceCaseOut(
        id=case.pk,
        reference=case.reference,
        person_id=case.person_id,
        opened_on=case.opened_on,
        help=list(case.help),
        note=case.note,
        source_type=case.source_type,
        source_id=case.source_id,
        outcome=case.outcome,
        closed_on=case.closed_on,
        outcome_note=case.outcome_note,
        referrals=[
            PeoplePlaceReferralOut(
                id=r.pk, service_kind=r.service_kind, to_organisation_id=r.to_organisation_id, status=r.status
            )
            for r in sent
        ],
    )


@router.post(
    "/housing/people-place",
    response={201: PeoplePlaceCaseOut},
    summary="Open a people and place case for a tenant",
)
@personal_data("person_id", Permission.EDIT_PERSON)
def open_housing_people_place_case(
    request: HttpRequest, payload: PeoplePlaceCaseIn
) -> Status[PeoplePlaceCaseOut]:
    data = payload.model_dump()
    case = services.open_people_place_case(
        actor=actor_of(request),
        person_id=data["person_id"],
        help=[str(h) for h in data["help"]],
        note=data["note"],
        on=data["on"],
    )
    return Status(201, _out(request, case))


@router.get(
    "/housing/people-place/{people_place_id}",
    response=PeoplePlaceCaseOut,
    summary="One people and place case, with its referrals (audited)",
)
@personal_data("people_place_id", Permission.VIEW_PERSON, reach="own")
def get_housing_people_place_case(request: HttpRequest, people_place_id: PathId) -> PeoplePlaceCaseOut:
    case = selectors.get_people_place_case(actor=actor_of(request), case_id=people_place_id)
    return _out(request, case)


@router.post(
    "/housing/people-place/{people_place_id}/close",
    response=PeoplePlaceCaseOut,
    summary="Close a people and place case with its outcome",
)
@personal_data("people_place_id", Permission.EDIT_PERSON, reach="own")
def close_housing_people_place_case(
    request: HttpRequest, people_place_id: PathId, payload: PeoplePlaceCloseIn
) -> PeoplePlaceCaseOut:
    data = payload.model_dump()
    case = services.close_people_place_case(
        actor=actor_of(request),
        case_id=people_place_id,
        outcome=str(data["outcome"]),
        on=data["on"],
        note=data["note"],
    )
    return _out(request, case)
