"""A ward nurse signs in, finds a patient, opens their record and sees the timeline; pages pass axe."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nurse_and_patient():
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    nurse = MembershipFactory(
        organisation=trust,
        role=Role.CLINICIAN,
        user=UserFactory(username="nurse", first_name="Priya", last_name="Shah"),
    )
    patient = PersonFactory(
        organisation=trust,
        given_name="Edith",
        family_name="Okafor",
        date_of_birth=dt.date(1938, 4, 9),
        postcode="M13 9PL",
        interpreter_required=True,
        preferred_language="Igbo",
    )
    PersonFactory(organisation=trust, given_name="Tom", family_name="Okoro")
    return nurse, patient


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_search_open_a_person_and_see_the_timeline(page, live_server, nurse_and_patient):
    nurse, patient = nurse_and_patient
    page.goto(f"{live_server.url}/")
    assert "Sign in" in page.title()
    assert axe_violations(page) == []
    _sign_in(page, live_server, "nurse")
    page.get_by_role("heading", name="Homeward").wait_for()

    page.get_by_label("Find a person").fill("oka")  # htmx updates the results as she types
    page.get_by_role("link", name="OKAFOR, Edith").wait_for()
    assert page.get_by_role("link", name="OKORO, Tom").count() == 0
    page.get_by_role("button", name="Search").click()  # and the plain form works too
    page.get_by_role("link", name="OKAFOR, Edith").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "search-results")

    page.get_by_role("link", name="OKAFOR, Edith").click()
    page.get_by_role("heading", name="Timeline").wait_for()
    assert page.get_by_text("Needs an interpreter").is_visible()
    assert page.locator(".hw-timeline li").first.inner_text().count("Record created") == 1
    assert axe_violations(page) == []
    screenshot(page, "person-page")

    actions = list(AuditEvent.objects.filter(actor_username="nurse").values_list("action", flat=True))
    assert "search" in actions and "view" in actions


def test_a_wrong_password_shows_the_error_summary(page, live_server, nurse_and_patient):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert axe_violations(page) == []
