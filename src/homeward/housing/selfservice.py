"""Self-service for the "stay or move?" conversation: the adviser sends the older person a link to answer
the topics themselves on their phone. The link is single-use and expires after LINK_DAYS; only a SHA-256
hash of its random token is stored. It opens that one conversation's topic form and shows nothing but the
person's first name and the questions; the answers replace the conversation's scores, notes and ranking,
are marked as self-completed, and are audited (the answers they replaced go in the audit detail).

The person may also go first: `start_with_link` opens a conversation with nothing in it but the person
and sends the link, so they answer before they talk to the adviser; the adviser then records the talk into
it (`options.record_conversation` with the conversation's id), with the person's answers to start from."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.models import OptionsConversation, OptionsSelfServiceLink
from homeward.housing.options import check_ranking, check_scores
from homeward.housing.schemes import check_text
from homeward.housing.selectors import visible_conversations

LINK_DAYS = 14
#: Who the audit log names for an answer given through a link (nobody signs in).
LINK_USER = "self-service link"


class LinkGone(Exception):
    """The link was real but is used or expired: the message says which."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_link(*, actor: Actor, conversation_id: int) -> tuple[OptionsSelfServiceLink, str]:
    """A new link for the conversation (any earlier unused one stops working). Returns the link and its
    token, which is shown to the adviser once and never stored."""
    actor.require(Permission.EDIT_PERSON)
    conversation = visible_conversations(actor).select_for_update().filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound("No housing options conversation with that id")
    if conversation.decided_on is not None:
        raise ValidationFailed.single("link", "The decision is recorded: the topics can no longer change")
    now = timezone.now()
    OptionsSelfServiceLink.objects.filter(
        conversation=conversation, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = OptionsSelfServiceLink.objects.create(
        conversation=conversation,
        token_hash=_hash(token),
        created_by=actor.user,
        created_at=now,
        expires_at=now + dt.timedelta(days=LINK_DAYS),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Send a self-service link for a housing options conversation",
        obj=conversation,
        person_id=conversation.person_id,
        detail={"expires_at": link.expires_at},
    )
    return link, token


@transaction.atomic
def start_with_link(*, actor: Actor, person_id: int) -> tuple[OptionsSelfServiceLink, str]:
    """A conversation the person starts by answering through a link, before the adviser has talked with
    them: no scores, options or words of the adviser's yet. Returns the link (`link.conversation` is the
    conversation) and its token, shown once.
    One such conversation at a time per person: a second start sends a new link for the same one."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    waiting = (
        visible_conversations(actor).filter(person=person, what_matters="", decided_on__isnull=True).first()
    )
    if waiting is None:
        waiting = OptionsConversation.objects.create(
            person=person,
            organisation_id=actor.organisation_id,
            adviser=actor.user,
            held_on=timezone.localdate(),
            scores={},
            what_matters="",
            options=[],
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            purpose="Start a housing options conversation with the person's own answers",
            obj=waiting,
            person_id=person.pk,
        )
    return issue_link(actor=actor, conversation_id=waiting.pk)


def open_link(token: str, *, lock: bool = False) -> OptionsSelfServiceLink:
    """The link for a token: NotFound when there is none, LinkGone when it is used or expired."""
    found = OptionsSelfServiceLink.objects.select_related("conversation__person")
    if lock:
        found = found.select_for_update()
    link = found.filter(token_hash=_hash(token)).first()
    if link is None:
        raise NotFound("This link is not valid")
    if link.used_at is not None:
        raise LinkGone("This link has already been used. Ask your housing options adviser for a new one.")
    if link.expires_at <= timezone.now():
        raise LinkGone("This link has expired. Ask your housing options adviser for a new one.")
    return link


@transaction.atomic
def complete(
    *, token: str, scores: dict[str, Any], ranking: list[str], home_notes: str = ""
) -> OptionsConversation:
    """The person's own answers through the link: every topic scored, their ranking, their notes."""
    link = open_link(token, lock=True)
    conversation = link.conversation
    errors: dict[str, str] = {}
    clean = check_scores(errors, scores, whose="you")
    ranked = check_ranking(errors, ranking, clean)
    check_text(errors, "home_notes", home_notes, 2000)
    if errors:
        raise ValidationFailed(errors)
    before = {"scores": conversation.scores, "ranking": conversation.ranking}
    now = timezone.now()
    conversation.scores, conversation.ranking = clean, ranked
    if home_notes.strip():
        conversation.home_notes = home_notes.strip()
    conversation.self_completed_at = now
    conversation.save(update_fields=["scores", "ranking", "home_notes", "self_completed_at"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    record_event(
        actor=None,
        username=LINK_USER,
        action=AuditAction.UPDATE,
        purpose="The person answered the housing options topics themselves",
        obj=conversation,
        person_id=conversation.person_id,
        detail={"self_completed": True, "link_id": link.pk, "replaced": before},
    )
    return conversation
