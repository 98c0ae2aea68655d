"""The support case page's forms (a contact, a goal, a discharge …) show the page again on bad input (400)
with the NHS.UK error summary naming the field and what was typed; they used to redirect and lose it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.support import services
from homeward.support.models import Contact, Goal, SupportCase
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_and_worker():
    links = OrganisationFactory(name="Community Links", kind=OrganisationKind.VOLUNTARY_SECTOR)
    worker = make_actor(Role.CASEWORKER, links)
    case = services.open_case(
        actor=worker,
        person_id=PersonFactory(organisation=links).pk,
        route="gp",
        referred_on=timezone.localdate() - dt.timedelta(days=30),
        worker_id=worker.user.pk,
    )
    return case, worker


def test_a_refused_contact_keeps_the_note_and_names_the_minutes(client, case_and_worker):
    case, worker = case_and_worker
    client.force_login(worker.user)
    note = "Talked about the garden group & the bus pass"
    response = client.post(
        f"/support/{case.pk}/contacts/",
        {
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "method": "phone",
            "minutes": "9000",
            "note": note,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_minutes"' in page
    assert "Enter how long it took, from 1 to 600 minutes" in page
    assert "Talked about the garden group &amp; the bus pass</textarea>" in page
    assert 'value="9000"' in page
    assert not Contact.objects.filter(case=case).exists()


def test_a_refused_goal_and_discharge_keep_what_was_typed(client, case_and_worker):
    case, worker = case_and_worker
    client.force_login(worker.user)
    goal = "Walk to the shops " + "x" * 500
    response = client.post(f"/support/{case.pk}/goals/", {"description": goal})
    assert response.status_code == 400
    assert (
        f'value="{goal}"' in response.content.decode()
        and 'href="#id_description"' in response.content.decode()
    )
    assert not Goal.objects.filter(case=case).exists()

    tomorrow = (timezone.localdate() + dt.timedelta(days=400)).strftime("%d/%m/%Y")
    response = client.post(
        f"/support/{case.pk}/discharge/",
        {"reason": "goals_met", "discharged_on": tomorrow, "note": "Doing well"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#id_discharged_on"' in page
    assert "Doing well</textarea>" in page
    assert '<details class="nhsuk-details" open>' in page  # the discharge form is shown open
    assert SupportCase.objects.get(pk=case.pk).discharged_on is None

    done = client.post(f"/support/{case.pk}/goals/", {"description": "Walk to the shops"})
    assert done.status_code == 302 and Goal.objects.filter(case=case).count() == 1
