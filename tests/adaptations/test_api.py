"""Adaptations over the JSON API: open, read with clocks, move; bad input answers problem+json naming the
field."""

from __future__ import annotations

import json

import pytest

from homeward.adaptations.models import AdaptationCase
from tests.adaptations.test_access import _token

pytestmark = pytest.mark.django_db


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_open_read_and_move_a_case(client, world):
    auth = _token(client, world.officer)
    created = _post(
        client,
        "/api/v1/adaptations/cases",
        {
            "person_id": world.applicant.pk,
            "source": "self_referral",
            "tenure": "council_tenant",
            "needs": "Stair-lift",
            "enquiry_received_on": "2026-01-05",
        },
        auth,
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    assert created.json()["status"] == "first_contact" and created.json()["clocks"] == []
    moved = _post(
        client,
        f"/api/v1/adaptations/cases/{case_id}/moves",
        {"to_status": "assessment", "on": "2026-01-07"},
        auth,
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["first_contact_on"] == "2026-01-07"
    listed = client.get("/api/v1/adaptations/cases", {"view": "assessment"}, **auth).json()
    assert [c["id"] for c in listed] == [case_id]


def test_an_illegal_move_names_the_status(client, world):
    case = world.open()
    response = _post(
        client,
        f"/api/v1/adaptations/cases/{case.pk}/moves",
        {"to_status": "works"},
        _token(client, world.officer),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "status"


def test_bad_input_names_the_field_and_writes_nothing(client, world):
    auth = _token(client, world.officer)
    response = _post(
        client,
        "/api/v1/adaptations/cases",
        {
            "person_id": world.applicant.pk,
            "source": "postman",
            "tenure": "owner_occupier",
            "needs": "x",
            "enquiry_received_on": "2026-01-05",
        },
        auth,
    )
    assert response.status_code in (400, 422)
    assert any("source" in e["field"] for e in response.json()["errors"])
    assert not AdaptationCase.objects.exists()
    case = world.open()
    late = _post(
        client,
        f"/api/v1/adaptations/cases/{case.pk}/moves",
        {"to_status": "assessment", "on": "2025-12-01"},
        auth,
    )
    assert late.status_code in (400, 422)
    assert late.json()["errors"][0]["field"] == "on"
