"""JSON API for reablement: units and their live bed board, referrals (refer, read, decide, admit) and stays
(read, move bed, discharge). Thin handlers over services and selectors; errors are problem+json."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.reablement import board, selectors, services
from homeward.reablement.codes import ReablementStatus, ReferralSource, StayDestination, StayStatus
from homeward.reablement.models import Referral, Stay, Unit
from homeward.reablement.occupancy import length_of_stay

router = Router(tags=["reablement"])

BoardStatus = Literal["occupied", "vacant_clean", "awaiting_clean", "reserved", "closed"]


class UnitOut(Schema):
    id: int
    name: str
    organisation_id: int
    commissioner_id: int | None
    address: str
    commissioned_beds: int
    staffing_model: str


class BedOut(Schema):
    id: int
    label: str
    bed_type: str
    status: BoardStatus
    stay_id: int | None
    initials: str
    days_in: int | None
    expected_discharge_on: dt.date | None


class BoardOut(Schema):
    unit: UnitOut
    beds: list[BedOut]
    admitted_today: int
    discharged_today: int


class ReferralOut(Schema):
    id: int
    reference: str
    person_id: int
    unit_id: int
    source: ReferralSource
    status: ReablementStatus
    referred_at: dt.datetime
    reason: str
    goals: str
    risks: str
    decline_reason: str
    discharge_case_id: int | None
    stay_id: int | None

    @staticmethod
    def resolve_stay_id(obj: Referral) -> int | None:
        stay = getattr(obj, "stay", None)
        return stay.pk if stay else None


class OccupancyOut(Schema):
    bed_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None


class StayOut(Schema):
    id: int
    referral_id: int
    unit_id: int
    status: StayStatus
    admitted_at: dt.datetime
    expected_discharge_on: dt.date | None
    discharged_at: dt.datetime | None
    destination: str
    length_of_stay_days: int
    occupancies: list[OccupancyOut]

    @staticmethod
    def resolve_length_of_stay_days(obj: Stay) -> int:
        return length_of_stay(obj, timezone.localdate())

    @staticmethod
    def resolve_occupancies(obj: Stay) -> list[OccupancyOut]:
        return [
            OccupancyOut(bed_id=o.bed_id, started_at=o.started_at, ended_at=o.ended_at)
            for o in obj.occupancies.all()
        ]


class ReablementReferralIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"reason", "goals", "risks"})
    non_blank = frozenset({"reason", "goals"})
    person_id: Id
    unit_id: Id
    source: ReferralSource
    reason: str = Field(min_length=1, max_length=2000)
    goals: str = Field(min_length=1, max_length=2000)
    risks: str = Field(default="", max_length=2000)
    consent_status: Literal["given", "refused", "withdrawn", "not_required"] = "given"
    lawful_basis: Literal["6.1.a", "6.1.b", "6.1.c", "6.1.d", "6.1.e", "6.1.f"] = "6.1.a"
    discharge_case_id: Id | None = None


class ReablementDecisionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["accepted", "declined", "withdrawn"]
    reason: str = Field(default="", max_length=500)


class AdmissionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    bed_id: Id
    admitted_at: dt.datetime
    expected_discharge_on: dt.date | None = None


class MoveIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    bed_id: Id
    moved_at: dt.datetime


class DischargeIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    discharged_at: dt.datetime
    destination: StayDestination
    note: str = Field(default="", max_length=1000)


def unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        organisation_id=unit.organisation_id,
        commissioner_id=unit.commissioner_id,
        address=unit.address,
        commissioned_beds=unit.commissioned_beds,
        staffing_model=unit.staffing_model,
    )


@router.get("/reablement/units", response=list[UnitOut], summary="Reablement units (no personal data)")
@no_personal_data("Units, their addresses and bed counts: no person is named")
def list_reablement_units(request: HttpRequest) -> list[UnitOut]:
    return [unit_out(u) for u in selectors.units()[:200]]


@router.get("/reablement/units/{unit_id}/board", response=BoardOut, summary="A unit's bed board (audited)")
@personal_data("search", Permission.VIEW_PERSON)
def reablement_board(request: HttpRequest, unit_id: PathId) -> BoardOut:
    actor = actor_of(request)
    unit = selectors.get_unit(unit_id)
    shown = board.unit_board(actor, unit)
    selectors.record_board_view(actor=actor, unit=unit, stay_ids=shown.stay_ids)
    beds = [
        BedOut(
            id=row.bed.pk,
            label=row.bed.label,
            bed_type=row.bed.bed_type,
            status=row.status,  # type: ignore[arg-type]
            stay_id=row.stay.pk if row.stay else None,
            initials=row.initials,
            days_in=row.days_in,
            expected_discharge_on=row.expected_discharge_on,
        )
        for row in shown.rows
    ]
    return BoardOut(
        unit=unit_out(unit),
        beds=beds,
        admitted_today=shown.admitted_today,
        discharged_today=shown.discharged_today,
    )


@router.post("/reablement/referrals", response={201: ReferralOut}, summary="Refer to a reablement unit")
@personal_data("create", Permission.EDIT_PERSON)
def create_reablement_referral(request: HttpRequest, payload: ReablementReferralIn) -> Status[Referral]:
    return Status(201, services.refer(actor=actor_of(request), **payload.model_dump()))


@router.get("/reablement/referrals/{reablement_id}", response=ReferralOut, summary="One referral (audited)")
@personal_data("reablement_id", Permission.VIEW_PERSON)
def get_reablement_referral(request: HttpRequest, reablement_id: PathId) -> Referral:
    return selectors.get_referral(actor=actor_of(request), referral_id=reablement_id)


@router.post(
    "/reablement/referrals/{reablement_id}/decision",
    response=ReferralOut,
    summary="Accept, decline or withdraw",
)
@personal_data("reablement_id", Permission.EDIT_PERSON)
def decide_reablement_referral(
    request: HttpRequest, reablement_id: PathId, payload: ReablementDecisionIn
) -> Referral:
    actor = actor_of(request)
    services.decide_referral(actor=actor, referral_id=reablement_id, **payload.model_dump())
    return selectors.get_referral(actor=actor, referral_id=reablement_id)


@router.post(
    "/reablement/referrals/{reablement_id}/admission", response={201: StayOut}, summary="Admit to a bed"
)
@personal_data("reablement_id", Permission.EDIT_PERSON)
def admit_to_reablement(request: HttpRequest, reablement_id: PathId, payload: AdmissionIn) -> Status[Stay]:
    actor = actor_of(request)
    stay = services.admit(actor=actor, referral_id=reablement_id, **payload.model_dump())
    return Status(201, selectors.get_stay(actor=actor, stay_id=stay.pk))


@router.get(
    "/reablement/stays/{stay_id}", response=StayOut, summary="One stay with its bed intervals (audited)"
)
@personal_data("stay_id", Permission.VIEW_PERSON)
def get_reablement_stay(request: HttpRequest, stay_id: PathId) -> Stay:
    return selectors.get_stay(actor=actor_of(request), stay_id=stay_id)


@router.post("/reablement/stays/{stay_id}/moves", response=StayOut, summary="Move to another bed (one stay)")
@personal_data("stay_id", Permission.EDIT_PERSON)
def move_reablement_bed(request: HttpRequest, stay_id: PathId, payload: MoveIn) -> Stay:
    actor = actor_of(request)
    services.move_bed(actor=actor, stay_id=stay_id, **payload.model_dump())
    return selectors.get_stay(actor=actor, stay_id=stay_id)


@router.post("/reablement/stays/{stay_id}/discharge", response=StayOut, summary="Discharge from the unit")
@personal_data("stay_id", Permission.EDIT_PERSON)
def discharge_from_reablement(request: HttpRequest, stay_id: PathId, payload: DischargeIn) -> Stay:
    actor = actor_of(request)
    services.discharge(actor=actor, stay_id=stay_id, **payload.model_dump())
    return selectors.get_stay(actor=actor, stay_id=stay_id)
