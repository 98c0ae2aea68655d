"""Outcomes routes, under /outcomes/."""

from django.urls import path

from homeward.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("kpis/", views.kpis, name="kpis"),
    path("kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("simulate/", views.scenario, name="scenario"),
    path("simulate/<int:run_id>/", views.simulation_result, name="simulation"),
    path("simulate/compare/", views.compare, name="compare"),
    path("simulate/compare/cost-benefit/", views.send_to_cba, name="send_to_cba"),
]
