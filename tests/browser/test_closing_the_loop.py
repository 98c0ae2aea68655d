"""In a real browser: a concern raised on a phone reaches the team; an onward referral comes back with its
outcome; the simulator draws its charts. Every page checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.governance.access import Actor
from homeward.prevention.models import Concern
from homeward.referrals.models import Referral
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.jobs.helpers import run_jobs_at_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_concern_raised_on_a_phone_reaches_the_support_team(browser, live_server):
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    MembershipFactory(organisation=homes, role=Role.CASEWORKER, user=UserFactory(username="operative"))
    MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    tenant = PersonFactory(organisation=homes, given_name="Mary", family_name="Oduya")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    _sign_in(page, live_server, "operative")
    page.goto(f"{live_server.url}/people/{tenant.pk}/")
    page.get_by_role("link", name="Raise a concern").click()
    screenshot(page, "concern-on-a-phone")
    assert axe_violations(page) == []
    page.get_by_label("Cold home").check()
    page.get_by_label("What did you see or hear?").fill("No heating; she was wearing her coat indoors")
    page.get_by_label("Urgent – within a day").check()
    page.get_by_role("button", name="Send concern").click()
    page.get_by_text("Thank you: your concern has been passed to the support team").wait_for()
    assert Concern.objects.get().category == "cold_home"
    phone.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/prevention/concerns/")
    page.get_by_text("No heating; she was wearing her coat indoors").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Triage").select_option("visit")
    page.get_by_role("button", name="Save triage").click()
    page.get_by_text("Concern triaged: visit").wait_for()
    page.close()


def test_an_onward_referral_comes_back_with_its_outcome(page, live_server):
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    advice = OrganisationFactory(name="Citizens Advice North", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[trust, homes])
    AgreementFactory(parties=[homes, advice])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN)
    MembershipFactory(organisation=homes, role=Role.CASEWORKER, user=UserFactory(username="officer"))
    MembershipFactory(organisation=advice, role=Role.PARTNER, user=UserFactory(username="adviser"))
    patient = PersonFactory(organisation=trust, given_name="Tomasz", family_name="Nowak")
    case = discharge.refer_patient(
        actor=Actor(nurse.user, nurse),
        person_id=patient.pk,
        housing_organisation_id=homes.pk,
        hospital_id=hospital.pk,
        admitted_on=timezone.localdate() - dt.timedelta(days=1),
        setting="emergency",
        referral_reason="Sixth A&E visit this year; bailiffs at the door",
    )

    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_role("link", name="Refer to another service").click()
    page.get_by_label("Service", exact=True).select_option("money_advice")
    page.get_by_label("Refer to").select_option(str(advice.pk))
    page.get_by_label("What does the person need from the service?").fill(
        "Bailiffs due on Friday; £2,300 council tax"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Onward referrals").wait_for()
    referral = Referral.objects.get()

    _sign_in(page, live_server, "adviser")
    page.goto(f"{live_server.url}/referrals/")
    page.get_by_role("link", name="NOWAK, Tomasz").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Referral is now accepted").wait_for()
    complete = page.get_by_role("group", name="Complete with outcome")
    complete.get_by_label("What came of it?").select_option("need_met")
    complete.get_by_label("Note for the referrer (optional)").fill("Debt relief order; bailiffs stood down")
    complete.get_by_role("button", name="Complete with outcome").click()
    page.get_by_text("Referral is now completed").wait_for()

    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_text("Need met: Debt relief order; bailiffs stood down").wait_for()
    referral.refresh_from_db()
    assert referral.status == "completed"
    screenshot(page, "onward-referral-outcome")


def test_the_simulator_runs_and_draws_its_charts(page, live_server, settings, monkeypatch):
    run_jobs_at_once(settings, monkeypatch)  # the run is a background job; here it runs as it is queued
    homes = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/outcomes/simulate/")
    page.get_by_text("these are Homeward's example values").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Replications").fill("50")
    page.get_by_role("button", name="Run simulation").click()
    page.get_by_role("link", name="See the results").click()
    page.locator("#chart-occupancy canvas").wait_for()
    page.locator("#chart-delay canvas").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "simulation-result")
