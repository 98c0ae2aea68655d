"""Pages for the team's tasks on a case and its complexity. Thin: parse, call `tasks`, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.adaptations import tasks
from homeward.adaptations.codes import TeamRole
from homeward.adaptations.tasks_forms import ComplexityForm, TaskDoneForm, TaskForm
from homeward.adaptations.views import EDIT_REFUSAL, case_or_404
from homeward.core.errors import NotAllowed
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.web.views import ActorRequest, actor_required, need, render_form, run_action, save_form


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_task(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    form = TaskForm(request.POST or None, organisation_ids=tasks.team_organisations(case))
    if not request.POST:
        kind = request.GET.get("kind", "")
        form.initial = {"kind": kind, "owner_role": tasks.DEFAULT_ROLE.get(kind, "")}  # type: ignore[call-overload]

    def _save(data: dict[str, Any]) -> object:
        organisation = data.pop("organisation")
        return tasks.add_task(actor=request.actor, case_id=case.pk, organisation_id=organisation.pk, **data)

    try:
        saved = save_form(request, form, _save, rename={"organisation_id": "organisation"})
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if saved is not None:
        messages.info(request, "Task added")
        return redirect(reverse("adaptations:case", args=[case.pk]) + "#tasks")
    allowed = [TeamRole(role).label for role in tasks.assessors(case)]
    context = {"form": form, "case": case, "assessors": allowed}
    return render_form(request, "adaptations/task.html", context)


@require_POST
@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def task_done(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case_or_404(request, adaptation_id, purpose="Update adaptations case")
    form = TaskDoneForm(request.POST)

    def _done() -> str:
        if not form.is_valid():
            from homeward.web.views import form_errors

            raise form_errors(form)
        task = tasks.complete_task(
            actor=request.actor,
            case_id=adaptation_id,
            task_id=form.cleaned_data["task_id"],
            done_on=form.cleaned_data["done_on"],
        )
        return f"{task.get_kind_display()} done"

    run_action(request, _done)
    return redirect(reverse("adaptations:case", args=[adaptation_id]) + "#tasks")


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def complexity(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    form = ComplexityForm(request.POST or None)

    def _save(data: dict[str, Any]) -> object:
        return tasks.set_complexity(actor=request.actor, case_id=case.pk, **data)

    try:
        saved = save_form(request, form, _save)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if saved is not None:
        messages.info(request, f"Complexity rated {saved.complexity}")  # type: ignore[attr-defined]
        return redirect(reverse("adaptations:case", args=[case.pk]) + "#tasks")
    return render_form(request, "adaptations/complexity.html", {"form": form, "case": case})
