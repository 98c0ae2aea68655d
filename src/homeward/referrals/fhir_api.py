"""FHIR R4 at /fhir/R4/ for partners' systems: read and search Patient, ServiceRequest and Task, and
POST a Task to move a referral (accept, reject, start, complete…). Bearer tokens as for /api/v1/.

Errors are OperationOutcome resources: 400 for a resource that is not valid R4, 404 for anything the
caller may not see, 422 for a move the referral's life-cycle or the caller's side does not allow.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError
from pydantic import ValidationError as PydanticError

from homeward.api.auth import bearer
from homeward.api.context import actor_of
from homeward.api.docs import LocalSwagger
from homeward.core.errors import IllegalTransition, NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import fully_visible_people, shared_fields_of
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.routes import personal_data
from homeward.people.selectors import get_person
from homeward.referrals import fhir, selectors, services
from homeward.referrals.codes import ReferralStatus

FHIR_JSON = "application/fhir+json"
MAX_COUNT = 100

fhir_api = NinjaAPI(
    title="Homeward FHIR R4",
    version="4.0.1",
    description="Referrals as FHIR R4 ServiceRequest and Task, and the people they are about as Patient.",
    urls_namespace="fhir",
    docs_url="/docs",
    docs=LocalSwagger(),
    auth=bearer,
)


def _resource(resource: Any, status: int = 200) -> HttpResponse:
    body = resource.model_dump_json(by_alias=True, exclude_none=True)
    return HttpResponse(json.dumps(json.loads(body), indent=None), status=status, content_type=FHIR_JSON)


def _problem(status: int, code: str, message: str, expression: str = "") -> HttpResponse:
    return _resource(fhir.operation_outcome("error", code, message, expression), status)


@fhir_api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _problem(404, "not-found", str(exc))


@fhir_api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _problem(401, "login", "Send 'Authorization: Bearer <token>' from POST /api/v1/auth/token")
    response["WWW-Authenticate"] = "Bearer"
    return response


@fhir_api.exception_handler(ValidationFailed)
def on_invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return _problem(422, "business-rule", str(exc), next(iter(exc.errors)))


@fhir_api.exception_handler(IllegalTransition)
def on_illegal(request: HttpRequest, exc: IllegalTransition) -> HttpResponse:
    return _problem(422, "business-rule", str(exc), "Task.status")


@fhir_api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _problem(422, "business-rule", str(exc), "Task.status")


def _limit(value: int) -> int:
    if not 1 <= value <= MAX_COUNT:
        raise ValidationFailed.single("_count", f"Between 1 and {MAX_COUNT}")
    return value


def _referral(request: HttpRequest, referral_id: int, purpose: str) -> Any:
    return selectors.get_referral(actor=actor_of(request), referral_id=referral_id, purpose=purpose)


@fhir_api.get("/Patient/{person_id}")
@personal_data("person_id", Permission.VIEW_PERSON)
def read_patient(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_of(request)
    person = get_person(actor=actor, person_id=person_id, purpose="FHIR Patient read")
    return _resource(fhir.patient(person, shared_fields_of(actor, person)))


@fhir_api.get("/Patient")
@personal_data("search", Permission.VIEW_PERSON)
def search_patient(
    request: HttpRequest, identifier: str = "", count: int = Query(20, alias="_count")
) -> HttpResponse:
    """Search by NHS number (`identifier=https://fhir.nhs.uk/Id/nhs-number|9990001234`). Someone shared
    without their NHS number is not found by it."""
    actor = actor_of(request)
    system, _, value = identifier.rpartition("|")
    if not value or (system and system != fhir.NHS_NUMBER_SYSTEM):
        raise ValidationFailed.single("identifier", f"Search by {fhir.NHS_NUMBER_SYSTEM}|<NHS number>")
    people = list(fully_visible_people(actor).filter(nhs_number=value.replace(" ", ""))[: _limit(count)])
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="FHIR Patient search",
        detail={"people": [p.pk for p in people]},
    )
    return _resource(fhir.searchset([fhir.patient(p, None) for p in people], len(people)))


@fhir_api.get("/ServiceRequest/{referral_id}")
@personal_data("referral_id", Permission.VIEW_PERSON)
def read_service_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _resource(fhir.service_request(_referral(request, referral_id, "FHIR ServiceRequest read")))


@fhir_api.get("/Task/{referral_id}")
@personal_data("referral_id", Permission.VIEW_PERSON)
def read_task(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _resource(fhir.task(_referral(request, referral_id, "FHIR Task read")))


def _search_referrals(request: HttpRequest, statuses: Sequence[str], patient: str, count: int) -> list[Any]:
    """Referrals the caller may see, filtered in the database before `_count` is applied."""
    actor = actor_of(request)
    referrals = selectors.visible_referrals(actor).select_related(
        "from_organisation", "to_organisation", "service"
    )
    if statuses:
        referrals = referrals.filter(status__in=statuses)
    if patient:
        person_id = patient.removeprefix("Patient/")
        if not person_id.isdigit():
            raise ValidationFailed.single("patient", "Use Patient/<id>")
        referrals = referrals.filter(person_id=int(person_id))
    found = list(referrals.order_by("-requested_at")[: _limit(count)])
    selectors.record_inbox_view(actor=actor, box="FHIR search", referral_ids=[r.pk for r in found])
    return found


@fhir_api.get("/ServiceRequest")
@personal_data("search", Permission.VIEW_PERSON)
def search_service_request(
    request: HttpRequest, status: str = "", patient: str = "", count: int = Query(20, alias="_count")
) -> HttpResponse:
    wanted = status.split(",") if status else []
    unknown = [s for s in wanted if s not in fhir.REQUEST_STATUS.values()]
    if unknown:
        raise ValidationFailed.single("status", f"Not a ServiceRequest status here: {', '.join(unknown)}")
    statuses = [task for task, request_status in fhir.REQUEST_STATUS.items() if request_status in wanted]
    found = _search_referrals(request, statuses, patient, count)
    return _resource(fhir.searchset([fhir.service_request(r) for r in found], len(found)))


@fhir_api.get("/Task")
@personal_data("search", Permission.VIEW_PERSON)
def search_task(
    request: HttpRequest, status: str = "", patient: str = "", count: int = Query(20, alias="_count")
) -> HttpResponse:
    statuses = status.split(",") if status else []
    unknown = [s for s in statuses if s not in ReferralStatus.values]
    if unknown:
        raise ValidationFailed.single("status", f"Not a Task status here: {', '.join(unknown)}")
    found = _search_referrals(request, statuses, patient, count)
    return _resource(fhir.searchset([fhir.task(r) for r in found], len(found)))


@fhir_api.post("/Task")
@personal_data("referral_id", Permission.RESPOND_REFERRAL)
def update_task(request: HttpRequest) -> HttpResponse:
    """A partner moves a referral by posting its Task with the new status (and statusReason, or an outcome
    in output[].valueCodeableConcept when completing or failing)."""
    actor = actor_of(request)
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _problem(400, "structure", "The body is not JSON")
    if not isinstance(body, dict) or body.get("resourceType") != "Task":
        return _problem(400, "structure", "Post a FHIR Task resource", "Task")
    try:
        posted = fhir.Task.model_validate(body)
    except PydanticError as exc:
        first = exc.errors()[0]
        where = "Task." + ".".join(str(p) for p in first["loc"])
        return _problem(400, "structure", f"Not a valid R4 Task: {first['msg']}", where)
    if not str(posted.id or "").isdigit():
        return _problem(400, "required", "Task.id must be the id of a referral", "Task.id")
    if not actor.can(Permission.RESPOND_REFERRAL):
        raise NotFound("No referral with that id")
    if posted.status not in ReferralStatus.values:
        return _problem(
            422, "code-invalid", f"'{posted.status}' is not in the referral status value set", "Task.status"
        )
    outcome, note = fhir.outcome_from(posted)
    referral = services.move_referral(
        actor=actor,
        referral_id=int(str(posted.id)),
        to_status=str(posted.status),
        reason=str(posted.statusReason.text or "") if posted.statusReason else "",
        outcome=outcome,
        outcome_note=note,
    )
    return _resource(fhir.task(referral))  # move_referral has audited the change
