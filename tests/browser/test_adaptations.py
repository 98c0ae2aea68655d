"""Hospital fast track in the browser, worked by the co-located team: a ward's "awaiting equipment or
adaptations" blocker opens an urgent adaptations case at the district council; the county's occupational
therapist assesses, the home improvement agency's technical officer prices the works from two quotes and
the district's grants officer works out and approves the grant, each signed in as themselves at their own
organisation under the team's sharing agreement; the works are completed, the hospital blocker is resolved
and the Hospital to Home case shows it. axe finds no serious or critical violations on any page of the
walk, and the case page fits a 390 px phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase, TeamTask
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


def _member(organisation, username, first, last):
    user = UserFactory(username=username, first_name=first, last_name=last)
    return MembershipFactory(organisation=organisation, role=Role.CASEWORKER, user=user)


def _open_case_from_worklist(page, live_server, case):
    """A partner finds the shared case on its own worklist (no link handed over)."""
    page.goto(f"{live_server.url}/adaptations/")
    page.get_by_role("link", name="OKAFOR, Edith").click()
    page.get_by_role("heading", name="Statutory clocks").wait_for()
    assert f"{case.reference}" in page.content()


def _move(page, button, day):
    page.get_by_role("link", name=button).click()
    page.get_by_label("Date", exact=False).first.fill(day)
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", name="Statutory clocks").wait_for()


def _mark_done(page, task_name):
    row = page.get_by_role("row").filter(has_text=task_name)
    row.get_by_role("button", name="Mark done").click()
    page.get_by_text(f"Task done: {task_name}").first.wait_for()


def test_the_team_fast_tracks_a_hospital_adaptation_to_completion(page, browser, live_server):
    today = timezone.localdate()
    day = today.strftime("%d/%m/%Y")
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    district = OrganisationFactory(name="Northgate District Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    county = OrganisationFactory(name="Northshire County Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    hia = OrganisationFactory(name="Northgate Care and Repair", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[trust, district])
    AgreementFactory(parties=[district, county, hia], title="Adaptations co-located team sharing")
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    officer = _member(district, "officer", "Hana", "Ali")  # the district's hospital housing officer
    _member(county, "ot", "Olu", "Bello")  # occupational therapist
    _member(hia, "tech", "Tom", "Reyes")  # technical officer
    _member(district, "grants", "Gwen", "Price")  # grants officer
    patient = PersonFactory(
        organisation=trust, given_name="Edith", family_name="Okafor", address_line_1="9 Canal St"
    )
    case = discharge.refer_patient(
        actor=Actor(nurse.user, nurse),
        person_id=patient.pk,
        housing_organisation_id=district.pk,
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

    # The district's hospital housing officer opens the fast-track case and brings the team in.
    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_role("link", name="Open a fast-track adaptations case").click()
    page.get_by_label("Tenure").select_option("council_tenant")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Open the fast-track case").click()
    page.get_by_role("heading", name="Statutory clocks").wait_for()
    adaptation = AdaptationCase.objects.get()
    assert adaptation.priority == "urgent" and adaptation.organisation == district
    assert axe_violations(page) == []
    for partner, does in ((county, "Occupational therapy assessment"), (hia, "Survey and quotes")):
        page.get_by_role("link", name="Bring another organisation into the case").click()
        page.get_by_label("Organisation").select_option(label=partner.name)
        page.get_by_label("What will they do on the case?").fill(does)
        page.get_by_role("button", name="Save").click()
        page.get_by_text(f"{partner.name} now takes part").first.wait_for()
    page.get_by_role("link", name="Rate the complexity").click()
    page.get_by_role("button", name="Rate").click()
    page.get_by_text("Complexity rated moderate").first.wait_for()
    for task, role, organisation in (
        ("Assessment of need", "Occupational therapist", county),
        ("Technical survey and schedule of works", "Technical officer", hia),
        ("Approval", "Grants officer", district),
    ):
        page.get_by_role("link", name="Add a task").click()
        page.get_by_label("Task", exact=True).select_option(label=task)
        page.get_by_label("Who does it (role)").select_option(label=role)
        page.get_by_label("Organisation doing it").select_option(label=organisation.name)
        page.get_by_label("Due in (working days)").fill("5")
        if task == "Assessment of need":
            assert axe_violations(page) == []
        page.get_by_role("button", name="Add the task").click()
        page.get_by_text(f"Task: {task}").first.wait_for()
    _move(page, "First contact made: start the assessment", day)

    # The county's occupational therapist: only their own task can be marked done by them.
    _sign_in(page, live_server, "ot")
    _open_case_from_worklist(page, live_server, adaptation)
    assert page.get_by_role("button", name="Mark done").count() == 1
    assert page.get_by_role("link", name="Bring another organisation into the case").count() == 0
    _mark_done(page, "Assessment of need")
    _move(page, "Assessment done: prepare the application", day)
    assert axe_violations(page) == []

    # The home improvement agency's technical officer prices the works from two quotes.
    _sign_in(page, live_server, "tech")
    _open_case_from_worklist(page, live_server, adaptation)
    page.get_by_role("link", name="Schedule of works, quotes and contractor").click()
    page.get_by_text("Add an item or a fee").click()
    page.get_by_label("Kind").select_option(label="Fee: survey")
    page.get_by_label("Item").fill("Technical survey")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Price each (£)").fill("350.00")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("cell", name="Technical survey").wait_for()
    for contractor, amount in (("Stairways Ltd", "4650.00"), ("Acme Lifts", "4200.00")):
        page.get_by_text("Record a quote").click()
        page.get_by_label("Contractor").fill(contractor)
        page.get_by_label("Quote for the works (£)").fill(amount)
        page.get_by_label("Date the quote was received").fill(day)
        page.get_by_role("button", name="Record the quote").click()
        page.get_by_role("cell", name=contractor, exact=True).wait_for()
    assert "£450.00 more than the cheapest" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Choose Acme Lifts").click()
    page.get_by_text("£4,550.00").first.wait_for()  # approved cost: the chosen quote plus the survey fee
    page.get_by_role("link", name="Back to the case").click()
    _mark_done(page, "Technical survey and schedule of works")

    # The district's grants officer: the priced schedule is offered, not typed again; then approval.
    _sign_in(page, live_server, "grants")
    _open_case_from_worklist(page, live_server, adaptation)
    _move(page, "Application submitted", day)
    page.get_by_role("link", name="Work out the grant").click()
    cost = page.get_by_label("Cost of the eligible works (£)")
    assert cost.input_value() == "4550.00"
    cost.fill("42000.00")
    page.get_by_label("Applicant's contribution (£)").fill("0")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("above the DFG maximum").first.wait_for()
    assert cost.input_value() == "42000.00"  # refused, what was typed is kept
    assert axe_violations(page) == []
    cost.fill("4550.00")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Grant worked out and recorded").wait_for()
    page.get_by_role("link", name="Approve the grant").click()
    page.get_by_label("Date of approval").fill(day)
    page.get_by_label("Date the application was valid and complete").fill(day)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve the grant").click()
    page.get_by_text("The works should be completed by").wait_for()
    _mark_done(page, "Approval")
    page.get_by_role("link", name="Works completed").click()
    page.get_by_label("Date the works were completed").fill(day)
    page.get_by_role("button", name="Works completed").click()
    page.get_by_text("Hospital to Home blocker resolved").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "adaptations-case")

    adaptation.refresh_from_db()
    assert (adaptation.grant, adaptation.status) == (4550, "sign_off")
    done = {t.kind: (t.organisation.name, t.done_by.username) for t in TeamTask.objects.all()}
    assert done == {
        "assessment": (county.name, "ot"),
        "survey": (hia.name, "tech"),
        "approval": (district.name, "grants"),
    }
    events = {e.title: e.organisation.name for e in adaptation.events.all()}
    assert events["Contractor chosen"] == hia.name and events["Grant worked out"] == district.name
    assert Blocker.objects.get(pk=blocker.pk).resolved_on == today

    # The hospital side: the ward sees the blocker resolved by the works; the housing officer sees the case.
    _sign_in(page, live_server, "nurse")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_text(f"Adaptation works completed ({adaptation.reference})").first.wait_for()
    assert axe_violations(page) == []
    _sign_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/discharge/cases/{case.pk}/")
    page.get_by_text(f"Adaptations {adaptation.reference}").wait_for()
    assert re.search(r"Adaptations ADP-\d+</a>: Sign-off and payment", page.content())

    phone = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    _sign_in(phone, live_server, "officer")
    phone.goto(f"{live_server.url}/adaptations/cases/{adaptation.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    screenshot(phone, "adaptations-case-phone")
    phone.goto(f"{live_server.url}/adaptations/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.context.close()
