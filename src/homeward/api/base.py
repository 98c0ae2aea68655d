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
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from homeward.api.docs import LocalSwagger
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Homeward API",
    version="1",
    description="People, organisations, sharing agreements and audit events. Authenticate with a bearer "
    "token from POST /api/v1/auth/token. Errors are application/problem+json naming the field.",
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalSwagger(),
)

INVALID_FIELDS = "The request has invalid fields"


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
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(request, 422, INVALID_FIELDS, detail, errors)


@api.exception_handler(ValidationFailed)
def on_domain_error(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return problem(request, 422, INVALID_FIELDS, str(exc), errors)


@api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return problem(request, 404, "Not found", str(exc))


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
