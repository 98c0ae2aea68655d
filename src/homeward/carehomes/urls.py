"""Care-home routes, under /carehomes/."""

from django.urls import path

from homeward.carehomes import views, views_homes

app_name = "carehomes"

urlpatterns = [
    path("", views.homes, name="homes"),
    path("early-warning/", views_homes.early_warning, name="early_warning"),
    path("early-warning/load/", views_homes.load_bands, name="load_bands"),
    path("homes/new/", views_homes.new_home, name="new_home"),
    path("homes/<id:home_id>/", views.home, name="home"),
    path("homes/<id:home_id>/rooms/new/", views_homes.new_room, name="room"),
    path("homes/<id:home_id>/protocols/new/", views_homes.new_protocol, name="protocol"),
    path("protocols/<id:protocol_id>/end/", views_homes.end_protocol, name="end_protocol"),
    path("homes/<id:home_id>/kpis/", views_homes.home_kpis, name="kpis"),
    path("homes/<id:home_id>/deteriorating/", views.deteriorating, name="deteriorating"),
    path("homes/<id:home_id>/visits/new/", views.record_visit, name="visit"),
    path("admit/<id:person_id>/", views.admit, name="admit"),
    path("residents/<id:resident_id>/", views.resident, name="resident"),
    path("residents/<id:resident_id>/plan/", views.record_plan, name="plan"),
    path("residents/<id:resident_id>/observations/", views.record_observations, name="observations"),
    path("residents/<id:resident_id>/triage/", views.record_triage, name="triage"),
    path("residents/<id:resident_id>/transfer/", views.record_transfer, name="transfer"),
    path("residents/<id:resident_id>/chart/", views.chart, name="chart"),
    path("residents/<id:resident_id>/999/", views.record_emergency_call, name="emergency_call"),
    path("residents/<id:resident_id>/death/", views.record_death, name="death"),
    path("residents/<id:resident_id>/assessment/", views.record_home_assessment, name="home_assessment"),
    path("residents/<id:resident_id>/hospital-case/", views.open_hospital_case, name="hospital_case"),
]
