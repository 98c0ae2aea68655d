"""Response headers every page and API answer carries: a strict Content-Security-Policy, a
Permissions-Policy, and `Cache-Control: no-store` (pages, API, FHIR and exports carry personal data, and a
shared ward PC's browser cache must not keep it).

The policy allows scripts, styles, fonts and connections from Homeward's own origin only: no inline script,
no inline style, no eval. A template that cannot avoid an inline element uses `{{ request.csp_nonce }}`,
and only then does that response's policy name the nonce. Static files (served by WhiteNoise before this
middleware) are cacheable and carry no personal data.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class Nonce:
    """A per-response CSP nonce, made only when a template asks for it."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


def content_security_policy(nonce: str | None = None, *, inline_styles: bool = False) -> str:
    """The policy; `inline_styles` only for the ReDoc page, whose bundled styled-components writes <style>
    elements it cannot give a nonce (scripts stay 'self' only there too)."""
    directives = []
    for name, sources in POLICY.items():
        if nonce and name in ("script-src", "style-src"):
            sources = [*sources, f"'nonce-{nonce}'"]
        if inline_styles and name == "style-src":
            sources = [*sources, "'unsafe-inline'"]
        directives.append(f"{name} {' '.join(sources)}")
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = Nonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(nonce.value))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        add_never_cache_headers(response)
        return response
