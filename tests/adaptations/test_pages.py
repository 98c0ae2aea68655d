"""Adaptations pages through the Django test client: open a case from the person page, move it with the
date each move records, confirm a refusal, record the grant; bad input keeps what was typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from homeward.adaptations import services
from homeward.adaptations.models import AdaptationCase
from tests.adaptations.conftest import STEPS, VALID_ON

pytestmark = pytest.mark.django_db


def _new(**overrides):
    return {
        "source": "ot",
        "tenure": "owner_occupier",
        "needs": "Level-access shower",
        "enquiry_received_on": "05/01/2026",
        "route": "dfg",
        "priority": "standard",
    } | overrides


def test_an_officer_opens_a_case_from_the_person_page(client, world):
    client.force_login(world.officer.user)
    person_page = client.get(f"/people/{world.applicant.pk}/").content.decode()
    assert f'href="/adaptations/new/{world.applicant.pk}/"' in person_page
    response = client.post(f"/adaptations/new/{world.applicant.pk}/", _new())
    case = AdaptationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/adaptations/cases/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Stage 0: enquiry to first contact" in page
    assert "What happens next" in page
    assert "The clocks start when the application is valid and complete" in page


def test_a_refused_form_names_the_field_and_keeps_what_was_typed(client, world):
    client.force_login(world.officer.user)
    response = client.post(
        f"/adaptations/new/{world.applicant.pk}/",
        _new(priority="urgent", needs="Ramp to the back door", enquiry_received_on="31/02/2026"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Ramp to the back door" in body
    assert "31/02/2026" in body
    assert not AdaptationCase.objects.exists()
    response = client.post(f"/adaptations/new/{world.applicant.pk}/", _new(priority="urgent"))
    assert response.status_code == 400
    assert "Why is it urgent?: Say why the case is urgent" in response.content.decode()


def test_the_next_move_records_its_date(client, world):
    case = world.open()
    client.force_login(world.officer.user)
    page = client.get(f"/adaptations/cases/{case.pk}/").content.decode()
    assert "First contact made: start the assessment" in page
    form = client.get(f"/adaptations/cases/{case.pk}/move/?to_status=assessment").content.decode()
    assert "Date of first contact" in form
    response = client.post(
        f"/adaptations/cases/{case.pk}/move/", {"to_status": "assessment", "on": "08/01/2026"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assessment" and case.first_contact_on == dt.date(2026, 1, 8)


def test_a_move_dated_before_the_stage_before_is_shown_again_with_the_error(client, world):
    case = world.open()
    client.force_login(world.officer.user)
    response = client.post(
        f"/adaptations/cases/{case.pk}/move/",
        {"to_status": "assessment", "on": "01/01/2026", "note": "Rang her"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "cannot be before the enquiry received date" in body
    assert "Rang her" in body and 'value="01/01/2026"' in body
    case.refresh_from_db()
    assert case.status == "first_contact"


def test_refusing_asks_for_confirmation_with_reason_and_review_date(client, world):
    case = world.walk(world.open(), "approval")
    services.record_dates(actor=world.officer, case_id=case.pk, application_valid_on=VALID_ON)
    client.force_login(world.officer.user)
    confirm = client.get(f"/adaptations/cases/{case.pk}/move/?to_status=refused").content.decode()
    assert "Refuse this application?" in confirm and "nhsuk-warning-callout" in confirm
    missing = client.post(f"/adaptations/cases/{case.pk}/move/", {"to_status": "refused", "confirmed": "yes"})
    assert missing.status_code == 400
    assert "Say why the application is refused" in missing.content.decode()
    done = client.post(
        f"/adaptations/cases/{case.pk}/move/",
        {
            "to_status": "refused",
            "confirmed": "yes",
            "on": "01/04/2026",
            "refusal_reason": "Not necessary and appropriate",
            "review_by": "01/05/2026",
        },
    )
    assert done.status_code == 302
    page = client.get(f"/adaptations/cases/{case.pk}/").content.decode()
    assert "Review or appeal by 1 May 2026" in page


def test_the_grant_page_refuses_a_grant_above_the_maximum_and_keeps_the_figures(client, world):
    case = world.walk(world.open(), "approval")
    client.force_login(world.officer.user)
    response = client.post(
        f"/adaptations/cases/{case.pk}/grant/", {"cost_of_works": "42000.00", "contribution": "0"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "above the DFG maximum of £30,000.00" in body
    assert 'value="42000.00"' in body
    ok = client.post(
        f"/adaptations/cases/{case.pk}/grant/", {"cost_of_works": "9000.00", "contribution": "500"}
    )
    assert ok.status_code == 302
    assert "£8,500.00" in client.get(f"/adaptations/cases/{case.pk}/").content.decode()


def test_the_case_page_shows_the_clocks_in_plain_words(client, world):
    case = world.walk(world.open(), "works")
    client.force_login(world.officer.user)
    page = client.get(f"/adaptations/cases/{case.pk}/").content.decode()
    assert (
        "The council must decide the application by 9 September 2026: done on 1 April 2026, in time." in page
    )
    assert "The works should be completed by 1 April 2027" in page
    assert "None" not in page


def test_the_worklist_lists_overdue_cases_first(client, world):
    world.open(needs="Grab rails")
    late = world.walk(world.open(), "approval")
    services.record_dates(actor=world.officer, case_id=late.pk, application_valid_on=VALID_ON)
    client.force_login(world.officer.user)
    body = client.get("/adaptations/").content.decode()
    assert "2 cases" in body
    assert body.index(f"/adaptations/cases/{late.pk}/") < body.index("Grab rails")
    assert "Overdue" in body
    overdue = client.get("/adaptations/?view=overdue").content.decode()
    assert "1 case." in overdue and "None" not in overdue


def test_no_adaptations_page_shows_the_word_none(client, world):
    """Every page of a case at each stage, and each move's form, renders without a stray "None"."""
    case = world.open()
    client.force_login(world.officer.user)
    for stop in ("assessment", "application", "approval", "works", "sign_off", "closed"):
        urls = [f"/adaptations/cases/{case.pk}/", "/adaptations/", "/adaptations/?view=overdue"]
        urls += [f"/adaptations/cases/{case.pk}/{page}/" for page in ("dates", "grant", "participants")]
        urls += [f"/adaptations/cases/{case.pk}/move/?to_status={to}" for to in ("withdrawn", stop)]
        for url in urls:
            body = client.get(url, follow=True).content.decode()
            assert not re.search(r"\bNone\b", body), url
        extra = {"application_valid_on": VALID_ON} if stop == "works" else {}
        if stop == "closed":
            extra = {"inspection_passed_on": dt.date(2026, 5, 20)}
        services.move_case(actor=world.officer, case_id=case.pk, to_status=stop, on=STEPS[stop], **extra)


def test_the_home_page_counts_overdue_clocks(client, world):
    late = world.walk(world.open(), "approval")
    services.record_dates(actor=world.officer, case_id=late.pk, application_valid_on=VALID_ON)
    client.force_login(world.officer.user)
    body = client.get("/").content.decode()
    assert "Adaptations cases with an overdue statutory clock" in body


def test_assigning_a_case_puts_it_on_my_cases(client, world):
    case = world.open()
    client.force_login(world.officer.user)
    response = client.post(f"/adaptations/cases/{case.pk}/assign/", {"user_id": str(world.officer.user.pk)})
    assert response.status_code == 302
    assert f"/adaptations/cases/{case.pk}/" in client.get("/adaptations/?view=mine").content.decode()
    # The OT works for the council, not the case's holder: not offered, so refused with the page shown
    # again (400), the error summary naming the field and the choice kept.
    refused = client.post(f"/adaptations/cases/{case.pk}/assign/", {"user_id": str(world.ot.user.pk)})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert 'href="#assign-user_id"' in page and "Assign to: Choose someone from the list" in page
    case.refresh_from_db()
    assert case.assigned_to == world.officer.user
