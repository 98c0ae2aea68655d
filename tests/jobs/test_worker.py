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
from homeward.engines.risk import generate
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.services import WORKER_GONE, start_job
from homeward.outcomes.models import SimulationRun
from homeward.outcomes.simulation import start_simulation
from homeward.prevention.importer import IMPORT_KIND
from homeward.prevention.models import HousingEvent, ImportBatch
from tests.factories import OrganisationFactory, make_actor

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL"), reason="the worker subprocess needs the PostgreSQL test database"
    ),
]
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


def _others_connected() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_with_sigkill_mid_import_leaves_no_partial_rows(tmp_path):
    homes = OrganisationFactory(name="Riverside Homes")
    synthetic = generate(3000, 150_000, seed=5)
    synthetic.write(tmp_path / "x", fmt="parquet")
    (tmp_path / "x" / "planted.parquet").unlink()
    rows = sum(frame.height for name, frame in synthetic.tables.items() if name != "planted")

    def queue() -> Job:
        return start_job(
            kind=IMPORT_KIND, organisation=homes, params={"directory": str(tmp_path / "x")}, label="Import"
        )

    job = queue()
    worker = start_worker(env=worker_env())
    try:
        # Wait until the job is writing: its rows are in its open transaction, its progress is visible.
        _wait(
            lambda: Job.objects.filter(pk=job.pk, message__startswith="Importing").exists(),
            240,
            "the import to start writing",
        )
        seen = Job.objects.get(pk=job.pk)
        assert seen.status == JobStatus.RUNNING and 0 < seen.progress_done < seen.progress_total == rows
        os.kill(worker.pid, 9)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The job's own process dies with the worker, and the database rolls its transaction back.
    _wait(lambda: _others_connected() == 0, 60, "the job's connections to close")
    assert HousingEvent.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING  # nobody has noticed yet

    # A worker that starts marks the job failed, with a message the user can act on.
    restarted = start_worker("--batch", env=worker_env())
    output = restarted.communicate(timeout=120)[0].decode()
    assert restarted.returncode == 0 and "Marked failed 1 job(s)" in output, output
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == WORKER_GONE

    # Started again, the import completes: every row once.
    again = queue()
    rerun = start_worker("--batch", env=worker_env())
    output = rerun.communicate(timeout=600)[0].decode()
    again.refresh_from_db()
    assert again.status == JobStatus.SUCCEEDED, (again.error, output)
    assert HousingEvent.objects.filter(organisation=homes).count() == rows
    assert ImportBatch.objects.count() == 1 and again.progress_done == rows
