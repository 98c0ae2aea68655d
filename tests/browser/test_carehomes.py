"""Care homes in the browser, on a tablet: a carer records observations for a resident who is unwell, then
the triage call with the hospital consultant ("stay in the home"); once 72 hours have passed the call shows
"stayed well" and the home's KPI page counts it. The observations put her on the home's deterioration list.
A pulse of 900 is refused with the field named. axe finds no serious or critical violations, and the
resident page fits a 390 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import services
from homeward.carehomes.models import TriageCall
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
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
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}


def test_a_carer_records_observations_and_a_triage_call_that_avoids_an_admission(browser, live_server):
    provider = OrganisationFactory(name="Brightwater Home Care", kind=OrganisationKind.CARE_PROVIDER)
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    AgreementFactory(parties=[provider, trust])
    carer = MembershipFactory(organisation=provider, role=Role.CASEWORKER, user=UserFactory(username="carer"))
    actor = Actor(carer.user, carer)
    home = services.create_home(actor=actor, name="Brightwater Nursing Home", kind="nursing")
    room = services.add_room(actor=actor, home_id=home.pk, name="4")
    person = PersonFactory(organisation=provider, given_name="Edith", family_name="Marsh")
    today = timezone.localdate()
    resident = services.admit_resident(
        actor=actor,
        home_id=home.pk,
        person_id=person.pk,
        admitted_on=today - dt.timedelta(days=300),
        funding="local_authority",
        room_id=room.pk,
    )
    services.record_plan(
        actor=actor,
        resident_id=resident.pk,
        agreed_on=today - dt.timedelta(days=30),
        agreed_with="resident",
        gp_name="Dr Iain Campbell",
        what_matters="To stay here",
        preferred_place="care_home",
        if_unwell="treat_in_home",
        resuscitation="do_not_attempt",
        resuscitation_decided_by="Dr Iain Campbell with Edith",
        resuscitation_decided_on=today - dt.timedelta(days=30),
        review_on=today + dt.timedelta(days=150),
    )
    page = browser.new_context(viewport=TABLET, locale="en-GB").new_page()
    page.set_default_timeout(15000)
    _sign_in(page, live_server, "carer")
    page.get_by_role("link", name="Care homes").first.click()
    page.get_by_role("link", name="Brightwater Nursing Home").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="MARSH, Edith").click()
    page.get_by_role("link", name="Record observations").click()
    now = timezone.localtime() - dt.timedelta(minutes=30)
    page.get_by_label("Date taken").fill(now.strftime("%d/%m/%Y"))
    page.get_by_label("Time taken").fill(now.strftime("%H:%M"))
    page.get_by_label("Pulse (beats a minute)").fill("900")
    page.get_by_label("Breaths a minute").fill("24")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Pulse must be between 20 and 250").first.wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Pulse (beats a minute)").fill("118")
    page.get_by_label("Temperature (°C)").fill("38.4")
    page.get_by_label("Drinking less than usual").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Observations recorded").wait_for()
    # The observations show deterioration: the home's list names her (a carer noticed she drinks less).
    page.get_by_role("link", name="Back to Brightwater Nursing Home").click()
    listed = page.locator("#deterioration + p + ul")
    assert "MARSH, Edith" in listed.inner_text() and "drinking less" in listed.inner_text()
    assert axe_violations(page) == []
    listed.get_by_role("link", name="MARSH, Edith").click()
    page.get_by_role("link", name="Record a triage call").click()
    page.get_by_label("Date of the call").fill(now.strftime("%d/%m/%Y"))
    page.get_by_label("Time of the call").fill((now + dt.timedelta(minutes=10)).strftime("%H:%M"))
    page.get_by_label("Who was consulted").select_option("hospital_consultant")
    page.get_by_label("Clinician's name").fill("Dr Ruth Osei")
    page.get_by_label("Their organisation").select_option(str(trust.pk))
    page.get_by_label("Observations they saw").select_option(index=1)
    page.get_by_label("Decision", exact=True).select_option("stay")
    page.get_by_label("Reasons for the decision").fill("Likely urinary infection: antibiotics in the home")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Triage call recorded").wait_for()
    page.get_by_text("Follow-up window still open").wait_for()
    # 72 hours pass without an admission.
    TriageCall.objects.update(called_at=timezone.now() - dt.timedelta(hours=73))
    page.reload()
    page.get_by_text("Stayed well: admission avoided").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "carehomes-resident-tablet")
    # The home's KPI page counts it: one "stay" decision, stayed well at 72 hours, this month.
    month = timezone.localtime(TriageCall.objects.get().called_at).strftime("%Y-%m")
    page.goto(f"{live_server.url}/carehomes/homes/{home.pk}/kpis/")
    row = page.locator(f'tr[data-kpi="carehomes_stayed_well_72h"][data-month="{month}"]')
    assert row.locator("td").nth(1).inner_text() == "100%" and row.locator("td").nth(3).inner_text() == "1"
    avoided = page.locator(f'tr[data-kpi="carehomes_admissions_avoided"][data-month="{month}"]')
    assert avoided.locator("td").nth(1).inner_text() == "1"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(desktop, live_server, "carer")
    desktop.goto(f"{live_server.url}/carehomes/residents/{resident.pk}/")
    screenshot(desktop, "carehomes-resident")

    phone = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    _sign_in(phone, live_server, "carer")
    phone.goto(f"{live_server.url}/carehomes/residents/{resident.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    screenshot(phone, "carehomes-resident-phone")


def test_an_administrator_loads_a_schemes_bands_from_a_file(page, live_server, tmp_path):
    """A bad row is named (row, line and column) with nothing stored and what was typed kept; the fixed
    file loads a new version, turned on. axe finds no serious or critical violations on the form."""
    provider = OrganisationFactory(name="Brightwater Home Care", kind=OrganisationKind.CARE_PROVIDER)
    MembershipFactory(organisation=provider, role=Role.ADMIN, user=UserFactory(username="careadmin"))
    bands = "parameter,low,high,value,points\npulse,,40,,3\npulse,41,90,,0\npulse,91,,,two\n"
    upload = tmp_path / "bands.csv"
    upload.write_text(bands, encoding="utf-8")
    _sign_in(page, live_server, "careadmin")
    page.goto(f"{live_server.url}/carehomes/early-warning/")
    page.get_by_role("link", name="Load a scheme's bands").click()
    page.get_by_label("Scheme", exact=True).fill("Brightwater test scheme")
    page.get_by_label("Version", exact=True).fill("1")
    page.get_by_label("Where the bands are published").fill("Invented for Homeward's browser test")
    page.get_by_label("The terms that allow your organisation to use them").fill("Ours")
    page.get_by_label("In force from").fill("01/01/2026")
    page.get_by_label("A total at or above this is a deterioration").fill("3")
    page.get_by_label("Bands file (CSV)").set_input_files(str(upload))
    page.get_by_label("Turn this version on for your homes now").check()
    page.get_by_role("button", name="Load the bands").click()
    page.get_by_text("Row 3 (line 4), points: Points must be a whole number from 0 to 10").first.wait_for()
    assert page.get_by_label("Scheme", exact=True).input_value() == "Brightwater test scheme"
    assert "pulse,91,,,two" in page.get_by_label("Or paste the bands").input_value()
    assert axe_violations(page) == []
    screenshot(page, "carehomes-load-bands")
    page.get_by_label("Or paste the bands").fill(bands.replace(",two", ",2"))
    page.get_by_role("button", name="Load the bands").click()
    page.get_by_text("Brightwater test scheme 1 loaded: 3 bands, turned on").wait_for()
    assert axe_violations(page) == []
