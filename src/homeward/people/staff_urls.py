"""Pages for running an organisation (administrators): organisations, teams, users and memberships."""

from django.urls import path

from homeward.people import staff_views as views

app_name = "staff"

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<id:organisation_id>/", views.organisation, name="organisation"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("teams/new/", views.team_new, name="team_new"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<id:user_id>/roles/new/", views.membership_new, name="membership_new"),
    path("memberships/<id:membership_id>/end/", views.membership_deactivate, name="membership_deactivate"),
]
