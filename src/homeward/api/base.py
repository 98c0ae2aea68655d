"""NinjaAPI instance and errors as application/problem+json (RFC 9457), each naming the field.

Finding the personal-data marking of every operation (for the access matrix): urls.py mounts `api.urls`;
for each ninja URLPattern in `django.urls.get_resolver()`, `pattern.callback` is the `sync_view_wrapper`
closure made by `ninja.operation.PathView.get_view()`, and the PathView is its free variable `self`:
    path_view = inspect.getclosurevars(pattern.callback).nonlocals["self"]
    for operation in path_view.operations:       # one per method group on that path
        operation.methods, operation.view_func   # view_func is the handler as written
Handlers are decorated `@router.get(...)` above `@personal_data(...)`/`@no_personal_data(...)`, so the
marking is an attribute of `operation.view_func` (`.personal_data` or `.no_personal_data`). ninja also sets
`view_func._ninja_operation`. Without the resolver: `for prefix, router in api._routers:` then
`router.path_operations.values()` are the same PathViews. tests/governance/route_registry.py does the former.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Annotated, Any, ClassVar

from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from homeward.api.docs import LocalSwagger
from homeward.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from homeward.core.validators import (
    MAX_ID,
    MAX_OFFSET,
    MULTI_LINE_PATTERN,
    NON_BLANK_MULTI_LINE_PATTERN,
    NON_BLANK_PATTERN,
    SINGLE_LINE_PATTERN,
    control_character_problem,
)

logger = logging.getLogger(__name__)

INVALID_FIELDS = "The request has invalid fields"
BREAKS_A_RULE = "The request breaks a rule"
PROBLEM_JSON = "application/problem+json"

#: The error answers any operation may give, each as application/problem+json (RFC 9457).
ERROR_RESPONSES: dict[int, str] = {
    400: "Malformed request: the body is not JSON, or not UTF-8",
    401: "Not signed in: no bearer token, or an expired or revoked one (or, for POST /auth/token, a wrong "
    "password or code)",
    403: "Signed in, but not allowed to get a token for that organisation",
    404: "No such record for your organisation and role (the same answer whether or not it exists), an id "
    "outside 1..2**63-1 in the path, or no such API path",
    405: "The path exists but not with this method (the Allow header lists those it has)",
    409: "The record's state forbids the change (e.g. an ended agreement), or a concurrent write conflicted",
    422: f"Invalid fields, each one named in `errors`. Title '{INVALID_FIELDS}': the request does not match "
    f"this schema. Title '{BREAKS_A_RULE}': it matches, but breaks a rule that needs the record or today's "
    "date (NHS number check digits, dates within plausible bounds, ids of records your organisation may use, "
    "moves allowed from a record's current status)",
    429: "Too many failed sign-ins: the account is locked for a while (Retry-After)",
}
_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, RFC 9457 problem details, naming the fields at fault",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class HomewardApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document also lists, on every operation, the errors it can answer with."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = _PROBLEM_SCHEMA
        problem_ref = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for parameter in operation.get("parameters", []):
                    _not_nullable(parameter["schema"])  # a query parameter is left out, never null
                declared = {str(code) for code in operation["responses"]}
                signs_in = not operation.get("security")
                for status, description in ERROR_RESPONSES.items():
                    if status == 403 and not signs_in:
                        continue  # only POST /auth/token answers 403
                    if status == 400 and method == "get":
                        continue  # no body to be malformed
                    if str(status) not in declared:
                        operation["responses"][str(status)] = {"description": description, **problem_ref}
        return schema


def _not_nullable(schema: dict[str, Any]) -> None:
    options = schema.get("anyOf")
    if options and any(o.get("type") == "null" for o in options):
        rest = [o for o in options if o.get("type") != "null"]
        del schema["anyOf"]
        if len(rest) == 1:
            schema.update(rest[0])
        else:
            schema["anyOf"] = rest


api = HomewardApi(
    title="Homeward API",
    version="1",
    description="People, organisations, sharing agreements and audit events. Authenticate with a bearer "
    "token from POST /api/v1/auth/token. Errors are application/problem+json naming the field.",
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
)


#: A record id in a body or query string: 1..2**63-1 (a PostgreSQL bigint).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A record id in the path; out of range is 422 naming the parameter, like any other bad input.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: How far into a list a page starts (documented maximum: narrow the filters to go deeper).
Offset = Annotated[int, Field(default=0, ge=0, le=MAX_OFFSET, description=f"0 to {MAX_OFFSET}")]


def _add_text_patterns(
    schema: dict[str, Any], multiline: frozenset[str], non_blank: frozenset[str], verbatim: frozenset[str]
) -> None:
    """Tell clients the control-character rule: a pattern on every string property (and string items)."""

    def patch(node: dict[str, Any], pattern: str) -> None:
        plain = "pattern" not in node and "enum" not in node and node.get("format") is None
        if node.get("type") == "string" and plain:
            node["pattern"] = pattern
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                patch(option, pattern)
        if isinstance(node.get("items"), dict):
            patch(node["items"], pattern)

    for name, prop in schema.get("properties", {}).items():
        if name in verbatim:
            continue
        if name in non_blank:
            patch(prop, NON_BLANK_MULTI_LINE_PATTERN if name in multiline else NON_BLANK_PATTERN)
        else:
            patch(prop, MULTI_LINE_PATTERN if name in multiline else SINGLE_LINE_PATTERN)


class InputSchema(Schema):
    """The base of every request body and query schema: no text field may hold a C0 control character.

    Fields named in `multiline` may keep tab and line breaks; fields named in `non_blank` must hold more
    than spaces. The OpenAPI document states both rules as a `pattern` on each string, so a client (or
    schemathesis) knows in advance what is accepted. Enum fields arrive as their plain values.
    """

    model_config = ConfigDict(use_enum_values=True)
    multiline: ClassVar[frozenset[str]] = frozenset()
    non_blank: ClassVar[frozenset[str]] = frozenset()
    #: Fields taken exactly as sent and never stored as text (a password): exempt from the rule.
    verbatim: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        target = handler.resolve_ref_schema(schema) if "$ref" in schema else schema
        _add_text_patterns(target, cls.multiline, cls.non_blank, cls.verbatim)
        return schema

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or "field"
        if name in cls.verbatim:
            return value
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                problem = control_character_problem(item, label=name, multiline=name in cls.multiline)
                if problem:
                    raise PydanticCustomError("control_characters", problem)
                if name in cls.non_blank and not item.strip():
                    raise PydanticCustomError("blank", f"{name} must not be blank")
        return value


class ApiProblem(HttpError):
    """An HTTP error about one field (e.g. `otp`, `password`), with optional response headers."""

    def __init__(self, status: int, message: str, *, field: str = "", headers: dict[str, str] | None = None):
        super().__init__(status, message)
        self.field = field
        self.headers = headers or {}


def problem(
    request: HttpRequest,
    status: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def _location(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


def _status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@api.exception_handler(ValidationError)
def on_schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Unknown fields, overlong strings, wrong types, missing fields: pydantic's errors, one per field."""
    errors = [
        {"field": _location(list(e.get("loc", []))), "message": e.get("msg", "invalid")} for e in exc.errors
    ]
    if all(_out_of_range_path_id(e) for e in exc.errors):
        # An id in the path beyond 1..2**63-1 names no record that could exist: 404, naming the parameter.
        detail = "; ".join(f"{e['field']}: not an id (ids run from 1 to {MAX_ID})" for e in errors)
        return problem(request, 404, "Not found", detail, errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(request, 422, INVALID_FIELDS, detail, errors)


def _out_of_range_path_id(error: dict[str, Any]) -> bool:
    loc = list(error.get("loc", []))
    return bool(loc) and loc[0] == "path" and error.get("type") in ("less_than_equal", "greater_than_equal")


@api.exception_handler(ValidationFailed)
def on_domain_error(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    """Well-formed input that breaks a rule the schema cannot state (a check digit, today's date, the
    record's state or organisation): a different title from INVALID_FIELDS, so clients can tell."""
    errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return problem(request, 422, BREAKS_A_RULE, str(exc), errors)


@api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return problem(request, 404, "Not found", str(exc))


@api.exception_handler(Conflict)
def on_state_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return problem(request, 409, "Conflict", str(exc))


@api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    # 404, not 403: the answer must not reveal whether the record exists.
    return problem(request, 404, "Not found", "No such resource for your organisation and role")


@api.exception_handler(Http404)
def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, "Not found", "No such resource")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        request,
        401,
        "Not signed in",
        "Send 'Authorization: Bearer <token>' with a token from POST /api/v1/auth/token "
        "(tokens expire, and DELETE /api/v1/auth/token revokes one)",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _unparseable_body(exc: HttpError) -> str | None:
    """ninja raises HttpError(400, "Cannot parse request body") from the JSON parser's exception."""
    cause = exc.__cause__
    if exc.status_code != 400 or cause is None:
        return None
    if isinstance(cause, json.JSONDecodeError):
        return f"The request body is not valid JSON: {cause.msg} (line {cause.lineno}, column {cause.colno})"
    if isinstance(cause, UnicodeDecodeError):
        return "The request body is not valid JSON: it is not UTF-8 text"
    return "The request body is not valid JSON"


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Malformed JSON (400), wrong password or code (401), lockout (429), throttling (429)."""
    unparseable = _unparseable_body(exc)
    if unparseable is not None:
        errors = [{"field": "body", "message": unparseable}]
        return problem(request, 400, "Malformed request body", unparseable, errors)
    message = str(exc.message)
    field = getattr(exc, "field", "") or ""
    response = problem(
        request,
        exc.status_code,
        _status_title(exc.status_code),
        message,
        [{"field": field, "message": message}] if field else None,
    )
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


@api.exception_handler(IntegrityError)
def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A write raced another and broke a database constraint; the transaction was rolled back."""
    logger.warning("API write refused by a database constraint: %s", exc)
    return problem(request, 409, "Conflict", "The change conflicts with another record; nothing was saved")


DATABASE_UNAVAILABLE = (
    "The database is unavailable (restarting or unreachable); nothing was saved. Try again shortly"
)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database went away (restart, failover, network): 503 with Retry-After, not a 500. Django drops the
    broken connection at the end of the request, so the next request reconnects."""
    logger.warning("Database unavailable in %s %s: %s", request.method, request.path, exc)
    response = problem(request, 503, "Service Unavailable", DATABASE_UNAVAILABLE)
    response["Retry-After"] = "5"
    return response


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Still problem+json (never an HTML error page); the traceback goes to the log."""
    logger.exception("Unhandled error in %s %s", request.method, request.path, exc_info=exc)
    return problem(
        request, 500, "Internal Server Error", "Something went wrong on our side; the error has been logged"
    )
