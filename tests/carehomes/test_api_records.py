"""The care-home records API over real HTTP: homes, rooms and protocols for the provider's own staff,
in-reach visits, and a resident's 999 calls, transfers and death; reads are audited, another organisation
gets 404, and bad input is 422 naming the field with nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from homeward.carehomes.models import AssessmentProtocol, EmergencyCall, HospitalTransfer, Visit
from homeward.governance.models import AuditEvent
from tests.carehomes.conftest import hours_ago
from tests.carehomes.test_pages import _token

TODAY = timezone.localdate()


class Api:
    def __init__(self, actor) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(self.client, actor)}"}

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def resident(world):
    return world.admit()


def test_homes_rooms_and_protocols_for_the_providers_own_staff(world):
    api = Api(world.manager)
    homes = api.get("/carehomes/homes").json()
    assert [h["name"] for h in homes] == ["Willow House"]
    response = api.post(
        "/carehomes/homes", {"name": "Elm Lodge", "kind": "residential", "postcode": "AB1 2CD"}
    )
    assert response.status_code == 201 and response.json()["kind"] == "residential"
    home_id = response.json()["id"]
    assert api.post(f"/carehomes/homes/{home_id}/rooms", {"name": "12A"}).status_code == 201
    assert [r["name"] for r in api.get(f"/carehomes/homes/{home_id}/rooms").json()] == ["12A"]
    response = api.post(
        f"/carehomes/homes/{home_id}/protocols",
        {"assessor_organisation_id": world.trust.pk, "starts_on": f"{TODAY:%Y-%m-%d}"},
    )
    assert response.status_code == 201 and response.json()["ends_on"] is None
    assert len(api.get(f"/carehomes/homes/{home_id}/protocols").json()) == 1
    # A duplicate name is 422 naming the field; another organisation sees no home and no rooms.
    response = api.post("/carehomes/homes", {"name": "Elm Lodge", "kind": "nursing"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"
    stranger = Api(world.stranger)
    assert stranger.get("/carehomes/homes").json() == []
    assert stranger.get(f"/carehomes/homes/{home_id}/rooms").status_code == 404
    assert stranger.post(f"/carehomes/homes/{home_id}/rooms", {"name": "13"}).status_code == 404


def test_999_calls_transfers_and_a_death_are_recorded_and_read_back_audited(world, resident):
    api = Api(world.manager)
    path = f"/carehomes/residents/{resident.pk}"
    response = api.post(
        f"{path}/emergency-calls",
        {"called_at": hours_ago(5).isoformat(), "outcome": "conveyed", "reason": "Fall, hip pain"},
    )
    assert response.status_code == 201 and response.json()["outcome"] == "conveyed"
    response = api.post(
        f"{path}/transfers",
        {
            "left_at": hours_ago(4).isoformat(),
            "reason": "Suspected fractured hip",
            "admitted": True,
            "hospital_organisation_id": world.trust.pk,
        },
    )
    assert response.status_code == 201 and response.json()["admitted"] is True
    assert [c["reason"] for c in api.get(f"{path}/emergency-calls").json()] == ["Fall, hip pain"]
    assert [t["reason"] for t in api.get(f"{path}/transfers").json()] == ["Suspected fractured hip"]
    assert AuditEvent.objects.filter(purpose="View 999 calls", person_id=world.person.pk).exists()
    assert AuditEvent.objects.filter(purpose="View hospital transfers", person_id=world.person.pk).exists()
    response = api.post(f"{path}/death", {"died_on": f"{TODAY:%Y-%m-%d}", "place": "care_home"})
    assert response.status_code == 200
    assert (
        response.json()["died_on"] == f"{TODAY:%Y-%m-%d}" and response.json()["place_of_death"] == "care_home"
    )
    body = api.get(path).json()
    assert body["died_on"] == f"{TODAY:%Y-%m-%d}" and body["left_on"] == f"{TODAY:%Y-%m-%d}"


def test_the_gp_reads_the_999_calls_but_cannot_record_one_and_a_stranger_sees_nothing(world, resident):
    Api(world.manager).post(
        f"/carehomes/residents/{resident.pk}/emergency-calls",
        {"called_at": hours_ago(5).isoformat(), "outcome": "advice", "reason": "Breathless"},
    )
    gp = Api(world.gp)
    assert len(gp.get(f"/carehomes/residents/{resident.pk}/emergency-calls").json()) == 1
    response = gp.post(
        f"/carehomes/residents/{resident.pk}/emergency-calls",
        {"called_at": hours_ago(1).isoformat(), "outcome": "advice", "reason": "Again"},
    )
    assert response.status_code == 404 and EmergencyCall.objects.count() == 1
    assert Api(world.stranger).get(f"/carehomes/residents/{resident.pk}/transfers").status_code == 404


def test_bad_999_calls_and_transfers_are_422_naming_the_field_and_write_nothing(world, resident):
    api = Api(world.manager)
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api.post(
        f"/carehomes/residents/{resident.pk}/emergency-calls",
        {"called_at": future, "outcome": "advice", "reason": "Fall"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "called_at"
    response = api.post(
        f"/carehomes/residents/{resident.pk}/transfers",
        {"left_at": hours_ago(1).isoformat(), "reason": "Fall", "outcome": "conveyed"},
    )
    assert response.status_code == 422  # an unknown field
    assert not EmergencyCall.objects.exists() and not HospitalTransfer.objects.exists()


def test_in_reach_visits_are_recorded_and_listed_for_the_home_only(world, resident):
    api = Api(world.manager)
    response = api.post(
        f"/carehomes/homes/{world.home.pk}/visits",
        {
            "visited_on": f"{TODAY:%Y-%m-%d}",
            "role": "matron",
            "visitor": "Modern matron J Bell",
            "resident_ids": [resident.pk],
            "action": "Review pressure areas",
            "action_owner": "Nurse in charge",
            "action_due_on": f"{TODAY + dt.timedelta(days=7):%Y-%m-%d}",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["resident_ids"] == [resident.pk]
    listed = api.get(f"/carehomes/homes/{world.home.pk}/visits").json()
    assert [v["visitor"] for v in listed] == ["Modern matron J Bell"]
    assert AuditEvent.objects.filter(purpose="In-reach visits").exists()
    assert Api(world.gp).get(f"/carehomes/homes/{world.home.pk}/visits").status_code == 404
    response = api.post(
        f"/carehomes/homes/{world.home.pk}/visits",
        {"visited_on": f"{TODAY:%Y-%m-%d}", "role": "gp", "visitor": "Dr K", "action": "Bloods"},
    )
    assert response.status_code == 422 and Visit.objects.count() == 1


def test_a_triage_outcome_cannot_be_typed_through_the_api_or_the_page(world, resident):
    """Must show: "stayed well" is computed, not typed. A call sent with an outcome is refused, and the
    page's form has no field for one."""
    from homeward.carehomes.models import TriageCall
    from tests.carehomes.test_pages import client_for

    response = Api(world.manager).post(
        f"/carehomes/residents/{resident.pk}/triage-calls",
        {
            "called_at": hours_ago(80).isoformat(),
            "clinician_role": "hospital_consultant",
            "clinician_name": "Dr R Osei",
            "decision": "stay",
            "reasons": "Treat in the home",
            "outcome": "stayed_well",
        },
    )
    assert response.status_code == 422 and not TriageCall.objects.exists()
    form = client_for(world.manager).get(f"/carehomes/residents/{resident.pk}/triage/").content.decode()
    assert 'name="decision"' in form and 'name="outcome"' not in form


def test_a_protocol_is_ended_through_the_api_once_own_organisation_only_and_audited(world):
    api = Api(world.manager)
    start = TODAY - dt.timedelta(days=30)
    protocol_id = api.post(
        f"/carehomes/homes/{world.home.pk}/protocols",
        {"assessor_organisation_id": world.trust.pk, "starts_on": f"{start:%Y-%m-%d}"},
    ).json()["id"]
    path = f"/carehomes/protocols/{protocol_id}/end"
    # Another organisation, or a role that may not edit, gets 404 and nothing changes.
    assert Api(world.stranger).post(path, {"ends_on": f"{TODAY:%Y-%m-%d}"}).status_code == 404
    # Before it started: 422 naming the field, nothing written.
    response = api.post(path, {"ends_on": f"{start - dt.timedelta(days=1):%Y-%m-%d}"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["ends_on"]
    assert "before the start date" in response.json()["errors"][0]["message"]
    assert AssessmentProtocol.objects.get(pk=protocol_id).ends_on is None
    response = api.post(path, {"ends_on": f"{TODAY:%Y-%m-%d}"})
    assert response.status_code == 200 and response.json()["ends_on"] == f"{TODAY:%Y-%m-%d}"
    assert AuditEvent.objects.filter(
        purpose="End a trusted assessor protocol", object_id=str(protocol_id)
    ).exists()
    # Already ended: 422 naming the field; the first end date stands.
    response = api.post(path, {"ends_on": f"{TODAY + dt.timedelta(days=5):%Y-%m-%d}"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ends_on"
    assert "already ends" in response.json()["errors"][0]["message"]
    assert AssessmentProtocol.objects.get(pk=protocol_id).ends_on == TODAY
    assert api.post("/carehomes/protocols/999999/end", {"ends_on": f"{TODAY:%Y-%m-%d}"}).status_code == 404
