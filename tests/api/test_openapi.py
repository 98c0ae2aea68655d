"""The OpenAPI document tells the truth: errors documented as problem+json, codes as enums, bounds stated."""

from __future__ import annotations

import pytest

from homeward.core.validators import MAX_ID, MAX_OFFSET

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", method, operation


def test_every_operation_documents_its_errors_as_problem_json(document):
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]
    missing = []
    for label, method, operation in _operations(document):
        wanted = {"401", "404", "405", "409", "422", "429"} | ({"400"} if method != "get" else set())
        for status in sorted(wanted):
            response = operation["responses"].get(status)
            if response is None or "application/problem+json" not in response.get("content", {}):
                missing.append(f"{label} {status}")
    assert not missing, missing


def test_codes_are_enums_and_bounds_are_stated(document):
    schemas = document["components"]["schemas"]
    consent = schemas["ConsentIn"]["properties"]
    for field in ("purpose", "status", "lawful_basis"):
        ref = consent[field].get("$ref", "").rsplit("/", 1)[-1]
        assert schemas[ref]["enum"], field
    worklist = {p["name"]: p for p in document["paths"]["/api/v1/discharge/cases"]["get"]["parameters"]}
    assert (
        worklist["ward_id"]["schema"]["maximum"] == MAX_ID and worklist["ward_id"]["schema"]["minimum"] == 1
    )
    assert worklist["offset"]["schema"]["maximum"] == MAX_OFFSET
    assert "enum" in worklist["view"]["schema"]
    search = {p["name"]: p for p in document["paths"]["/api/v1/people"]["get"]["parameters"]}
    assert search["q"]["schema"]["minLength"] == 1
    case_path = document["paths"]["/api/v1/discharge/cases/{case_id}"]["get"]["parameters"][0]
    assert case_path["schema"]["maximum"] == MAX_ID
    # Text fields state the control-character rule as a pattern.
    assert schemas["PersonIn"]["properties"]["given_name"]["pattern"].startswith("^[^\\u0000-\\u001f]")
