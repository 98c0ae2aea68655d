"""`homeward jobs list|show|cancel`, the `--background` import and the demo's worker, run in-process."""

from __future__ import annotations

import json
import sys

import pytest
import typer
from typer.testing import CliRunner

from homeward.cli import jobs as jobs_cli
from homeward.cli import prevention as prevention_cli
from homeward.core.roles import Role
from homeward.engines.risk import generate
from homeward.jobs import services
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.runner import execute
from homeward.prevention.models import HousingEvent
from tests.factories import OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    jobs_cli.register(app)
    prevention_cli.register(app)
    return app


def run(app: typer.Typer, *args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_list_show_and_cancel(app):
    from tests.jobs import test_jobs  # noqa: F401  (registers the test kinds)

    actor = make_actor(Role.ANALYST)
    job = services.start_job(
        kind="test.slow", organisation=actor.organisation, params={}, label="Slow", actor=actor
    )
    listed = run(app, "jobs", "list")
    assert listed.exit_code == 0 and "Slow" in listed.output and "Queued" in listed.output
    shown = json.loads(run(app, "jobs", "show", job.pk, "--json").output)
    assert shown["status"] == "queued" and shown["by"] == actor.user.username
    assert run(app, "jobs", "cancel", job.pk).exit_code == 0
    again = run(app, "jobs", "cancel", job.pk)
    assert again.exit_code == 2 and "job: Job" in again.output and "already cancelled" in again.output
    missing = run(app, "jobs", "show", 999999)
    assert missing.exit_code == 2 and "id: no job 999999" in missing.output
    assert run(app, "jobs", "list", "--status", "nonsense").exit_code == 2


def test_import_in_the_background_queues_a_job_that_imports_all_or_nothing(app, tmp_path, settings):
    settings.HOMEWARD_JOB_ISOLATION = "inline"
    homes = OrganisationFactory(name="Riverside Homes")
    generate(60, 1500, seed=2).write(tmp_path / "x", fmt="csv")
    (tmp_path / "x" / "planted.csv").unlink()
    result = run(
        app, "import", "events", tmp_path / "x", "--organisation", "Riverside Homes", "--background", "--json"
    )
    assert result.exit_code == 0, result.output
    job = Job.objects.get(pk=json.loads(result.output)["job"])
    assert job.created_by is None and job.organisation == homes and not HousingEvent.objects.exists()
    assert execute(job.pk) == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert job.result["summary"].startswith("Imported ") and HousingEvent.objects.count() == job.progress_done
    assert job.progress_done == job.progress_total > 1000
    missing = run(
        app, "import", "events", tmp_path / "nope", "--organisation", "Riverside Homes", "--background"
    )
    assert missing.exit_code == 2 and "directory:" in missing.output


def test_the_demo_starts_the_worker_and_stops_it_with_the_server(monkeypatch):
    started = []

    class FakeProcess:
        pid = 4242

        def __init__(self, argv):
            started.append(argv)
            self.stopped = False

        def terminate(self):
            self.stopped = True

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(jobs_cli.subprocess, "Popen", FakeProcess)
    with jobs_cli.worker_process() as process:
        assert started == [[sys.executable, "-c", "from homeward.cli import main; main()", "worker"]]
    assert process.stopped
    with jobs_cli.worker_process(enabled=False) as nothing:
        assert nothing is None
