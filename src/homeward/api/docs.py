"""Swagger UI and ReDoc for Homeward's APIs, from the vendored npm packages (`make assets`), never a CDN.

django-ninja's own templates load both from a CDN unless `ninja` is an installed app, and keep an inline
script; these render Homeward's templates, whose scripts are static files, so the docs work under the
Content-Security-Policy (`web.security`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Redoc, Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": self.settings, "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, "web/api_docs/swagger.html", context)


class LocalRedoc(Redoc):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {
            "redoc_settings": json.loads(json.dumps(self.settings)),
            "openapi_json_url": self.get_openapi_url(api, kwargs),
            "api": api,
        }
        return render(request, "web/api_docs/redoc.html", context)
