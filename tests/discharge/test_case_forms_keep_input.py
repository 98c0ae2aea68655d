"""The case page's own forms (the housing and welfare screen, assign, and the moves that record dates:
discharge-ready and discharged) show the case page again on bad input, with the NHS.UK error summary naming
the field and what was typed or chosen still there; nothing is written. They used to redirect with a
flashed message and lose the input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.codes import CaseStatus
from homeward.discharge.models import DischargeCase, Screen
from tests.factories import OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db


def _at(world, *steps):
    case = world.refer()
    for step in steps:
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=step)
    return case


def test_a_refused_screen_keeps_the_ticks_and_the_notes(client, world):
    case = _at(world, CaseStatus.SCREENING)
    client.force_login(world.officer.user)
    notes = "Rent arrears of about £900; lives alone; " + "n" * 4000  # over the 4,000-character limit
    response = client.post(
        f"/discharge/cases/{case.pk}/screen/",
        {"items": ["finance", "isolation"], "landlord": "Riverside Homes", "notes": notes},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#screen-notes"' in page
    assert "Ensure this value has at most 4000 characters" in page
    assert notes in page and 'value="Riverside Homes"' in page
    assert 'value="finance"' in page
    ticked = [line for line in page.splitlines() if 'name="items"' in line and "checked" in line]
    assert {'value="finance"' in t or 'value="isolation"' in t for t in ticked} == {True}
    assert len(ticked) == 2
    assert not Screen.objects.filter(case=case).exists()  # nothing written

    unknown = client.post(f"/discharge/cases/{case.pk}/screen/", {"items": ["ghosts"], "notes": "x"})
    assert unknown.status_code == 400 and 'href="#screen-items"' in unknown.content.decode()

    saved = client.post(f"/discharge/cases/{case.pk}/screen/", {"items": ["finance"], "notes": "ok"})
    assert saved.status_code == 302
    assert Screen.objects.get(case=case).items == ["finance"]


def test_a_refused_assignment_names_the_field_and_changes_nothing(client, world):
    case = _at(world, CaseStatus.SCREENING)
    stranger = make_actor(Role.CASEWORKER, OrganisationFactory(name="Elsewhere Homes"))
    client.force_login(world.officer.user)
    response = client.post(f"/discharge/cases/{case.pk}/assign/", {"user_id": str(stranger.user.pk)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#assign-user_id"' in page
    assert "Assign to: Choose someone from the list" in page
    assert DischargeCase.objects.get(pk=case.pk).assigned_to_id is None

    assert client.post(f"/discharge/cases/{case.pk}/assign/", {"user_id": "abc"}).status_code == 400
    done = client.post(f"/discharge/cases/{case.pk}/assign/", {"user_id": str(world.officer.user.pk)})
    assert done.status_code == 302
    assert DischargeCase.objects.get(pk=case.pk).assigned_to_id == world.officer.user.pk


def test_a_refused_discharge_keeps_the_date_and_destination_typed(client, world):
    case = _at(world, CaseStatus.SCREENING, CaseStatus.ACTIVE)
    services.transition_case(
        actor=world.officer,
        case_id=case.pk,
        to_status=CaseStatus.READY,
        discharge_ready_on=timezone.localdate() - dt.timedelta(days=2),
    )
    client.force_login(world.officer.user)
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(
        f"/discharge/cases/{case.pk}/move/",
        {"to_status": "discharged", "discharged_on": future, "destination": "usual_home"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#discharged_on"' in page and "Discharge date cannot be in the future" in page
    assert f'value="{future}"' in page
    assert '<option value="usual_home" selected>' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.READY and case.discharged_on is None

    no_destination = client.post(
        f"/discharge/cases/{case.pk}/move/",
        {"to_status": "discharged", "discharged_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert no_destination.status_code == 400
    assert "Choose where the patient went" in no_destination.content.decode()


def test_a_refused_discharge_ready_date_is_shown_again(client, world):
    case = _at(world, CaseStatus.SCREENING, CaseStatus.ACTIVE)
    client.force_login(world.officer.user)
    response = client.post(
        f"/discharge/cases/{case.pk}/move/", {"to_status": "ready", "discharge_ready_on": "31/02/2026"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#discharge_ready_on"' in page and 'value="31/02/2026"' in page
    assert DischargeCase.objects.get(pk=case.pk).status == CaseStatus.ACTIVE
