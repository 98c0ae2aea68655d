"""Supported housing routes, under /housing/."""

from django.urls import path

from homeward.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.schemes, name="schemes"),
    path("caseload/", views.caseload, name="caseload"),
    path("schemes/<id:scheme_id>/", views.scheme, name="scheme"),
    path("refer/<id:person_id>/", views.refer, name="refer"),
    path("placements/<id:placement_id>/", views.placement, name="placement"),
    path("placements/<id:placement_id>/<slug:step>/", views.step, name="step"),
]
