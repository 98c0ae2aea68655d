"""Error pages that say what to do next."""

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)
#: Paths that answer machine-readable problems (RFC 9457), never an HTML page.
API_PREFIXES = ("/api/", "/fhir/", "/openreferral/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", status=403)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is restarting or unreachable: a page (or problem+json) that needs no database,
    with Retry-After. Django closes the broken connection after the request; the next one reconnects."""
    detail = "The database is unavailable (restarting or unreachable); nothing was saved. Try again shortly"
    if request.path.startswith(API_PREFIXES):
        body = {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": detail}
        response = HttpResponse(json.dumps(body), status=503, content_type="application/problem+json")
    else:
        response = HttpResponse(render_to_string("web/errors/503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def _database_went_away(exc: BaseException | None) -> bool:
    """The exception, or one it was raised while handling (e.g. the session middleware's SessionInterrupted
    after its save failed), is the database being unreachable."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _database_went_away(exception):
        logger.warning("Database unavailable in %s %s: %r", request.method, request.path, exception)
        return database_unavailable(request)
    return defaults.bad_request(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if _database_went_away(exc):
        logger.warning("Database unavailable in %s %s: %s", request.method, request.path, exc)
        return database_unavailable(request)
    return render(request, "web/errors/500.html", status=500)
