"""Top-level routes: pages, the JSON API, and Django admin (superusers only)."""

from pathlib import Path

from django.contrib import admin
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import include, path, re_path
from django.views.static import serve

from homeward.api import api
from homeward.governance.routes import no_personal_data
from homeward.referrals.fhir_api import fhir_api
from homeward.referrals.openreferral_api import oruk

# The NHS.UK frontend stylesheet refers to its icons under /assets/.
NHSUK_ASSETS = Path(__file__).resolve().parent / "web" / "static" / "vendor" / "nhsuk" / "assets"


@no_personal_data("NHS.UK frontend icons")
def nhsuk_asset(request: HttpRequest, path: str) -> HttpResponseBase:
    return serve(request, path, document_root=str(NHSUK_ASSETS))


admin.site.site_header = "Homeward administration (superusers only)"

urlpatterns = [
    path("", include("homeward.web.urls")),
    path("discharge/", include("homeward.discharge.urls")),
    path("referrals/", include("homeward.referrals.urls")),
    path("support/", include("homeward.support.urls")),
    path("contracts/", include("homeward.contracts.urls")),
    path("prevention/", include("homeward.prevention.urls")),
    path("outcomes/", include("homeward.outcomes.urls")),
    path("api/v1/", api.urls),
    path("openreferral/", oruk.urls),
    path("fhir/R4/", fhir_api.urls),
    path("admin/", admin.site.urls),
    re_path(r"^assets/(?P<path>.*)$", nhsuk_asset),
]

handler404 = "homeward.web.views.errors.not_found"
handler403 = "homeward.web.views.errors.forbidden"
handler500 = "homeward.web.views.errors.server_error"
