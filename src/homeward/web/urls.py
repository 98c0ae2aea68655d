"""The site shell's pages: home, signing in, sharing agreements and the audit log. Each view is marked
@personal_data or @no_personal_data (see governance.routes)."""

from django.urls import path

from homeward.web.views import agreements, audit, auth, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("account/sign-in/", auth.sign_in, name="login"),
    path("account/sign-out/", auth.sign_out, name="logout"),
    path("account/organisation/", auth.switch_organisation, name="switch_organisation"),
    path("account/two-factor/", auth.two_factor, name="two_factor"),
    path("agreements/", agreements.agreements, name="agreements"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<id:agreement_id>/", agreements.agreement, name="agreement"),
    path("agreements/<id:agreement_id>/end/", agreements.agreement_end, name="agreement_end"),
    path("audit/", audit.audit, name="audit"),
]
