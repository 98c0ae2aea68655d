"""HTTP rules of the two standards' APIs, as one middleware (listed in settings.MIDDLEWARE).

- /fhir/R4/: content negotiation (406, 415) and OperationOutcome for the framework's own errors
  (see fhir_api.fhir_http).
- /openreferral/: `Access-Control-Allow-Origin: *` on every answer, as the Open Referral UK compliance
  rules require of the read-only API, and an answer to a browser's CORS preflight.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from homeward.referrals.fhir_api import PREFIX, fhir_http

OPENREFERRAL = "/openreferral/"


class StandardsHttp:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PREFIX):
            return fhir_http(request, self.get_response)
        if request.path.startswith(OPENREFERRAL):
            if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = request.headers.get(
                    "Access-Control-Request-Headers", ""
                )[:500]
                response["Access-Control-Max-Age"] = "86400"
            else:
                response = self.get_response(request)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return self.get_response(request)
