"""Hospital fast track in the browser: a ward's "awaiting equipment or adaptations" blocker opens an urgent
adaptations case; the housing officer takes it through the stages, works out the grant (two tries: above
the DFG maximum is refused, keeping the figures), records the works completed; the blocker is resolved on
the hospital case. axe finds no serious or critical violations, and the case page fits a 390 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.discharge.models import Blocker
from homeward.governance.access import Actor
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


def test_a_hospital_blocker_fast_tracks_an_adaptation_to_completion(page, browser, live_server):
    today = timezone.localdate()
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    officer = MembershipFactory(
        organisation=homes, role=Role.CASEWORKER, user=UserFactory(username="officer")
    )
    patient = PersonFactory(
        organisation=trust, given_name="Edith", family_name="Okafor", address_line_1="9 Canal St"
    )
    case = discharge.refer_patient(
        actor=Actor(nurse.user, nurse),
        person_id=patient.pk,
        housing_organisation_id=homes.pk,
        hospital_id=hospital.pk,
        admitted_on=today - dt.timedelta(days=12),
        discharge_ready_on=today - dt.timedelta(days=2),
        referral_reason="Cannot manage the stairs at home",
    )
    blocker = discharge.raise_blocker(
        actor=Actor(officer.user, officer),
        case_id=case.pk,
        category="equipment",
        description="Stair-lift needed",
        due_on=today,
    )
    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_role("link", name="Open a fast-track adaptations case").click()
    page.get_by_label("Tenure").select_option("council_tenant")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Open the fast-track case").click()
    page.get_by_role("heading", name="Statutory clocks").wait_for()
    adaptation = AdaptationCase.objects.get()
    assert adaptation.priority == "urgent"
    assert axe_violations(page) == []
    day = today.strftime("%d/%m/%Y")
    for button in (
        "First contact made: start the assessment",
        "Assessment done: prepare the application",
        "Application submitted",
    ):
        page.get_by_role("link", name=button).click()
        page.get_by_label("Date", exact=False).first.fill(day)
        page.get_by_role("button", name=button).click()
        page.get_by_role("heading", name="Statutory clocks").wait_for()
    page.get_by_role("link", name="Work out the grant").click()
    page.get_by_label("Cost of the eligible works (£)").fill("42000.00")
    page.get_by_label("Applicant's contribution (£)").fill("0")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("above the DFG maximum").first.wait_for()
    assert page.get_by_label("Cost of the eligible works (£)").input_value() == "42000.00"
    assert axe_violations(page) == []
    page.get_by_label("Cost of the eligible works (£)").fill("6800.00")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("£6,800.00").first.wait_for()
    page.get_by_role("link", name="Approve the grant").click()
    page.get_by_label("Date of approval").fill(day)
    page.get_by_label("Date the application was valid and complete").fill(day)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve the grant").click()
    page.get_by_text("The works should be completed by").wait_for()
    page.get_by_role("link", name="Works completed").click()
    page.get_by_label("Date the works were completed").fill(day)
    page.get_by_role("button", name="Works completed").click()
    page.get_by_text("Hospital to Home blocker resolved").wait_for()
    screenshot(page, "adaptations-case")
    assert Blocker.objects.get(pk=blocker.pk).resolved_on == today
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_text(f"Adaptations {adaptation.reference}").wait_for()
    assert "Sign-off and payment" in page.content()

    phone = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    _sign_in(phone, live_server, "officer")
    phone.goto(f"{live_server.url}/adaptations/cases/{adaptation.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    screenshot(phone, "adaptations-case-phone")
    phone.goto(f"{live_server.url}/adaptations/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.context.close()
