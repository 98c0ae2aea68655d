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
from homeward.housing.codes import (
    RANKED_TOPICS,
    TOPIC_OPTIONS,
    TOPIC_SCALE,
    HomeTopic,
    HousingOption,
    NeighbourhoodAction,
    OptionsOutcome,
)
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


def check_scores(errors: dict[str, str], scores: dict[str, Any], whose: str = "the person") -> dict[str, int]:
    """Every topic answered, 0 (works well) to 4 (a real problem); errors under each topic's code."""
    clean: dict[str, int] = {}
    for topic in HomeTopic:
        value = scores.get(topic.value)
        if value is None or value == "":
            errors[topic.value] = f"Say how {topic.label.lower()} works for {whose}"
        elif not str(value).isdigit() or not 0 <= int(str(value)) <= 4:
            errors[topic.value] = "Choose from 0 (works well) to 4 (a real problem)"
        else:
            clean[topic.value] = int(str(value))
    unknown = sorted(set(scores) - set(HomeTopic.values))
    if unknown:
        errors["scores"] = f"Not a topic: {', '.join(unknown)}"
    return clean


def check_ranking(errors: dict[str, str], ranking: list[str], scored: dict[str, int]) -> list[str]:
    """The topics the person ranks as mattering most (up to RANKED_TOPICS, first first; blanks allowed only
    at the end): each a topic scored in this conversation, none twice. Errors under `rank_1`, `rank_2`..."""
    if len(ranking) > RANKED_TOPICS:
        errors["rank_1"] = f"Rank at most {RANKED_TOPICS} topics"
        return []
    ranked: list[str] = []
    gap = 0
    for place, code in enumerate(ranking, start=1):
        field = f"rank_{place}"
        if not code:
            gap = gap or place
            continue
        if gap:
            errors[f"rank_{gap}"] = "Choose this topic before the ones ranked after it"
        elif code not in HomeTopic.values:
            errors[field] = "Choose one of the topics"
        elif code in ranked:
            errors[field] = f"{HomeTopic(code).label} is already ranked {ranked.index(code) + 1}"
        elif code not in scored:
            errors[field] = f"Score {HomeTopic(code).label.lower()} before ranking it"
        ranked.append(code)
    if not ranked:
        errors["rank_1"] = "Choose the topic that matters most to the person"
    return ranked


def proposals(conversation: OptionsConversation) -> list[tuple[str, str, list[str]]]:
    """The options that answer what is hard for the person: (code, label, reasons), where a reason is a
    topic scored 2 (some difficulty) or more that the option can help with. Reasons come in the person's
    ranking first, then hardest first; options in the order of their best reason, then by how many."""
    scores: dict[str, int] = conversation.scores
    ranking: list[str] = list(conversation.ranking)

    def weight(topic: str) -> tuple[int, int]:
        place = ranking.index(topic) if topic in ranking else len(ranking)
        return (place, -scores.get(topic, 0))

    hard = sorted((t for t, v in scores.items() if v >= 2 and t in TOPIC_OPTIONS), key=weight)
    reasons: dict[str, list[str]] = {}
    for topic in hard:
        words = f"{HomeTopic(topic).label}: {TOPIC_SCALE[scores[topic]].lower()}"
        if topic in ranking:
            words += f" (ranked {ranking.index(topic) + 1} by the person)"
        for option in TOPIC_OPTIONS[topic]:
            reasons.setdefault(option, []).append(words)
    order = {t: i for i, t in enumerate(hard)}

    def rank(option: str) -> tuple[int, int]:
        best = min(order[t] for t in hard if option in TOPIC_OPTIONS[t])
        return (best, -len(reasons[option]))

    return [(o, HousingOption(o).label, reasons[o]) for o in sorted(reasons, key=rank)]


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
    ranking: list[str] | None = None,
    conversation_id: int | None = None,
) -> OptionsConversation:
    """How each part of the home works for the person (0 works well to 4 a real problem: every topic
    answered), what matters most to them (in their words, and the topics they rank first, second and
    third: `ranking`, errors under `rank_1`..), and the options talked through. With `conversation_id`,
    the adviser records the talk into a conversation the person started by answering through a link
    (`selfservice.start_with_link`), until the decision."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    started = None
    if conversation_id is not None:
        started = (
            visible_conversations(actor)
            .select_for_update()
            .filter(pk=conversation_id, person_id=person.pk)
            .first()
        )
        if started is None:
            raise NotFound("No housing options conversation with that id")
        if started.decided_on is not None:
            errors["held_on"] = f"The decision was recorded on {started.decided_on:%-d %b %Y}"
    check_day(errors, "held_on", held_on, label="Date of the conversation")
    clean = check_scores(errors, scores)
    ranked = check_ranking(errors, ranking or [], clean)
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
    if started is not None:
        started.held_on, started.scores, started.ranking = held_on, clean, ranked
        started.home_notes, started.what_matters = home_notes.strip(), what_matters.strip()
        started.options, started.adviser = sorted(set(options)), actor.user
        started.save()
        _audit(actor, started, "Record a housing options conversation the person started")
        return started
    conversation = OptionsConversation.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        adviser=actor.user,
        held_on=held_on,
        scores=clean,
        home_notes=home_notes.strip(),
        what_matters=what_matters.strip(),
        ranking=ranked,
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


@transaction.atomic
def record_outcome(
    *, actor: Actor, conversation_id: int, outcome: str, on: dt.date | None
) -> OptionsConversation:
    """The six-month follow-up: what had happened (moved, adapted, stayed with support, no change, or lost
    to follow-up) and when the adviser found out. Only once, only after the decision, never in the future."""
    actor.require(Permission.EDIT_PERSON)
    conversation = visible_conversations(actor).select_for_update().filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound("No housing options conversation with that id")
    errors: dict[str, str] = {}
    if conversation.decided_on is None:
        errors["outcome"] = "Record the decision before the follow-up"
    elif conversation.outcome:
        errors["outcome"] = f"The follow-up was recorded on {conversation.outcome_on:%-d %b %Y}"
    elif outcome not in OptionsOutcome.values:
        errors["outcome"] = "Choose what had happened at the follow-up"
    check_day(
        errors,
        "on",
        on,
        label="Date of the follow-up",
        after=conversation.decided_on,
        after_label="the decision",
    )
    if errors:
        raise ValidationFailed(errors)
    conversation.outcome, conversation.outcome_on = outcome, on
    conversation.save(update_fields=["outcome", "outcome_on"])
    _audit(actor, conversation, "Record a housing options follow-up", outcome=outcome)
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
