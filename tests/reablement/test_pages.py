"""The reablement pages and API: the bed board shows initials only where the viewer may see the stay, and
refreshes itself; admit, move and discharge through the pages; bad input keeps what was typed and writes
nothing; another organisation without an agreement gets 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from homeward.governance.models import AuditEvent
from homeward.reablement.models import Stay
from tests.factories import PASSWORD
from tests.reablement.conftest import days_ago


def signed_in(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_the_board_shows_the_person_by_initials_to_the_unit_and_refreshes_itself(world):
    stay = world.admitted("2")
    page = signed_in(world.unit_worker).get(f"/reablement/units/{world.unit.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f'href="/reablement/stays/{stay.pk}/"' in body and ">AB<" in body
    assert 'hx-trigger="every 1s"' in body
    searches = AuditEvent.objects.filter(action="search", purpose__startswith="Reablement bed board").count
    before = searches()
    partial = signed_in(world.unit_worker).get(f"/reablement/units/{world.unit.pk}/", HTTP_HX_REQUEST="true")
    assert partial.content.decode().startswith('<div id="bed-board"')
    assert searches() == before  # the same stays as the audited view: not audited again
    world.admitted("3")
    signed_in(world.unit_worker).get(f"/reablement/units/{world.unit.pk}/", HTTP_HX_REQUEST="true")
    assert searches() == before + 1  # someone new on the board: audited


def test_a_stranger_sees_the_bed_occupied_but_not_who_is_in_it(world):
    stay = world.admitted("2")
    body = signed_in(world.stranger).get(f"/reablement/units/{world.unit.pk}/").content.decode()
    assert "Occupied" in body and "Not shared with you" in body
    assert f"/reablement/stays/{stay.pk}/" not in body and ">AB<" not in body


def test_another_organisation_without_an_agreement_gets_404_on_the_stay_and_referral(world):
    stay = world.admitted("1")
    client = signed_in(world.stranger)
    assert client.get(f"/reablement/stays/{stay.pk}/").status_code == 404
    assert client.get(f"/reablement/referrals/{stay.referral_id}/").status_code == 404
    assert client.post(f"/reablement/stays/{stay.pk}/discharge/", {"destination": "home"}).status_code == 404


def test_admit_move_and_discharge_through_the_pages(world):
    referral = world.refer(referred_at=days_ago(3))
    client = signed_in(world.unit_worker)
    client.post(f"/reablement/referrals/{referral.pk}/decide/", {"decision": "accepted"})
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(
        f"/reablement/referrals/{referral.pk}/admit/",
        {"bed": world.bed("1").pk, "admitted_on": today, "admitted_time": "00:05"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stay = Stay.objects.get(referral=referral)
    response = client.post(
        f"/reablement/stays/{stay.pk}/move/",
        {"bed": world.bed("3").pk, "moved_on": today, "moved_time": "00:10"},
    )
    assert response.status_code == 302
    page = client.get(f"/reablement/stays/{stay.pk}/discharge/")
    assert "This ends the stay" in page.content.decode()  # the confirmation says what will happen
    response = client.post(
        f"/reablement/stays/{stay.pk}/discharge/",
        {"destination": "home_package", "discharged_on": today, "discharged_time": "00:15"},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.status == "discharged" and stay.occupancies.count() == 2
    assert "Due " in client.get(f"/reablement/stays/{stay.pk}/").content.decode()


def test_bad_discharge_keeps_what_was_typed_and_writes_nothing(world):
    stay = world.admitted("1", admitted_days_ago=2)
    long_ago = (timezone.localdate().replace(day=1) - timezone.timedelta(days=40)).strftime("%d/%m/%Y")
    response = signed_in(world.unit_worker).post(
        f"/reablement/stays/{stay.pk}/discharge/",
        {"destination": "home", "discharged_on": long_ago, "discharged_time": "10:00", "note": "Typed plan"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Discharge cannot be before the admission" in body and "Typed plan" in body
    assert "nhsuk-error-summary" in body
    stay.refresh_from_db()
    assert stay.status == "in_unit"


def test_a_goal_without_a_target_date_is_refused_on_the_page(world):
    stay = world.admitted("1")
    client = signed_in(world.unit_worker)
    response = client.post(f"/reablement/stays/{stay.pk}/goals/", {"description": "Stairs"}, follow=True)
    assert "Target on: Enter the date the goal should be met by" in response.content.decode()
    assert not stay.goals.exists()


def _token(membership) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps(
            {
                "username": membership.user.username,
                "password": PASSWORD,
                "organisation_id": membership.organisation_id,
            }
        ),
        content_type="application/json",
    )
    return response.json()["token"]


@pytest.fixture
def api(world):
    def call(actor, method, path, payload=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(actor.membership)}"}
        client = Client()
        if method == "GET":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(
            f"/api/v1{path}", json.dumps(payload or {}), content_type="application/json", **headers
        )

    return call


def test_api_refer_accept_admit_and_read_the_stay_with_its_intervals(world, api):
    response = api(
        world.clinician,
        "POST",
        "/reablement/referrals",
        {
            "person_id": world.patient.pk,
            "unit_id": world.unit.pk,
            "source": "emergency",
            "reason": "Fall",
            "goals": "Home",
        },
    )
    assert response.status_code == 201, response.content
    referral_id = response.json()["id"]
    assert (
        api(
            world.unit_worker,
            "POST",
            f"/reablement/referrals/{referral_id}/decision",
            {"decision": "accepted"},
        ).status_code
        == 200
    )
    response = api(
        world.unit_worker,
        "POST",
        f"/reablement/referrals/{referral_id}/admission",
        {"bed_id": world.bed("4").pk, "admitted_at": timezone.now().isoformat()},
    )
    assert response.status_code == 201, response.content
    stay = response.json()
    assert stay["occupancies"][0]["bed_id"] == world.bed("4").pk and stay["length_of_stay_days"] == 0
    board = api(world.unit_worker, "GET", f"/reablement/units/{world.unit.pk}/board").json()
    assert {b["label"]: b["status"] for b in board["beds"]}["4"] == "occupied"
    assert api(world.stranger, "GET", f"/reablement/stays/{stay['id']}").status_code == 404


def test_api_bad_discharge_names_the_field(world, api):
    stay = world.admitted("1", admitted_days_ago=2)
    response = api(
        world.unit_worker,
        "POST",
        f"/reablement/stays/{stay.pk}/discharge",
        {"discharged_at": days_ago(5).isoformat(), "destination": "home"},
    )
    assert response.status_code in (400, 422)
    assert "discharged_at" in response.content.decode()
