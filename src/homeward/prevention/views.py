"""Prevention pages: raise a concern, triage concerns, the alerts worklist, evaluation, fairness, rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.risk import DEFAULT_RULES_YAML, FAIR_RANGE
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing.services import people_place_case_for_source
from homeward.jobs.services import start_job
from homeward.people.selectors import get_person
from homeward.prevention import evaluation, scoring, selectors, services
from homeward.prevention.codes import ALERT_SOURCE, AlertDecision
from homeward.prevention.forms import ConcernForm, DecideAlertForm, RulesForm, TriageForm
from homeward.prevention.models import HousingEvent, RiskAlert, TriggerRules
from homeward.web.views import (
    ActorRequest,
    actor_required,
    attach_row_forms,
    counted_page,
    flash_errors,
    need,
    render_form,
    row_form,
    save_form,
    submit_form,
)

WHEN = ("contacted_at", "reported_at", "week_start", "raised_at", "transaction_at")


def describe_event(kind: str, data: dict[str, Any]) -> tuple[str, str, str]:
    """(when, what, detail) for one imported event, for the alert page's recent history."""
    when = next((str(data[k])[:16] for k in WHEN if data.get(k)), "")
    detail = [str(data[k]) for k in ("channel", "category", "outcome") if data.get(k)]
    if str(data.get("no_access", "")).lower() == "true":
        detail.append("no access")
    if data.get("balance"):
        detail.append(f"balance £{data['balance']}")
    return when, kind.replace("_", " ").capitalize(), ", ".join(detail)


def _is_lead(request: ActorRequest) -> bool:
    return request.actor.can(Permission.VIEW_PSEUDONYMISED) and request.actor.can(Permission.EDIT_PERSON)


@actor_required
@personal_data("person_id", Permission.VIEW_PERSON)
def concern_new(request: ActorRequest, person_id: int) -> HttpResponse:
    """Any housing or partner staff: what you saw, in under 30 seconds."""
    need(request, Permission.VIEW_PERSON, "Your role cannot raise concerns")
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Raise a frontline concern")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ConcernForm(request.POST or None, person=person)

    def _raise(data: dict[str, Any]) -> Any:
        return services.raise_concern(
            actor=request.actor,
            person_id=person.pk,
            category=data["category"],
            seen=data["seen"],
            urgency=data["urgency"],
            tenancy_id=data["tenancy"].pk if data["tenancy"] else None,
        )

    concern = save_form(request, form, _raise)
    if concern is not None:
        note = " The team lead has been alerted." if concern.is_safeguarding else ""
        messages.info(request, f"Thank you: your concern has been passed to the support team.{note}")
        return redirect("people:person", person_id=person.pk)
    return render_form(request, "prevention/concern_new.html", {"form": form, "person": person})


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def concerns(request: ActorRequest) -> HttpResponse:
    return _concerns_page(request)


def _concerns_page(request: ActorRequest, refused: TriageForm | None = None) -> HttpResponse:
    """The concerns list, each untriaged one with its triage form; a refused triage comes back on its
    concern as typed, with the error summary (400)."""
    need(request, Permission.VIEW_PERSON, "Your role has no concerns list")
    show = "all" if request.GET.get("show") == "all" else "new"
    listed = selectors.visible_concerns(request.actor).select_related("person", "raised_by", "tenancy")
    if show == "new":
        listed = listed.filter(triaged_at__isnull=True)
    page = counted_page(listed.order_by("triaged_at", "-raised_at"), request.GET.get("page"))
    selectors.record_list_view(
        actor=request.actor,
        purpose="Frontline concerns",
        people=[c.person_id for c in page],
        detail={"show": show},
    )
    attach_row_forms(page.object_list, TriageForm, "triage_form", refused)
    context = {
        "page": page,
        "show": show,
        "form": refused,
        "can_triage": request.actor.can(Permission.EDIT_PERSON),
    }
    return render(request, "prevention/concerns.html", context, status=400 if refused is not None else 200)


@require_POST
@actor_required
@personal_data("concern_id", Permission.EDIT_PERSON, reach="own")
def triage(request: ActorRequest, concern_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot triage concerns")
    form = row_form(TriageForm, concern_id, request.POST)

    def _triage(data: dict[str, Any]) -> Any:
        return services.triage_concern(actor=request.actor, concern_id=concern_id, **data)

    return submit_form(
        request,
        form,
        _triage,
        done=lambda concern: f"Concern triaged: {concern.get_decision_display().lower()}",
        back=reverse("prevention:concerns"),
        again=lambda: _concerns_page(request, form),
    )


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def alerts(request: ActorRequest) -> HttpResponse:
    """New alerts above the threshold, highest score first, each with its reasons."""
    need(request, Permission.VIEW_PERSON, "Your role has no alerts")
    show = "all" if request.GET.get("show") == "all" else "open"
    listed = selectors.visible_alerts(request.actor).select_related("person", "decided_by")
    if show == "open":
        listed = listed.filter(decided_on__isnull=True)
    page = counted_page(listed.order_by("-score", "tenancy_ref", "pk"), request.GET.get("page"))
    selectors.record_list_view(
        actor=request.actor,
        purpose="Tenancy-trigger alerts",
        people=[a.person_id for a in page if a.person_id],
        detail={"alerts": [a.pk for a in page]},
    )
    runs = scoring.RiskRun.objects.filter(organisation_id=request.actor.organisation_id)[:1]
    context = {
        "page": page,
        "show": show,
        "last_run": runs[0] if runs else None,
        "is_lead": _is_lead(request),
    }
    return render(request, "prevention/alerts.html", context)


@actor_required
@personal_data("alert_id", Permission.VIEW_PERSON, reach="own")
def alert_detail(request: ActorRequest, alert_id: int) -> HttpResponse:
    return _alert_page(request, _alert_or_404(request, alert_id))


def _alert_or_404(request: ActorRequest, alert_id: int) -> RiskAlert:
    try:
        return selectors.get_alert(actor=request.actor, alert_id=alert_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _alert_page(request: ActorRequest, alert: RiskAlert, form: DecideAlertForm | None = None) -> HttpResponse:
    """The alert page; `form` is a refused decision, shown again as typed with the error summary."""
    history = RiskAlert.objects.filter(
        organisation=alert.organisation, tenancy_ref=alert.tenancy_ref
    ).exclude(pk=alert.pk)
    events = HousingEvent.objects.filter(
        organisation=alert.organisation, tenancy_ref=alert.tenancy_ref
    ).exclude(kind__in=("tenancies", "outcomes"))
    recent = sorted((describe_event(e.kind, e.data) for e in events), reverse=True)[:15]
    context = {
        "alert": alert,
        "history": history.select_related("decided_by"),
        "concerns": selectors.visible_concerns(request.actor).filter(person_id=alert.person_id)
        if alert.person_id
        else [],
        "recent": recent,
        "decisions": AlertDecision.choices,
        "can_decide": request.actor.can(Permission.EDIT_PERSON) and alert.decided_on is None,
        "form": form,
        "decide_form": form or DecideAlertForm(),
        "people_place": people_place_case_for_source(request.actor, ALERT_SOURCE, alert.pk)
        if alert.decision == AlertDecision.PEOPLE_PLACE
        else None,
    }
    return render(request, "prevention/alert.html", context)


@require_POST
@actor_required
@personal_data("alert_id", Permission.EDIT_PERSON, reach="own")
def decide(request: ActorRequest, alert_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot decide alerts")
    alert = _alert_or_404(request, alert_id)
    form = DecideAlertForm(request.POST)
    return submit_form(
        request,
        form,
        lambda data: services.decide_alert(actor=request.actor, alert_id=alert.pk, **data),
        done=lambda decided: f"Decision recorded: {decided.get_decision_display().lower()}",
        back=reverse("prevention:alert", args=[alert.pk]),
        again=lambda: _alert_page(request, alert, form),
    )


@require_POST
@actor_required
@no_personal_data("runs the organisation's scoring; the answer is counts")
def score_now(request: ActorRequest) -> HttpResponse:
    if not _is_lead(request):
        raise PermissionDenied

    use_model = request.POST.get("mode") == "model"
    try:
        job = start_job(
            kind=scoring.SCORE_KIND,
            organisation=request.actor.organisation,
            actor=request.actor,
            params={"use_model": use_model},
            label=f"Score tenancies ({'learned model' if use_model else 'trigger rules'})",
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("prevention:alerts")
    # Scoring runs in the background; the job's page shows how it went and links back to the alerts.
    return redirect("jobs:job", job_id=job.pk)


@actor_required
@no_personal_data("counts by month only")
def evaluation_page(request: ActorRequest) -> HttpResponse:
    if not (request.actor.can(Permission.VIEW_PSEUDONYMISED) or request.actor.can(Permission.VIEW_PERSON)):
        raise PermissionDenied
    months = evaluation.monthly(request.actor)
    return render(request, "prevention/evaluation.html", {"months": months, "k": evaluation.TOP_K})


@actor_required
@no_personal_data("counts and rates by group only")
def fairness_page(request: ActorRequest) -> HttpResponse:
    if not (request.actor.can(Permission.VIEW_PSEUDONYMISED) or request.actor.can(Permission.VIEW_PERSON)):
        raise PermissionDenied
    run, rows = evaluation.fairness_rows(request.actor)
    context = {"run": run, "rows": rows, "fair_range": FAIR_RANGE, "min_group": evaluation.MIN_GROUP}
    return render(request, "prevention/fairness.html", context)


@actor_required
@no_personal_data("the organisation's trigger rules")
def rules(request: ActorRequest) -> HttpResponse:
    if not _is_lead(request):
        raise PermissionDenied
    own = TriggerRules.objects.filter(organisation_id=request.actor.organisation_id).first()
    initial = {
        "text": own.text if own else DEFAULT_RULES_YAML,
        "threshold": own.threshold if own else scoring.DEFAULT_RULE_THRESHOLD,
    }
    form = RulesForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.save_rules(actor=request.actor, text=data["text"], threshold=data["threshold"]),
    )
    if saved is not None:
        messages.info(request, "Trigger rules saved; they apply from the next scoring")
        return redirect("prevention:rules")
    return render_form(request, "prevention/rules.html", {"form": form, "own": own})
