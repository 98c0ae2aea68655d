"""Caseload routes, under /support/."""

from django.urls import path

from homeward.support import views

app_name = "support"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("new/<id:person_id>/", views.open_case, name="open"),
    path("from-referral/<id:referral_id>/", views.from_referral, name="from_referral"),
    path("<id:support_case_id>/", views.case, name="case"),
    path("<id:support_case_id>/contacts/", views.contact, name="contact"),
    path("<id:support_case_id>/what-matters/", views.what_matters, name="what_matters"),
    path("<id:support_case_id>/goals/", views.add_goal, name="add_goal"),
    path("<id:support_case_id>/goals/<id:goal_id>/", views.goal, name="goal"),
    path("<id:support_case_id>/worker/", views.assign, name="assign"),
    path("<id:support_case_id>/root-causes/", views.root_causes, name="root_causes"),
    path("<id:support_case_id>/discharge/", views.discharge, name="discharge"),
    path("<id:support_case_id>/wellbeing/<str:tool>/", views.measure, name="measure"),
]
