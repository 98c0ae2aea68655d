"""The home page's "What needs you today" for three roles, in a real browser (screenshots for the docs)."""

from __future__ import annotations

import pytest

from homeward.core.models import Membership, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_phone_and_offline import _sign_in, _world
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_needs_me_today_for_an_officer_a_lead_and_a_clinician(page, live_server):
    _world()
    homes = Membership.objects.get(user__username="lead").organisation
    officer = MembershipFactory(
        organisation=homes,
        role=Role.CASEWORKER,
        user=UserFactory(username="officer", first_name="Olu", last_name="Adeyemi"),
    )
    DischargeCase.objects.filter(pk__in=DischargeCase.objects.values("pk")[:4]).update(
        assigned_to=officer.user
    )
    assert homes.kind == OrganisationKind.HOUSING_PROVIDER
    for username, expected in (
        ("officer", "My cases with an overdue blocker"),
        ("lead", "Escalated blockers"),
        ("nurse", "Discharge-ready patients still waiting"),
    ):
        _sign_in(page, live_server, username)
        page.get_by_role("heading", name="What needs you today").wait_for()
        assert expected in page.inner_text("main")
        assert axe_violations(page) == []
        screenshot(page, f"home-today-{username}")
    _sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/outcomes/kpis/")
    screenshot(page, "kpis")
