"""In a real browser: a team lead runs linkage; a hospital patient without an NHS number is found to be a
landlord's tenant, and the housing officer sees the alert; a reviewer resolves an uncertain pair with the
explanation in front of them. Every page checked with axe, at desktop width and on a phone."""

from __future__ import annotations

import pytest

from homeward.linkage.codes import PairStatus
from homeward.linkage.models import LinkPair, TenantInHospitalAlert
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.jobs.helpers import run_jobs_at_once
from tests.linkage.conftest import make_linked_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_linkage_finds_a_tenant_in_hospital_and_a_reviewer_resolves_a_pair(
    browser, live_server, settings, monkeypatch
):
    linked_world = make_linked_world()
    run_jobs_at_once(settings, monkeypatch)
    for patient in linked_world["patients"][:3]:  # the three in hospital
        patient.nhs_number = ""  # the hospital has no NHS number for them; the landlord never had one
        patient.save()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(30000)
    _sign_in(page, live_server, linked_world["trust_lead"].user.username)
    page.goto(f"{live_server.url}/linkage/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=linked_world["agreement"].reference).click()
    page.get_by_role("button", name="Run linkage now").click()
    page.get_by_role("link", name="Open the review queue").wait_for()
    alert = TenantInHospitalAlert.objects.select_related("tenant").first()
    assert alert is not None and alert.patient.nhs_number == ""
    tenant = alert.tenant

    _sign_in(page, live_server, linked_world["landlord_officer"].user.username)
    page.get_by_text("Tenants in hospital (new)").wait_for()
    page.goto(f"{live_server.url}/linkage/alerts/")
    page.get_by_role("link", name=f"{tenant.family_name.upper()}, {tenant.given_name}").wait_for()
    page.get_by_text("Linkage General").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "linkage-tenants-in-hospital")

    _sign_in(page, live_server, linked_world["landlord_lead"].user.username)
    page.goto(f"{live_server.url}/linkage/review/")
    assert axe_violations(page) == []
    first = LinkPair.objects.filter(status=PairStatus.REVIEW).order_by("-match_probability", "pk").first()
    page.locator(f'a[href="/linkage/pairs/{first.pk}/"]').click()
    page.get_by_role("heading", name="Why the model scored it so").wait_for()
    page.get_by_text("Date of birth:").first.wait_for()
    page.locator("#chart-waterfall canvas, #chart-waterfall svg").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "linkage-pair-review")
    page.get_by_label("The same person: link them").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Recorded: confirmed: the same person").wait_for()
    first.refresh_from_db()
    assert first.status == PairStatus.CONFIRMED
    page.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    small = phone.new_page()
    small.set_default_timeout(30000)
    _sign_in(small, live_server, linked_world["landlord_lead"].user.username)
    small.goto(f"{live_server.url}/linkage/review/")
    waiting = LinkPair.objects.filter(status=PairStatus.REVIEW).order_by("-match_probability", "pk").first()
    small.goto(f"{live_server.url}/linkage/pairs/{waiting.pk}/")
    small.get_by_role("heading", name="Are these the same person?").wait_for()
    assert axe_violations(small) == []
    screenshot(small, "linkage-pair-review-phone")
    phone.close()
