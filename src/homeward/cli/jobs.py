"""`homeward worker` runs background jobs; `homeward jobs list|show|cancel` looks after them.

The worker is django-tasks' database worker (`db_worker`) after marking failed any job a previous worker
left running when it died. Exit codes: 0 done; 2 bad input (the message names the field).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from homeward.cli import django_setup

jobs_app = typer.Typer(help="Background jobs: list, show and cancel.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


def worker(
    batch: Annotated[bool, typer.Option("--batch", help="Run every queued job, then stop.")] = False,
    interval: Annotated[
        float, typer.Option(min=0.05, max=60, help="Seconds between looks for new jobs when idle.")
    ] = 1.0,
    max_tasks: Annotated[int | None, typer.Option(min=1, help="Stop after this many jobs.")] = None,
) -> None:
    """Run background jobs (imports, scoring, reports, simulations) until stopped with Ctrl+C."""
    django_setup()
    from django.core.management import call_command

    from homeward.jobs.runner import preload, worker_name
    from homeward.jobs.services import recover_stale

    preload()
    gone = recover_stale()
    if gone:
        errors.print(f"Marked failed {len(gone)} job(s) left running by a worker that stopped: {gone}")
    errors.print(f"Homeward worker {worker_name()} waiting for jobs (Ctrl+C to stop)")
    options: dict[str, Any] = {
        "batch": batch,
        "interval": interval,
        "reload": False,
        "startup_delay": False,
        "worker_id": worker_name()[:64],
        "verbosity": 1,
    }
    if max_tasks:
        options["max_tasks"] = max_tasks
    call_command("db_worker", **options)


@contextlib.contextmanager
def worker_process(*, enabled: bool = True) -> Iterator[subprocess.Popen[bytes] | None]:
    """`homeward worker` as a child process for as long as the block runs (used by `homeward demo`)."""
    if not enabled:
        yield None
        return
    process = subprocess.Popen([sys.executable, "-c", "from homeward.cli import main; main()", "worker"])
    errors.print(f"Started the jobs worker (process {process.pid}); it stops with the server")
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _row(job: Any) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": job.label,
        "organisation": job.organisation.name,
        "by": job.created_by.username if job.created_by else "command line",
        "status": job.status,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _progress(job: Any) -> str:
    if job.progress_total:
        return f"{job.progress_done:,}/{job.progress_total:,}"
    return f"{job.progress_done:,}" if job.progress_done else ""


@jobs_app.command("list")
def list_jobs(
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation (name).")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only this status (queued, running, …).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The newest jobs with their status and progress."""
    django_setup()
    from homeward.jobs.models import Job, JobStatus

    jobs = Job.objects.select_related("organisation", "created_by")
    if organisation:
        jobs = jobs.filter(organisation__name=organisation)
    if status:
        if status not in JobStatus.values:
            errors.print(f"[bold red]Error:[/] --status: choose from {', '.join(JobStatus.values)}")
            raise typer.Exit(2)
        jobs = jobs.filter(status=status)
    rows = list(jobs[:limit])
    if as_json:
        typer.echo(json.dumps([_row(j) for j in rows]))
        return
    table = Table(title="Jobs (newest first)")
    for column in ("Id", "Kind", "What", "Organisation", "By", "Status", "Progress", "Message"):
        table.add_column(column)
    for job in rows:
        table.add_row(
            str(job.pk),
            job.kind,
            job.label,
            job.organisation.name,
            job.created_by.username if job.created_by else "command line",
            job.get_status_display(),
            _progress(job),
            job.error or job.message,
        )
    console.print(table)


def _job(job_id: int) -> Any:
    from homeward.jobs.models import Job

    job = Job.objects.select_related("organisation", "created_by").filter(pk=job_id).first()
    if job is None:
        errors.print(f"[bold red]Error:[/] id: no job {job_id}")
        raise typer.Exit(2)
    return job


@jobs_app.command("show")
def show_job(
    job_id: Annotated[int, typer.Argument(help="The job's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """One job: status, progress, result or error."""
    django_setup()
    row = _row(_job(job_id))
    if as_json:
        typer.echo(json.dumps(row))
        return
    table = Table(show_header=False, title=f"Job {job_id}")
    for key, value in row.items():
        table.add_row(key.replace("_", " "), "" if value is None else str(value))
    console.print(table)


@jobs_app.command("cancel")
def cancel_job(job_id: Annotated[int, typer.Argument(help="The job's id.")]) -> None:
    """Cancel a queued job, or ask a running one to stop (nothing it was writing is kept)."""
    django_setup()
    from homeward.core.errors import ValidationFailed
    from homeward.jobs.services import cancel

    try:
        console.print(cancel(_job(job_id)))
    except ValidationFailed as exc:
        for field, message in exc.errors.items():
            errors.print(f"[bold red]Error:[/] {field}: {message}")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(jobs_app, name="jobs")
