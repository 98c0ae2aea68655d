"""Linkage routes, under /linkage/."""

from django.urls import path

from homeward.linkage import analytics_views, views

app_name = "linkage"

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<id:agreement_id>/", views.agreement, name="agreement"),
    path("agreements/<id:agreement_id>/run/", views.run_now, name="run"),
    path("review/", views.review, name="review"),
    path("pairs/<id:pair_id>/", views.pair, name="pair"),
    path("pairs/<id:pair_id>/undo/", views.pair_undo, name="pair_undo"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<id:link_alert_id>/mark/", views.alert_mark, name="alert_mark"),
    path("analytics/", analytics_views.analytics_page, name="analytics"),
    path("analytics/<id:agreement_id>/readmissions.csv", analytics_views.analytics_csv, name="analytics_csv"),
]
