"""Menus show only what the role can open; the superuser lands somewhere useful; the person page links to
the open Hospital to Home case instead of offering a second referral."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from homeward.core.roles import Role
from tests.factories import OrganisationFactory, UserFactory, make_actor

pytestmark = pytest.mark.django_db

NAV = re.compile(r'class="nhsuk-(?:header__navigation-link|tabs__tab)" href="([^"]+)"')


@pytest.mark.parametrize("role", Role.values)
def test_every_menu_link_and_tab_a_role_sees_opens(client, role):
    actor = make_actor(role, OrganisationFactory())
    client.force_login(actor.user)
    home = client.get("/").content.decode()
    links = set(NAV.findall(home))
    if any(link.startswith("/prevention/") for link in links):
        links |= set(NAV.findall(client.get("/prevention/evaluation/").content.decode()))
    failures = {link: client.get(link).status_code for link in sorted(links)}
    assert all(status == 200 for status in failures.values()), failures


def test_the_trigger_rules_tab_is_only_for_leads(client):
    for role, shown in ((Role.CASEWORKER, False), (Role.TEAM_LEAD, True), (Role.ANALYST, False)):
        client.force_login(make_actor(role, OrganisationFactory()).user)
        page = client.get("/prevention/evaluation/").content.decode()
        assert ("Trigger rules" in page) is shown, role


def test_a_superuser_lands_on_a_page_with_sign_out_and_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/admin/"' in page and "Sign out" in page


def test_someone_without_a_membership_can_still_sign_out(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403 and "Sign out" in response.content.decode()


def test_home_shows_what_needs_me_today_with_counts_linking_to_the_worklist(client):
    import datetime as dt

    from django.utils import timezone

    from homeward.core.models import Hospital, OrganisationKind
    from homeward.discharge import services
    from homeward.discharge.models import Blocker
    from tests.factories import AgreementFactory, PersonFactory

    trust = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
    homes = OrganisationFactory(kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, homes])
    hospital = Hospital.objects.create(organisation=trust, name="General")
    clinician = make_actor(Role.CLINICIAN, trust)
    officer = make_actor(Role.CASEWORKER, homes)
    today = timezone.localdate()
    for days in (3, 5):
        case = services.refer_patient(
            actor=clinician,
            person_id=PersonFactory(organisation=trust).pk,
            housing_organisation_id=homes.pk,
            hospital_id=hospital.pk,
            admitted_on=today - dt.timedelta(days=10),
            discharge_ready_on=today - dt.timedelta(days=days),
            referral_reason="Stairs",
        )
        services.assign_case(actor=officer, case_id=case.pk, user_id=officer.user.pk)
        Blocker.objects.create(
            case=case,
            category="transport",
            description="x",
            owner_organisation=homes,
            raised_on=today - dt.timedelta(days=3),
            due_on=today - dt.timedelta(days=1),
        )
    client.force_login(officer.user)
    page = client.get("/").content.decode()
    assert "What needs you today" in page
    assert re.search(
        r">2</p>\s*<h3[^>]*><a class=\"nhsuk-card__link\" href=\"/discharge/\?view=mine\">", page
    )
    assert 'href="/discharge/?view=ready">Discharge-ready patients still waiting' in page
    # A count of work waiting is a card; what has nothing waiting is one line of links (not a phone's
    # screen of zero cards).
    context = client.get("/").context
    assert context["waiting"] and context["clear"]
    clear_line = page[page.index('class="nhsuk-body-s hw-today__clear"') :].split("</p>", 1)[0]
    cards = page[page.index('class="nhsuk-grid-row nhsuk-card-group hw-today"') :].split("</ul>", 1)[0]
    assert clear_line.startswith('class="nhsuk-body-s hw-today__clear">Nothing waiting in: ')
    for item in context["clear"]:
        label = escape(item.label)
        assert f'<a href="{item.url}">{label}</a> (0)' in clear_line and label not in cards
    for item in context["waiting"]:
        label = escape(item.label)
        assert f'href="{item.url}">{label}</a>' in cards and label not in clear_line
    worklist = client.get("/discharge/")
    assert worklist.context["view"] == "mine"
