"""Reablement routes, under /reablement/."""

from django.urls import path

from homeward.reablement import views, views_stay

app_name = "reablement"

urlpatterns = [
    path("", views.units, name="units"),
    path("units/<id:unit_id>/", views.unit_board, name="board"),
    path("beds/<id:bed_id>/", views.bed_status, name="bed"),
    path("new/<id:person_id>/", views.new_referral, name="new"),
    path("referrals/<id:reablement_id>/", views.referral_detail, name="referral"),
    path("referrals/<id:reablement_id>/decide/", views.decide, name="decide"),
    path("referrals/<id:reablement_id>/admit/", views.admit, name="admit"),
    path("stays/<id:stay_id>/", views_stay.stay_detail, name="stay"),
    path("stays/<id:stay_id>/move/", views_stay.move, name="move"),
    path("stays/<id:stay_id>/discharge/", views_stay.discharge, name="discharge"),
    path("stays/<id:stay_id>/goals/", views_stay.add_goal, name="add_goal"),
    path("stays/<id:stay_id>/goals/progress/", views_stay.goal_progress, name="goal_progress"),
    path("stays/<id:stay_id>/reviews/", views_stay.add_review, name="add_review"),
    path("stays/<id:stay_id>/blockers/", views_stay.add_blocker, name="add_blocker"),
    path("stays/<id:stay_id>/blockers/resolve/", views_stay.resolve_blocker, name="resolve_blocker"),
    path("stays/<id:stay_id>/follow-up/", views_stay.follow_up, name="follow_up"),
]
