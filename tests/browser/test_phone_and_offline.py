"""Phones and offline wards: at 390 px no page is wider than the screen, and no page asks for anything from
outside Homeward (fonts included)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind, Ward
from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.models import Blocker
from homeward.governance.access import Actor
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGES = {
    "lead": ["/", "/discharge/", "/discharge/dashboard/", "/outcomes/kpis/", "/contracts/", "/people/"],
    "ig": ["/audit/"],
    "admin": ["/manage/users/", "/outcomes/unit-costs/"],
}


def _world():
    trust = OrganisationFactory(
        name="Northgate Hospitals NHS Foundation Trust", kind=OrganisationKind.NHS_TRUST
    )
    homes = OrganisationFactory(
        name="Riverside Homes and Communities", kind=OrganisationKind.HOUSING_PROVIDER
    )
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General Infirmary")
    ward = Ward.objects.create(hospital=hospital, name="Ward 7 – Elderly care", beds=28)
    nurse = MembershipFactory(organisation=trust, role=Role.CLINICIAN, user=UserFactory(username="nurse"))
    MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    MembershipFactory(organisation=trust, role=Role.IG_OFFICER, user=UserFactory(username="ig"))
    MembershipFactory(organisation=homes, role=Role.ADMIN, user=UserFactory(username="admin"))
    clinician = Actor(user=nurse.user, membership=nurse)
    today = timezone.localdate()
    for i in range(6):
        person = PersonFactory(organisation=trust, family_name="Featherstonehaugh-Montgomery")
        case = services.refer_patient(
            actor=clinician,
            person_id=person.pk,
            housing_organisation_id=homes.pk,
            hospital_id=hospital.pk,
            ward_id=ward.pk,
            admitted_on=today - dt.timedelta(days=10 + i),
            discharge_ready_on=today - dt.timedelta(days=i),
            referral_reason="Lives alone " + "up two flights of stairs " * 20 + "x" * 300,
        )
        Blocker.objects.create(
            case=case,
            category="home_unsuitable",
            description="Needs a stairlift" + "z" * 200,
            owner_organisation=homes,
            raised_on=today - dt.timedelta(days=5),
            due_on=today - dt.timedelta(days=1),
        )


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/account/sign-in/", timeout=90_000)  # the first page on a busy machine
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Homeward").wait_for()


def test_at_390_px_no_page_is_wider_than_the_phone_and_nothing_comes_from_outside(browser, live_server):
    _world()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    ours = urlparse(live_server.url).netloc
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).scheme in ("http", "https") and urlparse(request.url).netloc != ours
            else None
        ),
    )
    too_wide = {}
    header_heights = {}
    try:
        for username, paths in PAGES.items():
            _sign_in(page, live_server, username)
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, path
                page.wait_for_load_state("networkidle")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide[path] = width
                header_heights[path] = page.evaluate("document.querySelector('header').offsetHeight")
    except Exception:
        print("Requests outside:", outside)
        raise
    finally:
        context.close()
    assert not too_wide, f"Pages wider than {PHONE['width']} px: {too_wide}"
    assert not outside, f"Requests to hosts other than Homeward: {sorted(set(outside))}"
    # A compact header: the first screen is for the work, not the menu.
    assert max(header_heights.values()) <= PHONE["height"] / 4, header_heights
