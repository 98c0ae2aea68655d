"""Input hygiene over real HTTP: ids and offsets past their bounds, control characters, implausible dates
and a PATCH that changes nothing. Every refusal is problem+json naming the parameter; nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.models import Person
from homeward.discharge.models import Blocker
from homeward.governance.models import AuditAction, AuditEvent
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TOO_BIG = 2**63  # one past the largest PostgreSQL bigint


@pytest.fixture
def api(live_server) -> ApiClient:
    return ApiClient(f"{live_server.url}/api/v1")


def _token(api: ApiClient, actor) -> str:
    reply = api("POST", "/auth/token", {"username": actor.user.username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    return str(reply.body["token"])


def _is_problem(reply, status: int, field: str) -> None:
    assert reply.status == status, (reply.status, reply.body)
    assert reply.content_type == "application/problem+json"
    assert field in reply.fields, reply.body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"ward_id={TOO_BIG}", "ward_id"),
        (f"hospital_id={TOO_BIG}", "hospital_id"),
        ("hospital_id=0", "hospital_id"),
        (f"offset={TOO_BIG}", "offset"),
        ("offset=100001", "offset"),
        ("offset=-1", "offset"),
    ],
)
def test_out_of_range_ids_and_offsets_in_a_query_are_422_naming_the_parameter(api, world, query, field):
    token = _token(api, world.officer)
    _is_problem(api("GET", f"/discharge/cases?{query}", token=token), 422, field)


def test_out_of_range_path_ids_are_404_naming_the_parameter(api, world):
    token = _token(api, world.officer)
    case = world.refer()
    _is_problem(
        api("POST", f"/discharge/cases/{TOO_BIG}/blockers/1/resolve", {"resolution": "x"}, token=token),
        404,
        "case_id",
    )
    _is_problem(
        api(
            "POST", f"/discharge/cases/{case.pk}/blockers/{TOO_BIG}/resolve", {"resolution": "x"}, token=token
        ),
        404,
        "blocker_id",
    )
    for path, field in (
        ("/discharge/cases", "case_id"),
        ("/people", "person_id"),
        ("/agreements", "agreement_id"),
    ):
        _is_problem(api("GET", f"{path}/{TOO_BIG}", token=token), 404, field)
        _is_problem(api("GET", f"{path}/0", token=token), 404, field)


def test_out_of_range_ids_in_a_body_are_422_naming_the_field(api, world):
    token = _token(api, world.clinician)
    body = {
        "person_id": TOO_BIG,
        "housing_organisation_id": world.housing.pk,
        "hospital_id": world.hospital.pk,
        "admitted_on": str(timezone.localdate()),
        "referral_reason": "Stairs",
    }
    _is_problem(api("POST", "/discharge/cases", body, token=token), 422, "person_id")


def test_page_routes_answer_404_for_ids_past_a_bigint(client, world):
    client.force_login(world.clinician.user)
    assert client.get(f"/people/{TOO_BIG}/").status_code == 404
    assert client.get(f"/discharge/cases/{TOO_BIG}/").status_code == 404
    assert client.get(f"/people/{world.patient.pk}/").status_code == 200


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "line\nbreak", "tab\there"])
def test_control_characters_in_a_single_line_field_are_refused_naming_it(api, world, bad):
    token = _token(api, world.clinician)
    before = Person.objects.count()
    reply = api(
        "POST",
        "/people",
        {"given_name": f"Ada{bad}", "family_name": "Okafor", "date_of_birth": "1950-01-01"},
        token=token,
    )
    _is_problem(reply, 422, "given_name")
    assert "control characters" in reply.body["detail"]
    assert Person.objects.count() == before


def test_a_multi_line_field_keeps_tabs_and_line_breaks_but_not_other_control_characters(api, world):
    token = _token(api, world.clinician)
    body = {"given_name": "Ada", "family_name": "Okafor", "date_of_birth": "1950-01-01"}
    kept = api("POST", "/people", body | {"accessibility_needs": "Deaf:\tBSL\r\nNeeds a loop"}, token=token)
    assert kept.status == 201, kept.body
    assert kept.body["accessibility_needs"] == "Deaf:\tBSL\r\nNeeds a loop"
    _is_problem(
        api("POST", "/people", body | {"accessibility_needs": "Deaf\x00"}, token=token),
        422,
        "accessibility_needs",
    )


def test_a_blocker_due_in_the_far_future_is_refused(api, world):
    token = _token(api, world.officer)
    case = world.refer()
    for due in ("4633-08-11", str(timezone.localdate() + dt.timedelta(days=6 * 366))):
        reply = api(
            "POST",
            f"/discharge/cases/{case.pk}/blockers",
            {"category": "equipment", "description": "Bed rails", "due_on": due},
            token=token,
        )
        _is_problem(reply, 422, "due_on")
    assert not Blocker.objects.exists()
    soon = str(timezone.localdate() + dt.timedelta(days=30))
    ok = api(
        "POST",
        f"/discharge/cases/{case.pk}/blockers",
        {"category": "equipment", "description": "Bed rails", "due_on": soon},
        token=token,
    )
    assert ok.status == 201, ok.body


def test_patch_with_nothing_to_change_writes_nothing_and_records_a_view(api, world):
    token = _token(api, world.clinician)
    person = world.patient
    updates = AuditEvent.objects.filter(person_id=person.pk, action=AuditAction.UPDATE)
    before = updates.count()
    for body in ({}, {"given_name": person.given_name}):
        reply = api("PATCH", f"/people/{person.pk}", body, token=token)
        assert reply.status == 200 and reply.body["given_name"] == person.given_name
    assert updates.count() == before
    assert (
        AuditEvent.objects.filter(
            person_id=person.pk, action=AuditAction.VIEW, purpose__contains="changed nothing"
        ).count()
        == 2
    )


def test_page_forms_refuse_control_characters_naming_the_field(client, world):
    client.force_login(world.clinician.user)
    response = client.post(
        "/people/new/",
        {"given_name": "Ada", "family_name": "Oka\x01for", "date_of_birth": "01/02/1960"},
    )
    assert response.status_code == 400
    assert "Last name must not contain control characters" in response.content.decode()
    assert not Person.objects.filter(given_name="Ada").exists()


def test_page_forms_refuse_implausible_dates_naming_the_field(client, world):
    case = world.refer()
    client.force_login(world.officer.user)
    response = client.post(
        f"/discharge/cases/{case.pk}/blockers/",
        {"category": "equipment", "description": "Bed rails", "due_on": "11/08/4633"},
        follow=True,
    )
    assert "Due date must be within 5 years from today" in response.content.decode()
    assert not Blocker.objects.exists()
