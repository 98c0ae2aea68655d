"""JSON API for care homes: a resident with their current advance care plan, their observations and triage
calls (with the computed outcome), and recording observations, plans and triage calls. Thin handlers over
services and selectors; errors are problem+json (homeward.api.base)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, field_validator

from homeward.api.base import Id, InputSchema, PathId
from homeward.api.context import actor_of
from homeward.carehomes import clinical, selectors, services
from homeward.carehomes.codes import (
    AgreedWith,
    ClinicianRole,
    Consciousness,
    Deterioration,
    Funding,
    PlaceOfCare,
    Resuscitation,
    SoftSign,
    TriageDecision,
    TriageOutcome,
)
from homeward.carehomes.models import CarePlan, Observation, Resident, TriageCall
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data

router = Router(tags=["carehomes"])


class CarePlanOut(Schema):
    id: int
    agreed_on: dt.date
    agreed_with: AgreedWith
    representative: str
    gp_name: str
    what_matters: str
    treatment_preferences: str
    preferred_place: PlaceOfCare
    if_unwell: Deterioration
    resuscitation: Resuscitation
    resuscitation_decided_by: str
    resuscitation_decided_on: dt.date | None
    review_on: dt.date
    is_overdue: bool


class ResidentOut(Schema):
    id: int
    person_id: int
    home_id: int
    home: str
    room: str
    admitted_on: dt.date
    funding: Funding
    gp_practice_id: int | None
    next_of_kin: str
    contact_preferences: str
    capacity_notes: str
    consent_notes: str
    left_on: dt.date | None
    died_on: dt.date | None
    place_of_death: str
    discharge_case_id: int | None = Field(description="The Hospital to Home case the resident moved in from")
    pre_admission: str = Field(
        description="trusted_accepted, home_to_assess or home_assessed; blank when not from a case"
    )
    care_plan: CarePlanOut | None

    @staticmethod
    def resolve_home(obj: Resident) -> str:
        return obj.home.name

    @staticmethod
    def resolve_room(obj: Resident) -> str:
        return selectors.current_room(obj)

    @staticmethod
    def resolve_care_plan(obj: Resident) -> CarePlan | None:
        return selectors.current_plan(obj)


class ObservationOut(Schema):
    id: int
    taken_at: dt.datetime
    temperature: Decimal | None
    pulse: int | None
    respiratory_rate: int | None
    systolic: int | None
    diastolic: int | None
    oxygen_saturation: int | None
    on_oxygen: bool
    consciousness: str
    soft_signs: list[str]
    note: str


class ObservationIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    taken_at: dt.datetime
    # Wide schema bounds stop absurd numbers; the service checks plausibility and names the field.
    temperature: float | None = Field(
        default=None, ge=0, le=99, description="Degrees Celsius, kept to one decimal place (36.75 is 36.8)"
    )
    pulse: int | None = Field(default=None, ge=0, le=9999)
    respiratory_rate: int | None = Field(default=None, ge=0, le=9999)
    systolic: int | None = Field(default=None, ge=0, le=9999)
    diastolic: int | None = Field(default=None, ge=0, le=9999)
    oxygen_saturation: int | None = Field(default=None, ge=0, le=9999)
    on_oxygen: bool = False
    consciousness: Consciousness | None = None
    soft_signs: list[SoftSign] = Field(default_factory=list, max_length=len(SoftSign.values))
    note: str = Field(default="", max_length=500)

    @field_validator("temperature")
    @classmethod
    def _one_decimal_place(cls, value: float | None) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class CarePlanIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"what_matters", "treatment_preferences"})
    non_blank = frozenset({"what_matters", "gp_name"})
    agreed_on: dt.date
    agreed_with: AgreedWith
    representative: str = Field(default="", max_length=200)
    gp_name: str = Field(min_length=1, max_length=200)
    what_matters: str = Field(min_length=1, max_length=2000)
    treatment_preferences: str = Field(default="", max_length=2000)
    preferred_place: PlaceOfCare
    if_unwell: Deterioration
    resuscitation: Resuscitation
    resuscitation_decided_by: str = Field(default="", max_length=200)
    resuscitation_decided_on: dt.date | None = None
    review_on: dt.date


class TriageCallOut(Schema):
    id: int
    called_at: dt.datetime
    clinician_role: ClinicianRole
    clinician_name: str
    clinician_organisation_id: int | None
    observation_id: int | None
    care_plan_id: int | None
    decision: TriageDecision
    reasons: str
    outcome: TriageOutcome

    @staticmethod
    def resolve_outcome(obj: TriageCall) -> str:
        return selectors.triage_outcome(obj).value


class TriageCallIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"reasons"})
    non_blank = frozenset({"reasons", "clinician_name"})
    called_at: dt.datetime
    clinician_role: ClinicianRole
    clinician_name: str = Field(min_length=1, max_length=200)
    clinician_organisation_id: Id | None = None
    observation_id: Id | None = None
    decision: TriageDecision
    reasons: str = Field(min_length=1, max_length=2000)


@router.get(
    "/carehomes/residents/{resident_id}", response=ResidentOut, summary="A resident and their plan (audited)"
)
@personal_data("resident_id", Permission.VIEW_PERSON)
def get_carehome_resident(request: HttpRequest, resident_id: PathId) -> Resident:
    return selectors.get_resident(actor=actor_of(request), resident_id=resident_id)


@router.get(
    "/carehomes/residents/{resident_id}/observations",
    response=list[ObservationOut],
    summary="A resident's latest observations, newest first (up to 200; audited)",
)
@personal_data("resident_id", Permission.VIEW_PERSON)
def list_carehome_observations(request: HttpRequest, resident_id: PathId) -> list[Observation]:
    resident = selectors.get_resident(
        actor=actor_of(request), resident_id=resident_id, purpose="View observations"
    )
    return selectors.observations_of(resident)


@router.post(
    "/carehomes/residents/{resident_id}/observations",
    response={201: ObservationOut},
    summary="Record a set of observations",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_observations(
    request: HttpRequest, resident_id: PathId, payload: ObservationIn
) -> Status[Observation]:
    data = payload.model_dump()
    data["consciousness"] = data["consciousness"] or ""
    return Status(201, clinical.record_observations(actor=actor_of(request), resident_id=resident_id, **data))


@router.post(
    "/carehomes/residents/{resident_id}/care-plans",
    response={201: CarePlanOut},
    summary="Record an advance care plan (replaces the current one)",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_plan(request: HttpRequest, resident_id: PathId, payload: CarePlanIn) -> Status[CarePlan]:
    return Status(
        201, services.record_plan(actor=actor_of(request), resident_id=resident_id, **payload.model_dump())
    )


@router.get(
    "/carehomes/residents/{resident_id}/triage-calls",
    response=list[TriageCallOut],
    summary="A resident's triage calls with their computed outcome (up to 50; audited)",
)
@personal_data("resident_id", Permission.VIEW_PERSON)
def list_carehome_triage_calls(request: HttpRequest, resident_id: PathId) -> list[TriageCall]:
    resident = selectors.get_resident(
        actor=actor_of(request), resident_id=resident_id, purpose="View triage calls"
    )
    return list(selectors.triage_calls_of(resident)[:50])


@router.post(
    "/carehomes/residents/{resident_id}/triage-calls",
    response={201: TriageCallOut},
    summary="Record an out-of-hours triage call",
)
@personal_data("resident_id", Permission.EDIT_PERSON, reach="own")
def record_carehome_triage_call(
    request: HttpRequest, resident_id: PathId, payload: TriageCallIn
) -> Status[TriageCall]:
    return Status(
        201, clinical.record_triage(actor=actor_of(request), resident_id=resident_id, **payload.model_dump())
    )
