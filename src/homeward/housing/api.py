"""JSON API for supported housing: schemes with occupancy (counts only), placements (a list, one, refer),
key-work sessions and departures. Thin handlers over services and selectors; errors are problem+json."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, Offset, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.access import visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing import keywork, moveon, selectors, services
from homeward.housing.codes import (
    DepartureReason,
    MoveOnDestination,
    PlacementSource,
    PlacementStatus,
    SchemeType,
    Staffing,
    SupportArea,
)
from homeward.housing.lifecycle import OPEN_STATUSES
from homeward.housing.models import KeyWorkSession, OptionsConversation, Placement
from homeward.housing.occupancy import scheme_figures

router = Router(tags=["housing"])


class SchemeOut(Schema):
    id: int
    name: str
    scheme_type: SchemeType
    staffing: Staffing
    contracted_units: int
    units: int
    available_nights_30: int
    occupied_nights_30: int
    void_nights_30: int


class PlacementOut(Schema):
    id: int
    reference: str
    person_id: int
    scheme_id: int
    status: PlacementStatus
    source: PlacementSource
    referred_on: dt.date
    discharge_case_id: int | None
    previous_placement_id: int | None
    arrived_on: dt.date | None
    occupation: str
    key_worker_id: int | None
    readiness: str
    departed_on: dt.date | None
    departure_reason: str
    destination: str


class PlacementIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"needs"})
    non_blank = frozenset({"needs"})
    person_id: Id
    scheme_id: Id
    source: PlacementSource
    needs: str = Field(min_length=1, max_length=2000)
    referred_on: dt.date
    referrer_organisation_id: Id | None = None
    discharge_case_id: Id | None = None


class PlacementQuery(InputSchema):
    scheme_id: Id | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


class SessionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    held_on: dt.date
    minutes: int = Field(ge=1, le=1000)
    areas: list[SupportArea] = Field(min_length=1, max_length=len(SupportArea.values))
    note: str = Field(default="", max_length=2000)


class SessionOut(Schema):
    id: int
    held_on: dt.date
    minutes: int
    areas: list[str]


class DepartureIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    on: dt.date
    reason: DepartureReason
    destination: MoveOnDestination
    note: str = Field(default="", max_length=2000)


@router.get("/housing/schemes", response=list[SchemeOut], summary="Your schemes, with the last 30 nights")
@no_personal_data("Scheme names with counts of units and unit-nights; no names")
def list_housing_schemes(request: HttpRequest) -> list[SchemeOut]:
    today = timezone.localdate()
    out = []
    for scheme in selectors.visible_schemes(actor_of(request))[:200]:
        f = scheme_figures(scheme.pk, today - dt.timedelta(days=30), today)
        out.append(
            SchemeOut(
                id=scheme.pk,
                name=scheme.name,
                scheme_type=SchemeType(scheme.scheme_type),
                staffing=Staffing(scheme.staffing),
                contracted_units=scheme.contracted_units,
                units=f.units,
                available_nights_30=f.available_nights,
                occupied_nights_30=f.occupied_nights,
                void_nights_30=f.void_nights,
            )
        )
    return out


@router.get("/housing/placements", response=list[PlacementOut], summary="Open placements (audited)")
@personal_data("search", Permission.VIEW_PERSON)
def list_housing_placements(request: HttpRequest, filters: Query[PlacementQuery]) -> list[Placement]:
    actor = actor_of(request)
    placements = selectors.visible_placements(actor).filter(status__in=OPEN_STATUSES).order_by("pk")
    if filters.scheme_id is not None:
        placements = placements.filter(scheme_id=filters.scheme_id)
    page = list(placements[filters.offset : filters.offset + filters.limit])
    selectors.record_list_view(
        actor=actor, purpose="Supported housing placements (API)", placement_ids=[p.pk for p in page]
    )
    return page


@router.post("/housing/placements", response={201: PlacementOut}, summary="Refer someone to a scheme")
@personal_data("create", Permission.EDIT_PERSON)
def refer_to_housing(request: HttpRequest, payload: PlacementIn) -> Status[Placement]:
    return Status(201, services.refer(actor=actor_of(request), **payload.model_dump()))


@router.get("/housing/placements/{placement_id}", response=PlacementOut, summary="One placement (audited)")
@personal_data("placement_id", Permission.VIEW_PERSON)
def get_housing_placement(request: HttpRequest, placement_id: PathId) -> Placement:
    return selectors.get_placement(actor=actor_of(request), placement_id=placement_id)


@router.post(
    "/housing/placements/{placement_id}/sessions",
    response={201: SessionOut},
    summary="Record a key-work session",
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def record_housing_session(
    request: HttpRequest, placement_id: PathId, payload: SessionIn
) -> Status[KeyWorkSession]:
    data = payload.model_dump()
    data["areas"] = [str(a) for a in data["areas"]]
    return Status(201, keywork.record_session(actor=actor_of(request), placement_id=placement_id, **data))


@router.post(
    "/housing/placements/{placement_id}/departure", response=PlacementOut, summary="Record the departure"
)
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def record_housing_departure(request: HttpRequest, placement_id: PathId, payload: DepartureIn) -> Placement:
    return moveon.depart(actor=actor_of(request), placement_id=placement_id, **payload.model_dump())


# The records of a stay and of a scheme join this router (their module imports it).
from homeward.housing import api_people_place, api_records  # noqa: E402, F401


class HousingOptionsConversationOut(Schema):
    id: int
    reference: str
    person_id: int
    held_on: dt.date
    scores: dict[str, int]
    ranking: list[str]
    what_matters: str
    options: list[str]
    self_completed: bool
    decision: str
    decided_on: dt.date | None
    adaptation_case_id: int | None
    follow_up_on: dt.date | None
    outcome: str
    outcome_on: dt.date | None


class HousingOptionsQuery(InputSchema):
    person_id: Id | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


def _conversation_out(c: OptionsConversation) -> HousingOptionsConversationOut:
    return HousingOptionsConversationOut(
        id=c.pk,
        reference=c.reference,
        person_id=c.person_id,
        held_on=c.held_on,
        scores=c.scores,
        ranking=list(c.ranking),
        what_matters=c.what_matters,
        options=list(c.options),
        self_completed=c.self_completed_at is not None,
        decision=c.decision,
        decided_on=c.decided_on,
        adaptation_case_id=c.adaptation_case_id,
        follow_up_on=c.follow_up_on,
        outcome=c.outcome,
        outcome_on=c.outcome_on,
    )


@router.get(
    "/housing/options",
    response=list[HousingOptionsConversationOut],
    summary="Your organisation's stay-or-move conversations (audited)",
)
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def list_housing_options_conversations(
    request: HttpRequest, filters: Query[HousingOptionsQuery]
) -> list[HousingOptionsConversationOut]:
    actor = actor_of(request)
    found = selectors.visible_conversations(actor).filter(person__in=visible_people(actor)).order_by("pk")
    if filters.person_id is not None:
        found = found.filter(person_id=filters.person_id)
    page = list(found[filters.offset : filters.offset + filters.limit])
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Housing options conversations (API)",
        detail={"conversations": [c.pk for c in page]},
    )
    return [_conversation_out(c) for c in page]


@router.get(
    "/housing/options/{conversation_id}",
    response=HousingOptionsConversationOut,
    summary="One stay-or-move conversation (audited)",
)
@personal_data("conversation_id", Permission.VIEW_PERSON, reach="own")
def get_housing_options_conversation(
    request: HttpRequest, conversation_id: PathId
) -> HousingOptionsConversationOut:
    found = selectors.get_conversation(actor=actor_of(request), conversation_id=conversation_id)
    return _conversation_out(found)
