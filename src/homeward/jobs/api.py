"""JSON API for jobs: list, one job (poll it for progress), cancel. Mounted by homeward/urls.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from homeward.api.context import actor_of
from homeward.governance.routes import no_personal_data
from homeward.jobs import services
from homeward.jobs.models import Job
from homeward.jobs.views import REASON

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress_done: int
    progress_total: int | None
    message: str
    result: dict[str, Any] | None
    error: str
    cancel_requested: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Job) -> str:
        return f"/api/v1/jobs/{obj.pk}"


class CancelOut(Schema):
    message: str
    job: JobOut


class JobsQuery(Schema):
    status: str = Field(default="", max_length=12)
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=1_000_000)


@router.get("/jobs", response=list[JobOut], summary="Your organisation's jobs, newest first")
@no_personal_data(REASON)
def list_jobs(request: HttpRequest, filters: Query[JobsQuery]) -> list[Job]:
    jobs = services.visible_jobs(actor_of(request))
    if filters.status:
        jobs = jobs.filter(status=filters.status)
    return list(jobs[filters.offset : filters.offset + filters.limit])


@router.get("/jobs/{job_id}", response=JobOut, summary="One job: status, progress, result or error")
@no_personal_data(REASON)
def get_job(request: HttpRequest, job_id: int) -> Job:
    return services.get_job(actor_of(request), job_id)


@router.post("/jobs/{job_id}/cancel", response=CancelOut, summary="Cancel a queued or running job")
@no_personal_data(REASON)
def cancel_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    message = services.cancel_job(actor=actor, job_id=job_id)
    return {"message": message, "job": services.get_job(actor, job_id)}
