"""Headline KPIs in a real browser: a commissioner's home page and the KPI page's charts, on a desktop and a
390 px phone, axe-clean, no wider than the screen, no console error (the charts draw under the CSP)."""

from __future__ import annotations

import pytest

from homeward.core.models import Membership, OrganisationKind
from homeward.core.roles import Role
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_phone_and_offline import _sign_in, _world
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commissioners_headlines_and_the_kpi_charts_on_a_desktop_and_a_phone(browser, live_server):
    _world()
    trust = Membership.objects.get(user__username="nurse").organisation
    icb = OrganisationFactory(name="Northgate Integrated Care Board", kind=OrganisationKind.ICB)
    AgreementFactory(parties=[icb, trust])
    MembershipFactory(
        organisation=icb,
        role=Role.COMMISSIONER,
        user=UserFactory(username="commissioner", first_name="Fiona", last_name="Reid"),
    )
    for width, suffix in ((1280, ""), (390, "-phone")):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _sign_in(page, live_server, "commissioner")
        page.get_by_role("heading", name="Headline KPIs").wait_for()
        main = page.inner_text("main")
        assert "Homeward holds no targets for these KPIs" in main
        assert "Bed-days lost per discharged patient (mean)" in main
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"home-commissioner{suffix}")
        page.goto(f"{live_server.url}/outcomes/kpis/")
        page.locator("#chart-referrals canvas").wait_for()  # vega-embed drew the chart
        assert "95% interval: " in page.inner_text("main")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"kpis-headlines{suffix}")
        assert errors == []
        context.close()
