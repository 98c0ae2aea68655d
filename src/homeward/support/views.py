"""Caseload pages: the list, a case, taking someone on, wellbeing questionnaires, and the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people.selectors import get_person
from homeward.referrals.selectors import visible_referrals
from homeward.support import dashboard, selectors, services
from homeward.support.codes import CaseKind, CaseStatus, GoalStatus, RootCause, Timepoint
from homeward.support.forms import (
    ContactForm,
    DischargeForm,
    GoalForm,
    GoalStatusForm,
    MeasureForm,
    OpenCaseForm,
    RootCausesForm,
    WhatMattersForm,
    WorkerForm,
)
from homeward.support.wellbeing import SERIES, TOOLS, improvement, value_of
from homeward.web.views import (
    ActorRequest,
    actor_required,
    counted_page,
    need,
    render_form,
    run_action,
    save_form,
    submit_form,
)

WORKERS = {"mine": "My caseload", "unassigned": "Not yet assigned", "all": "Everyone's"}


NO_ACCESS = "Your role has no caseload"


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def caseload(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, NO_ACCESS)
    kind = request.GET.get("kind", "")
    kind = kind if kind in CaseKind.values else ""
    worker = request.GET.get("worker", "mine")
    worker = worker if worker in WORKERS else "mine"
    show = "all" if request.GET.get("show") == "all" else "open"
    page = counted_page(
        selectors.caseload(request.actor, kind=kind, worker=worker, show=show), request.GET.get("page")
    )
    selectors.record_caseload_view(
        actor=request.actor,
        purpose=f"Caseload: {WORKERS[worker].lower()}",
        case_ids=[c.pk for c in page],
        people=[c.person_id for c in page],
    )
    context = {
        "page": page,
        "kind": kind,
        "kinds": CaseKind.choices,
        "worker": worker,
        "workers": WORKERS,
        "show": show,
    }
    return render(request, "support/caseload.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def open_case(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, NO_ACCESS)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Take someone on to a caseload")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = OpenCaseForm(request.POST or None, actor=request.actor)

    def _open(data: dict[str, Any]) -> Any:
        return services.open_case(
            actor=request.actor,
            person_id=person.pk,
            kind=data["kind"],
            route=data["route"],
            referred_on=data["referred_on"],
            worker_id=data["worker"].pk if data["worker"] else None,
            attendances_before=data["attendances_before"],
        )

    case = save_form(request, form, _open)
    if case is not None:
        return redirect("support:case", support_case_id=case.pk)
    return render_form(request, "support/open.html", {"form": form, "person": person})


@require_POST
@actor_required
@personal_data("referral_id", Permission.EDIT_PERSON, reach="own")
def from_referral(request: ActorRequest, referral_id: int) -> HttpResponse:
    """Take on the person a referral to the actor's organisation is about (the referral page's button)."""
    need(request, Permission.EDIT_PERSON, NO_ACCESS)
    referral = (
        visible_referrals(request.actor)
        .filter(pk=referral_id, to_organisation_id=request.actor.organisation_id)
        .first()
    )
    if referral is None:
        raise Http404("No referral to your organisation with that id")
    made: list[Any] = []

    def _open() -> str:
        made.append(
            services.open_case(
                actor=request.actor,
                person_id=referral.person_id,
                referral_id=referral.pk,
                worker_id=request.actor.user.pk,
            )
        )
        return f"{made[0].reference} is on your caseload"

    run_action(request, _open)
    if made:
        return redirect("support:case", support_case_id=made[0].pk)
    return redirect("referrals:detail", referral_id=referral_id)


def _wellbeing_rows(case: Any) -> list[dict[str, Any]]:
    points: dict[str, dict[str, Any]] = {}
    for m in case.measures.all():
        points.setdefault(m.tool, {})[m.timepoint] = m
    rows = []
    for series in SERIES:
        got = points.get(series.tool, {})
        before, after = got.get(Timepoint.BASELINE), got.get(Timepoint.FOLLOW_UP)
        b = value_of(series, before.answers, before.score) if before else None
        a = value_of(series, after.answers, after.score) if after else None
        change = improvement(series, b, a) if b is not None and a is not None else None
        rows.append(
            {
                "series": series,
                "before": before,
                "after": after,
                "b": b,
                "a": a,
                "change": change,
                "meaningful": change is not None and change >= series.meaningful_change,
            }
        )
    return rows


@actor_required
@personal_data("support_case_id", Permission.VIEW_PERSON, reach="own")
def case(request: ActorRequest, support_case_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, NO_ACCESS)
    return _case_page(request, _case_or_404(request, support_case_id))


def _case_or_404(request: ActorRequest, support_case_id: int, purpose: str = "View a support case") -> Any:
    try:
        return selectors.get_case(actor=request.actor, case_id=support_case_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _case_page(
    request: ActorRequest, support_case: Any, refused: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The case page; `refused` is one refused form under its context name (e.g. "contact_form"), shown
    again with what was typed and its errors (the error summary at the top links to them)."""
    refused = refused or {}
    can_edit = request.actor.can(Permission.EDIT_PERSON) and support_case.status != CaseStatus.DISCHARGED
    referrals = selectors.referrals_for(request.actor, support_case)
    onward = [r for r in referrals if r.source_type == selectors.CASE_TYPE and r.source_id == support_case.pk]
    context = {
        "case": support_case,
        "person": support_case.person,
        "can_edit": can_edit,
        "can_measure": request.actor.can(Permission.EDIT_PERSON),
        "goals": support_case.goals.all(),
        "goal_statuses": GoalStatus.choices,
        "contacts": support_case.contacts.select_related("recorded_by")[:50],
        "wellbeing": _wellbeing_rows(support_case),
        "tools": TOOLS.values(),
        "onward": onward,
        "other_referrals": [r for r in referrals if r not in onward and r.pk != support_case.referral_id],
        "root_causes": [RootCause(c).label for c in support_case.root_causes if c in RootCause.values],
        "contact_form": ContactForm(),
        "what_matters_form": WhatMattersForm(initial={"what_matters": support_case.what_matters}),
        "goal_form": GoalForm(),
        "discharge_form": DischargeForm(),
        "worker_form": WorkerForm(actor=request.actor, initial={"worker": support_case.worker_id}),
        "root_causes_form": RootCausesForm(
            initial={
                "root_causes": support_case.root_causes,
                "attendances_before": support_case.attendances_before,
            }
        ),
        "refer_url": reverse("referrals:send", args=[support_case.person_id])
        + f"?source_type={selectors.CASE_TYPE}&source_id={support_case.pk}",
        "is_key_work": support_case.kind == CaseKind.KEY_WORKER,
    }
    context.update(refused)
    context["form"] = next(iter(refused.values()), None)  # the error summary
    return render(request, "support/case.html", context)


def _post(
    request: ActorRequest,
    support_case_id: int,
    name: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """One POSTed change to a case: parse the form, call the service, say what happened, back to the case;
    refused, the case page again with the form (its context `name`) as typed and the error summary."""
    need(request, Permission.EDIT_PERSON, NO_ACCESS)
    support_case = _case_or_404(request, support_case_id, purpose="Update a caseload case")
    return submit_form(
        request,
        form,
        action,
        done=lambda message: message,
        back=reverse("support:case", args=[support_case.pk]),
        again=lambda: _case_page(request, support_case, {name: form}),
    )


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def contact(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        services.record_contact(actor=request.actor, case_id=support_case_id, **data)
        return "Contact recorded"

    return _post(request, support_case_id, "contact_form", ContactForm(request.POST), _save)


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def what_matters(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        services.save_what_matters(
            actor=request.actor,
            case_id=support_case_id,
            text=data["what_matters"],
            on=data["what_matters_on"],
        )
        return "What matters to them is saved"

    return _post(request, support_case_id, "what_matters_form", WhatMattersForm(request.POST), _save)


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def add_goal(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        services.add_goal(actor=request.actor, case_id=support_case_id, description=data["description"])
        return "Goal added"

    return _post(request, support_case_id, "goal_form", GoalForm(request.POST), _save)


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def goal(request: ActorRequest, support_case_id: int, goal_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        g = services.update_goal(
            actor=request.actor, case_id=support_case_id, goal_id=goal_id, status=data["status"]
        )
        return f"Goal is now {g.get_status_display().lower()}"

    return _post(request, support_case_id, "goal_status_form", GoalStatusForm(request.POST), _save)


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def assign(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        worker = data["worker"]
        services.assign_worker(
            actor=request.actor, case_id=support_case_id, worker_id=worker.pk if worker else None
        )
        return f"Assigned to {worker.display_name}" if worker else "Not assigned to anyone"

    return _post(
        request, support_case_id, "worker_form", WorkerForm(request.POST, actor=request.actor), _save
    )


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def root_causes(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        services.set_root_causes(
            actor=request.actor,
            case_id=support_case_id,
            causes=data["root_causes"],
            attendances_before=data["attendances_before"],
        )
        return "Root causes saved"

    return _post(request, support_case_id, "root_causes_form", RootCausesForm(request.POST), _save)


@require_POST
@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def discharge(request: ActorRequest, support_case_id: int) -> HttpResponse:
    def _save(data: dict[str, Any]) -> str:
        c = services.discharge(
            actor=request.actor,
            case_id=support_case_id,
            reason=data["reason"],
            on=data["discharged_on"],
            note=data["note"],
        )
        return f"{c.reference} discharged: {c.get_discharge_reason_display().lower()}"

    return _post(request, support_case_id, "discharge_form", DischargeForm(request.POST), _save)


@actor_required
@personal_data("support_case_id", Permission.EDIT_PERSON, reach="own")
def measure(request: ActorRequest, support_case_id: int, tool: str) -> HttpResponse:
    """Record a wellbeing questionnaire (before or after support)."""
    need(request, Permission.EDIT_PERSON, NO_ACCESS)
    spec = TOOLS.get(tool)
    if spec is None:
        raise Http404("No such wellbeing measure")
    try:
        support_case = selectors.get_case(
            actor=request.actor, case_id=support_case_id, purpose="Record a wellbeing measure"
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    done = set(support_case.measures.filter(tool=tool).values_list("timepoint", flat=True))
    initial = {"timepoint": Timepoint.FOLLOW_UP if Timepoint.BASELINE in done else Timepoint.BASELINE}
    form = MeasureForm(request.POST or None, tool=spec, initial=initial)

    def _save(data: dict[str, Any]) -> Any:
        return services.record_measure(
            actor=request.actor,
            case_id=support_case.pk,
            tool=tool,
            timepoint=data["timepoint"],
            recorded_on=data["recorded_on"],
            answers=form.answers(),
        )

    saved = save_form(request, form, _save)
    if saved is not None:
        messages.info(
            request, f"{spec.name}: {saved.get_timepoint_display().lower()} recorded, score {saved.score:g}"
        )
        return redirect("support:case", support_case_id=support_case.pk)
    return render_form(request, "support/measure.html", {"form": form, "case": support_case, "tool": spec})


@actor_required
@no_personal_data("counts and averages over the organisation's own caseload; nobody is named")
def dashboard_page(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, NO_ACCESS)
    scope = "mine" if request.GET.get("scope") == "mine" else "all"
    kind = request.GET.get("kind", CaseKind.SOCIAL_PRESCRIBING)
    kind = kind if kind in CaseKind.values else CaseKind.SOCIAL_PRESCRIBING
    months = request.GET.get("months", "12")
    months_n = int(months) if months in ("3", "6", "12", "24") else 12
    cases = selectors.visible_cases(request.actor).filter(kind=kind)
    if scope == "mine":
        cases = cases.filter(worker=request.actor.user)
    since = timezone.localdate() - dt.timedelta(days=round(months_n * 30.44))
    board = dashboard.build(cases, since)
    context = {"board": board, "scope": scope, "kind": kind, "kinds": CaseKind.choices, "months": months_n}
    return render(request, "support/dashboard.html", context)
