"""The Jobs pages: your organisation's jobs, one job's progress (polled with htmx), cancel."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotFound
from homeward.governance.routes import no_personal_data
from homeward.jobs import services
from homeward.jobs.models import Job, JobStatus
from homeward.web.views import ActorRequest, actor_required, counted_page, run_action

REASON = "job status: the kind of work, counts and messages; no personal data"


def _job_or_404(request: ActorRequest, job_id: int) -> Job:
    try:
        return services.get_job(request.actor, job_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@no_personal_data(REASON)
def job_list(request: ActorRequest) -> HttpResponse:
    jobs = services.visible_jobs(request.actor)
    page = counted_page(jobs.order_by("-created_at", "-pk"), request.GET.get("page"), per_page=25)
    active = any(job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for job in page)
    context = {"page": page, "active": active}
    template = "jobs/_table.html" if request.headers.get("HX-Request") else "jobs/list.html"
    return render(request, template, context)


@actor_required
@no_personal_data(REASON)
def job_detail(request: ActorRequest, job_id: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _job_or_404(request, job_id)})


@actor_required
@no_personal_data(REASON)
def job_status(request: ActorRequest, job_id: int) -> HttpResponse:
    """The status panel alone, for htmx to poll while the job runs."""
    return render(request, "jobs/_status.html", {"job": _job_or_404(request, job_id)})


@require_POST
@actor_required
@no_personal_data(REASON)
def job_cancel(request: ActorRequest, job_id: int) -> HttpResponse:
    run_action(request, lambda: services.cancel_job(actor=request.actor, job_id=job_id))
    return redirect("jobs:job", job_id=job_id)


@actor_required
@no_personal_data("files jobs make: reports and workbooks of counts, rates and money")
def job_download(request: ActorRequest, job_id: int) -> HttpResponse:
    try:
        path, content_type = services.job_file(request.actor, job_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type
    )
    return cast(HttpResponse, response)  # a streaming response, which actor_required passes through
