"""Linkage pages: the agreements linkage runs under, the review queue, a pair side by side, the alerts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.models import SharingPurpose
from homeward.governance.routes import no_personal_data, personal_data
from homeward.linkage import effect, runs, selectors, services
from homeward.linkage.codes import AlertStatus, PairStatus
from homeward.linkage.forms import DecisionForm, ThresholdsForm
from homeward.linkage.models import LinkageRun
from homeward.linkage.policy import linkage_agreement, settings_of
from homeward.web.views import (
    ActorRequest,
    actor_required,
    add_errors,
    counted_page,
    flash_errors,
    form_errors,
    need,
    run_action,
)


def _can_use(request: ActorRequest) -> bool:
    return request.actor.can(Permission.RUN_LINKAGE) or request.actor.can(Permission.REVIEW_LINKS)


@actor_required
@no_personal_data("agreements and counts of records and pairs only")
def home(request: ActorRequest) -> HttpResponse:
    if not _can_use(request):
        raise PermissionDenied("Your role does not run or review person linkage")
    latest = selectors.runs_for(request.actor)
    rows = [
        (a, latest.get(a.pk)) for a in selectors.agreements_allowing(request.actor, SharingPurpose.LINKAGE)
    ]
    waiting = selectors.review_queue(request.actor).count()
    return render(
        request,
        "linkage/home.html",
        {"rows": rows, "waiting": waiting, "can_run": request.actor.can(Permission.RUN_LINKAGE)},
    )


@actor_required
@no_personal_data("the agreement's linkage runs and thresholds: counts only")
def agreement(request: ActorRequest, agreement_id: int) -> HttpResponse:
    if not _can_use(request):
        raise PermissionDenied("Your role does not run or review person linkage")
    try:
        found = linkage_agreement(agreement_id, request.actor)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("linkage:home")
    chosen = settings_of(found)
    form = ThresholdsForm(request.POST or None, initial={"upper": chosen.upper, "lower": chosen.lower})
    if request.method == "POST":
        if not request.actor.can(Permission.RUN_LINKAGE):
            raise PermissionDenied("Your role cannot change linkage thresholds")
        if form.is_valid():
            try:
                services.set_thresholds(actor=request.actor, agreement_id=found.pk, **form.cleaned_data)
                messages.info(request, "Thresholds saved: they apply from the next run")
                return redirect("linkage:agreement", agreement_id=found.pk)
            except ValidationFailed as exc:
                add_errors(form, exc)
    history = list(LinkageRun.objects.filter(agreement=found)[:10])
    last = history[0] if history else None
    effects = effect.comparison(last.histogram, chosen.upper, chosen.lower) if last and last.histogram else []
    return render(
        request,
        "linkage/agreement.html",
        {
            "agreement": found,
            "form": form,
            "history": history,
            "last": last,
            "effects": effects,
            "chosen": chosen,
            "can_run": request.actor.can(Permission.RUN_LINKAGE),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@actor_required
@no_personal_data("starts a linkage run; its result is counts")
def run_now(request: ActorRequest, agreement_id: int) -> HttpResponse:
    try:
        job = runs.start_run(actor=request.actor, agreement_id=agreement_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("linkage:agreement", agreement_id=agreement_id)
    return redirect("jobs:job", job_id=job.pk)


@actor_required
@personal_data("search", Permission.REVIEW_LINKS)
def review(request: ActorRequest) -> HttpResponse:
    need(request, Permission.REVIEW_LINKS, "Your role does not review person links")
    page = counted_page(selectors.review_queue(request.actor), request.GET.get("page"), per_page=25)
    rows = []
    for pair in page.object_list:
        own, other = pair.side_of(request.actor.organisation_id) or (pair.left, pair.right)
        rows.append((pair, own, other))
    selectors.record_queue_view(actor=request.actor, pairs=list(page.object_list))
    return render(request, "linkage/review.html", {"page": page, "rows": rows})


@actor_required
@personal_data("pair_id", Permission.REVIEW_LINKS)
def pair(request: ActorRequest, pair_id: int) -> HttpResponse:
    need(request, Permission.REVIEW_LINKS, "Your role does not review person links")
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_errors(form)
            decided = services.decide_pair(actor=request.actor, pair_id=pair_id, **form.cleaned_data)
            messages.info(request, f"Recorded: {decided.get_status_display().lower()}")
            following = selectors.review_queue(request.actor).exclude(pk=pair_id).first()
            if following is not None:
                return redirect("linkage:pair", pair_id=following.pk)
            return redirect("linkage:review")
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except ValidationFailed as exc:
            form = DecisionForm(request.POST)
            form.is_valid()
            add_errors(form, exc)
    try:
        view = selectors.get_pair(actor=request.actor, pair_id=pair_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    specs = {"waterfall": view.chart} if view.chart else {}
    return render(
        request,
        "linkage/pair.html",
        {
            "view": view,
            "form": form,
            "specs": specs,
            "decidable": view.pair.status != PairStatus.RETIRED,
            "undoable": any(d.undone_at is None for d in view.decisions),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@actor_required
@personal_data("pair_id", Permission.REVIEW_LINKS)
def pair_undo(request: ActorRequest, pair_id: int) -> HttpResponse:
    def _undo() -> str:
        pair = services.undo_decision(actor=request.actor, pair_id=pair_id)
        return f"Decision undone: the pair is {pair.get_status_display().lower()}"

    run_action(request, _undo)
    return redirect("linkage:pair", pair_id=pair_id)


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def alerts(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role does not see tenants' records")
    page = counted_page(selectors.open_alerts(request.actor), request.GET.get("page"), per_page=25)
    selectors.record_alerts_view(actor=request.actor, alerts=list(page.object_list))
    return render(request, "linkage/alerts.html", {"page": page, "statuses": AlertStatus})


@require_POST
@actor_required
@personal_data("link_alert_id", Permission.VIEW_PERSON, reach="own")
def alert_mark(request: ActorRequest, link_alert_id: int) -> HttpResponse:
    status = request.POST.get("status", "")

    def _mark() -> str:
        alert = services.mark_alert(actor=request.actor, alert_id=link_alert_id, status=status)
        return f"Alert marked {alert.get_status_display().lower()}"

    run_action(request, _mark)
    return redirect("linkage:alerts")
