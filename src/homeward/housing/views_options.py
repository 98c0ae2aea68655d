"""Pages for the "stay or move?" conversation: record one, see it with the vacancies in extra care and
sheltered schemes, record the decision (adapting opens an adaptations case), refer on."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing import options, selectors, selfservice
from homeward.housing.codes import (
    TOPIC_SCALE,
    HomeTopic,
    HousingOption,
    NeighbourhoodAction,
    OptionsOutcome,
)
from homeward.housing.models import OptionsConversation
from homeward.housing.options_forms import (
    ConversationForm,
    DecisionForm,
    OutcomeForm,
    ReferOnForm,
    SelfServiceForm,
    pop_ranking,
)
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
        ranking = pop_ranking(data)
        return options.record_conversation(
            actor=request.actor, person_id=person.pk, scores=scores, ranking=ranking, **data
        )

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
        "ranking": [HomeTopic(t).label for t in found.ranking],
        "proposals": options.proposals(found),
        "options": [HousingOption(o).label for o in found.options],
        "decision": HousingOption(found.decision).label if found.decision else "",
        "actions": [NeighbourhoodAction(a).label for a in found.actions],
        "outcome": OptionsOutcome(found.outcome).label if found.outcome else "",
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
def follow_up(request: ActorRequest, conversation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    found = _conversation(request, conversation_id)
    form = OutcomeForm(request.POST or None)
    done = save_form(
        request,
        form,
        lambda data: options.record_outcome(actor=request.actor, conversation_id=found.pk, **data),
    )
    if done is not None:
        messages.info(request, "Follow-up recorded")
        return redirect("housing:options", conversation_id=found.pk)
    context = {"form": form, "conversation": found, "title": "Record the six-month follow-up"}
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


@actor_required
@personal_data("conversation_id", Permission.EDIT_PERSON, reach="own")
def send_link(request: ActorRequest, conversation_id: int) -> HttpResponse:
    """GET explains; POST makes a new link and shows it once (only its hash is stored)."""
    need(request, Permission.EDIT_PERSON, REFUSAL)
    found = _conversation(request, conversation_id)
    context: dict[str, Any] = {"conversation": found, "days": selfservice.LINK_DAYS, "error": ""}
    status = 200
    if request.method == "POST":
        try:
            link, token = selfservice.issue_link(actor=request.actor, conversation_id=found.pk)
        except ValidationFailed as exc:
            context["error"], status = exc.errors.get("link", "The link could not be made"), 400
        else:
            context["url"] = request.build_absolute_uri(f"/housing/options/self/{token}/")
            context["expires_at"] = link.expires_at
    return render(request, "housing/options_link.html", context, status=status)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def start_with_link(request: ActorRequest, person_id: int) -> HttpResponse:
    """The person answers first: GET explains; POST opens the conversation and shows its link once."""
    need(request, Permission.EDIT_PERSON, REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Housing options conversation")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if request.method != "POST":
        return render(
            request, "housing/options_start.html", {"person": person, "days": selfservice.LINK_DAYS}
        )
    link, token = selfservice.start_with_link(actor=request.actor, person_id=person.pk)
    context = {
        "conversation": link.conversation,
        "days": selfservice.LINK_DAYS,
        "url": request.build_absolute_uri(f"/housing/options/self/{token}/"),
        "expires_at": link.expires_at,
    }
    return render(request, "housing/options_link.html", context)


@actor_required
@personal_data("conversation_id", Permission.EDIT_PERSON, reach="own")
def record_started(request: ActorRequest, conversation_id: int) -> HttpResponse:
    """Record the talk into a conversation the person started through a link, from their answers."""
    need(request, Permission.EDIT_PERSON, REFUSAL)
    found = _conversation(request, conversation_id)
    initial: dict[str, Any] = {"home_notes": found.home_notes, "what_matters": found.what_matters}
    initial |= {topic: str(value) for topic, value in found.scores.items()}
    initial |= {f"rank_{i}": topic for i, topic in enumerate(found.ranking, start=1)}
    initial["options"] = list(found.options)
    form = ConversationForm(request.POST or None, initial=initial)

    def _save(data: dict[str, Any]) -> OptionsConversation:
        scores = {t.value: data.pop(t.value) for t in HomeTopic}
        ranking = pop_ranking(data)
        return options.record_conversation(
            actor=request.actor,
            person_id=found.person_id,
            scores=scores,
            ranking=ranking,
            conversation_id=found.pk,
            **data,
        )

    done = save_form(request, form, _save)
    if done is not None:
        messages.info(request, f"Conversation {done.reference} recorded")
        return redirect("housing:options", conversation_id=done.pk)
    context = {"form": form, "person": found.person, "conversation": found}
    return render_form(request, "housing/options_new.html", context)


@no_personal_data(
    "Reached without signing in only through a single-use, expiring link: it shows the one conversation's"
    " questions and the person's first name, nothing else, and every answer is audited"
)
def self_service(request: Any, token: str) -> HttpResponse:
    try:
        link = selfservice.open_link(token)
    except NotFound as exc:
        return render(request, "housing/options_self_gone.html", {"message": str(exc)}, status=404)
    except selfservice.LinkGone as exc:
        return render(request, "housing/options_self_gone.html", {"message": str(exc)}, status=410)
    form = SelfServiceForm(request.POST or None)

    def _save(data: dict[str, Any]) -> OptionsConversation:
        scores = {t.value: data.pop(t.value) for t in HomeTopic}
        return selfservice.complete(
            token=token, scores=scores, ranking=pop_ranking(data), home_notes=data.get("home_notes", "")
        )

    try:
        done = save_form(request, form, _save)
    except (NotFound, selfservice.LinkGone) as exc:
        return render(request, "housing/options_self_gone.html", {"message": str(exc)}, status=410)
    if done is not None:
        return render(
            request, "housing/options_self_done.html", {"first_name": link.conversation.person.given_name}
        )
    context = {"form": form, "first_name": link.conversation.person.given_name}
    return render_form(request, "housing/options_self.html", context)
