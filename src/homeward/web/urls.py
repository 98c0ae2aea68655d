"""Page routes. Each view is marked @personal_data or @no_personal_data (see governance.routes)."""

from django.urls import path

from homeward.web.views import agreements, audit, auth, manage, people

app_name = "web"

urlpatterns = [
    path("", people.home, name="home"),
    path("account/sign-in/", auth.sign_in, name="login"),
    path("account/sign-out/", auth.sign_out, name="logout"),
    path("account/organisation/", auth.switch_organisation, name="switch_organisation"),
    path("account/two-factor/", auth.two_factor, name="two_factor"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<int:person_id>/", people.person_detail, name="person"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/consent/", people.consent_new, name="consent_new"),
    path(
        "people/<int:person_id>/consent/<int:consent_id>/withdraw/",
        people.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<int:person_id>/subject-access.json", people.subject_access, name="subject_access"),
    path("agreements/", agreements.agreements, name="agreements"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/", agreements.agreement, name="agreement"),
    path("agreements/<int:agreement_id>/end/", agreements.agreement_end, name="agreement_end"),
    path("audit/", audit.audit, name="audit"),
    path("manage/organisations/", manage.organisations, name="organisations"),
    path("manage/organisations/new/", manage.organisation_new, name="organisation_new"),
    path("manage/organisations/<int:organisation_id>/", manage.organisation, name="organisation"),
    path("manage/organisation/edit/", manage.organisation_edit, name="organisation_edit"),
    path("manage/teams/new/", manage.team_new, name="team_new"),
    path("manage/users/", manage.users, name="users"),
    path("manage/users/new/", manage.user_new, name="user_new"),
    path("manage/users/<int:user_id>/roles/new/", manage.membership_new, name="membership_new"),
    path(
        "manage/memberships/<int:membership_id>/end/",
        manage.membership_deactivate,
        name="membership_deactivate",
    ),
]
