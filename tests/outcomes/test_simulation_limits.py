"""Bounds on a simulation: days, replications and their product, refused by the form and the API naming the
field and the limit, before any job is queued (docs/limits.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from homeward.core.roles import Role
from homeward.jobs.models import Job
from homeward.outcomes.models import SimulationRun
from tests.factories import PASSWORD, make_actor
from tests.outcomes.test_simulator import _form

pytestmark = pytest.mark.django_db
BASELINE = yaml.safe_load(
    (Path(__file__).parents[2] / "examples" / "scenarios" / "baseline.yaml").read_text()
)


def test_the_what_if_form_refuses_horizon_times_replications_over_the_limit(client):
    actor = make_actor(Role.TEAM_LEAD)
    client.force_login(actor.user)
    # The request from the issue: a million days, 200 replications.
    response = client.post("/outcomes/simulate/", _form(horizon_days=1_000_000, replications=200))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["horizon_days"] == [
        "Days simulated is 1,000,000; the limit is 3,650 (setting HOMEWARD_SIM_MAX_HORIZON_DAYS)"
    ]
    # Each within its own limit, but together over the work one run may ask for.
    response = client.post("/outcomes/simulate/", _form(horizon_days=3000, warmup_days=30, replications=2000))
    assert response.status_code == 400
    assert response.context["form"].errors["replications"] == [
        "Days simulated (horizon_days) × replications is 6,000,000; the limit is 1,000,000 "
        "(setting HOMEWARD_SIM_MAX_DAY_REPLICATIONS)"
    ]
    page = response.content.decode()
    assert "the limit is 1,000,000" in page and 'href="#id_replications"' in page
    assert not Job.objects.exists() and not SimulationRun.objects.exists()


def test_the_limit_follows_its_setting(client, settings):
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "simulation_day_replications": 1000}
    client.force_login(make_actor(Role.TEAM_LEAD).user)
    response = client.post("/outcomes/simulate/", _form(horizon_days=180, replications=10))
    assert "the limit is 1,000 " in response.context["form"].errors["replications"][0]


def _token(client, actor) -> dict[str, str]:
    body = {"username": actor.user.username, "password": PASSWORD, "organisation_id": actor.organisation_id}
    token = client.post("/api/v1/auth/token", json.dumps(body), content_type="application/json").json()[
        "token"
    ]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, auth, **body):
    return client.post("/api/v1/simulations", json.dumps(body), content_type="application/json", **auth)


def test_the_api_refuses_horizon_times_replications_over_the_limit_naming_the_field(client):
    actor = make_actor(Role.TEAM_LEAD)
    auth = _token(client, actor)
    response = _post(
        client, auth, name="Huge", scenario=BASELINE | {"horizon_days": 1_000_000}, replications=200
    )
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "horizon_days",
            "message": "Days simulated is 1,000,000; the limit is 3,650 "
            "(setting HOMEWARD_SIM_MAX_HORIZON_DAYS)",
        }
    ]
    response = _post(client, auth, name="Long", scenario=BASELINE | {"horizon_days": 3650}, replications=1000)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "replications" and "3,650,000; the limit is 1,000,000" in error["message"]
    assert not Job.objects.exists()


def test_the_api_queues_a_run_within_the_limits_and_the_job_links_to_it(client):
    actor = make_actor(Role.TEAM_LEAD)
    auth = _token(client, actor)
    response = _post(client, auth, name="Baseline", scenario=BASELINE, replications=20, seed=3)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["url"] == f"/api/v1/jobs/{job['id']}"
    run = SimulationRun.objects.get(name="Baseline")  # here the job ran at once (tests.jobs.helpers)
    polled = client.get(job["url"], **auth).json()
    assert polled["status"] == "succeeded"
    assert polled["result"]["url"] == f"/outcomes/simulate/{run.pk}/"
    assert (polled["progress_done"], polled["progress_total"]) == (20, 20)


def test_roles_without_the_simulator_get_404_from_the_api(client):
    actor = make_actor(Role.ADMIN)
    response = _post(client, _token(client, actor), name="x", scenario=BASELINE, replications=20)
    assert response.status_code == 404
