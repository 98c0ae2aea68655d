"""The JSON API over real HTTP (live server): tokens, people, and every kind of bad input as problem+json."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from homeward.core.models import ApiToken, Person
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def call(live_server, method, path, body=None, token=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(f"{live_server.url}/api/v1{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                json.loads(text) if text else None,
            )
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, error.headers.get("Content-Type", ""), json.loads(text) if text else None


@pytest.fixture
def member():
    return MembershipFactory(role=Role.CASEWORKER)


@pytest.fixture
def token(live_server, member):
    status, _, body = call(
        live_server, "POST", "/auth/token", {"username": member.user.username, "password": PASSWORD}
    )
    assert status == 200
    return body["token"]


def test_token_then_create_get_search_and_update_a_person(live_server, token):
    status, _, created = call(
        live_server,
        "POST",
        "/people",
        {
            "given_name": "Ada",
            "family_name": "Okafor",
            "date_of_birth": "1941-07-03",
            "nhs_number": "943 476 5919",
        },
        token,
    )
    assert status == 201 and created["nhs_number"] == "9434765919"
    status, _, found = call(live_server, "GET", f"/people/{created['id']}", token=token)
    assert status == 200 and found["family_name"] == "Okafor"
    status, _, results = call(live_server, "GET", "/people?q=okaf", token=token)
    assert [p["id"] for p in results] == [created["id"]]
    status, _, updated = call(
        live_server, "PATCH", f"/people/{created['id']}", {"phone": "0161 496 0000"}, token
    )
    assert status == 200 and updated["phone"] == "0161 496 0000"
    assert set(AuditEvent.objects.filter(person_id=created["id"]).values_list("action", flat=True)) >= {
        "create",
        "view",
        "update",
    }


def test_no_token_or_a_revoked_or_expired_token_is_401(live_server, token, member):
    assert call(live_server, "GET", "/people?q=a")[0] == 401
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    status, content_type, body = call(live_server, "GET", "/people?q=a", token=token)
    assert status == 401 and content_type == "application/problem+json"


def test_wrong_password_is_401_and_five_failures_lock_even_the_right_password(live_server, member):
    for _ in range(5):
        status, content_type, _ = call(
            live_server, "POST", "/auth/token", {"username": member.user.username, "password": "wrong"}
        )
    assert status in (401, 429) and content_type == "application/problem+json"
    status, _, body = call(
        live_server, "POST", "/auth/token", {"username": member.user.username, "password": PASSWORD}
    )
    assert status == 429 and "locked" in body["detail"]


BAD_INPUTS = [
    ("malformed JSON", None, b'{"given_name": "Ada",', 400, "body"),
    (
        "unknown field",
        {"given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01", "shoe_size": 9},
        None,
        422,
        "shoe_size",
    ),
    (
        "overlong string",
        {"given_name": "A" * 101, "family_name": "B", "date_of_birth": "1950-01-01"},
        None,
        422,
        "given_name",
    ),
    (
        "future date of birth",
        {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"},
        None,
        422,
        "date_of_birth",
    ),
    (
        "bad NHS number",
        {"given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01", "nhs_number": "9434765918"},
        None,
        422,
        "nhs_number",
    ),
    (
        "wrong type",
        {"given_name": "A", "family_name": "B", "date_of_birth": "yesterday"},
        None,
        422,
        "date_of_birth",
    ),
    ("missing field", {"given_name": "A", "date_of_birth": "1950-01-01"}, None, 422, "family_name"),
]


@pytest.mark.parametrize(
    ("case", "body", "raw", "status", "field"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(
    live_server, token, case, body, raw, status, field
):
    before = Person.objects.count()
    got, content_type, problem = call(live_server, "POST", "/people", body, token, raw=raw)
    assert got == status, problem
    assert content_type == "application/problem+json"
    assert problem["status"] == status and problem["title"]
    assert field in [e["field"] for e in problem["errors"]], problem
    assert Person.objects.count() == before


def test_search_without_q_names_q(live_server, token):
    status, _, problem = call(live_server, "GET", "/people", token=token)
    assert status == 422 and [e["field"] for e in problem["errors"]] == ["q"]


def test_another_organisations_person_is_404_with_no_hint(live_server, token):
    stranger = PersonFactory()
    status, _, problem = call(live_server, "GET", f"/people/{stranger.pk}", token=token)
    assert status == 404 and "No person" in problem["detail"]


def test_the_openapi_schema_lists_the_operations(live_server):
    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json", timeout=10) as response:
        schema = json.loads(response.read())
    assert {
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/auth/token",
        "/api/v1/agreements",
        "/api/v1/audit-events",
    } <= set(schema["paths"])
