"""People over real HTTP: register, read, search and change; every kind of bad input is problem+json."""

from __future__ import annotations

import json
import urllib.request

import pytest

from homeward.core.models import Person
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

ADA = {
    "given_name": "Ada",
    "family_name": "Okafor",
    "date_of_birth": "1941-07-03",
    "nhs_number": "999 000 0018",
    "postcode": "m1 1aa",
    "preferred_language": "Yoruba",
    "interpreter_required": True,
}
VALID = {"given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01"}


@pytest.fixture
def member():
    return MembershipFactory(role=Role.CASEWORKER)


@pytest.fixture
def token(api, member):
    return api.token_for(member)


def test_register_read_search_and_change_a_person(api, token, member):
    created = api("POST", "/people", ADA, token=token)
    assert created.status == 201, created.body
    person = created.body
    assert person["nhs_number"] == "9990000018" and person["postcode"] == "M1 1AA"
    assert person["organisation"] == {
        "id": member.organisation_id,
        "name": member.organisation.name,
        "kind": member.organisation.kind,
        "ods_code": "",
    }

    found = api("GET", f"/people/{person['id']}", token=token)
    by_name = api("GET", "/people?q=okaf", token=token)
    by_dob = api("GET", "/people?q=03/07/1941", token=token)
    by_nhs = api("GET", "/people?q=999%20000%200018", token=token)
    changed = api("PATCH", f"/people/{person['id']}", {"phone": "0161 496 0000"}, token=token)

    assert found.status == 200 and found.body["family_name"] == "Okafor"
    assert found.body["interpreter_required"] is True and found.body["preferred_language"] == "Yoruba"
    for search in (by_name, by_dob, by_nhs):
        assert [p["id"] for p in search.body] == [person["id"]]
    assert changed.status == 200 and changed.body["phone"] == "0161 496 0000"
    assert changed.body["given_name"] == "Ada"  # fields not sent are left alone
    actions = list(AuditEvent.objects.filter(person_id=person["id"]).values_list("action", flat=True))
    assert {"create", "view", "update"} <= set(actions)
    assert AuditEvent.objects.filter(action="search", actor_username=member.user.username).count() == 3


BAD_INPUTS = [
    # case, body or raw bytes, status, field named, text the message contains
    ("malformed JSON", b'{"given_name": "Ada",', 400, "body", "not valid JSON"),
    ("not an object", b"[1, 2]", 422, "body", "dictionary"),
    ("unknown field", VALID | {"shoe_size": 9}, 422, "shoe_size", "Extra inputs"),
    ("overlong string", VALID | {"given_name": "A" * 101}, 422, "given_name", "at most 100"),
    ("overlong postcode", VALID | {"postcode": "M1 1AA 1AA"}, 422, "postcode", "at most 8"),
    ("future date of birth", VALID | {"date_of_birth": "2999-01-01"}, 422, "date_of_birth", "past"),
    ("wrong type", VALID | {"date_of_birth": "yesterday"}, 422, "date_of_birth", "date"),
    (
        "wrong type (boolean)",
        VALID | {"interpreter_required": "perhaps"},
        422,
        "interpreter_required",
        "bool",
    ),
    ("bad NHS number", VALID | {"nhs_number": "9990000017"}, 422, "nhs_number", "Modulus 11"),
    ("short NHS number", VALID | {"nhs_number": "99900"}, 422, "nhs_number", "10 digits"),
    ("unknown code", VALID | {"contact_preference": "pigeon"}, 422, "contact_preference", "phone"),
    ("missing field", {"given_name": "A", "date_of_birth": "1950-01-01"}, 422, "family_name", "required"),
]


@pytest.mark.parametrize(
    ("case", "body", "status", "field", "text"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(
    api, token, case, body, status, field, text
):
    people, events = Person.objects.count(), AuditEvent.objects.count()
    raw = body if isinstance(body, bytes) else None
    reply = api("POST", "/people", None if raw else body, token=token, raw=raw)
    assert reply.status == status, reply.body
    assert reply.content_type == "application/problem+json"
    assert reply.body["status"] == status and reply.body["title"] and reply.body["type"] == "about:blank"
    assert field in reply.fields, reply.body
    message = next(e["message"] for e in reply.body["errors"] if e["field"] == field)
    assert text.lower() in message.lower(), message
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"nhs_number": "9990000017"}, "nhs_number"),
        ({"family_name": "B" * 101}, "family_name"),
        ({"given_name": None}, "given_name"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_a_refused_change_names_the_field_and_leaves_the_person_as_they_were(
    api, token, member, changes, field
):
    person = PersonFactory(organisation=member.organisation, family_name="Unchanged")
    before, events = Person.objects.values().get(pk=person.pk), AuditEvent.objects.count()
    reply = api("PATCH", f"/people/{person.pk}", changes, token=token)
    assert reply.status == 422 and reply.fields == [field], reply.body
    assert Person.objects.values().get(pk=person.pk) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("query", ["", "?q=", "?q=%20%20"])
def test_search_without_a_query_names_q(api, token, query):
    reply = api("GET", f"/people{query}", token=token)
    assert reply.status == 422 and reply.fields == ["q"]
    assert reply.content_type == "application/problem+json"


def test_a_person_held_elsewhere_is_404_like_one_that_does_not_exist(api, token):
    stranger = PersonFactory()
    elsewhere = api("GET", f"/people/{stranger.pk}", token=token)
    missing = api("GET", f"/people/{stranger.pk + 1000}", token=token)
    huge = api("GET", "/people/99999999999999999999", token=token)
    assert elsewhere.status == missing.status == huge.status == 404
    assert elsewhere.body == missing.body
    assert api("PATCH", f"/people/{stranger.pk}", {"phone": "1"}, token=token).status == 404
    assert api("GET", "/people?q=" + stranger.family_name, token=token).body == []


def test_a_role_that_may_not_see_people_gets_404(api):
    analyst = MembershipFactory(role=Role.ANALYST)
    person = PersonFactory(organisation=analyst.organisation)
    token = api.token_for(analyst)
    assert api("GET", f"/people/{person.pk}", token=token).status == 404
    assert api("POST", "/people", VALID, token=token).status == 404
    assert not Person.objects.filter(family_name="B").exists()


def test_a_path_id_of_the_wrong_type_and_an_unknown_path_are_problems(api, token):
    wrong_type = api("GET", "/people/abc", token=token)
    unknown = api("GET", "/nowhere", token=token)
    assert wrong_type.status == 422 and wrong_type.fields == ["person_id"]
    assert unknown.status == 404 and unknown.content_type == "application/problem+json"


def test_the_openapi_schema_lists_the_operations_and_the_docs_are_served(live_server):
    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json", timeout=10) as response:
        schema = json.loads(response.read())
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert {
        ("/api/v1/auth/token", "post"),
        ("/api/v1/auth/token", "delete"),
        ("/api/v1/people", "get"),
        ("/api/v1/people", "post"),
        ("/api/v1/people/{person_id}", "get"),
        ("/api/v1/people/{person_id}", "patch"),
        ("/api/v1/people/{person_id}/consents", "post"),
        ("/api/v1/people/{person_id}/subject-access", "get"),
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations/{organisation_id}", "get"),
        ("/api/v1/agreements", "get"),
        ("/api/v1/agreements", "post"),
        ("/api/v1/agreements/{agreement_id}", "get"),
        ("/api/v1/agreements/{agreement_id}/end", "post"),
        ("/api/v1/audit-events", "get"),
    } <= operations
    assert not any("{rest}" in path for path in schema["paths"])
    with urllib.request.urlopen(f"{live_server.url}/api/v1/docs", timeout=10) as response:
        assert response.status == 200 and b"openapi.json" in response.read()


def test_a_wrong_method_gets_problem_json_naming_the_allowed_ones(api, token):
    reply = api("PUT", "/people", {"family_name": "x"}, token=token)
    assert reply.status == 405 and reply.content_type == "application/problem+json"
    assert reply.body["title"] == "Method not allowed" and "PUT is not allowed" in reply.body["detail"]
    assert "GET" in reply.headers.get("Allow", "") and "POST" in reply.headers.get("Allow", "")
