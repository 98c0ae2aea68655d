"""Page routes. Each view is marked @personal_data or @no_personal_data (see governance.routes)."""

from django.urls import path

from homeward.web.views import auth, people

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
    path("people/<int:person_id>/consent/<int:consent_id>/withdraw/", people.consent_withdraw, name="consent_withdraw"),
    path("people/<int:person_id>/subject-access.json", people.subject_access, name="subject_access"),
]
