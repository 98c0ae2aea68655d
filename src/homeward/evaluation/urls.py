"""Evaluation routes, under /evaluation/."""

from django.urls import path

from homeward.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("import/", views.import_extract, name="import"),
    path("<id:evaluation_id>/", views.evaluation, name="evaluation"),
    path("<id:evaluation_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<id:evaluation_id>/send/", views.send, name="send"),
]
