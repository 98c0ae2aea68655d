"""Supported housing in the browser: a Hospital to Home patient discharged to supported housing is referred
to the hostel, checked, offered a room and arrives; the key worker agrees a plan goal, records a session and
ONS4, reviews the plan and records a planned move-on, and the 3-month follow-up appears. On a phone, an older
person's "stay or move?" conversation chooses to adapt the home and opens the adaptations case. axe finds no
serious or critical violations, and the pages fit a 390 px screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor
from homeward.housing import schemes
from homeward.housing.models import Placement
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
RISKS = "Risks to the person and to others, and how they will be managed (optional)"
TOPICS = [
    "Space and layout",
    "Getting around the home (stairs, steps, bathroom)",
    "Warmth and running costs",
    "Repairs and upkeep",
    "Feeling safe and secure",
    "Where it is, and getting out",
    "Care and support",
    "Company and loneliness",
]


def _day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def _step(page, link: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
    page.get_by_role("link", name=link).click()
    for label, value in (selects or {}).items():
        page.get_by_label(label, exact=True).select_option(value)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"{link}: saved").wait_for()


def test_a_hospital_patient_moves_into_the_hostel_and_moves_on_in_a_planned_way(page, browser, live_server):
    today = timezone.localdate()
    trust = OrganisationFactory(name="Northgate Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    provider = OrganisationFactory(name="Harbour Housing", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, provider])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    worker = MembershipFactory(
        organisation=provider,
        role=Role.CASEWORKER,
        user=UserFactory(username="keyworker", first_name="Sam", last_name="Key"),
    )
    patient = PersonFactory(
        organisation=trust, given_name="Dean", family_name="Marsh", address_line_1="No fixed abode"
    )
    case = discharge.refer_patient(
        actor=Actor(nurse.user, nurse),
        person_id=patient.pk,
        housing_organisation_id=provider.pk,
        hospital_id=hospital.pk,
        admitted_on=today - dt.timedelta(days=50),
        discharge_ready_on=today - dt.timedelta(days=45),
        referral_reason="Sleeping rough before admission; nowhere to go",
    )
    # The ward discharged him to supported housing (the discharge journey is tested in its own module).
    DischargeCase.objects.filter(pk=case.pk).update(
        status="discharged", discharged_on=today - dt.timedelta(days=30), destination="supported"
    )
    actor = Actor(worker.user, worker)
    hostel = schemes.create_scheme(
        actor=actor, name="Harbour House", scheme_type="hostel", staffing="24_7", contracted_units=2
    )
    for name in ("Room 1", "Room 2"):
        schemes.add_unit(
            actor=actor, scheme_id=hostel.pk, name=name, in_use_from=today - dt.timedelta(days=90)
        )

    _sign_in(page, live_server, "keyworker")
    page.goto(f"{live_server.url}/housing/refer/{patient.pk}/?source=hospital&discharge_case={case.pk}")
    page.get_by_label("What does the person need from the scheme?").fill(
        "Leaving hospital; needs a home and support"
    )
    page.get_by_label("Date of the referral").fill(_day(40))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record the referral").click()
    page.get_by_text(f"continues Hospital to Home case {case.pk}").wait_for()
    placement = Placement.objects.get()
    _step(
        page,
        "Eligibility and risk check",
        {
            "Date of the check": _day(39),
            RISKS: "Alcohol; no violence on record",
        },
        {"Is the person eligible?": "yes", "Risk level (optional)": "medium"},
    )
    _step(page, "Offer a unit", {"Date of the offer": _day(35)}, {"Unit": "Room 1"})
    _step(page, "Record the answer to the offer", {"Date of the answer": _day(35)}, {"Answer": "yes"})
    _step(
        page,
        "Record the arrival",
        {"Arrival date": _day(30)},
        {"Licence or tenancy": "licence", "Key worker (optional)": str(worker.user_id)},
    )
    page.get_by_text(
        "Due by"
    ).first.wait_for()  # the needs and risk assessment and the support plan, not yet done
    domains = [
        "Economic wellbeing",
        "Enjoy and achieve",
        "Be healthy",
        "Stay safe",
        "Make a positive contribution",
    ]
    _step(
        page,
        "Needs and risk assessment",
        {
            "Date of the assessment": _day(28),
            "Be healthy: what support, in the resident's words (optional)": "See the community alcohol team",
        },
        {f"{d}: support needed": ("high" if d == "Be healthy" else "none") for d in domains},
    )
    page.get_by_text("See the community alcohol team").first.wait_for()
    _step(
        page,
        "Add a support plan goal",
        {
            "The goal, in the resident's words": "Cut down drinking",
            "Date agreed (optional)": _day(25),
        },
        {"Area": "substance_misuse"},
    )
    page.get_by_role("link", name="Record a key-work session").click()
    page.get_by_label("Date of the session").fill(_day(20))
    page.get_by_label("Length in minutes").fill("45")
    page.get_by_label("Drugs and alcohol").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Record a key-work session: saved").wait_for()
    _step(
        page,
        "Record personal wellbeing (ONS4)",
        {
            "Date": _day(30),
            "Overall, how satisfied are you with your life nowadays? (0-10)": "3",
            "Overall, to what extent do you feel the things you do in your life are worthwhile? (0-10)": "4",
            "Overall, how happy did you feel yesterday? (0-10)": "3",
            "Overall, how anxious did you feel yesterday? (0-10)": "8",
        },
        {"When": "baseline"},
    )
    _step(
        page,
        "Review the support plan",
        {
            "Date of the review": _day(5),
            "What the review found": "Drinking down; volunteering twice a week",
            "Move-on plan (optional)": "Bid for a one-bedroom council flat",
            "Date of the next review": (today + dt.timedelta(days=60)).strftime("%d/%m/%Y"),
        },
        {"Ready to move on?": "ready"},
    )
    _step(
        page,
        "Record the departure",
        {"Date the resident left": _day(0)},
        {"How did the stay end?": "planned", "Where did they go?": "independent_tenancy"},
    )
    page.get_by_role("heading", name="Resettlement follow-ups").wait_for()
    assert "3 months, due" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "housing-placement")
    placement.refresh_from_db()
    assert (placement.status, placement.departure_reason, placement.discharge_case_id) == (
        "moved_on",
        "planned",
        case.pk,
    )
    page.goto(f"{live_server.url}/housing/schemes/{hostel.pk}/")
    assert axe_violations(page) == []
    screenshot(page, "housing-scheme")

    older = PersonFactory(
        organisation=provider, given_name="Iris", family_name="Bell", address_line_1="3 Elm Row"
    )
    phone = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    _sign_in(phone, live_server, "keyworker")
    phone.goto(f"{live_server.url}/housing/placements/{placement.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "housing-placement-phone")
    phone.goto(f"{live_server.url}/housing/options/new/{older.pk}/")
    phone.get_by_label("Date of the conversation").fill(_day(0))
    for n, topic in enumerate(TOPICS):
        phone.get_by_label(topic, exact=True).select_option("4" if n == 1 else "1")
    phone.get_by_label("What matters most to the person, in their words").fill("Staying near my daughter")
    phone.get_by_label("What matters most to the person: first").select_option(label=TOPICS[1])
    phone.get_by_label("Adapt the home (adaptations case)").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Record the conversation").click()
    phone.get_by_text("(ranked 1 by the person)").first.wait_for()
    conversation_url = phone.url
    # A self-service link, opened without signing in at phone width: the person's first name and the topics.
    phone.get_by_role("link", name="Send a link to answer on their phone").click()
    phone.get_by_role("button", name="Make the link").click()
    link = phone.get_by_label("The link").input_value()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    anonymous = browser.new_context(viewport=PHONE, locale="en-GB").new_page()
    anonymous.goto(link)
    anonymous.get_by_role("heading", name="Hello Iris: how does your home work for you?").wait_for()
    assert "Bell" not in anonymous.content()
    assert anonymous.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(anonymous) == []
    anonymous.context.close()
    phone.goto(conversation_url)
    phone.get_by_role("link", name="Record the decision").click()
    phone.get_by_label("What did the person decide?").select_option("adapt")
    phone.get_by_label("Date of the decision").fill(_day(0))
    phone.get_by_label("Tenure (to adapt the home) (optional)").select_option("council_tenant")
    phone.get_by_label("What adaptation does the person need? (optional)").fill("Stair-lift")
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("adaptations case ADP-").first.wait_for()
    adaptation = AdaptationCase.objects.get()
    assert phone.url.endswith(f"/adaptations/cases/{adaptation.pk}/")
    assert adaptation.person == older
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    screenshot(phone, "housing-options-phone")
    phone.context.close()
