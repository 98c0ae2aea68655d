"""While the database is unreachable (restarting, failing over), requests fail cleanly with 503: an error
page for staff, problem+json for the APIs, never a traceback; and the next request after it is back works."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import PASSWORD, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(table: str, statement: str = ""):
    """Every query touching `table` (and starting with `statement`) fails as it does when PostgreSQL
    restarts mid-request."""

    def refuse(execute, sql, params, many, context):
        if table in sql and sql.startswith(statement):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def world():
    actor = make_actor()
    person = PersonFactory(organisation=actor.organisation)
    client = Client(raise_request_exception=False)
    client.force_login(actor.user)
    api = Client(raise_request_exception=False)
    reply = api.post(
        "/api/v1/auth/token",
        data=json.dumps(
            {"username": actor.user.username, "password": PASSWORD, "organisation_id": actor.organisation_id}
        ),
        content_type="application/json",
    )
    assert reply.status_code == 200, reply.content
    return {"client": client, "api": api, "token": reply.json()["token"], "person": person}


def test_a_page_answers_503_with_an_error_page_and_recovers(world):
    url = f"/people/{world['person'].pk}/"
    with database_down("core_person"):
        response = world["client"].get(url)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body and "Traceback" not in body
    assert "no-store" in response["Cache-Control"] and "Content-Security-Policy" in response
    assert world["client"].get(url).status_code == 200


def test_a_failure_in_middleware_before_the_view_is_a_503_too(world):
    with database_down("django_session"):
        response = world["client"].get("/")
    assert response.status_code == 503 and "Sorry, the service is unavailable" in response.content.decode()


def test_a_failure_saving_the_session_after_the_view_is_a_503_not_a_400(world):
    with database_down("django_session", "UPDATE"):
        response = world["client"].get(f"/people/{world['person'].pk}/")
    assert response.status_code == 503 and "Sorry, the service is unavailable" in response.content.decode()


def test_the_api_answers_503_problem_json_and_recovers(world):
    url = f"/api/v1/people/{world['person'].pk}"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    with database_down("core_person"):
        response = world["api"].get(url, **headers)
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 503 and problem["title"] == "Service Unavailable"
    assert "database is unavailable" in problem["detail"] and response["Retry-After"] == "5"
    assert world["api"].get(url, **headers).status_code == 200


def test_fhir_answers_503_as_an_operation_outcome(world):
    """FHIR clients expect every error as an OperationOutcome (#26), the database being down included."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    with database_down("core_person"):
        response = world["api"].get(f"/fhir/R4/Patient/{world['person'].pk}", **headers)
    assert response.status_code == 503 and response["Content-Type"] == "application/fhir+json"
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["severity"] == "error"
