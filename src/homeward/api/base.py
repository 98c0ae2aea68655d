"""NinjaAPI instance, bearer-token auth, and errors as application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed

api = NinjaAPI(
    title="Homeward API",
    version="1",
    description="People, organisations, sharing agreements and audit events. Authenticate with a bearer "
    "token from POST /api/v1/auth/token. Errors are application/problem+json naming the field.",
    urls_namespace="api",
    docs_url="/docs",
)


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


@api.exception_handler(ValidationError)
def on_schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _location(list(e.get("loc", []))), "message": e.get("msg", "invalid")} for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(request, 422, "The request has invalid fields", detail, errors)


@api.exception_handler(ValidationFailed)
def on_domain_error(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return problem(request, 422, "The request has invalid fields", str(exc), errors)


@api.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return problem(request, 404, "Not found", str(exc))


@api.exception_handler(NotAllowed)
def on_not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return problem(request, 404, "Not found", "No such resource for your organisation and role")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        request, 401, "Not signed in", "Send 'Authorization: Bearer <token>' from POST /api/v1/auth/token"
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Malformed JSON (400 "Cannot parse request body"), wrong password (401), lockout (429)..."""
    message = str(getattr(exc, "message", exc))
    field = message.split(":", 1)[0] if ":" in message and " " not in message.split(":", 1)[0] else ""
    errors = [{"field": field or "body", "message": message}]
    return problem(request, exc.status_code, message, message, errors)
