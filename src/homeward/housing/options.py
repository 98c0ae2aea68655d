"""Housing options for older people: the "stay or move?" conversation, its decision, and what follows.

Choosing to adapt the home opens an adaptations case through `adaptations.services.open_case`; support to
stay goes out as referrals through `referrals.services.send_referral` (money advice, a handyperson, social
prescribing), with the conversation as their source; the people and place team's own help (going with the
person to the GP, a tenancy sustainment visit) is recorded as agreed actions. A follow-up is due six
months after the decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.dfg import add_months
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.codes import HomeTopic, HousingOption, NeighbourhoodAction
from homeward.housing.models import OptionsConversation
from homeward.housing.schemes import check_text
from homeward.housing.selectors import visible_conversations
from homeward.housing.services import check_day

SOURCE_TYPE = "housing.options"
#: The referral kinds that support someone to stay (referrals.codes.ServiceKind).
STAY_REFERRALS = ("money_advice", "handyperson", "social_prescribing", "other")


def _audit(
    actor: Actor,
    conversation: OptionsConversation,
    purpose: str,
    action: str = AuditAction.UPDATE,
    **detail: Any,
) -> None:
    record_event(
        actor=actor,
        action=action,
        purpose=purpose,
        obj=conversation,
        person_id=conversation.person_id,
        detail=detail,
    )


def _codes(errors: dict[str, str], field: str, values: list[str], choices: Any) -> None:
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        errors[field] = f"Not known: {', '.join(unknown)}"


@transaction.atomic
def record_conversation(
    *,
    actor: Actor,
    person_id: int,
    held_on: dt.date | None,
    scores: dict[str, Any],
    what_matters: str,
    options: list[str],
    home_notes: str = "",
) -> OptionsConversation:
    """How each part of the home works for the person (0 works well to 4 a real problem: every topic
    answered), what matters most to them, and the options talked through."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    check_day(errors, "held_on", held_on, label="Date of the conversation")
    clean: dict[str, int] = {}
    for topic in HomeTopic:
        value = scores.get(topic.value)
        if value is None or value == "":
            errors[topic.value] = f"Say how {topic.label.lower()} works for the person"
        elif not str(value).isdigit() or not 0 <= int(str(value)) <= 4:
            errors[topic.value] = "Choose from 0 (works well) to 4 (a real problem)"
        else:
            clean[topic.value] = int(str(value))
    unknown = sorted(set(scores) - set(HomeTopic.values))
    if unknown:
        errors["scores"] = f"Not a topic: {', '.join(unknown)}"
    check_text(
        errors, "what_matters", what_matters, 2000, required="Write down what matters most to the person"
    )
    check_text(errors, "home_notes", home_notes, 2000)
    if not options:
        errors["options"] = "Choose at least one option you talked through"
    _codes(errors, "options", options, HousingOption)
    if errors:
        raise ValidationFailed(errors)
    assert held_on is not None
    conversation = OptionsConversation.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        adviser=actor.user,
        held_on=held_on,
        scores=clean,
        home_notes=home_notes.strip(),
        what_matters=what_matters.strip(),
        options=sorted(set(options)),
    )
    _audit(actor, conversation, "Record a housing options conversation", AuditAction.CREATE)
    return conversation


@transaction.atomic
def decide(
    *,
    actor: Actor,
    conversation_id: int,
    decision: str,
    on: dt.date | None,
    actions: list[str] | None = None,
    tenure: str = "",
    needs: str = "",
    address: str = "",
) -> OptionsConversation:
    """Record the decision. Adapting the home opens an adaptations case (with the tenure and what the
    person needs; the address defaults to the person's own) through the adaptations service; any error
    there names its field and nothing is written."""
    from homeward.adaptations.services import open_case

    actor.require(Permission.EDIT_PERSON)
    conversation = visible_conversations(actor).select_for_update().filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound("No housing options conversation with that id")
    errors: dict[str, str] = {}
    actions = actions or []
    if decision not in HousingOption.values:
        errors["decision"] = "Choose what the person decided"
    elif decision not in conversation.options:
        errors["decision"] = "Choose one of the options you talked through"
    check_day(
        errors,
        "on",
        on,
        label="Date of the decision",
        after=conversation.held_on,
        after_label="the conversation",
    )
    _codes(errors, "actions", actions, NeighbourhoodAction)
    if conversation.decided_on is not None:
        errors["decision"] = f"The decision was recorded on {conversation.decided_on:%-d %b %Y}"
    if decision == HousingOption.ADAPT:
        check_text(errors, "needs", needs, 2000, required="Say what adaptation the person needs")
        if not tenure:
            errors["tenure"] = "Choose the person's tenure"
    if errors:
        raise ValidationFailed(errors)
    assert on is not None
    if decision == HousingOption.ADAPT:
        case = open_case(
            actor=actor,
            person_id=conversation.person_id,
            source="housing_officer",
            tenure=tenure,
            needs=needs,
            enquiry_received_on=on,
            address=address,
        )
        conversation.adaptation_case_id = case.pk
    conversation.decision, conversation.decided_on = decision, on
    conversation.actions = sorted(set(actions))
    conversation.follow_up_on = add_months(on, 6)
    conversation.save()
    _audit(actor, conversation, "Record a housing options decision", decision=decision)
    return conversation


def refer_on(
    *, actor: Actor, conversation_id: int, to_organisation_id: int, service_kind: str, reason: str
) -> Any:
    """A referral to stay well at home (money advice, a handyperson, social prescribing) from the
    conversation, through the referral model."""
    from homeward.referrals.services import send_referral

    conversation = visible_conversations(actor).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound("No housing options conversation with that id")
    if service_kind not in STAY_REFERRALS:
        raise ValidationFailed.single(
            "service_kind", "Choose money advice, a handyperson, social prescribing or other"
        )
    return send_referral(
        actor=actor,
        person_id=conversation.person_id,
        to_organisation_id=to_organisation_id,
        service_kind=service_kind,
        reason=reason,
        source_type=SOURCE_TYPE,
        source_id=conversation.pk,
    )
