"""The jobs layer: progress, errors shown to the user, all-or-nothing writes, cancel, who sees a job."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connections
from django.test import Client

from homeward.core.models import Organisation
from homeward.core.roles import Role
from homeward.jobs import registry, services
from homeward.jobs.models import Job, JobStatus
from homeward.jobs.runner import execute
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, make_actor

started = threading.Event()
release = threading.Event()


def _slow(job, context):
    for i in range(1, 6):
        context.progress(i, 10, f"Step {i} of 10", force=True)
    started.set()
    assert release.wait(20)
    return {"summary": "All ten steps done"}


def _boom(job, context):
    Organisation.objects.create(name="Written then rolled back")
    context.progress(1, 2, "Half way", force=True)
    raise ValueError("the extract's row 3 has no tenancy_ref")


def _cancellable(job, context):
    Organisation.objects.create(name="Cancelled writes")
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    context.progress(1, 2, "Checking for cancel", force=True)
    return {"summary": "should not get here"}


def _hungry(job, context):
    big = bytearray(4 * 1024**3)  # over any ceiling a test sets
    return {"summary": str(len(big))}


registry.register("test.slow", label="Slow test job", run=_slow)
registry.register("test.boom", label="Failing test job", run=_boom)
registry.register("test.cancel", label="Cancelled test job", run=_cancellable)
registry.register("test.hungry", label="Memory-hungry test job", run=_hungry)


def _start(kind: str, actor) -> Job:
    return services.start_job(kind=kind, organisation=actor.organisation, params={}, label=kind, actor=actor)


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_while_the_job_runs():
    actor = make_actor(Role.ANALYST)
    job = _start("test.slow", actor)
    started.clear(), release.clear()

    def run_then_close(job_id: int) -> None:
        try:
            execute(job_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run_then_close, args=(job.pk,))
    thread.start()
    try:
        assert started.wait(20)
        # This thread has its own database connection: it sees the progress the job's connection wrote
        # while the job's transaction is still open.
        seen = Job.objects.get(pk=job.pk)
        assert seen.status == JobStatus.RUNNING
        assert (seen.progress_done, seen.progress_total, seen.message) == (5, 10, "Step 5 of 10")
        client = Client()
        client.force_login(actor.user)
        page = client.get(f"/jobs/{job.pk}/status/").content.decode()
        assert "5 of 10" in page and "Step 5 of 10" in page and 'hx-trigger="every 1s"' in page
    finally:
        release.set()
        thread.join(20)
    done = Job.objects.get(pk=job.pk)
    assert done.status == JobStatus.SUCCEEDED
    assert done.result == {"summary": "All ten steps done"}


@pytest.mark.django_db
def test_a_jobs_exception_is_shown_to_the_user_and_its_writes_are_rolled_back(client):
    actor = make_actor(Role.ANALYST)
    job = _start("test.boom", actor)
    assert execute(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error == "ValueError: the extract's row 3 has no tenancy_ref"
    assert not Organisation.objects.filter(name="Written then rolled back").exists()
    client.force_login(actor.user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "This job failed" in page and "the extract&#x27;s row 3 has no tenancy_ref" in page
    assert "hx-trigger" not in page  # finished: no more polling
    listing = client.get("/jobs/").content.decode()
    assert "the extract&#x27;s row 3 has no tenancy_ref" in listing


@pytest.mark.django_db
def test_cancel_a_queued_job_and_a_running_one(client):
    actor = make_actor(Role.ANALYST)
    queued = _start("test.slow", actor)
    client.force_login(actor.user)
    response = client.post(f"/jobs/{queued.pk}/cancel/")
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED
    assert execute(queued.pk) == "not run: no longer queued"
    running = _start("test.cancel", actor)
    assert execute(running.pk) == JobStatus.CANCELLED
    assert not Organisation.objects.filter(name="Cancelled writes").exists()
    again = client.post(f"/jobs/{running.pk}/cancel/", follow=True).content.decode()
    assert "has already cancelled" in again


@pytest.mark.django_db
def test_another_organisation_cannot_see_or_cancel_a_job(client):
    owner = make_actor(Role.ANALYST)
    job = _start("test.slow", owner)
    colleague = MembershipFactory(organisation=owner.organisation, role=Role.CASEWORKER)
    other = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere Homes"), role=Role.ANALYST)
    client.force_login(colleague.user)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert "slow" in client.get("/jobs/").content.decode()
    outsider = Client()
    outsider.force_login(other.user)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert "test.slow" not in outsider.get("/jobs/").content.decode()
    token = outsider.post(
        "/api/v1/auth/token",
        data=json.dumps(
            {"username": other.user.username, "password": PASSWORD, "organisation_id": other.organisation_id}
        ),
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert outsider.get(f"/api/v1/jobs/{job.pk}", **auth).status_code == 404
    assert outsider.post(f"/api/v1/jobs/{job.pk}/cancel", **auth).status_code == 404
    assert outsider.get("/api/v1/jobs", **auth).json() == []
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


@pytest.mark.django_db
def test_the_api_shows_and_cancels_the_organisations_jobs(client):
    owner = make_actor(Role.ANALYST)
    job = _start("test.slow", owner)
    token = client.post(
        "/api/v1/auth/token",
        data=json.dumps(
            {"username": owner.user.username, "password": PASSWORD, "organisation_id": owner.organisation_id}
        ),
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/v1/jobs", **auth).json()
    assert [j["id"] for j in listed] == [job.pk] and listed[0]["status"] == "queued"
    cancelled = client.post(f"/api/v1/jobs/{job.pk}/cancel", **auth).json()
    assert cancelled["job"]["status"] == "cancelled"


@pytest.mark.django_db
def test_too_many_active_jobs_are_refused(settings):
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "jobs_active_per_organisation": 2}
    actor = make_actor(Role.ANALYST)
    _start("test.slow", actor), _start("test.slow", actor)
    from homeward.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        _start("test.slow", actor)
    assert "limit" in caught.value.errors["job"] and "HOMEWARD_JOBS_MAX_ACTIVE" in caught.value.errors["job"]


@pytest.mark.django_db(transaction=True)
def test_a_job_over_its_memory_ceiling_fails_cleanly_in_its_own_process(settings):
    """Process isolation: the child runs under RLIMIT_AS; this (the worker's) process carries on."""
    if connections["default"].vendor == "sqlite":
        pytest.skip("SQLite's test database is in memory, which a child process cannot share")
    settings.HOMEWARD_JOB_ISOLATION = "process"
    settings.HOMEWARD_LIMITS = {**settings.HOMEWARD_LIMITS, "job_memory_megabytes": 256}
    actor = make_actor(Role.ANALYST)
    job = _start("test.hungry", actor)
    assert execute(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert "more memory than its ceiling of 256 MB" in job.error
    assert "HOMEWARD_JOB_MEMORY_MB" in job.error
    # The parent is unharmed and still uses the database.
    assert Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).count() == 1
