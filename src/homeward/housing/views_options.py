"""Pages for the "stay or move?" conversation: record one, see it with the vacancies in extra care and
sheltered schemes, record the decision (adapting opens an adaptations case), refer on."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.housing import options, selectors
from homeward.housing.codes import TOPIC_SCALE, HomeTopic, HousingOption, NeighbourhoodAction
from homeward.housing.models import OptionsConversation
from homeward.housing.options_forms import ConversationForm, DecisionForm, ReferOnForm
from homeward.people.selectors import get_person
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

REFUSAL = "Your role cannot record housing options"


def _conversation(request: ActorRequest, conversation_id: int) -> OptionsConversation:
    try:
        return selectors.get_conversation(actor=request.actor, conversation_id=conversation_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_conversation(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Housing options conversation")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ConversationForm(request.POST or None)

    def _save(data: dict[str, Any]) -> OptionsConversation:
        scores = {t.value: data.pop(t.value) for t in HomeTopic}
        return options.record_conversation(actor=request.actor, person_id=person.pk, scores=scores, **data)

    done = save_form(request, form, _save)
    if done is not None:
        messages.info(request, f"Conversation {done.reference} recorded")
        return redirect("housing:options", conversation_id=done.pk)
    return render_form(request, "housing/options_new.html", {"form": form, "person": person})


@actor_required
@personal_data("conversation_id", Permission.VIEW_PERSON, reach="own")
def conversation(request: ActorRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    scores = sorted(
        ((HomeTopic(k).label, v, TOPIC_SCALE[v]) for k, v in found.scores.items()), key=lambda row: -row[1]
    )
    context = {
        "conversation": found,
        "scores": scores,
        "options": [HousingOption(o).label for o in found.options],
        "decision": HousingOption(found.decision).label if found.decision else "",
        "actions": [NeighbourhoodAction(a).label for a in found.actions],
        "vacancies": selectors.vacancies(request.actor, ("extra_care", "sheltered")),
        "can_edit": request.actor.can(Permission.EDIT_PERSON),
    }
    return render(request, "housing/options.html", context)


@actor_required
@personal_data("conversation_id", Permission.EDIT_PERSON, reach="own")
def decide(request: ActorRequest, conversation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    found = _conversation(request, conversation_id)
    form = DecisionForm(request.POST or None)
    done = save_form(
        request, form, lambda data: options.decide(actor=request.actor, conversation_id=found.pk, **data)
    )
    if done is not None:
        if done.adaptation_case_id:
            messages.info(
                request, f"Decision recorded; adaptations case ADP-{done.adaptation_case_id:06d} opened"
            )
            return redirect("adaptations:case", adaptation_id=done.adaptation_case_id)
        messages.info(request, "Decision recorded")
        return redirect("housing:options", conversation_id=found.pk)
    context = {"form": form, "conversation": found, "title": "Record the decision"}
    return render_form(request, "housing/options_step.html", context)


@actor_required
@personal_data("conversation_id", Permission.EDIT_PERSON, reach="own")
def refer_on(request: ActorRequest, conversation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    found = _conversation(request, conversation_id)
    form = ReferOnForm(request.POST or None, organisation_id=request.actor.organisation_id)

    def _send(data: dict[str, Any]) -> Any:
        return options.refer_on(
            actor=request.actor,
            conversation_id=found.pk,
            to_organisation_id=int(data["to_organisation"]),
            service_kind=data["service_kind"],
            reason=data["reason"],
        )

    done = save_form(request, form, _send, {"to_organisation_id": "to_organisation"})
    if done is not None:
        messages.info(request, f"Referral {done.reference} sent")
        return redirect("housing:options", conversation_id=found.pk)
    context = {"form": form, "conversation": found, "title": "Refer to a service"}
    return render_form(request, "housing/options_step.html", context)
