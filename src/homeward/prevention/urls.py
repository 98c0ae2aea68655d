"""Prevention routes, under /prevention/."""

from django.urls import path

from homeward.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("alerts/<id:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<id:alert_id>/decide/", views.decide, name="decide"),
    path("score/", views.score_now, name="score"),
    path("concerns/", views.concerns, name="concerns"),
    path("concerns/new/<id:person_id>/", views.concern_new, name="concern_new"),
    path("concerns/<id:concern_id>/triage/", views.triage, name="triage"),
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("fairness/", views.fairness_page, name="fairness"),
    path("rules/", views.rules, name="rules"),
]
