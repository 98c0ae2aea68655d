"""Over HTTP: a support plan goal's progress (met / partly met / not met, with the day) and closing a risk
with the reason. Bad input names the field (422) and writes nothing; writes are audited; another
organisation gets 404."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.governance.models import AuditEvent
from homeward.housing import assessment, keywork
from homeward.housing.models import PlacementEvent
from tests.housing.conftest import ARRIVED, TODAY
from tests.housing.test_api_records import _fields, _post, _token


@pytest.fixture
def resident(world):
    return world.house()


@pytest.fixture
def goal(world, resident):
    return keywork.add_goal(
        actor=world.worker,
        placement_id=resident.pk,
        area="physical_health",
        description="Use the gym twice a week",
        set_on=ARRIVED + dt.timedelta(days=5),
    )


@pytest.fixture
def risk(world, resident):
    return assessment.add_risk(
        actor=world.worker,
        placement_id=resident.pk,
        to_whom="self",
        category="overdose",
        level="high",
        description="Uses alone in the room",
        mitigation="Naloxone kit; hourly checks at night",
        identified_on=ARRIVED + dt.timedelta(days=2),
    )


def test_a_goals_progress_is_recorded_with_the_day_read_back_and_audited(world, client, resident, goal):
    url = f"/api/v1/housing/placements/{resident.pk}/goals/{goal.pk}/progress"
    done = _post(client, world.worker, url, {"progress": "partly_met", "on": str(TODAY)})
    assert done.status_code == 200, done.content
    assert done.json()["progress"] == "partly_met" and done.json()["progress_on"] == str(TODAY)
    plan = client.get(f"/api/v1/housing/placements/{resident.pk}/plan", **_token(client, world.worker)).json()
    assert plan["goals"][0]["progress_on"] == str(TODAY)
    met = _post(client, world.worker, url, {"progress": "met", "on": str(TODAY)})
    assert met.status_code == 200 and met.json()["progress"] == "met"
    assert (
        AuditEvent.objects.filter(purpose="Update a support plan goal", person_id=resident.person_id).count()
        == 2
    )
    assert PlacementEvent.objects.filter(placement=resident, title="Goal met").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"progress": "nearly", "on": str(TODAY)}, "progress"),
        ({"progress": "met"}, "on"),
        ({"progress": "met", "on": str(TODAY + dt.timedelta(days=1))}, "on"),
        ({"progress": "met", "on": str(ARRIVED)}, "on"),  # before the goal was set
        ({"progress": "met", "on": str(TODAY), "extra": 1}, "extra"),
    ],
)
def test_bad_progress_names_the_field_and_writes_nothing(world, client, resident, goal, body, field):
    url = f"/api/v1/housing/placements/{resident.pk}/goals/{goal.pk}/progress"
    refused = _post(client, world.worker, url, body)
    assert refused.status_code == 422, refused.content
    assert field in _fields(refused)
    goal.refresh_from_db()
    assert (goal.progress, goal.progress_on) == ("agreed", None)
    assert not AuditEvent.objects.filter(purpose="Update a support plan goal").exists()


def test_a_risk_is_closed_with_the_reason_and_audited(world, client, resident, risk):
    url = f"/api/v1/housing/placements/{resident.pk}/risks/{risk.pk}/close"
    done = _post(
        client, world.worker, url, {"on": str(TODAY), "reason": "Engaged with treatment; no use for 6 weeks"}
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert (
        body["closed_on"] == str(TODAY)
        and body["closed_reason"] == "Engaged with treatment; no use for 6 weeks"
    )
    assert AuditEvent.objects.filter(purpose="Close a risk", person_id=resident.person_id).count() == 1
    again = _post(client, world.worker, url, {"on": str(TODAY), "reason": "Again"})
    assert again.status_code == 422 and "already closed" in again.content.decode()
    risk.refresh_from_db()
    assert risk.closed_reason == "Engaged with treatment; no use for 6 weeks"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": str(TODAY)}, "reason"),
        ({"on": str(TODAY), "reason": "   "}, "reason"),
        ({"on": str(TODAY), "reason": "x" * 501}, "reason"),
        ({"reason": "Moved on"}, "on"),
        ({"on": str(ARRIVED), "reason": "Moved on"}, "on"),  # before it was identified
        ({"on": str(TODAY + dt.timedelta(days=1)), "reason": "Moved on"}, "on"),
    ],
)
def test_closing_a_risk_with_bad_input_names_the_field_and_writes_nothing(
    world, client, resident, risk, body, field
):
    url = f"/api/v1/housing/placements/{resident.pk}/risks/{risk.pk}/close"
    refused = _post(client, world.worker, url, body)
    assert refused.status_code == 422, refused.content
    assert field in _fields(refused)
    risk.refresh_from_db()
    assert (risk.closed_on, risk.closed_reason) == (None, "")
    assert not AuditEvent.objects.filter(purpose="Close a risk").exists()


def test_another_organisation_gets_404_and_writes_nothing(world, client, resident, goal, risk):
    base = f"/api/v1/housing/placements/{resident.pk}"
    for url, body in (
        (f"{base}/goals/{goal.pk}/progress", {"progress": "met", "on": str(TODAY)}),
        (f"{base}/risks/{risk.pk}/close", {"on": str(TODAY), "reason": "Moved on"}),
    ):
        assert _post(client, world.probation_officer, url, body).status_code == 404, url
    goal.refresh_from_db()
    risk.refresh_from_db()
    assert goal.progress == "agreed" and risk.closed_on is None


def test_the_new_operations_have_unique_openapi_names(client):
    schema = client.get("/api/v1/openapi.json").json()
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert any(i.endswith("record_housing_goal_progress") for i in ids)
    assert any(i.endswith("close_housing_risk") for i in ids)
    schemas = schema["components"]["schemas"]
    assert {"HousingGoalProgressIn", "HousingRiskCloseIn"} <= set(schemas)
