"""The real worker (`homeward worker`, a subprocess) against the test database, beside a live server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.db import connection

from homeward.core.roles import Role
from homeward.jobs.models import Job, JobStatus
from homeward.outcomes.models import SimulationRun
from homeward.outcomes.simulation import start_simulation
from tests.factories import make_actor

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="the worker subprocess needs the PostgreSQL test database"
)
BASELINE = yaml.safe_load(
    (Path(__file__).parents[2] / "examples" / "scenarios" / "baseline.yaml").read_text()
)


def worker_env(**extra: str) -> dict[str, str]:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    env = {**os.environ, **extra}
    env["DATABASE_URL"] = f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    env.pop("HOMEWARD_JOB_ISOLATION", None)
    return env


def start_worker(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from homeward.cli import main; main()", "worker", "--interval", "0.1", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def session_cookie(client, user) -> str:
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def session_get(live_server, cookie: str, path: str, timeout: float = 30) -> tuple[int, str]:
    request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status, response.read().decode()


def test_a_job_over_its_memory_ceiling_fails_cleanly_while_the_server_keeps_serving(live_server, client):
    lead = make_actor(Role.TEAM_LEAD)
    # Within the work limit (3,650 days × 270 = 985,500 day-replications) but some hundreds of MB of arrays.
    hungry = start_simulation(
        actor=lead, name="Ten years", scenario=BASELINE | {"horizon_days": 3650}, replications=270, seed=1
    )
    small = start_simulation(actor=lead, name="One year", scenario=BASELINE, replications=10, seed=1)
    cookie = session_cookie(client, lead.user)
    assert session_get(live_server, cookie, "/jobs/", timeout=120)[0] == 200  # the server has loaded
    worker = start_worker("--batch", env=worker_env(HOMEWARD_JOB_MEMORY_MB="256"))
    answers = []
    try:
        while worker.poll() is None:
            status, _ = session_get(live_server, cookie, f"/jobs/{hungry.pk}/status/")
            answers.append(status)
            time.sleep(0.2)
        output = worker.stdout.read().decode()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert answers and set(answers) == {200}
    hungry.refresh_from_db(), small.refresh_from_db()
    assert hungry.status == JobStatus.FAILED, (hungry.error, output)
    assert "The job needed more memory than its ceiling of 256 MB" in hungry.error
    assert not SimulationRun.objects.filter(name="Ten years").exists()
    # The worker carried on with the next job, and the server still answers.
    assert small.status == JobStatus.SUCCEEDED, small.error
    assert SimulationRun.objects.filter(name="One year").count() == 1
    status, page = session_get(live_server, cookie, f"/jobs/{hungry.pk}/")
    assert status == 200 and "This job failed" in page and "ceiling of 256 MB" in page
    assert Job.objects.filter(status=JobStatus.RUNNING).count() == 0
