"""FHIR R4 at /fhir/R4/ for partners' systems: read and search Patient, ServiceRequest and Task, update a
Task to move a referral (accept, reject, start, complete…), and the CapabilityStatement at /metadata with
the outcome CodeSystem and ValueSet. Bearer tokens as for /api/v1/.

Every error is an OperationOutcome: 400 for bad parameters or a resource that is not valid R4, 404 for an
unknown type or anything the caller may not see, 405 (with Allow) for an interaction Homeward does not
offer, 406 for a format other than JSON, 412 for a stale If-Match, 415 for a body that is not JSON, 422 for
a move the referral's life-cycle or the caller's side does not allow. `fhir_http` (through the middleware in
referrals.http) does the content negotiation and turns the framework's own 404/405 into OperationOutcomes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticError

from homeward.api.auth import bearer
from homeward.api.context import actor_of
from homeward.api.docs import LocalSwagger
from homeward.core.errors import IllegalTransition, NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import fully_visible_people, shared_fields_of
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people.selectors import get_person
from homeward.referrals import fhir, selectors, services
from homeward.referrals.codes import ReferralStatus

FHIR_JSON = "application/fhir+json"
PREFIX = "/fhir/R4/"
MAX_COUNT = 100
DEFAULT_COUNT = 20
MAX_OFFSET = 100_000
MAX_ID_DIGITS = 18  # ids above this cannot exist (64-bit keys), so they are simply not found
# Parameters that change what a search returns; Homeward refuses them rather than ignore them.
REFUSED_PARAMS = {"_sort", "_include", "_revinclude", "_elements", "_contained", "_containedType", "_total"}
ACCEPTED_FORMATS = {"json", "application/json", "application/fhir+json"}
JSON_TYPES = {"application/json", "application/fhir+json"}

fhir_api = NinjaAPI(
    title="Homeward FHIR R4",
    version="4.0.1",
    description="Referrals as FHIR R4 ServiceRequest and Task, and the people they are about as Patient.",
    urls_namespace="fhir",
    docs_url="/docs",
    docs=LocalSwagger(),
    auth=bearer,
)


class BadParameter(Exception):
    """A search or path parameter the server cannot use: 400, named in diagnostics (and in `expression`
    when it maps to an element of the resource)."""

    def __init__(self, parameter: str, message: str, expression: str = ""):
        super().__init__(f"{parameter}: {message}")
        self.expression = expression


def _resource(resource: Any, status: int = 200) -> HttpResponse:
    body = resource.model_dump_json(by_alias=True, exclude_none=True)
    return HttpResponse(json.dumps(json.loads(body), indent=None), status=status, content_type=FHIR_JSON)


def _problem(status: int, code: str, message: str, expression: str = "") -> HttpResponse:
    return _resource(fhir.operation_outcome("error", code, message, expression), status)


# Domain field names (from services' ValidationFailed) as FHIRPath into the resource posted or searched.
FHIRPATH = {
    "to_status": "Task.status",
    "reason": "Task.statusReason",
    "outcome": "Task.output",
    "outcome_note": "Task.output.valueCodeableConcept.text",
}


@fhir_api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _problem(404, "not-found", str(exc))


@fhir_api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _problem(401, "login", "Send 'Authorization: Bearer <token>' from POST /api/v1/auth/token")
    response["WWW-Authenticate"] = "Bearer"
    return response


@fhir_api.exception_handler(BadParameter)
def on_bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return _problem(400, "invalid", str(exc), exc.expression)


@fhir_api.exception_handler(NinjaValidationError)
def on_framework_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
    return _problem(400, "invalid", f"{where}: {first.get('msg', 'invalid')}")


@fhir_api.exception_handler(ValidationFailed)
def on_invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    field, message = next(iter(exc.errors.items()))
    return _problem(422, "business-rule", f"{field}: {message}", FHIRPATH.get(field, ""))


@fhir_api.exception_handler(IllegalTransition)
def on_illegal(request: HttpRequest, exc: IllegalTransition) -> HttpResponse:
    return _problem(422, "business-rule", str(exc), "Task.status")


@fhir_api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _problem(422, "business-rule", str(exc), "Task.status")


@fhir_api.exception_handler(services.StaleVersion)
def on_stale(request: HttpRequest, exc: services.StaleVersion) -> HttpResponse:
    response = _problem(412, "conflict", str(exc))
    response["ETag"] = _etag(exc.current)
    return response


# Content negotiation and the framework's own errors ----------------------------------------------------


def _accepts_json(accept: str) -> bool:
    for part in accept.split(","):
        kind = part.split(";")[0].strip().lower()
        if kind in ("", "*/*", "application/*", "application/json", FHIR_JSON):
            return True
    return False


def fhir_http(request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]) -> HttpResponse:
    """For /fhir/R4/ (called by the StandardsHttp middleware): refuse formats other than JSON (406) and
    bodies that are not JSON (415) before the view runs, and give the framework's own 404 and 405 answers
    (HTML or text) as OperationOutcomes."""
    wanted = request.GET.get("_format", "")
    if wanted and wanted.lower() not in ACCEPTED_FORMATS:
        return _problem(406, "not-supported", f"_format: only JSON is served, not '{wanted}'")
    if not wanted and not _accepts_json(request.headers.get("Accept", "")):
        return _problem(
            406, "not-supported", f"Only {FHIR_JSON} is served, not '{request.headers.get('Accept')}'"
        )
    if request.method in ("POST", "PUT", "PATCH"):
        kind = request.content_type.lower() if request.content_type else ""
        if kind not in JSON_TYPES:
            return _problem(415, "not-supported", f"Send {FHIR_JSON}, not '{kind or 'no Content-Type'}'")
    response = get_response(request)
    if response.get("Content-Type", "").startswith(FHIR_JSON):
        return response
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        fixed = _problem(
            405,
            "not-supported",
            f"{request.method} is not supported here" + (f"; use {allowed}" if allowed else ""),
        )
        fixed["Allow"] = allowed
        return fixed
    if response.status_code >= 400:
        code = "not-found" if response.status_code == 404 else "exception"
        return _problem(
            response.status_code, code, f"{request.method} {request.path}: {response.reason_phrase}"
        )
    return response


# Search parameters ------------------------------------------------------------------------------------


class SearchParams:
    """The common result parameters (_count, _offset, _summary) and the search's own, with the unknown ones
    noted as warnings (or refused with `Prefer: handling=strict`)."""

    def __init__(self, request: HttpRequest, own: Sequence[str]):
        self.request = request
        query = request.GET
        self.unknown: list[str] = []
        strict = "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")
        for name in query:
            base = name.split(":")[0]
            if base in REFUSED_PARAMS:
                raise BadParameter(name, "not supported by this server")
            if name in own or name in ("_count", "_offset", "_summary", "_format"):
                continue
            if strict:
                raise BadParameter(name, "not a search parameter here (Prefer: handling=strict)")
            self.unknown.append(f"Ignored the unknown search parameter '{name}'")
        self.count = self._number("_count", DEFAULT_COUNT, MAX_COUNT)
        self.offset = self._number("_offset", 0, MAX_OFFSET)
        summary = query.get("_summary", "")
        if summary and summary != "count":
            raise BadParameter("_summary", "only _summary=count is supported")
        if summary == "count":
            self.count = 0
        self.values = {name: query.get(name, "") for name in own}

    def _number(self, name: str, default: int, most: int) -> int:
        raw = self.request.GET.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or len(raw) > 9 or int(raw) > most:
            raise BadParameter(name, f"a whole number from 0 to {most}")
        return int(raw)

    def _url(self, offset: int) -> str:
        kept = {k: v for k, v in self.values.items() if v}
        kept["_count"] = str(self.count)
        if offset:
            kept["_offset"] = str(offset)
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(kept)

    def page(self, rows: QuerySet[Any]) -> tuple[list[Any], int, dict[str, str]]:
        """This page of `rows` (already ordered), the true total, and the self/first/next/previous links."""
        total = rows.count()
        found = list(rows[self.offset : self.offset + self.count]) if self.count else []
        links = {"self": self._url(self.offset)}
        if self.count:
            links["first"] = self._url(0)
            if self.offset + self.count < total:
                links["next"] = self._url(self.offset + self.count)
            if self.offset > 0:
                links["previous"] = self._url(max(0, self.offset - self.count))
        return found, total, links

    def bundle(self, resources: list[Any], total: int, links: dict[str, str]) -> HttpResponse:
        return _resource(fhir.searchset(resources, total, links, fhir.warnings(self.unknown)))


def _id(value: str, resource: str) -> int:
    if not value.isdigit():
        raise BadParameter(f"{resource}/{value}", "ids here are whole numbers", f"{resource}.id")
    if len(value) > MAX_ID_DIGITS:
        raise NotFound(f"No {resource} with that id")
    return int(value)


def _etag(version: int) -> str:
    return f'W/"{version}"'


def _if_match(request: HttpRequest) -> int | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = re.fullmatch(r'\s*(?:W/)?"?(\d{1,9})"?\s*', header)
    if match is None:
        raise BadParameter("If-Match", 'give the version as W/"<versionId>"')
    return int(match.group(1))


def _versioned(resource: Any, version: int) -> HttpResponse:
    response = _resource(resource)
    response["ETag"] = _etag(version)
    if resource.meta is not None and resource.meta.lastUpdated is not None:
        response["Last-Modified"] = http_date(resource.meta.lastUpdated.timestamp())
    return response


def _referral(request: HttpRequest, referral_id: str, resource: str, purpose: str) -> Any:
    return selectors.get_referral(
        actor=actor_of(request), referral_id=_id(referral_id, resource), purpose=purpose
    )


# Conformance (public: no personal data) -----------------------------------------------------------------


@fhir_api.get("/metadata", auth=None)
@no_personal_data("FHIR CapabilityStatement")
def metadata(request: HttpRequest) -> HttpResponse:
    from importlib.metadata import version

    base = request.build_absolute_uri(PREFIX).rstrip("/")
    today = timezone.localdate().isoformat()
    return _resource(fhir.capability_statement(base, version("homeward"), today))


@fhir_api.get("/CodeSystem/{code_system_id}", auth=None)
@no_personal_data("FHIR CodeSystem of referral outcomes")
def read_code_system(request: HttpRequest, code_system_id: str) -> HttpResponse:
    if code_system_id != fhir.OUTCOME_ID:
        raise NotFound("No CodeSystem with that id")
    return _resource(fhir.outcome_code_system())


@fhir_api.get("/ValueSet/{value_set_id}", auth=None)
@no_personal_data("FHIR ValueSet of referral outcomes")
def read_value_set(request: HttpRequest, value_set_id: str) -> HttpResponse:
    if value_set_id != fhir.OUTCOME_ID:
        raise NotFound("No ValueSet with that id")
    return _resource(fhir.outcome_value_set())


# Patient -------------------------------------------------------------------------------------------------


@fhir_api.get("/Patient/{person_id}")
@personal_data("person_id", Permission.VIEW_PERSON)
def read_patient(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = actor_of(request)
    person = get_person(actor=actor, person_id=_id(person_id, "Patient"), purpose="FHIR Patient read")
    return _resource(fhir.patient(person, shared_fields_of(actor, person)))


@fhir_api.get("/Patient")
@personal_data("search", Permission.VIEW_PERSON)
def search_patient(request: HttpRequest) -> HttpResponse:
    """Search by NHS number (`identifier=https://fhir.nhs.uk/Id/nhs-number|9990001234`). Someone shared
    without their NHS number is not found by it."""
    actor = actor_of(request)
    params = SearchParams(request, ["identifier"])
    system, _, value = params.values["identifier"].rpartition("|")
    if not value or (system and system != fhir.NHS_NUMBER_SYSTEM) or len(value) > 20:
        raise BadParameter(
            "identifier", f"search by {fhir.NHS_NUMBER_SYSTEM}|<NHS number>", "Patient.identifier"
        )
    people = fully_visible_people(actor).filter(nhs_number=value.replace(" ", "")).order_by("pk")
    found, total, links = params.page(people)
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="FHIR Patient search",
        detail={"people": [p.pk for p in found]},
    )
    return params.bundle([fhir.patient(p, None) for p in found], total, links)


# ServiceRequest and Task ------------------------------------------------------------------------------


def _search_referrals(request: HttpRequest, params: SearchParams, statuses: Sequence[str]) -> Any:
    """Referrals the caller may see, filtered in the database, newest first (ties by id, so pages are
    stable), with their version; returns (page, total, links)."""
    actor = actor_of(request)
    referrals = selectors.visible_referrals(actor).select_related(
        "from_organisation", "to_organisation", "service"
    )
    if statuses:
        referrals = referrals.filter(status__in=statuses)
    patient = params.values["patient"]
    if patient:
        person_id = patient.removeprefix("Patient/")
        if not person_id.isdigit() or len(person_id) > MAX_ID_DIGITS:
            raise BadParameter("patient", "use Patient/<id>", "Task.for")
        referrals = referrals.filter(person_id=int(person_id))
    ordered = referrals.annotate(version=Count("events")).order_by("-requested_at", "-pk")
    found, total, links = params.page(ordered)
    selectors.record_inbox_view(actor=actor, box="FHIR search", referral_ids=[r.pk for r in found])
    return found, total, links


@fhir_api.get("/ServiceRequest/{referral_id}")
@personal_data("referral_id", Permission.VIEW_PERSON)
def read_service_request(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = _referral(request, referral_id, "ServiceRequest", "FHIR ServiceRequest read")
    version = services.referral_version(referral)
    return _versioned(fhir.service_request(referral, version), version)


@fhir_api.get("/ServiceRequest")
@personal_data("search", Permission.VIEW_PERSON)
def search_service_request(request: HttpRequest) -> HttpResponse:
    params = SearchParams(request, ["status", "patient"])
    wanted = params.values["status"].split(",") if params.values["status"] else []
    unknown = [s for s in wanted if s not in fhir.REQUEST_STATUS.values()]
    if unknown:
        raise BadParameter(
            "status", f"not a ServiceRequest status here: {', '.join(unknown)}", "ServiceRequest.status"
        )
    statuses = [task for task, request_status in fhir.REQUEST_STATUS.items() if request_status in wanted]
    found, total, links = _search_referrals(request, params, statuses)
    return params.bundle([fhir.service_request(r, max(1, r.version)) for r in found], total, links)


@fhir_api.get("/Task/{referral_id}")
@personal_data("referral_id", Permission.VIEW_PERSON)
def read_task(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = _referral(request, referral_id, "Task", "FHIR Task read")
    version = services.referral_version(referral)
    return _versioned(fhir.task(referral, version), version)


@fhir_api.get("/Task")
@personal_data("search", Permission.VIEW_PERSON)
def search_task(request: HttpRequest) -> HttpResponse:
    params = SearchParams(request, ["status", "patient"])
    statuses = params.values["status"].split(",") if params.values["status"] else []
    unknown = [s for s in statuses if s not in ReferralStatus.values]
    if unknown:
        raise BadParameter("status", f"not a Task status here: {', '.join(unknown)}", "Task.status")
    found, total, links = _search_referrals(request, params, statuses)
    return params.bundle([fhir.task(r, max(1, r.version)) for r in found], total, links)


def _posted_task(request: HttpRequest) -> fhir.Task | HttpResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _problem(400, "structure", "The body is not JSON")
    if not isinstance(body, dict) or body.get("resourceType") != "Task":
        return _problem(400, "structure", "Send a FHIR Task resource", "Task")
    try:
        return fhir.Task.model_validate(body)
    except PydanticError as exc:
        first = exc.errors()[0]
        where = "Task"
        for part in first["loc"]:
            where += f"[{part}]" if isinstance(part, int) else f".{part}"
        return _problem(400, "structure", f"Not a valid R4 Task: {first['msg']}", where)


# What a partner may change in a Task; the rest is the referral's and must come back as it was read.
FIXED_ELEMENTS = ("for", "focus", "owner", "requester", "intent")


def _plain(value: Any) -> Any:
    return value.model_dump(exclude_none=True) if hasattr(value, "model_dump") else value


def _apply(request: HttpRequest, posted: fhir.Task, referral_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not actor.can(Permission.RESPOND_REFERRAL):
        raise NotFound("No referral with that id")
    expected = _if_match(request)
    current = selectors.visible_referrals(actor).filter(pk=referral_id).first()
    if current is None:
        raise NotFound("No referral with that id")
    if posted.status not in ReferralStatus.values:
        return _problem(
            422, "code-invalid", f"'{posted.status}' is not in the referral status value set", "Task.status"
        )
    stored = fhir.task(current)
    for element in FIXED_ELEMENTS:
        sent = getattr(posted, "for_fhir" if element == "for" else element)
        kept = getattr(stored, "for_fhir" if element == "for" else element)
        if sent is not None and _plain(sent) != _plain(kept):
            where = f"Task.{element}"
            return _problem(422, "business-rule", f"{where} is the referral's and cannot be changed", where)
    if posted.status == current.status:
        version = services.referral_version(current)
        if expected is not None and expected != version:
            raise services.StaleVersion(expected, version)
        return _versioned(fhir.task(current, version), version)  # nothing to change, nothing written
    outcome, note = fhir.outcome_from(posted)
    referral = services.move_referral_from_version(
        actor=actor,
        referral_id=referral_id,
        expected_version=expected,
        to_status=str(posted.status),
        reason=str(posted.statusReason.text or "") if posted.statusReason else "",
        outcome=outcome,
        outcome_note=note,
    )
    version = services.referral_version(referral)
    return _versioned(fhir.task(referral, version), version)  # move_referral has audited the change


@fhir_api.put("/Task/{referral_id}")
@personal_data("referral_id", Permission.RESPOND_REFERRAL)
def put_task(request: HttpRequest, referral_id: str) -> HttpResponse:
    """The R4 update interaction: send the Task as read, with a new status (and statusReason, or an
    outcome in output[].valueCodeableConcept when completing or failing). If-Match: W/"<versionId>"
    refuses the update (412) when someone else changed the Task since."""
    number = _id(referral_id, "Task")
    posted = _posted_task(request)
    if isinstance(posted, HttpResponse):
        return posted
    if posted.id is not None and str(posted.id) != str(number):
        return _problem(400, "invalid", "Task.id must match the id in the URL", "Task.id")
    return _apply(request, posted, number)


@fhir_api.post("/Task")
@personal_data("referral_id", Permission.RESPOND_REFERRAL)
def update_task(request: HttpRequest) -> HttpResponse:
    """Homeward's earlier form of the update: POST the Task with its id. PUT Task/<id> is the R4 one."""
    posted = _posted_task(request)
    if isinstance(posted, HttpResponse):
        return posted
    if not str(posted.id or "").isdigit():
        return _problem(400, "required", "Task.id must be the id of a referral", "Task.id")
    return _apply(request, posted, _id(str(posted.id), "Task"))


# Added last, so it answers only paths no operation above claims.
@fhir_api.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
@no_personal_data("answers 404 OperationOutcome for unknown FHIR paths and resource types")
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    kind = rest.split("/")[0]
    if kind in ("Patient", "ServiceRequest", "Task", "CodeSystem", "ValueSet"):
        return _problem(404, "not-found", f"No {request.method} {PREFIX}{rest} here; see {PREFIX}metadata")
    return _problem(404, "not-found", f"'{kind}' is not a resource type served here; see {PREFIX}metadata")
