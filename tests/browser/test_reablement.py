"""A reablement unit in the browser, with two people at once: the shift lead keeps the bed board open while
a colleague admits a referral from the ward; the open board, whose polls were answered 204 while nothing
changed, shows the bed occupied within 2 seconds without a reload. The colleague records an MDT review
(attendees by discipline and organisation), raises an MDT action and marks it done, discharges the person
home (a confirmation page) and the 91-day follow-up appears. axe finds no serious or critical violations;
the board fits a 390 px phone."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.governance.access import Actor
from homeward.reablement import beds, services
from homeward.reablement.models import Stay
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_admission_reaches_an_open_board_and_the_stay_goes_home_with_a_follow_up(page, browser, live_server):
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    worker = MembershipFactory(organisation=homes, role=Role.CASEWORKER, user=UserFactory(username="worker"))
    admin = MembershipFactory(organisation=homes, role=Role.ADMIN, user=UserFactory(username="homesadmin"))
    unit = beds.create_unit(
        actor=Actor(admin.user, admin),
        name="Willow Court",
        address="Former Ward 12, Northgate General",
        commissioned_beds=4,
        staffing_model="care_24_7",
        bed_labels=["1", "2", "3", "4"],
        commissioner_id=trust.pk,
    )
    patient = PersonFactory(organisation=trust, given_name="Edith", family_name="Okafor")
    referral = services.refer(
        actor=Actor(nurse.user, nurse),
        person_id=patient.pk,
        unit_id=unit.pk,
        source="acute_ward",
        reason="Medically fit after a fall; not yet safe on the stairs",
        goals="Manage the stairs and make a hot drink",
        referred_at=timezone.now() - dt.timedelta(days=2),
    )

    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/reablement/units/{unit.pk}/")
    page.get_by_role("heading", name="Willow Court: bed board").wait_for()
    assert page.locator('tr[data-bed="2"] strong.nhsuk-tag').inner_text() == "Vacant and clean"
    assert axe_violations(page) == []
    screenshot(page, "reablement-board")
    # The open board asks with the token of the board it holds; unchanged, the answer is 204 (no swap).
    polls: list[int] = []
    page.on("response", lambda r: polls.append(r.status) if "since=" in r.url else None)
    with page.expect_response(lambda r: "since=" in r.url and r.status == 204, timeout=10000):
        pass
    # (one 200 at most: the token also ages out every REVALIDATE_S seconds and the board is rebuilt once)
    assert polls.count(200) <= 1 and set(polls) <= {200, 204}, polls

    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(other, live_server, "worker")
    other.goto(f"{live_server.url}/reablement/referrals/{referral.pk}/")
    other.get_by_label("Decision").select_option("accepted")
    other.get_by_role("button", name="Record the decision").click()
    other.get_by_role("link", name="Admit to a bed").click()
    other.get_by_label("Bed").select_option(label="Willow Court bed 2")
    # Admitted yesterday morning, so that a discharge now is after it.
    other.get_by_label("Admission date").fill(
        (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    )
    other.get_by_label("Admission time").fill("10:00")
    assert axe_violations(other) == []
    other.get_by_role("button", name="Admit").click()
    admitted = time.monotonic()
    other.get_by_role("heading", name="Willow Court: bed board").wait_for()
    # The lead's board, never reloaded, shows it: htmx polls every second with the token it holds.
    page.locator('tr[data-bed="2"] strong.nhsuk-tag', has_text="Occupied").wait_for(timeout=2000)
    assert time.monotonic() - admitted <= 2.0
    assert "EO" in page.locator('tr[data-bed="2"]').inner_text()
    assert 200 in polls  # the changed board came as a fragment

    stay = Stay.objects.get(referral=referral)
    other.goto(f"{live_server.url}/reablement/stays/{stay.pk}/")
    other.get_by_role("link", name="Record an MDT review").click()
    other.get_by_label("Physiotherapist", exact=True).check()
    other.get_by_label("Social worker", exact=True).check()
    other.get_by_label("Organisation of the social worker").select_option(
        label="Northgate Hospitals NHS Trust"
    )
    other.get_by_label("Medically stable").check()
    other.get_by_label("Decisions and actions").fill("Home with a package of care; social worker to arrange")
    assert axe_violations(other) == []
    other.get_by_role("button", name="Record the review").click()
    other.get_by_text("Home with a package of care").first.wait_for()
    assert axe_violations(other) == []
    assert "Social worker (Northgate Hospitals NHS Trust)" in other.content()
    screenshot(other, "reablement-stay")
    # An MDT action is raised from the review, becomes the worker's task, and is marked done.
    other.get_by_text("Add an MDT action").click()
    other.locator("#action-description").fill("Order a perching stool")
    other.locator("#action-owner").select_option(value=f"user:{worker.user.pk}")
    other.locator("#action-due_on").fill((timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y"))
    other.get_by_role("button", name="Add the action").click()
    other.get_by_role("button", name="Mark done").wait_for()
    assert axe_violations(other) == []
    other.get_by_label("What was done? (optional)").fill("Stool delivered")
    other.get_by_role("button", name="Mark done").click()
    other.get_by_text("Stool delivered").wait_for()
    assert other.get_by_role("button", name="Mark done").count() == 0
    other.get_by_role("link", name="Discharge from the unit").click()
    other.get_by_text("This ends the stay").wait_for()
    other.get_by_label("Where is the person going?").select_option("home_package")
    assert axe_violations(other) == []
    other.get_by_role("button", name="Discharge from the unit").click()
    other.get_by_text("Discharged: Usual home with a care package").first.wait_for()
    due = timezone.localdate() + dt.timedelta(days=91)
    other.get_by_text(f"Due {due.day} {due:%b %Y}").wait_for()
    page.locator('tr[data-bed="2"] strong.nhsuk-tag', has_text="Awaiting clean").wait_for(timeout=2000)
    other.context.close()

    phone = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    _sign_in(phone, live_server, "lead")
    phone.goto(f"{live_server.url}/reablement/units/{unit.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    screenshot(phone, "reablement-board-phone")
    phone.context.close()
