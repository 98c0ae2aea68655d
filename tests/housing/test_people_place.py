"""The people and place team's light-touch case, by hand: opened from the person's page (errors keep what was
typed and write nothing), referrals sent from it through the referral model and listed on it, closed with
its outcome once; another organisation gets "not found"."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from homeward.core.errors import ValidationFailed
from homeward.governance.models import AuditEvent
from homeward.housing import services
from homeward.housing.models import PeoplePlaceCase
from homeward.referrals.services import send_referral
from tests.housing.conftest import TODAY


def _form_day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_a_case_opened_by_hand_from_the_person_page(world, client):
    client.force_login(world.worker.user)
    person_page = client.get(f"/people/{world.resident.pk}/").content.decode()
    assert f'href="/housing/people-place/new/{world.resident.pk}/"' in person_page
    url = f"/housing/people-place/new/{world.resident.pk}/"
    response = client.post(url, {"note": "Asked for help at the door"})  # no help ticked
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose what help the tenant needs" in body
    assert "Asked for help at the door" in body  # what was typed is kept
    assert not PeoplePlaceCase.objects.exists()

    response = client.post(url, {"help": ["gp_visit", "money_advice"], "note": "Asked for help at the door"})
    case = PeoplePlaceCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/housing/people-place/{case.pk}/"
    assert (case.organisation_id, case.opened_on, case.help) == (
        world.provider.pk,
        TODAY,
        ["gp_visit", "money_advice"],
    )
    assert AuditEvent.objects.filter(object_type="housing.peopleplacecase", action="create").count() == 1
    page = client.get(f"/housing/people-place/{case.pk}/").content.decode()
    assert "Go with them to the GP" in page and "Opened by the team" in page
    assert f"/housing/people-place/{case.pk}/close/" in page
    # While it is open the person page lists it and offers no second one.
    person_page = client.get(f"/people/{world.resident.pk}/").content.decode()
    assert case.reference in person_page
    assert f'href="/housing/people-place/new/{world.resident.pk}/"' not in person_page


def test_a_date_opened_in_the_future_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        services.open_people_place_case(
            actor=world.worker, person_id=world.resident.pk, help=["gp_visit"], on=TODAY + dt.timedelta(1)
        )
    assert "future" in caught.value.errors["on"]
    assert not PeoplePlaceCase.objects.exists()


def test_referrals_from_the_case_go_through_the_referral_model_and_show_on_it(world, client):
    case = services.open_people_place_case(
        actor=world.worker, person_id=world.resident.pk, help=["adaptations"]
    )
    referral = send_referral(
        actor=world.worker,
        person_id=world.resident.pk,
        to_organisation_id=world.council.pk,
        service_kind="adaptations",
        reason="Cannot get up the stairs; needs a stair-lift assessment",
        source_type="housing.people_place",
        source_id=case.pk,
    )
    client.force_login(world.worker.user)
    page = client.get(f"/housing/people-place/{case.pk}/").content.decode()
    assert f'href="/referrals/{referral.pk}/"' in page
    assert "Adaptations (home improvement agency or occupational therapy)" in page
    send = f"/referrals/new/{world.resident.pk}/?source_type=housing.people_place&amp;source_id={case.pk}"
    assert send in page
    # The referral page names the case it came from, and links back to it.
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert case.reference in detail and f"/housing/people-place/{case.pk}/" in detail


def test_closing_with_the_outcome_once_and_not_before_it_opened(world, client):
    opened = TODAY - dt.timedelta(days=10)
    case = services.open_people_place_case(
        actor=world.worker, person_id=world.resident.pk, help=["gp_visit"], on=opened
    )
    client.force_login(world.worker.user)
    url = f"/housing/people-place/{case.pk}/close/"
    early = client.post(url, {"outcome": "helped", "on": _form_day(opened - dt.timedelta(1)), "note": "GP"})
    assert early.status_code == 400
    assert "cannot be before the case opened" in early.content.decode()
    assert 'value="helped" selected' in early.content.decode()  # the choice is kept
    missing = client.post(url, {"on": _form_day(TODAY)})
    assert missing.status_code == 400
    assert PeoplePlaceCase.objects.get().closed_on is None

    done = client.post(
        url, {"outcome": "helped", "on": _form_day(TODAY), "note": "Went to the GP on Tuesday"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.outcome, case.closed_on, case.outcome_note) == ("helped", TODAY, "Went to the GP on Tuesday")
    page = client.get(f"/housing/people-place/{case.pk}/").content.decode()
    assert "Helped: the need was met" in page and "Went to the GP on Tuesday" in page
    assert url not in page  # closed: no second close
    with pytest.raises(ValidationFailed) as caught:
        services.close_people_place_case(actor=world.worker, case_id=case.pk, outcome="declined", on=TODAY)
    assert "closed on" in caught.value.errors["outcome"]
    assert PeoplePlaceCase.objects.get().outcome == "helped"


def test_another_organisation_cannot_see_or_close_the_case(world, client):
    case = services.open_people_place_case(actor=world.worker, person_id=world.resident.pk, help=["gp_visit"])
    client.force_login(world.officer.user)  # the council, under an agreement: still not shared
    assert client.get(f"/housing/people-place/{case.pk}/").status_code == 404
    response = client.post(
        f"/housing/people-place/{case.pk}/close/", {"outcome": "helped", "on": _form_day(TODAY)}
    )
    assert response.status_code == 404
    assert PeoplePlaceCase.objects.get().closed_on is None


def test_the_api_opens_reads_and_closes_a_case_for_its_own_organisation_only(world, client):
    from tests.housing.test_pages import _token

    auth = _token(client, world.worker)
    bad = client.post(
        "/api/v1/housing/people-place",
        json.dumps({"person_id": world.resident.pk, "help": []}),
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and "help" in bad.content.decode()
    assert not PeoplePlaceCase.objects.exists()
    made = client.post(
        "/api/v1/housing/people-place",
        json.dumps({"person_id": world.resident.pk, "help": ["money_advice"], "note": "Arrears"}),
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["help"], body["outcome"], body["referrals"]) == (["money_advice"], "", [])
    url = f"/api/v1/housing/people-place/{body['id']}"
    assert client.get(url, **auth).json()["reference"] == body["reference"]
    early = client.post(
        f"{url}/close",
        json.dumps({"outcome": "helped", "on": (TODAY - dt.timedelta(1)).isoformat()}),
        content_type="application/json",
        **auth,
    )
    assert early.status_code == 422
    assert [e["field"] for e in early.json()["errors"]] == ["on"]
    closed = client.post(
        f"{url}/close",
        json.dumps({"outcome": "referred_on", "on": TODAY.isoformat(), "note": "Money advice booked"}),
        content_type="application/json",
        **auth,
    )
    assert closed.status_code == 200 and closed.json()["closed_on"] == TODAY.isoformat()
    other = _token(client, world.officer)
    assert client.get(url, **other).status_code == 404
