"""Every API answer is JSON: a wrong HTTP method gets problem+json naming the allowed methods."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ApiMethodNotAllowed:
    """django-ninja answers a method a path lacks with a plain-text 405; clients expect problem+json."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/")
        ):
            from homeward.api.base import problem

            allowed = response.get("Allow", "")
            fixed = problem(
                request,
                405,
                "Method not allowed",
                f"{request.method} is not allowed here" + (f"; use {allowed}" if allowed else ""),
            )
            if allowed:
                fixed["Allow"] = allowed
            return fixed
        return response
