"""Top-level routes: pages, the JSON API, FHIR, Open Referral UK and Django admin (superusers only).

This module (with `cli` and `demo`) is the top of the layers: it may import every app, and it is where each
app's pages and API router are mounted.
"""

from pathlib import Path

from django.contrib import admin
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import include, path, re_path
from django.views.static import serve
from ninja import Router

from homeward.adaptations.api import router as adaptations_router
from homeward.api.auth import bearer
from homeward.api.auth import router as auth_router
from homeward.api.base import api
from homeward.api.docs import LocalRedoc
from homeward.api.governance import router as governance_router
from homeward.carehomes.api import router as carehomes_router
from homeward.carehomes.api_records import router as carehome_records_router
from homeward.core.errors import NotFound
from homeward.discharge.api import router as discharge_router
from homeward.governance.routes import no_personal_data
from homeward.housing.api import router as housing_router
from homeward.jobs.api import router as jobs_router
from homeward.linkage.api import router as linkage_router
from homeward.outcomes.api import router as outcomes_router
from homeward.people.api import organisations as organisations_router
from homeward.people.api import router as people_router
from homeward.reablement.api import router as reablement_router
from homeward.reablement.api_records import router as reablement_records_router
from homeward.referrals.fhir_api import fhir_api
from homeward.referrals.openreferral_api import oruk
from homeward.web.security import content_security_policy

# The NHS.UK frontend stylesheet refers to its icons under /assets/.
NHSUK_ASSETS = Path(__file__).resolve().parent / "web" / "static" / "vendor" / "nhsuk" / "assets"


@no_personal_data("NHS.UK frontend icons")
def nhsuk_asset(request: HttpRequest, path: str) -> HttpResponseBase:
    return serve(request, path, document_root=str(NHSUK_ASSETS))


@no_personal_data("API reference documentation (ReDoc)")
def api_redoc(request: HttpRequest) -> HttpResponseBase:
    response = LocalRedoc().render_page(request, api)
    response.headers["Content-Security-Policy"] = content_security_policy(inline_styles=True)
    return response


api.add_router("/auth", auth_router)
api.add_router("/", people_router, auth=bearer)
api.add_router("/", organisations_router, auth=bearer)
api.add_router("/", governance_router, auth=bearer)
api.add_router("/", discharge_router, auth=bearer)
api.add_router("/", adaptations_router, auth=bearer)
api.add_router("/", carehomes_router, auth=bearer)
api.add_router("/", carehome_records_router, auth=bearer)
api.add_router("/", housing_router, auth=bearer)
api.add_router("/", reablement_router, auth=bearer)
api.add_router("/", reablement_records_router, auth=bearer)
api.add_router("/", jobs_router, auth=bearer)
api.add_router("/", outcomes_router, auth=bearer)
api.add_router("/", linkage_router, auth=bearer)

# Added last, so it matches only paths no operation above claims: an unknown /api/v1/ URL answers
# problem+json like every other API error, not the HTML "page not found".
unknown = Router(tags=["errors"])


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
@no_personal_data("answers 404 for unknown API paths")
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise NotFound(f"No API operation at /api/v1/{rest}; see /api/v1/docs")


api.add_router("/", unknown)

admin.site.site_header = "Homeward administration (superusers only)"

urlpatterns = [
    path("", include("homeward.web.urls")),
    path("people/", include("homeward.people.urls")),
    path("manage/", include("homeward.people.staff_urls")),
    path("discharge/", include("homeward.discharge.urls")),
    path("referrals/", include("homeward.referrals.urls")),
    path("adaptations/", include("homeward.adaptations.urls")),
    path("carehomes/", include("homeward.carehomes.urls")),
    path("housing/", include("homeward.housing.urls")),
    path("reablement/", include("homeward.reablement.urls")),
    path("support/", include("homeward.support.urls")),
    path("contracts/", include("homeward.contracts.urls")),
    path("prevention/", include("homeward.prevention.urls")),
    path("outcomes/", include("homeward.outcomes.urls")),
    path("linkage/", include("homeward.linkage.urls")),
    path("evaluation/", include("homeward.evaluation.urls")),
    path("jobs/", include("homeward.jobs.urls")),
    path("api/v1/redoc", api_redoc, name="api-redoc"),
    path("api/v1/", api.urls),
    path("openreferral/", oruk.urls),
    path("fhir/R4/", fhir_api.urls),
    path("admin/", admin.site.urls),
    re_path(r"^assets/(?P<path>.*)$", nhsuk_asset),
]

handler400 = "homeward.web.views.errors.bad_request"
handler404 = "homeward.web.views.errors.not_found"
handler403 = "homeward.web.views.errors.forbidden"
handler500 = "homeward.web.views.errors.server_error"
