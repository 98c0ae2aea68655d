"""The care-home pages and API: a home's staff record observations and triage calls; bad input names the
field, keeps what was typed and writes nothing; the GP practice reads but cannot write; another
organisation without an agreement gets 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from homeward.carehomes.models import Observation, TriageCall
from tests.carehomes.conftest import hours_ago


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    session = client.session
    session["membership_id"] = actor.membership.pk
    session.save()
    return client


@pytest.fixture
def resident(world):
    return world.admit()


def test_the_home_page_lists_residents_with_their_plan_state(world, resident):
    response = client_for(world.manager).get(f"/carehomes/homes/{world.home.pk}/")
    assert response.status_code == 200
    assert f'href="/carehomes/residents/{resident.pk}/"' in response.content.decode()


def test_a_pulse_of_900_is_refused_naming_the_field_keeping_what_was_typed_and_writing_nothing(
    world, resident
):
    today = timezone.localdate()
    response = client_for(world.manager).post(
        f"/carehomes/residents/{resident.pk}/observations/",
        {
            "taken_on": today.strftime("%d/%m/%Y"),
            "taken_time": "00:01",
            "pulse": "900",
            "respiratory_rate": "22",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Pulse must be between 20 and 250" in body
    assert 'value="22"' in body
    assert not Observation.objects.exists()


def test_observations_and_a_triage_call_recorded_through_the_pages_show_on_the_resident_page(world, resident):
    client = client_for(world.manager)
    taken = timezone.localtime(hours_ago(2))
    response = client.post(
        f"/carehomes/residents/{resident.pk}/observations/",
        {
            "taken_on": taken.strftime("%d/%m/%Y"),
            "taken_time": taken.strftime("%H:%M"),
            "pulse": "118",
            "soft_signs": ["not_drinking"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    observation = Observation.objects.get()
    response = client.post(
        f"/carehomes/residents/{resident.pk}/triage/",
        {
            "called_on": taken.strftime("%d/%m/%Y"),
            "called_time": taken.strftime("%H:%M"),
            "clinician_role": "hospital_consultant",
            "clinician_name": "Dr R Osei",
            "clinician_organisation": world.trust.pk,
            "observation": observation.pk,
            "decision": "stay",
            "reasons": "Treat in the home",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(f"/carehomes/residents/{resident.pk}/").content.decode()
    assert "Dr R Osei" in page and "Follow-up window still open" in page and "118" in page


def test_a_triage_call_without_a_clinician_is_refused_and_nothing_is_written(world, resident):
    now = timezone.localtime()
    response = client_for(world.manager).post(
        f"/carehomes/residents/{resident.pk}/triage/",
        {
            "called_on": now.strftime("%d/%m/%Y"),
            "called_time": "00:01",
            "clinician_role": "hospital_consultant",
            "decision": "stay",
            "reasons": "x",
        },
    )
    assert response.status_code == 400
    assert "clinician_name" in response.content.decode() or "Clinician" in response.content.decode()
    assert not TriageCall.objects.exists()


def test_the_gp_practice_reads_the_resident_page_but_the_forms_are_absent(world, resident):
    gp = client_for(world.gp)
    assert gp.get(f"/carehomes/residents/{resident.pk}/").status_code == 200
    assert gp.get(f"/carehomes/residents/{resident.pk}/plan/").status_code == 404


def test_another_organisation_without_an_agreement_gets_404(world, resident):
    stranger = client_for(world.stranger)
    assert stranger.get(f"/carehomes/residents/{resident.pk}/").status_code == 404
    assert stranger.get(f"/carehomes/homes/{world.home.pk}/").status_code == 404


def _token(client: Client, actor) -> str:
    from tests.factories import PASSWORD

    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps(
            {"username": actor.user.username, "password": PASSWORD, "organisation_id": actor.organisation_id}
        ),
        content_type="application/json",
    )
    return response.json()["token"]


def test_the_api_refuses_an_implausible_observation_naming_the_field(world, resident):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, world.manager)}"}
    response = client.post(
        f"/api/v1/carehomes/residents/{resident.pk}/observations",
        json.dumps({"taken_at": hours_ago(1).isoformat(), "pulse": 900}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pulse"
    assert not Observation.objects.exists()


def test_the_api_shows_the_computed_triage_outcome(world, resident):
    from homeward.carehomes import clinical

    clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=hours_ago(80),
        clinician_role="hospital_consultant",
        clinician_name="Dr R Osei",
        decision="stay",
        reasons="Treat in the home",
    )
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, world.gp)}"}
    calls = client.get(f"/api/v1/carehomes/residents/{resident.pk}/triage-calls", **headers).json()
    assert [c["outcome"] for c in calls] == ["stayed_well"]
    stranger = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(stranger, world.stranger)}"}
    assert stranger.get(f"/api/v1/carehomes/residents/{resident.pk}", **headers).status_code == 404


def test_a_plan_review_date_before_the_plan_through_the_api_names_the_field(world, resident):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, world.manager)}"}
    today = timezone.localdate()
    response = client.post(
        f"/api/v1/carehomes/residents/{resident.pk}/care-plans",
        json.dumps(
            {
                "agreed_on": str(today),
                "agreed_with": "resident",
                "gp_name": "Dr A Khan",
                "what_matters": "Home",
                "preferred_place": "care_home",
                "if_unwell": "call_gp",
                "resuscitation": "not_decided",
                "review_on": str(today - dt.timedelta(days=1)),
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "review_on"
