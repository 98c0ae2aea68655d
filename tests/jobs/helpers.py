"""For tests of pages that start jobs: run each job in the test's process as soon as it is queued."""

from __future__ import annotations

from typing import Any


def run_jobs_at_once(settings: Any, monkeypatch: Any) -> None:
    """django-tasks' immediate backend, jobs inline, and on_commit at once (the test's transaction never
    commits), so a page that queues a job has run it by the time it answers. (django-tasks resets its
    backends when the TASKS setting changes.) Call from a fixture with pytest-django's `settings`."""
    from homeward.jobs import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HOMEWARD_JOB_ISOLATION = "inline"
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, *a, **k: callback())
