"""Starting, finding and cancelling jobs. A job is visible to the organisation it was started for."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Organisation
from homeward.governance.access import Actor
from homeward.jobs import limits, registry
from homeward.jobs.models import FINISHED, Job, JobStatus

STALE_AFTER = timedelta(hours=1)  # a running job on another host with no progress for this long
WORKER_GONE = (
    "The worker stopped while this job was running (it was killed, or the machine restarted). "
    "Nothing it was writing was kept; start the job again."
)


def visible_jobs(actor: Actor) -> QuerySet[Job]:
    return Job.objects.filter(organisation_id=actor.organisation_id).select_related("created_by")


def get_job(actor: Actor, job_id: int) -> Job:
    found = visible_jobs(actor).filter(pk=job_id).first()
    if found is None:
        raise NotFound("No job with that id")
    return found


def start_job(
    *,
    kind: str,
    organisation: Organisation,
    params: dict[str, Any],
    label: str,
    actor: Actor | None = None,
    estimate: int = 0,
) -> Job:
    """Queue a job (the caller has checked its estimate against the limits); it is handed to the worker
    when the surrounding transaction commits."""
    registry.get(kind)
    active = Job.objects.filter(organisation=organisation, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    cap = limits.limit("jobs_active_per_organisation")
    if active.count() >= cap:
        raise ValidationFailed.single(
            "job",
            f"Your organisation already has {cap:,} jobs queued or running, the limit "
            f"(setting {limits.variable('jobs_active_per_organisation')}); wait for one to finish",
        )
    job = Job.objects.create(
        organisation=organisation,
        created_by=actor.user if actor else None,
        membership=actor.membership if actor else None,
        kind=kind,
        label=label[:200],
        params=params,
        estimate=estimate,
        created_at=timezone.now(),
        message="Waiting for the worker",
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    from homeward.jobs.runner import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def cancel(job: Job) -> str:
    """Cancel a queued job at once, or ask a running one to stop at its next progress report."""
    if job.status in FINISHED:
        raise ValidationFailed.single("job", f"Job {job.pk} has already {job.get_status_display().lower()}")
    now = timezone.now()
    if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED,
        finished_at=now,
        message="Cancelled before it started",
        cancel_requested=True,
    ):
        return f"Job {job.pk} cancelled"
    Job.objects.filter(pk=job.pk).update(cancel_requested=True, message="Cancelling…")
    return f"Job {job.pk} will stop at its next step; nothing it was writing will be kept"


@transaction.atomic
def cancel_job(*, actor: Actor, job_id: int) -> str:
    return cancel(get_job(actor, job_id))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stale() -> list[int]:
    """Mark failed every running job whose worker has gone: on this host, its process no longer exists;
    elsewhere, it has not reported for an hour. Returns their ids. Called when a worker starts."""
    from django_tasks_db.models import DBTaskResult

    host = socket.gethostname()
    gone = []
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        worker_host, _, pid = job.worker.rpartition(":")
        if worker_host == host and pid.isdigit():
            dead = not _alive(int(pid))
        else:
            dead = (job.heartbeat_at or job.created_at) < timezone.now() - STALE_AFTER
        if dead:
            gone.append(job.pk)
    if gone:
        now = timezone.now()
        Job.objects.filter(pk__in=gone, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=now, error=WORKER_GONE, message="Failed: the worker stopped"
        )
        task_ids = list(Job.objects.filter(pk__in=gone).exclude(task_id="").values_list("task_id", flat=True))
        DBTaskResult.objects.filter(id__in=task_ids, status="RUNNING").update(
            status="FAILED", finished_at=now
        )
    return gone


def files_dir(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / str(int(job_id))


def save_file(job: Job, name: str, data: bytes) -> str:
    """Keep a file a job made (e.g. a PDF) under var/jobs/<id>/; written whole or not at all."""
    safe = Path(name).name
    folder = files_dir(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{safe}.partial"
    partial.write_bytes(data)
    os.replace(partial, folder / safe)
    return safe


def job_file(actor: Actor, job_id: int) -> tuple[Path, str]:
    """The file a succeeded job of the actor's organisation made, and its content type."""
    job = get_job(actor, job_id)
    name = (job.result or {}).get("file") if job.status == JobStatus.SUCCEEDED else None
    if not name:
        raise NotFound("This job made no file")
    path = files_dir(job.pk) / Path(str(name)).name
    if not path.is_file():
        raise NotFound("This job's file is no longer kept")
    return path, str((job.result or {}).get("content_type") or "application/octet-stream")
