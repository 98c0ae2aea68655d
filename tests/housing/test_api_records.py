"""The API for a stay's and a scheme's records, over HTTP with a real client: needs and risk assessments,
the support plan, key-work sessions, incidents (a safeguarding incident without a description is refused,
naming the field), departures with follow-ups, and the standards evidence export. Reads are audited;
bad input writes nothing; another organisation without an agreement gets 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from homeward.housing import keywork, moveon
from homeward.housing.models import Incident, NeedsAssessment, PlanReview
from tests.factories import PASSWORD, make_actor
from tests.housing.conftest import ARRIVED, TODAY

DOMAINS = ["economic_wellbeing", "enjoy_and_achieve", "be_healthy", "stay_safe", "positive_contribution"]


def _token(client, actor):
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": actor.user.username, "password": PASSWORD}),
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def _post(client, actor, url, body):
    return client.post(url, json.dumps(body), content_type="application/json", **_token(client, actor))


def _fields(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def resident(world):
    return world.house()


def test_an_assessment_posted_is_read_back_with_its_risks_and_the_read_is_audited(world, client, resident):
    base = f"/api/v1/housing/placements/{resident.pk}"
    needs = [{"domain": d, "level": "none"} for d in DOMAINS]
    needs[2] = {"domain": "be_healthy", "level": "high", "note": "See the drug and alcohol service"}
    created = _post(client, world.worker, f"{base}/assessments", {"assessed_on": str(TODAY), "needs": needs})
    assert created.status_code == 201, created.content
    risk = _post(
        client,
        world.worker,
        f"{base}/risks",
        {
            "to_whom": "self",
            "category": "overdose",
            "level": "high",
            "description": "Uses alone in the room",
            "mitigation": "Naloxone kit; hourly checks at night",
            "identified_on": str(TODAY),
        },
    )
    assert risk.status_code == 201, risk.content
    got = client.get(f"{base}/assessments", **_token(client, world.worker))
    body = got.json()
    assert got.status_code == 200
    assert body["first_assessed_on"] == str(TODAY) and body["is_overdue"] is True  # 50 days after arrival
    (found,) = body["assessments"]
    assert {"domain": "be_healthy", "level": "high", "note": "See the drug and alcohol service"} in found[
        "needs"
    ]
    assert body["risks"][0]["mitigation"] == "Naloxone kit; hourly checks at night"
    assert AuditEvent.objects.filter(
        purpose="View needs and risk assessments (API)", person_id=resident.person_id
    ).exists()


def test_an_assessment_missing_a_domain_names_it_and_writes_nothing(world, client, resident):
    response = _post(
        client,
        world.worker,
        f"/api/v1/housing/placements/{resident.pk}/assessments",
        {"assessed_on": str(TODAY), "needs": [{"domain": "be_healthy", "level": "some"}]},
    )
    assert response.status_code == 422
    fields = _fields(response)
    assert "need_stay_safe" in fields and "note_be_healthy" in fields
    assert not NeedsAssessment.objects.exists()


def test_the_plan_api_agrees_goals_refuses_a_review_before_the_plan_and_shows_what_is_due(
    world, client, resident
):
    base = f"/api/v1/housing/placements/{resident.pk}"
    agreed = ARRIVED + dt.timedelta(days=10)
    goal = _post(
        client,
        world.worker,
        f"{base}/goals",
        {"area": "physical_health", "description": "Use the gym twice a week", "set_on": str(agreed)},
    )
    assert goal.status_code == 201 and goal.json()["progress"] == "agreed"
    early = _post(
        client,
        world.worker,
        f"{base}/reviews",
        {
            "reviewed_on": str(agreed - dt.timedelta(days=1)),
            "summary": "Too early",
            "readiness": "not_yet",
            "next_review_on": str(TODAY + dt.timedelta(days=30)),
        },
    )
    assert early.status_code == 422 and "reviewed_on" in _fields(early)
    assert not PlanReview.objects.exists()
    review = _post(
        client,
        world.worker,
        f"{base}/reviews",
        {
            "reviewed_on": str(TODAY),
            "summary": "Going to the gym; drinking less",
            "readiness": "preparing",
            "move_on_plan": "Bid for a one-bedroom flat",
            "next_review_on": str(TODAY + dt.timedelta(days=91)),
            "outcomes": [{"domain": "be_healthy", "outcome": "partly"}],
        },
    )
    assert review.status_code == 201, review.content
    plan = client.get(f"{base}/plan", **_token(client, world.worker)).json()
    assert plan["agreed_on"] == str(agreed) and plan["is_overdue"] is False
    assert plan["next_review_on"] == str(TODAY + dt.timedelta(days=91))
    assert plan["readiness"] == "preparing" and plan["reviews"][0]["outcomes"] == {"be_healthy": "partly"}
    assert [g["description"] for g in plan["goals"]] == ["Use the gym twice a week"]


def test_sessions_are_listed_latest_first(world, client, resident):
    for days in (3, 1):
        keywork.record_session(
            actor=world.worker,
            placement_id=resident.pk,
            held_on=TODAY - dt.timedelta(days=days),
            minutes=45,
            areas=["mental_health"],
        )
    got = client.get(f"/api/v1/housing/placements/{resident.pk}/sessions", **_token(client, world.worker))
    assert [s["held_on"] for s in got.json()] == [
        str(TODAY - dt.timedelta(days=1)),
        str(TODAY - dt.timedelta(days=3)),
    ]


def test_a_safeguarding_incident_without_a_description_is_refused_naming_the_field(world, client, resident):
    url = f"/api/v1/housing/schemes/{world.scheme.pk}/incidents"
    when = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    body = {
        "occurred_at": when,
        "kind": "overdose",
        "action_taken": "Naloxone given; ambulance called",
        "resident_ids": [resident.pk],
        "is_safeguarding": True,
        "ambulance_called": True,
    }
    refused = _post(client, world.worker, url, body)
    assert refused.status_code == 422
    assert "safeguarding" in _fields(refused)["description"]
    assert not Incident.objects.exists()
    made = _post(client, world.worker, url, body | {"description": "Found drowsy in the corridor"})
    assert made.status_code == 201, made.content
    assert made.json()["safeguarding_alerted_at"] is not None
    listed = client.get(url, **_token(client, world.worker)).json()
    assert [(i["kind"], i["resident_ids"]) for i in listed] == [("overdose", [resident.pk])]
    assert AuditEvent.objects.filter(
        purpose=f"Scheme incidents (API): {world.scheme.name}", detail__placements=[resident.pk]
    ).exists()


def test_departures_are_listed_with_their_follow_ups(world, client, resident):
    left = TODAY - dt.timedelta(days=5)
    moveon.depart(
        actor=world.worker,
        placement_id=resident.pk,
        on=left,
        reason="planned",
        destination="independent_tenancy",
    )
    got = client.get(
        f"/api/v1/housing/schemes/{world.scheme.pk}/departures",
        {"start": str(left), "end": str(TODAY)},
        **_token(client, world.worker),
    )
    (departure,) = got.json()
    assert departure["reason"] == "planned" and departure["destination"] == "independent_tenancy"
    assert [f["months"] for f in departure["follow_ups"]] == [3, 6, 12]
    later = client.get(
        f"/api/v1/housing/schemes/{world.scheme.pk}/departures",
        {"start": str(TODAY - dt.timedelta(days=4))},
        **_token(client, world.worker),
    )
    assert later.json() == []


def test_the_standards_export_is_counts_only_for_the_provider_and_commissioner_and_audited(
    world, client, resident
):
    url = f"/api/v1/housing/schemes/{world.scheme.pk}/standards"
    mine = client.get(url, **_token(client, world.worker))
    assert mine.status_code == 200
    body = mine.json()
    keys = {s["key"] for s in body["standards"]}
    assert keys == {"person_centred", "empowerment", "environment", "staff_and_safeguarding", "local_need"}
    assert resident.person.family_name not in mine.content.decode()
    council = client.get(url, **_token(client, world.officer))  # the scheme's commissioner
    assert council.status_code == 200
    assert AuditEvent.objects.filter(action="export", purpose__startswith="Standards evidence").count() == 2
    assert client.get(url, **_token(client, world.probation_officer)).status_code == 404
    backwards = client.get(
        url, {"start": str(TODAY), "end": str(TODAY - dt.timedelta(days=1))}, **_token(client, world.worker)
    )
    assert backwards.status_code == 422 and "end" in _fields(backwards)


def test_another_organisation_or_a_role_without_people_gets_404_on_every_new_read(world, client, resident):
    commissioner = make_actor(Role.COMMISSIONER, world.provider)
    urls = [
        f"/api/v1/housing/placements/{resident.pk}/assessments",
        f"/api/v1/housing/placements/{resident.pk}/plan",
        f"/api/v1/housing/placements/{resident.pk}/sessions",
        f"/api/v1/housing/schemes/{world.scheme.pk}/incidents",
        f"/api/v1/housing/schemes/{world.scheme.pk}/departures",
    ]
    for actor in (world.probation_officer, commissioner):
        for url in urls:
            assert client.get(url, **_token(client, actor)).status_code == 404, (actor, url)
