"""Outcomes routes, under /outcomes/."""

from django.urls import path

from homeward.outcomes import case_views, views

app_name = "outcomes"

urlpatterns = [
    path("kpis/", views.kpis, name="kpis"),
    path("kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("simulate/", views.scenario, name="scenario"),
    path("simulate/<id:run_id>/", views.simulation_result, name="simulation"),
    path("simulate/compare/", views.compare, name="compare"),
    path("simulate/compare/cost-benefit/", views.send_to_cba, name="send_to_cba"),
    path("unit-costs/", case_views.unit_costs, name="unit_costs"),
    path("unit-costs/new/", case_views.unit_cost_edit, name="unit_cost_new"),
    path("unit-costs/<slug:key>/", case_views.unit_cost, name="unit_cost"),
    path("unit-costs/<slug:key>/edit/", case_views.unit_cost_edit, name="unit_cost_edit"),
    path("business-cases/", case_views.cases, name="cases"),
    path("business-cases/<id:case_id>/", case_views.case, name="case"),
    path("business-cases/<id:case_id>/scenario/", case_views.add_scenario, name="add_scenario"),
    path("business-cases/<id:case_id>/compare/", case_views.compare, name="case_compare"),
    path("business-cases/<id:case_id>/report/", case_views.case_report, name="case_report"),
    path("business-cases/<id:case_id>/export/", case_views.case_export, name="case_export"),
    path("business-cases/<id:case_id>/report.pdf", case_views.case_report, {"fmt": "pdf"}, name="case_pdf"),
    path(
        "business-cases/<id:case_id>/report.xlsx", case_views.case_report, {"fmt": "xlsx"}, name="case_xlsx"
    ),
]
