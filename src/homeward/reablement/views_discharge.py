"""Inline forms of the stay page for going home: arrange an adaptation (an adaptations case, opened or
linked), arrange other support (an onward referral), write the transition plan. A refused form shows the
stay page again (400) with the error summary and what was typed; nothing is written."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.reablement import arrangements
from homeward.reablement.forms import AdaptationArrangementForm, SupportArrangementForm, TransitionPlanForm
from homeward.reablement.views_stay import (
    AUTO_IDS,
    EDIT_REFUSAL,
    open_adaptation_cases,
    render_stay,
    stay_or_404,
)
from homeward.web.views import ActorRequest, actor_required, need, submit_form


def _submit(
    request: ActorRequest, stay: Any, form: Any, name: str, save: Any, done: str, rename: dict[str, str]
) -> HttpResponse:
    return submit_form(
        request,
        form,
        save,
        done=lambda _: done,
        back=reverse("reablement:stay", args=[stay.pk]) + "#going-home",
        again=lambda: render_stay(request, stay, **{name: form}),
        rename=rename,
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def arrange_adaptation(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = AdaptationArrangementForm(
        request.POST, open_cases=open_adaptation_cases(request, stay), auto_id=AUTO_IDS["adaptation_form"]
    )

    def save(data: dict[str, Any]) -> object:
        case = data.pop("adaptation_case")
        return arrangements.arrange_adaptation(
            actor=request.actor, stay_id=stay.pk, adaptation_case_id=case.pk if case else None, **data
        )

    return _submit(
        request,
        stay,
        form,
        "adaptation_form",
        save,
        "Adaptation arranged",
        {"adaptation_case_id": "adaptation_case", "stay": "__all__"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def arrange_support(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = SupportArrangementForm(
        request.POST, organisation_id=request.actor.organisation_id, auto_id=AUTO_IDS["support_form"]
    )

    def save(data: dict[str, Any]) -> object:
        to = data.pop("to_organisation")
        return arrangements.arrange_support(
            actor=request.actor, stay_id=stay.pk, to_organisation_id=to.pk if to else None, **data
        )

    return _submit(
        request,
        stay,
        form,
        "support_form",
        save,
        "Support arranged and the referral sent",
        {"to_organisation_id": "to_organisation", "stay": "__all__"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def transition_plan(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = TransitionPlanForm(request.POST, auto_id=AUTO_IDS["plan_form"])

    def save(data: dict[str, Any]) -> object:
        return arrangements.set_transition_plan(actor=request.actor, stay_id=stay.pk, **data)

    return _submit(request, stay, form, "plan_form", save, "Transition plan saved", {"stay": "__all__"})
