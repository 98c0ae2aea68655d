"""In a real browser, the social prescribing loop: a GP refers to the link workers; a link worker accepts,
takes the person on, records wellbeing before and after, and refers on to a service in the directory; the
service accepts and completes; the link worker sees that outcome, discharges, and the GP sees theirs."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.referrals.models import DirectoryOrganisation, Referral, Service
from homeward.support.models import SupportCase
from homeward.support.wellbeing import SWEMWBS
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


def _service(org, name):
    provider = DirectoryOrganisation.objects.create(name=org.name, organisation=org)
    return Service.objects.create(
        id=uuid.uuid4(), name=name, organisation=provider, accepts_referrals=True, search_text=name.lower()
    )


def _answer(page, each: int, day: dt.date) -> None:
    for item in SWEMWBS.items:
        page.get_by_label(item.text).select_option(str(each))
    page.get_by_label("Date completed").fill(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save answers").click()


def test_gp_to_link_worker_to_directory_service_and_back(page, live_server):
    gp = OrganisationFactory(name="Millbrook Medical Practice", kind=OrganisationKind.GP_PRACTICE)
    links = OrganisationFactory(name="Community Links", kind=OrganisationKind.VOLUNTARY_SECTOR)
    council = OrganisationFactory(name="Northgate Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    AgreementFactory(parties=[gp, links])
    AgreementFactory(parties=[links, council])
    sp = _service(links, "Social prescribing link workers")
    _service(council, "Council tax debt advice")
    MembershipFactory(organisation=gp, role=Role.CLINICIAN, user=UserFactory(username="doctor"))
    MembershipFactory(organisation=links, role=Role.CASEWORKER, user=UserFactory(username="linkworker"))
    MembershipFactory(organisation=council, role=Role.PARTNER, user=UserFactory(username="adviser"))
    patient = PersonFactory(organisation=gp, given_name="Edith", family_name="Marsh")
    today = timezone.localdate()

    # The GP refers to social prescribing from the directory.
    _sign_in(page, live_server, "doctor")
    page.goto(f"{live_server.url}/referrals/directory/{sp.pk}/?person={patient.pk}")
    page.get_by_role("link", name="Refer to this service").click()
    page.get_by_label("What does the person need from the service?").fill("Lonely since moving; low mood")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("Referral REF-").wait_for()
    referral = Referral.objects.get()
    # It was sent two months ago (so that "after" can come later than "before" in one test).
    # Midday, local time, 60 days ago: "now - 60 days" falls on the next local day between 23:00 and 24:00
    # UTC in winter (the date 60 days back was in British Summer Time).
    sent = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=60), dt.time(12)))
    Referral.objects.filter(pk=referral.pk).update(requested_at=sent)

    # The link worker accepts, takes her on, and records a first contact.
    _sign_in(page, live_server, "linkworker")
    page.goto(f"{live_server.url}/referrals/")
    page.get_by_role("link", name="MARSH, Edith").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Referral is now accepted").wait_for()
    page.get_by_role("button", name="Take on to my caseload").click()
    page.get_by_text("is on your caseload").wait_for()
    case = SupportCase.objects.get()
    assert case.route == "gp" and case.referred_on == today - dt.timedelta(days=60)
    contact = page.locator("form[action$='/contacts/']")
    contact.get_by_label("Date").fill((today - dt.timedelta(days=58)).strftime("%d/%m/%Y"))
    contact.get_by_role("button", name="Record contact").click()
    page.get_by_text("Contact recorded").wait_for()
    assert axe_violations(page) == []

    # Wellbeing before (a wrong answer first: the page says which question) and after.
    page.get_by_role("link", name="Record SWEMWBS").click()
    page.get_by_label(SWEMWBS.items[0].text).select_option("2")
    page.get_by_role("button", name="Save answers").click()
    page.get_by_text(f"Answer '{SWEMWBS.items[1].text}'").first.wait_for()
    assert axe_violations(page) == []
    _answer(page, 2, today - dt.timedelta(days=58))
    page.get_by_text("before support (baseline) recorded, score 15.32").wait_for()
    page.get_by_role("link", name="Record SWEMWBS").click()
    _answer(page, 4, today)
    page.get_by_text("after support (follow-up) recorded, score 25.03").wait_for()
    page.locator("#wellbeing-table").get_by_text("Better").wait_for()

    # She is referred on to a service found in the directory.
    page.get_by_role("link", name="Find a service").click()
    page.get_by_role("link", name="Council tax debt advice").click()
    page.get_by_role("link", name="Refer to this service").click()
    page.get_by_label("What does the person need from the service?").fill("Council tax arrears, £900")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referred on").wait_for()
    onward = Referral.objects.exclude(pk=referral.pk).get()
    assert (onward.source_type, onward.source_id) == ("support.case", case.pk)

    # The council's adviser accepts and completes it.
    _sign_in(page, live_server, "adviser")
    page.goto(f"{live_server.url}/referrals/{onward.pk}/")
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Referral is now accepted").wait_for()
    complete = page.get_by_role("group", name="Complete with outcome")
    complete.get_by_label("What came of it?").select_option("need_met")
    complete.get_by_label("Note for the referrer (optional)").fill("Payment plan of £25 a month")
    complete.get_by_role("button", name="Complete with outcome").click()
    page.get_by_text("Referral is now completed").wait_for()

    # The link worker sees that outcome on the case, and discharges her.
    _sign_in(page, live_server, "linkworker")
    page.goto(f"{live_server.url}/support/{case.pk}/")
    page.get_by_text("Need met: Payment plan of £25 a month").wait_for()
    page.get_by_text("Discharge from the caseload").click()
    discharge = page.locator("form[action$='/discharge/']")
    discharge.get_by_label("Why").select_option("goals_met")
    discharge.get_by_label("Note for the referrer (optional)").fill("Goes to the Tuesday lunch club")
    discharge.get_by_role("button", name="Discharge").click()
    page.get_by_text("discharged: goals met").wait_for()
    screenshot(page, "social-prescribing-case")
    page.goto(f"{live_server.url}/support/dashboard/")
    page.locator("#wellbeing-change").get_by_text("SWEMWBS metric score").wait_for()
    assert axe_violations(page) == []

    # The GP sees what came of the referral.
    _sign_in(page, live_server, "doctor")
    page.goto(f"{live_server.url}/referrals/{referral.pk}/")
    outcome = page.locator(".nhsuk-summary-list__row", has_text="Outcome")
    outcome.get_by_text("Goes to the Tuesday lunch club").wait_for()
    assert outcome.get_by_text("Need met", exact=True).is_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "need_met")
