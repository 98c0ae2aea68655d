"""Running one job: the django-tasks task, the child process under a memory ceiling, progress, outcomes.

`run_job` is the task the worker picks up. It claims the job (queued → running), then, with
HOMEWARD_JOB_ISOLATION="process" (the default), forks a child that lowers its address-space limit
(`RLIMIT_AS`) to the worker's own size plus HOMEWARD_JOB_MEMORY_MB and runs the job there. A job over its
ceiling gets `MemoryError` (or is killed by the kernel) and is marked failed with a message that says so;
the worker, the web server and other jobs carry on. The child dies with the worker (PR_SET_PDEATHSIG), so a
worker killed with SIGKILL leaves no job running on its own.

The runner's writes and the job's "succeeded" are one transaction: a job that fails, is cancelled or is
killed mid-way leaves nothing half-written. Progress is written through a connection of its own, so others
see it while that transaction is open (on SQLite, only until the job's first write takes the write lock).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from homeward.core.errors import DomainError, ValidationFailed
from homeward.governance.access import Actor
from homeward.jobs import limits, registry
from homeward.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5
MAX_ERROR = 2000


class JobCancelled(Exception):
    """Raised inside a job when someone asked to cancel it; everything it wrote is rolled back."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


class _SideConnection:
    """A second connection to the default database, in autocommit, for progress and cancel checks."""

    def __init__(self) -> None:
        self.conn: Any = None

    def _connection(self) -> Any:
        if self.conn is None:
            conn = connections.create_connection(DEFAULT_DB_ALIAS)
            if conn.vendor == "sqlite":
                # Never wait long for the write lock the job itself may hold.
                conn.settings_dict = {
                    **conn.settings_dict,
                    "OPTIONS": {**conn.settings_dict.get("OPTIONS", {}), "timeout": 0.05},
                }
            self.conn = conn
        return self.conn

    def execute(self, sql: str, params: list[Any]) -> tuple[int, Any]:
        with self._connection().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount, cursor.fetchone() if cursor.description else None

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


class JobContext:
    """Handed to a runner: the job, its actor, and `progress(done, total, message)`."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._side = _SideConnection()
        self._last = 0.0
        self._own_connection_only = False
        self.prepared: Any = None

    @property
    def actor(self) -> Actor | None:
        if self.job.membership is None or self.job.created_by is None:
            return None
        return Actor(user=self.job.created_by, membership=self.job.membership)

    def progress(
        self, done: int, total: int | None = None, message: str = "", *, force: bool = False
    ) -> None:
        """Record how far the job has got (throttled); raises JobCancelled when someone cancelled it."""
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY_SECONDS:
            return
        self._last = now
        table = Job._meta.db_table
        stamp = timezone.now()
        params = [int(done), None if total is None else int(total), message[:300], stamp, self.job.pk]
        sql = (
            f"UPDATE {table} SET progress_done = %s, progress_total = %s, message = %s, "  # noqa: S608
            "heartbeat_at = %s WHERE id = %s"
        )
        written = 0
        if not self._own_connection_only:
            try:
                written, _ = self._side.execute(sql, params)
                _, row = self._side.execute(
                    f"SELECT cancel_requested FROM {table} WHERE id = %s", [self.job.pk]
                )
                if row and row[0]:
                    raise JobCancelled()
            except OperationalError:
                written = 0
        if not written:
            # The job's row is not visible to another connection (e.g. a test's open transaction) or the
            # database is locked by the job's own writes: record it on the job's own connection instead, and
            # from now on only there (the job's transaction now holds the row's lock).
            self._own_connection_only = True
            Job.objects.filter(pk=self.job.pk).update(
                progress_done=done, progress_total=total, message=message[:300], heartbeat_at=stamp
            )
            if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
                raise JobCancelled()

    def close(self) -> None:
        self._side.close()


def _finish(job_id: int, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


def memory_message() -> str:
    return (
        f"The job needed more memory than its ceiling of {limits.limit('job_memory_megabytes'):,} MB "
        f"(setting {limits.variable('job_memory_megabytes')}), so it was stopped and nothing was saved. "
        "Ask for less work, for example fewer replications or fewer days."
    )


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        text = "; ".join(f"{field}: {message}" for field, message in exc.errors.items())
    elif isinstance(exc, DomainError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return f"{text[:MAX_ERROR]}" if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


def run_here(job: Job) -> None:
    """Run a claimed job in this process: its writes and its success in one transaction."""
    kind = registry.get(job.kind)
    context = JobContext(job)
    try:
        if kind.prepare is not None:
            context.prepared = kind.prepare(job, context)  # computing, outside any transaction
        with transaction.atomic():
            result = kind.run(job, context)
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.SUCCEEDED,
                result=result,
                finished_at=timezone.now(),
                message="Finished",
                progress_done=Coalesce(F("progress_total"), F("progress_done")),
            )
    except JobCancelled:
        _finish(job.pk, JobStatus.CANCELLED, message="Cancelled; nothing was saved")
    except MemoryError:
        _finish(job.pk, JobStatus.FAILED, error=memory_message(), message="Stopped: out of memory")
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, JobStatus.FAILED, error=error_text(exc), message="Failed; nothing was saved")
    finally:
        context.close()


def _die_with_parent() -> None:
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _own_size() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def apply_memory_ceiling() -> None:
    """Limit this process's address space to its present size plus the job memory limit."""
    import resource

    ceiling = _own_size() + limits.limit("job_memory_megabytes") * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def run_in_child(job: Job) -> None:
    """Fork, run the job in the child under the memory ceiling, and account for a child that died."""
    connections.close_all()  # parent and child each open their own
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child (covered by the worker tests)
        code = 0
        try:
            for handled in (signal.SIGINT, signal.SIGTERM):
                signal.signal(handled, signal.SIG_DFL)
            _die_with_parent()
            apply_memory_ceiling()
            run_here(job)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    connections.close_all()
    job.refresh_from_db()
    if job.status != JobStatus.RUNNING:
        return
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name
        error = (
            memory_message()
            if sig in (signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV)
            else f"The job's process was stopped by {name}; nothing was saved."
        )
        error += f" (The job's process ended with {name}.)"
    else:
        error = (
            f"The job's process ended unexpectedly (exit code {os.WEXITSTATUS(status)}); nothing was saved."
        )
    _finish(job.pk, JobStatus.FAILED, error=error, message="Failed; nothing was saved")


# Libraries the jobs use, imported by the worker before it forks, so each job's memory ceiling is spent on
# its own work rather than on loading code (and forking is quick).
PRELOAD = ("numpy", "polars", "altair", "vl_convert", "xlsxwriter", "weasyprint", "homeward.engines.flowsim")


def preload() -> None:
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def claim(job_id: int) -> Job | None:
    """Queued → running, once; None when the job was cancelled (or already taken) meanwhile."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name(), message="Starting"
    )
    if not taken:
        return None
    return Job.objects.select_related("created_by", "membership__organisation").get(pk=job_id)


def execute(job_id: int) -> str:
    job = claim(job_id)
    if job is None:
        return "not run: no longer queued"
    from django.conf import settings

    if settings.HOMEWARD_JOB_ISOLATION == "process" and hasattr(os, "fork"):
        run_in_child(job)
    else:
        run_here(job)
    return str(Job.objects.values_list("status", flat=True).get(pk=job_id))


@task()
def run_job(job_id: int) -> str:
    """The django-tasks task: run the Homeward job `job_id` and return its final status."""
    return execute(job_id)
