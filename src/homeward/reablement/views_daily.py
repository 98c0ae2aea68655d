"""Inline forms of the stay page for the stay day by day and the MDT's actions: mark a day red or green,
write a daily note, score a functional measure, add an MDT action, mark it done. A refused form shows the
stay page again (400) with the error summary and what was typed; nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.reablement import daily, mdt
from homeward.reablement.forms import ActionForm, CompleteActionForm, DayForm, NoteForm, ScoreForm
from homeward.reablement.views_stay import AUTO_IDS, EDIT_REFUSAL, render_stay, stay_or_404
from homeward.web.views import ActorRequest, actor_required, need, submit_form


def _inline(
    request: ActorRequest,
    stay_id: int,
    make_form: Callable[[Any], forms.Form],
    form_name: str,
    save: Callable[[Any, forms.Form, dict[str, Any]], object],
    done: str,
    anchor: str,
    rename: dict[str, str] | None = None,
) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = make_form(stay)
    return submit_form(
        request,
        form,
        lambda data: save(stay, form, data),
        done=lambda _: done,
        back=reverse("reablement:stay", args=[stay.pk]) + anchor,
        again=lambda: render_stay(request, stay, **{form_name: form}),
        rename=rename,
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def mark_day(request: ActorRequest, stay_id: int) -> HttpResponse:
    def save(stay: Any, form: forms.Form, data: dict[str, Any]) -> object:
        reason = data.pop("delay_reason")
        return daily.mark_day(
            actor=request.actor, stay_id=stay.pk, delay_reason_id=reason.pk if reason else None, **data
        )

    return _inline(
        request,
        stay_id,
        lambda stay: DayForm(request.POST, auto_id=AUTO_IDS["day_form"]),
        "day_form",
        save,
        "Day marked",
        "#days",
        rename={"delay_reason_id": "delay_reason"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_note(request: ActorRequest, stay_id: int) -> HttpResponse:
    def save(stay: Any, form: forms.Form, data: dict[str, Any]) -> object:
        return daily.add_note(actor=request.actor, stay_id=stay.pk, **data)

    return _inline(
        request,
        stay_id,
        lambda stay: NoteForm(request.POST, auto_id=AUTO_IDS["note_form"]),
        "note_form",
        save,
        "Note saved",
        "#notes",
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_score(request: ActorRequest, stay_id: int) -> HttpResponse:
    def save(stay: Any, form: forms.Form, data: dict[str, Any]) -> object:
        measure = data.pop("measure")
        return daily.record_score(actor=request.actor, stay_id=stay.pk, measure_id=measure.pk, **data)

    return _inline(
        request,
        stay_id,
        lambda stay: ScoreForm(
            request.POST, organisation_id=stay.unit.organisation_id, auto_id=AUTO_IDS["score_form"]
        ),
        "score_form",
        save,
        "Score recorded",
        "#measures",
        rename={"measure_id": "measure"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_action(request: ActorRequest, stay_id: int) -> HttpResponse:
    def save(stay: Any, form: forms.Form, data: dict[str, Any]) -> object:
        assert isinstance(form, ActionForm)
        review = data.pop("review")
        data.pop("owner")
        owners = form.owner_ids()
        return mdt.add_action(
            actor=request.actor,
            stay_id=stay.pk,
            review_id=review.pk,
            description=data["description"],
            due_on=data["due_on"],
            owner_user_id=owners["owner_user_id"],
            owner_team_id=owners["owner_team_id"],
        )

    return _inline(
        request,
        stay_id,
        lambda stay: ActionForm(
            request.POST,
            stay=stay,
            organisation_id=request.actor.organisation_id,
            auto_id=AUTO_IDS["action_form"],
        ),
        "action_form",
        save,
        "MDT action added",
        "#actions",
        rename={"review_id": "review"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def complete_action(request: ActorRequest, stay_id: int) -> HttpResponse:
    def save(stay: Any, form: forms.Form, data: dict[str, Any]) -> object:
        return mdt.complete_action(actor=request.actor, stay_id=stay.pk, **data)

    return _inline(
        request,
        stay_id,
        lambda stay: CompleteActionForm(request.POST, auto_id=AUTO_IDS["complete_form"]),
        "complete_form",
        save,
        "MDT action done",
        "#actions",
    )
