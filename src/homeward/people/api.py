"""JSON API for people and organisations: thin handlers over people.selectors and people.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from homeward.api.base import InputSchema, PathId
from homeward.api.context import actor_of
from homeward.core.errors import NotFound
from homeward.core.models import ContactPreference, Organisation, Person
from homeward.core.roles import Permission
from homeward.governance.models import CorrectionStatus, PersonCorrection
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people import selectors, services

router = Router(tags=["people"])
organisations = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    ods_code: str


class PersonOut(Schema):
    id: int
    nhs_number: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: dt.date
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    uprn: str
    phone: str
    email: str
    contact_preference: str
    preferred_language: str
    interpreter_required: bool
    accessibility_needs: str
    organisation: OrganisationOut


class PersonChanges(InputSchema):
    """Fields a client may set. Unknown fields are refused, naming them."""

    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"accessibility_needs"})
    non_blank = frozenset({"given_name", "family_name"})
    nhs_number: str | None = Field(default=None, max_length=12)
    # A record always has names and a date of birth: a PATCH may leave them out (the default is never
    # used, as PATCH applies only the fields sent) or change them, but not set them to null.
    given_name: str = Field(default=None, min_length=1, max_length=100)  # type: ignore[assignment]
    family_name: str = Field(default=None, min_length=1, max_length=100)  # type: ignore[assignment]
    preferred_name: str | None = Field(default=None, max_length=100)
    date_of_birth: dt.date = Field(default=None)  # type: ignore[assignment]
    address_line_1: str | None = Field(default=None, max_length=200)
    address_line_2: str | None = Field(default=None, max_length=200)
    town: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=8)
    uprn: str | None = Field(default=None, max_length=12)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    contact_preference: ContactPreference | None = None
    preferred_language: str | None = Field(default=None, max_length=60)
    interpreter_required: bool | None = None
    accessibility_needs: str | None = Field(default=None, max_length=2000)


class PersonIn(PersonChanges):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    date_of_birth: dt.date


class SearchQuery(InputSchema):
    non_blank = frozenset({"q"})
    q: str = Field(min_length=1, max_length=100, description="Last name prefix, date of birth or NHS number")

    @field_validator("q")
    @classmethod
    def _has_terms(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("search_empty", "Enter a name, a date of birth or an NHS number")
        return value


@router.get("/people", response=list[PersonOut], summary="Search people (audited)")
@personal_data("search", Permission.VIEW_PERSON)
def search_people(request: HttpRequest, filters: Query[SearchQuery]) -> list[Person]:
    return selectors.search_people(actor=actor_of(request), query=filters.q)


@router.get("/people/{person_id}", response=PersonOut, summary="One person (audited)")
@personal_data("person_id", Permission.VIEW_PERSON)
def get_person(request: HttpRequest, person_id: PathId) -> Person:
    return selectors.get_person(actor=actor_of(request), person_id=person_id)


@router.post("/people", response={201: PersonOut}, summary="Register a person")
@personal_data("create", Permission.EDIT_PERSON)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    fields: dict[str, Any] = payload.model_dump(exclude_none=True)
    return Status(201, services.register_person(actor=actor_of(request), **fields))


class CorrectionOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    proposed_by: str
    proposed_at: dt.datetime
    changes: dict[str, Any]
    previous: dict[str, Any]
    status: CorrectionStatus
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_proposed_by(obj: PersonCorrection) -> str:
        return obj.proposed_by.username


class DecisionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    multiline = frozenset({"note"})
    note: str = Field(default="", max_length=500)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 202: CorrectionOut},
    summary="Change some of a person's details",
    description="The holding organisation's change is written (200). A partner's change to a record "
    "another organisation holds is not written: it becomes a proposed correction (202) that the holder "
    "accepts or rejects. A change that changes nothing writes nothing (200, audited as a view).",
)
@personal_data("person_id", Permission.EDIT_PERSON)
def update_person(request: HttpRequest, person_id: PathId, payload: PersonChanges) -> Any:
    changes = payload.model_dump(exclude_unset=True)
    result = services.update_person(actor=actor_of(request), person_id=person_id, changes=changes)
    if isinstance(result, PersonCorrection):
        return Status(202, result)
    return result


@router.get(
    "/people/{person_id}/corrections",
    response=list[CorrectionOut],
    summary="Proposed corrections (the holder sees all; a partner its own)",
)
@personal_data("person_id", Permission.VIEW_PERSON)
def list_corrections(request: HttpRequest, person_id: PathId) -> list[PersonCorrection]:
    actor = actor_of(request)
    person = selectors.get_person(actor=actor, person_id=person_id, purpose="View proposed corrections")
    return list(selectors.corrections_for(actor=actor, person=person)[:200])


@router.post(
    "/people/{person_id}/corrections/{correction_id}/accept",
    response=CorrectionOut,
    summary="Accept a proposed correction (the holding organisation; applies it)",
)
# Only the organisation holding the record decides; a partner (even the proposer) gets a 404.
@personal_data("person_id", Permission.EDIT_PERSON, reach="own")
def accept_correction(
    request: HttpRequest, person_id: PathId, correction_id: PathId, payload: DecisionIn
) -> PersonCorrection:
    return services.decide_correction(
        actor=actor_of(request),
        person_id=person_id,
        correction_id=correction_id,
        accept=True,
        note=payload.note,
    )


@router.post(
    "/people/{person_id}/corrections/{correction_id}/reject",
    response=CorrectionOut,
    summary="Reject a proposed correction (the holding organisation)",
)
@personal_data("person_id", Permission.EDIT_PERSON, reach="own")
def reject_correction(
    request: HttpRequest, person_id: PathId, correction_id: PathId, payload: DecisionIn
) -> PersonCorrection:
    return services.decide_correction(
        actor=actor_of(request),
        person_id=person_id,
        correction_id=correction_id,
        accept=False,
        note=payload.note,
    )


@organisations.get("/organisations", response=list[OrganisationOut], summary="Organisations")
@no_personal_data("organisation names and codes are public information")
def list_organisations(request: HttpRequest) -> Any:
    return Organisation.objects.order_by("name")


@organisations.get("/organisations/{organisation_id}", response=OrganisationOut, summary="One organisation")
@no_personal_data("organisation names and codes are public information")
def get_organisation(request: HttpRequest, organisation_id: PathId) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No organisation with that id")
    return organisation
