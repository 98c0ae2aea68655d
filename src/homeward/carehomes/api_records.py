"""JSON API for the care-home records the first router left to pages: homes, rooms and trusted assessor
protocols (no person's data), in-reach visits, and a resident's 999 calls, hospital transfers (conveyances,
A&E attendances, admissions and the Hospital to Home case they continue in) and death. Thin handlers over
services and selectors; reads of residents are audited; errors are problem+json (homeward.api.base)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.carehomes import clinical, protocols, selectors, services, visits
from homeward.carehomes.codes import EmergencyCallOutcome, HomeKind, PlaceOfDeath, VisitRole
from homeward.carehomes.models import (
    AssessmentProtocol,
    CareHome,
    EmergencyCall,
    HospitalTransfer,
    Resident,
    Room,
    Visit,
)
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.routes import no_personal_data, personal_data

router = Router(tags=["carehomes"])


class CareHomeOut(Schema):
    id: int
    name: str
    kind: HomeKind
    address: str
    postcode: str
    video_link: str


class CareHomeIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"name"})
    name: str = Field(min_length=1, max_length=200)
    kind: HomeKind
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=8)
    video_link: str = Field(
        default="", max_length=500, description="The organisation's own service, https://"
    )


class CareHomeRoomOut(Schema):
    id: int
    home_id: int
    name: str


class CareHomeRoomIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"name"})
    name: str = Field(min_length=1, max_length=40)


class AssessmentProtocolOut(Schema):
    id: int
    home_id: int
    assessor_organisation_id: int
    starts_on: dt.date
    ends_on: dt.date | None
    note: str


class AssessmentProtocolIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    assessor_organisation_id: Id
    starts_on: dt.date
    ends_on: dt.date | None = None
    note: str = Field(default="", max_length=500)


class AssessmentProtocolEndIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    ends_on: dt.date = Field(description="The protocol's last day in force (not before its first)")


class CareHomeVisitOut(Schema):
    id: int
    home_id: int
    visited_on: dt.date
    role: VisitRole
    visitor: str
    is_mdt: bool
    resident_ids: list[int]
    notes: str

    @staticmethod
    def resolve_resident_ids(obj: Visit) -> list[int]:
        return sorted(r.pk for r in obj.residents.all())


class CareHomeVisitIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"notes"})
    non_blank = frozenset({"visitor"})
    visited_on: dt.date
    role: VisitRole
    visitor: str = Field(min_length=1, max_length=200)
    is_mdt: bool = False
    resident_ids: list[Id] = Field(default_factory=list, max_length=visits.MAX_SEEN)
    notes: str = Field(default="", max_length=4000)
    action: str = Field(default="", max_length=500)
    action_owner: str = Field(default="", max_length=200)
    action_due_on: dt.date | None = None


class EmergencyCallOut(Schema):
    id: int
    called_at: dt.datetime
    outcome: EmergencyCallOutcome
    reason: str


class EmergencyCallIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"reason"})
    called_at: dt.datetime
    outcome: EmergencyCallOutcome
    reason: str = Field(min_length=1, max_length=500)


class HospitalTransferOut(Schema):
    id: int
    left_at: dt.datetime
    hospital_organisation_id: int | None
    by_ambulance: bool
    attended_ae: bool
    admitted: bool
    reason: str
    discharge_case_id: int | None = Field(description="The Hospital to Home case the admission continues in")


class HospitalTransferIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    non_blank = frozenset({"reason"})
    left_at: dt.datetime
    reason: str = Field(min_length=1, max_length=500)
    by_ambulance: bool = True
    attended_ae: bool = True
    admitted: bool = False
    hospital_organisation_id: Id | None = None


class ResidentDeathIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    died_on: dt.date
    place: PlaceOfDeath


class ResidentDeathOut(Schema):
    id: int
    died_on: dt.date | None
    place_of_death: str
    left_on: dt.date | None


def _own_home(actor: Actor, home_id: int, permission: Permission) -> CareHome:
    """A home of the actor's organisation, if its role has `permission`; otherwise 404 (never 403)."""
    home = selectors.own_homes(actor).filter(pk=home_id).first()
    if home is None or not actor.can(permission):
        raise NotFound("No care home with that id")
    return home


@router.get("/carehomes/homes", response=list[CareHomeOut], summary="Your organisation's care homes")
@no_personal_data("the organisation's own homes: names, kinds and addresses")
def list_carehome_homes(request: HttpRequest) -> list[CareHome]:
    return list(selectors.own_homes(actor_of(request))[:500])


@router.post("/carehomes/homes", response={201: CareHomeOut}, summary="Add a care home (care providers only)")
@no_personal_data("a care home's name, kind and address")
def create_carehome_home(request: HttpRequest, payload: CareHomeIn) -> Status[CareHome]:
    return Status(201, services.create_home(actor=actor_of(request), **payload.model_dump()))


@router.get(
    "/carehomes/homes/{home_id}/rooms",
    response=list[CareHomeRoomOut],
    summary="The rooms of one of your homes",
)
@no_personal_data("room names in the organisation's own home, not who is in them")
def list_carehome_rooms(request: HttpRequest, home_id: PathId) -> list[Room]:
    home = _own_home(actor_of(request), home_id, Permission.VIEW_PERSON)
    return list(home.rooms.all()[:1000])


@router.post("/carehomes/homes/{home_id}/rooms", response={201: CareHomeRoomOut}, summary="Add a room")
@no_personal_data("a room's name in the organisation's own home")
def add_carehome_room(request: HttpRequest, home_id: PathId, payload: CareHomeRoomIn) -> Status[Room]:
    return Status(201, services.add_room(actor=actor_of(request), home_id=home_id, **payload.model_dump()))


@router.get(
    "/carehomes/homes/{home_id}/protocols",
    response=list[AssessmentProtocolOut],
    summary="The home's trusted assessor protocols",
)
@no_personal_data("whose trusted assessments the organisation's own home accepts, and when")
def list_carehome_protocols(request: HttpRequest, home_id: PathId) -> list[AssessmentProtocol]:
    home = _own_home(actor_of(request), home_id, Permission.VIEW_PERSON)
    return list(home.protocols.all()[:200])


@router.post(
    "/carehomes/homes/{home_id}/protocols",
    response={201: AssessmentProtocolOut},
    summary="Agree a trusted assessor protocol",
)
@no_personal_data("a protocol between the organisation's own home and an assessor organisation")
def agree_carehome_protocol(
    request: HttpRequest, home_id: PathId, payload: AssessmentProtocolIn
) -> Status[AssessmentProtocol]:
    return Status(
        201, protocols.agree_protocol(actor=actor_of(request), home_id=home_id, **payload.model_dump())
    )


@router.post(
    "/carehomes/protocols/{protocol_id}/end",
    response={200: AssessmentProtocolOut},
    summary="End a trusted assessor protocol (its last day in force; once only)",
)
@no_personal_data("ending a protocol between the organisation's own home and an assessor organisation")
def end_carehome_protocol(
    request: HttpRequest, protocol_id: PathId, payload: AssessmentProtocolEndIn
) -> AssessmentProtocol:
    return protocols.end_protocol(actor=actor_of(request), protocol_id=protocol_id, **payload.model_dump())


@router.get(
    "/carehomes/homes/{home_id}/visits",
    response=list[CareHomeVisitOut],
    summary="The home's latest in-reach visits and MDTs (up to 100; audited)",
)
@personal_data("home_id", Permission.VIEW_PERSON, reach="own")
def list_carehome_visits(request: HttpRequest, home_id: PathId) -> list[Visit]:
    actor = actor_of(request)
    home = _own_home(actor, home_id, Permission.VIEW_PERSON)
    found = list(selectors.visits_of_home(actor=actor, home_id=home.pk).prefetch_related("residents")[:100])
    seen = sorted({r.pk for v in found for r in v.residents.all()})
    selectors.record_list_view(actor=actor, purpose="In-reach visits", resident_ids=seen)
    return found


@router.post(
    "/carehomes/homes/{home_id}/visits",
    response={201: CareHomeVisitOut},
    summary="Record an in-reach visit or MDT meeting",
)
@personal_data("home_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_visit(request: HttpRequest, home_id: PathId, payload: CareHomeVisitIn) -> Status[Visit]:
    actor = actor_of(request)
    home = _own_home(actor, home_id, Permission.EDIT_PERSON)
    return Status(201, visits.record_visit(actor=actor, home_id=home.pk, **payload.model_dump()))


@router.get(
    "/carehomes/residents/{resident_id}/emergency-calls",
    response=list[EmergencyCallOut],
    summary="A resident's 999 calls, newest first (up to 100; audited)",
)
@personal_data("resident_id", Permission.VIEW_PERSON)
def list_carehome_emergency_calls(request: HttpRequest, resident_id: PathId) -> list[EmergencyCall]:
    resident = selectors.get_resident(
        actor=actor_of(request), resident_id=resident_id, purpose="View 999 calls"
    )
    return list(resident.emergency_calls.all()[:100])


@router.post(
    "/carehomes/residents/{resident_id}/emergency-calls",
    response={201: EmergencyCallOut},
    summary="Record a 999 call and what came of it",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_emergency_call(
    request: HttpRequest, resident_id: PathId, payload: EmergencyCallIn
) -> Status[EmergencyCall]:
    return Status(
        201,
        clinical.record_emergency_call(
            actor=actor_of(request), resident_id=resident_id, **payload.model_dump()
        ),
    )


@router.get(
    "/carehomes/residents/{resident_id}/transfers",
    response=list[HospitalTransferOut],
    summary="A resident's transfers to hospital: conveyances, A&E and admissions (up to 100; audited)",
)
@personal_data("resident_id", Permission.VIEW_PERSON)
def list_carehome_transfers(request: HttpRequest, resident_id: PathId) -> list[HospitalTransfer]:
    resident = selectors.get_resident(
        actor=actor_of(request), resident_id=resident_id, purpose="View hospital transfers"
    )
    return list(resident.transfers.all()[:100])


@router.post(
    "/carehomes/residents/{resident_id}/transfers",
    response={201: HospitalTransferOut},
    summary="Record a transfer to hospital (an admission joins the trust's open Hospital to Home case)",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_transfer(
    request: HttpRequest, resident_id: PathId, payload: HospitalTransferIn
) -> Status[HospitalTransfer]:
    return Status(
        201,
        clinical.record_transfer(actor=actor_of(request), resident_id=resident_id, **payload.model_dump()),
    )


@router.post(
    "/carehomes/residents/{resident_id}/death",
    response={200: ResidentDeathOut},
    summary="Record a resident's death and where it happened (they leave the home that day)",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_death(request: HttpRequest, resident_id: PathId, payload: ResidentDeathIn) -> Resident:
    return clinical.record_death(actor=actor_of(request), resident_id=resident_id, **payload.model_dump())
