"""Adaptations routes, under /adaptations/."""

from django.urls import path

from homeward.adaptations import views

app_name = "adaptations"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/<id:person_id>/", views.new_case, name="new"),
    path("fast-track/<id:blocker_id>/", views.fast_track, name="fast_track"),
    path("cases/<id:adaptation_id>/", views.case_detail, name="case"),
    path("cases/<id:adaptation_id>/move/", views.move, name="move"),
    path("cases/<id:adaptation_id>/dates/", views.record_dates, name="dates"),
    path("cases/<id:adaptation_id>/grant/", views.record_grant, name="grant"),
    path("cases/<id:adaptation_id>/assign/", views.assign, name="assign"),
    path("cases/<id:adaptation_id>/participants/", views.add_participant, name="add_participant"),
]
