"""The pages and the API: a referral from a Hospital to Home case, the step forms (errors keep what was
typed and write nothing), another organisation without an agreement gets 404."""

from __future__ import annotations

import json

from django.utils import timezone

from homeward.core.models import Hospital
from homeward.discharge.models import DischargeCase
from homeward.housing.models import KeyWorkSession, Placement
from tests.factories import PASSWORD
from tests.housing.conftest import ARRIVED


def _token(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_hospital_case_discharged_to_supported_housing_continues_as_one_journey(world, client):
    hospital = Hospital.objects.create(organisation=world.provider, name="General")
    case = DischargeCase.objects.create(
        person=world.resident,
        organisation=world.provider,
        housing_organisation=world.provider,
        referred_by=world.worker.user,
        hospital=hospital,
        referral_reason="No fixed abode",
        admitted_on=ARRIVED,
        referred_at=timezone.now(),
        status="discharged",
        discharged_on=ARRIVED,
        destination="supported",
    )
    client.force_login(world.worker.user)
    form = {
        "scheme": world.scheme.pk,
        "source": "hospital",
        "needs": "Leaving hospital; no home",
        "referred_on": ARRIVED.strftime("%d/%m/%Y"),
        "discharge_case_id": case.pk,
    }
    response = client.post(f"/housing/refer/{world.resident.pk}/", form)
    placement = Placement.objects.get()
    assert response.status_code == 302 and placement.discharge_case_id == case.pk
    case.destination = "home"
    case.save()
    response = client.post(f"/housing/refer/{world.resident.pk}/", form)
    assert response.status_code == 400
    assert "somewhere other than supported housing" in response.content.decode()
    assert Placement.objects.count() == 1


def test_a_step_form_with_bad_input_keeps_what_was_typed_and_writes_nothing(world, client):
    placement = world.house()
    client.force_login(world.worker.user)
    url = f"/housing/placements/{placement.pk}/session/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "held_on": "01/01/1990",
            "minutes": "45",
            "areas": ["offending"],
            "note": "Talked about probation appointments",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in body and "Talked about probation appointments" in body
    assert not KeyWorkSession.objects.exists()
    ok = client.post(
        url, {"held_on": timezone.localdate().strftime("%d/%m/%Y"), "minutes": "45", "areas": ["offending"]}
    )
    assert ok.status_code == 302 and KeyWorkSession.objects.count() == 1
    page = client.get(f"/housing/placements/{placement.pk}/").content.decode()
    assert "45 minutes" in page and "Room 1" in page


def test_another_organisation_without_an_agreement_gets_404_on_pages_and_api(world, client):
    placement = world.house()
    client.force_login(world.probation_officer.user)
    for url in (
        f"/housing/placements/{placement.pk}/",
        f"/housing/placements/{placement.pk}/session/",
        f"/housing/schemes/{world.scheme.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert f"/housing/placements/{placement.pk}/" not in client.get("/housing/caseload/").content.decode()
    response = client.get(
        f"/api/v1/housing/placements/{placement.pk}", **_token(client, world.probation_officer)
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_scheme_page_and_api_show_occupancy_from_the_intervals(world, client):
    world.house()
    client.force_login(world.worker.user)
    page = client.get(f"/housing/schemes/{world.scheme.pk}/").content.decode()
    assert "Occupied" in page and world.resident.family_name.upper() in page
    schemes = client.get("/api/v1/housing/schemes", **_token(client, world.worker)).json()
    assert schemes[0]["occupied_nights_30"] == 30 and schemes[0]["available_nights_30"] == 90
