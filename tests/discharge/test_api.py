"""Hospital to Home over the JSON API: refer, blockers, moves, and bad input as problem+json."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from homeward.discharge.models import Blocker, DischargeCase
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_refer_raise_resolve_and_discharge_through_the_api(client, world):
    today = timezone.localdate()
    clinician, officer = _token(client, world.clinician), _token(client, world.officer)
    created = _post(
        client,
        "/api/v1/discharge/cases",
        {
            "person_id": world.patient.pk,
            "housing_organisation_id": world.housing.pk,
            "hospital_id": world.hospital.pk,
            "admitted_on": str(today - dt.timedelta(days=4)),
            "referral_reason": "Stairs at home",
        },
        clinician,
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    for status in ("screening", "active"):
        assert (
            _post(
                client, f"/api/v1/discharge/cases/{case_id}/transitions", {"to_status": status}, officer
            ).status_code
            == 200
        )
    blocker = _post(
        client,
        f"/api/v1/discharge/cases/{case_id}/blockers",
        {"category": "equipment", "description": "Bed rails", "due_on": str(today)},
        officer,
    )
    assert blocker.status_code == 201
    resolved = _post(
        client,
        f"/api/v1/discharge/cases/{case_id}/blockers/{blocker.json()['id']}/resolve",
        {"resolution": "Delivered"},
        officer,
    )
    assert resolved.json()["resolved_on"] == str(today)
    _post(client, f"/api/v1/discharge/cases/{case_id}/transitions", {"to_status": "ready"}, officer)
    done = _post(
        client,
        f"/api/v1/discharge/cases/{case_id}/transitions",
        {"to_status": "discharged", "discharged_on": str(today), "destination": "home_adapted"},
        officer,
    )
    assert done.json()["status"] == "discharged"
    listed = client.get("/api/v1/discharge/cases?view=all", **officer).json()
    assert listed == []  # discharged cases leave the open worklist


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("blockers", {"category": "equipment", "description": "Rails", "due_on": "2000-01-01"}, "due_on"),
        ("blockers", {"category": "dragons", "description": "Rails", "due_on": "2099-01-01"}, "category"),
        ("blockers", {"category": "equipment", "description": "Rails", "due_on": "2099-01-01", "x": 1}, "x"),
        ("transitions", {"to_status": "closed"}, "status"),
        ("transitions", {"to_status": "nowhere"}, "to_status"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client, world, path, body, field):
    case = world.refer()
    officer = _token(client, world.officer)
    response = _post(client, f"/api/v1/discharge/cases/{case.pk}/{path}", body, officer)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Blocker.objects.count() == 0
    assert DischargeCase.objects.get().status == "referred"
