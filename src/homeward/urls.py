"""Top-level routes: pages, the JSON API, and Django admin (superusers only)."""

from django.contrib import admin
from django.urls import include, path

from homeward.api import api

admin.site.site_header = "Homeward administration (superusers only)"

urlpatterns = [
    path("", include("homeward.web.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "homeward.web.views.errors.not_found"
handler403 = "homeward.web.views.errors.forbidden"
handler500 = "homeward.web.views.errors.server_error"
