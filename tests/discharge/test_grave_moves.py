"""Grave moves (died, cancelled, closed): a confirmation step with the facts, human wording, nothing
offered forward afterwards, and a correction route for an IG officer or a team lead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.codes import CaseStatus
from homeward.discharge.models import DischargeCase
from tests.factories import make_actor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _d(days: int) -> str:
    return (TODAY() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def _ready(world) -> DischargeCase:
    case = world.refer()
    for step in (CaseStatus.SCREENING, CaseStatus.ACTIVE, CaseStatus.READY):
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=step)
    case.refresh_from_db()
    return case


def test_died_needs_a_date_of_death_that_is_not_in_the_future(world):
    case = _ready(world)
    with pytest.raises(ValidationFailed) as missing:
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=CaseStatus.DIED)
    assert "died_on" in missing.value.errors
    with pytest.raises(ValidationFailed) as future:
        services.transition_case(
            actor=world.officer, case_id=case.pk, to_status=CaseStatus.DIED, died_on=TODAY() + dt.timedelta(1)
        )
    assert "future" in future.value.errors["died_on"]
    case.refresh_from_db()
    assert case.status == CaseStatus.READY and case.died_on is None


def test_cancelled_needs_a_reason(world):
    case = world.refer()
    with pytest.raises(ValidationFailed) as refused:
        services.transition_case(actor=world.officer, case_id=case.pk, to_status=CaseStatus.CANCELLED)
    assert "note" in refused.value.errors


def test_one_click_on_died_only_asks_for_confirmation(client, world):
    case = _ready(world)
    client.force_login(world.officer.user)
    response = client.post(f"/discharge/cases/{case.pk}/move/", {"to_status": "died"})
    assert response.status_code == 302
    assert response["Location"] == f"/discharge/cases/{case.pk}/move/confirm/?to_status=died"
    case.refresh_from_db()
    assert case.status == CaseStatus.READY
    page = client.get(response["Location"]).content.decode()
    assert f"Mark {case.person.full_name} as died?" in page
    assert "Date of death" in page and "No, go back to the case" in page


def test_confirming_without_a_date_keeps_what_was_typed_and_shows_the_error_summary(client, world):
    case = _ready(world)
    client.force_login(world.officer.user)
    response = client.post(
        f"/discharge/cases/{case.pk}/move/",
        {"to_status": "died", "confirmed": "yes", "note": "Family informed by the ward sister"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter the date of death" in page and "Family informed by the ward sister" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.READY


def test_a_confirmed_death_is_recorded_in_human_words_and_nothing_forward_is_offered(client, world):
    case = _ready(world)
    client.force_login(world.officer.user)
    response = client.post(
        f"/discharge/cases/{case.pk}/move/",
        {"to_status": "died", "confirmed": "yes", "died_on": _d(-1)},
        follow=True,
    )
    page = response.content.decode()
    assert f"{case.reference} recorded as died" in page
    assert "Case is now died" not in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DIED and case.died_on == TODAY() - dt.timedelta(days=1)
    assert "Date of death" in page
    forwards = ("Agree discharge to assess", "Move the case on", "Raise a blocker", "Assign to", "Discharge")
    for forward in forwards:
        assert f">{forward}<" not in page, forward
    assert "Correct how this case ended" not in page  # a caseworker cannot correct it


def test_the_green_button_on_a_discharge_ready_case_is_discharge_not_back_to_active(client, world):
    case = _ready(world)
    client.force_login(world.officer.user)
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    buttons = re.findall(r'class="nhsuk-button([^"]*)"[^>]*>([^<]+)<', page)
    primary = [label for classes, label in buttons if "secondary" not in classes and "warning" not in classes]
    assert "Discharge" in primary
    assert "Move to active" not in primary and "Mark as died" not in primary
    assert any("Move to active" in label for _, label in buttons)


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.IG_OFFICER])
def test_a_team_lead_or_ig_officer_corrects_a_death_recorded_in_error(client, world, role):
    case = _ready(world)
    services.transition_case(actor=world.officer, case_id=case.pk, to_status=CaseStatus.DIED, died_on=TODAY())
    corrector = make_actor(role, world.housing if role == Role.TEAM_LEAD else world.trust)
    client.force_login(corrector.user)
    assert "Correct how this case ended" in client.get(f"/discharge/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/discharge/cases/{case.pk}/correct-ending/", {"reason": "Wrong patient"}, follow=True
    )
    assert f"Corrected: {case.reference} is discharge-ready again" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.READY and case.died_on is None
    last = case.events.last()
    assert last.title.startswith("Correction: died was recorded in error") and last.note == "Wrong patient"
    assert last.actor == corrector.user


def test_a_caseworker_cannot_correct_an_ending(world):
    case = world.refer()
    services.transition_case(actor=world.officer, case_id=case.pk, to_status="cancelled", note="Duplicate")
    with pytest.raises(NotAllowed):
        services.correct_ending(actor=world.officer, case_id=case.pk, reason="Oops")
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED


def test_a_correction_needs_a_reason_and_an_ended_case(world):
    case = world.refer()
    lead = make_actor(Role.TEAM_LEAD, world.housing)
    with pytest.raises(ValidationFailed) as refused:
        services.correct_ending(actor=lead, case_id=case.pk, reason="")
    assert {"case", "reason"} <= set(refused.value.errors)


def test_a_refused_correction_keeps_the_reason_as_typed_and_refuses_control_characters(client, world):
    case = _ready(world)
    services.transition_case(actor=world.officer, case_id=case.pk, to_status=CaseStatus.DIED, died_on=TODAY())
    lead = make_actor(Role.TEAM_LEAD, world.housing)
    client.force_login(lead.user)
    response = client.post(f"/discharge/cases/{case.pk}/correct-ending/", {"reason": "Wrong\x07 patient"})
    page = response.content.decode()
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.DIED  # nothing written
    assert "There is a problem" in page and '<a href="#correction-reason">' in page
    assert "control characters" in page
    assert 'id="correct-ending" open' in page
    assert "Wrong\x07 patient</textarea>" in page  # what was typed, to mend rather than retype
    response = client.post(f"/discharge/cases/{case.pk}/correct-ending/", {"reason": "x" * 501})
    assert response.status_code == 400 and "x" * 501 in response.content.decode()
