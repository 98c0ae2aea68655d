"""Care-home routes, under /carehomes/."""

from django.urls import path

from homeward.carehomes import views

app_name = "carehomes"

urlpatterns = [
    path("", views.homes, name="homes"),
    path("homes/<id:home_id>/", views.home, name="home"),
    path("homes/<id:home_id>/visits/new/", views.record_visit, name="visit"),
    path("admit/<id:person_id>/", views.admit, name="admit"),
    path("residents/<id:resident_id>/", views.resident, name="resident"),
    path("residents/<id:resident_id>/plan/", views.record_plan, name="plan"),
    path("residents/<id:resident_id>/observations/", views.record_observations, name="observations"),
    path("residents/<id:resident_id>/triage/", views.record_triage, name="triage"),
    path("residents/<id:resident_id>/transfer/", views.record_transfer, name="transfer"),
]
