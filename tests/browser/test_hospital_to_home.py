"""A clinician refers; the housing officer screens, raises two blockers, resolves them and discharges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind, Ward
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Homeward").wait_for()


def test_refer_screen_block_resolve_and_discharge(page, live_server):
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes")
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    Ward.objects.create(hospital=hospital, name="Ward 7", beds=28)
    MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    MembershipFactory(organisation=homes, role=Role.CASEWORKER, user=UserFactory(username="officer"))
    MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    patient = PersonFactory(organisation=trust, given_name="Edith", family_name="Okafor")

    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/discharge/dashboard/")
    assert page.locator(".nhsuk-card").first.inner_text().split() == ["Referrals", "0"]

    _sign_in(page, live_server, "nurse")
    page.goto(f"{live_server.url}/people/{patient.pk}/")
    page.get_by_role("link", name="Refer to Hospital to Home").click()
    page.get_by_label("Why does the patient need the housing team?").fill("Cannot manage the stairs at home")
    admitted = (timezone.localdate() - dt.timedelta(days=6)).strftime("%d/%m/%Y")
    page.get_by_label("Admission date").fill(admitted)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Refer").click()
    page.get_by_role("heading", name="Blockers").wait_for()
    case = DischargeCase.objects.get()

    _sign_in(page, live_server, "officer")
    page.get_by_role("link", name="Hospital to Home").first.click()
    page.get_by_role("link", name="OKAFOR, Edith").click()
    page.get_by_label("Home unsuitable for new needs (stairs, access, bathing)").check()
    page.get_by_role("button", name="Save screen").click()
    page.get_by_text("Suggested blockers").wait_for()
    page.get_by_role("button", name="Move to active").click()
    due = (timezone.localdate() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    for category, description in (("home_unsuitable", "Needs a stairlift"), ("furniture", "No bed at home")):
        page.get_by_text("Raise a blocker").click()
        page.get_by_label("Category").select_option(category)
        page.get_by_label("Description").fill(description)
        page.get_by_label("Due date").fill(due)
        page.get_by_role("button", name="Raise blocker").click()
        page.get_by_role("cell", name=description).wait_for()
    assert axe_violations(page) == []
    for n in (1, 2):
        page.locator("input[name=resolution]").first.fill(f"Sorted {n}")
        page.get_by_role("button", name="Resolve").first.click()
        page.get_by_role("cell", name=f"Sorted {n}").wait_for()
    page.get_by_role("button", name="Mark discharge-ready").click()
    page.get_by_label("Where did they go?").select_option("home_adapted")
    page.get_by_role("button", name="Discharge", exact=True).click()
    page.get_by_text(f"{case.reference} discharged").wait_for()
    screenshot(page, "hospital-to-home-discharged")
    case.refresh_from_db()
    assert case.status == "discharged" and case.destination == "home_adapted"
    assert case.blockers.filter(resolved_on__isnull=False).count() == 2

    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/discharge/dashboard/")
    assert page.locator(".nhsuk-card").first.inner_text().split() == ["Referrals", "1"]
    readmitted = page.locator(".nhsuk-card", has_text="Readmitted within 30 days").inner_text()
    assert "0 of 1" in readmitted  # discharged once, no readmission
    page.locator("#chart-destinations canvas").wait_for()
    assert page.get_by_role("cell", name="Home with adaptations").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "hospital-to-home-dashboard")
