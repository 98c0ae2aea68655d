"""Healthy homes and the team's work over the JSON API: a visit with a hazard scored by the engine, a bad
spread answered naming the field; an Awaab's Law report with the engine's clocks; tasks, the schedule of
works and the test of resources of a case; another organisation without an agreement gets 404."""

from __future__ import annotations

import json

import pytest

from homeward.adaptations.healthy_models import HazardFinding
from homeward.adaptations.models import Quote, TeamTask
from tests.adaptations.test_access import _token

pytestmark = pytest.mark.django_db


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def test_a_visit_and_its_hazard_over_the_api(client, world):
    auth = _token(client, world.officer)
    visit = _post(
        client,
        "/api/v1/adaptations/visits",
        {"person_id": world.applicant.pk, "visited_on": "2026-03-02"},
        auth,
    )
    assert visit.status_code == 201, visit.content
    visit_id = visit.json()["id"]
    hazard = _post(
        client,
        f"/api/v1/adaptations/visits/{visit_id}/hazards",
        {"hazard": "falls_stairs", "likelihood": 10, "spread": [1, 0, 0, 99], "action": "adaptation"},
        auth,
    )
    assert hazard.status_code == 201, hazard.content
    assert (hazard.json()["band"], hazard.json()["category"], hazard.json()["score"]) == ("C", 1, 1099.0)
    bad = _post(
        client,
        f"/api/v1/adaptations/visits/{visit_id}/hazards",
        {"hazard": "falls_stairs", "likelihood": 10, "spread": [1, 0, 0, 98], "action": "adaptation"},
        auth,
    )
    assert bad.status_code in (400, 422) and bad["Content-Type"] == "application/problem+json"
    assert any(e["field"] == "spread" and "sum to 100" in e["message"] for e in bad.json()["errors"])
    assert HazardFinding.objects.count() == 1
    read = client.get(f"/api/v1/adaptations/visits/{visit_id}", **auth).json()
    assert read["hazards"][0]["spread"] == [1, 0, 0, 99]
    stranger = _token(client, world.stranger)
    assert client.get(f"/api/v1/adaptations/visits/{visit_id}", **stranger).status_code == 404


def test_an_awaab_report_over_the_api_has_the_engines_clocks(client, world):
    auth = _token(client, world.officer)
    report = _post(
        client,
        "/api/v1/adaptations/awaab-reports",
        {
            "person_id": world.applicant.pk,
            "hazard": "emergency",
            "aware_at": "2026-11-02T09:00:00+00:00",
            "description": "Exposed wiring after a leak",
        },
        auth,
    )
    assert report.status_code == 201, report.content
    clocks = {c["kind"]: c for c in report.json()["clocks"]}
    assert clocks["emergency_investigation"]["due_at"].startswith("2026-11-03T09:00")
    assert clocks["emergency_investigation"]["status"] == "breached"
    early = _post(
        client,
        f"/api/v1/adaptations/awaab-reports/{report.json()['id']}/steps",
        {"step": "safety_work_done_at", "at": "2026-11-01T09:00:00+00:00"},
        auth,
    )
    assert early.status_code in (400, 422)
    assert any(e["field"] == "at" for e in early.json()["errors"])
    naive = _post(
        client,
        f"/api/v1/adaptations/awaab-reports/{report.json()['id']}/steps",
        {"step": "safety_work_done_at", "at": "2026-11-02T12:00:00"},
        auth,
    )
    assert naive.status_code == 422  # a time without its zone is refused by the schema


def test_tasks_schedule_and_quotes_over_the_api(client, world):
    auth = _token(client, world.officer)
    case = world.walk(world.open(), "application")
    task = _post(
        client,
        f"/api/v1/adaptations/cases/{case.pk}/tasks",
        {
            "kind": "survey",
            "owner_role": "technical_officer",
            "organisation_id": world.district.pk,
            "working_days": 10,
        },
        auth,
    )
    assert task.status_code == 201, task.content
    done = _post(
        client, f"/api/v1/adaptations/cases/{case.pk}/tasks/done", {"task_id": task.json()["id"]}, auth
    )
    assert done.status_code == 200 and done.json()["done_on"] is not None
    assert TeamTask.objects.get().done_on is not None
    for name, amount in (("Builder A", "4000.00"), ("Builder B", "4500.00")):
        quoted = _post(
            client,
            f"/api/v1/adaptations/cases/{case.pk}/works/quotes",
            {"contractor": name, "amount": amount, "received_on": "2026-02-02"},
            auth,
        )
        assert quoted.status_code == 201, quoted.content
    dearer = Quote.objects.get(contractor="Builder B")
    refused = _post(
        client, f"/api/v1/adaptations/cases/{case.pk}/works/choice", {"quote_id": dearer.pk}, auth
    )
    assert refused.status_code in (400, 422)
    assert any(e["field"] == "reason" for e in refused.json()["errors"])
    chosen = _post(
        client,
        f"/api/v1/adaptations/cases/{case.pk}/works/choice",
        {"quote_id": dearer.pk, "reason": "Sooner start"},
        auth,
    )
    assert chosen.status_code == 200 and chosen.json()["approved_cost"] == "4500.00"
    schedule = client.get(f"/api/v1/adaptations/cases/{case.pk}/works", **auth).json()
    assert [q["contractor"] for q in schedule["quotes"]] == ["Builder A", "Builder B"]
    tests = client.get(f"/api/v1/adaptations/cases/{case.pk}/resources-tests", **auth)
    assert tests.status_code == 200 and tests.json() == []
    missing = _post(
        client, f"/api/v1/adaptations/cases/{case.pk}/resources-tests", {"personal_allowance": "single"}, auth
    )
    assert missing.status_code in (400, 422)  # no DFG tables loaded: the missing table is named
    assert "table" in json.dumps(missing.json()).lower()
