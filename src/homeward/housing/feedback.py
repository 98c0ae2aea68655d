"""Resident feedback about a scheme: a compliment, a suggestion or a complaint from a resident, a former
resident or a visitor, with the day it was received and what was done about it. The standards evidence
counts it by kind (no names); the scheme's day-to-day page and the API list it for the provider's staff.

A resident is named only when they choose to be; anyone else's feedback names no one. The wording is
Homeward's own; it is not a complaints procedure, only the record of what was said and done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import ValidationFailed, check_choice
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.codes import FeedbackFrom, FeedbackKind
from homeward.housing.models import Feedback
from homeward.housing.operations import own_scheme
from homeward.housing.schemes import check_text
from homeward.housing.services import check_day, placement_event

#: Feedback older than this is not entered after the event (a standards period is at most three years).
LATE_ENTRY_DAYS = 366


@transaction.atomic
def record_feedback(
    *,
    actor: Any,
    scheme_id: int,
    received_on: dt.date | None,
    kind: str,
    from_whom: str,
    summary: str,
    action_taken: str,
    placement_id: int | None = None,
) -> Feedback:
    """Record feedback about the scheme and what was done. A named resident must have lived there."""
    scheme = own_scheme(actor, scheme_id)
    errors: dict[str, str] = {}
    check_day(errors, "received_on", received_on, label="Date received")
    if (
        received_on is not None
        and "received_on" not in errors
        and received_on < timezone.localdate() - dt.timedelta(days=LATE_ENTRY_DAYS)
    ):
        errors["received_on"] = "Record feedback within a year of receiving it"
    check_choice(errors, "kind", kind, FeedbackKind)
    check_choice(errors, "from_whom", from_whom, FeedbackFrom)
    check_text(errors, "summary", summary, 2000, required="Say what the feedback was")
    required = (
        "Say what was done about the complaint, or what will be done and by when"
        if kind == FeedbackKind.COMPLAINT
        else "Say what was done (for example, thanked the team, passed on to the manager)"
    )
    check_text(errors, "action_taken", action_taken, 2000, required=required)
    placement = None
    if placement_id is not None:
        placement = scheme.placements.filter(pk=placement_id, arrived_on__isnull=False).first()
        if placement is None:
            errors["placement_id"] = "Choose someone who lives or lived in this scheme"
        elif from_whom not in (FeedbackFrom.RESIDENT, FeedbackFrom.FORMER_RESIDENT):
            errors["placement_id"] = "Only a resident or former resident is named with their feedback"
    if errors:
        raise ValidationFailed(errors)
    assert received_on is not None
    found = Feedback.objects.create(
        scheme=scheme,
        received_on=received_on,
        kind=kind,
        from_whom=from_whom,
        placement=placement,
        summary=summary.strip(),
        action_taken=action_taken.strip(),
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    if placement is not None:
        placement_event(placement, actor, f"Gave feedback: {FeedbackKind(kind).label.lower()}")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record resident feedback",
        obj=found,
        person_id=placement.person_id if placement else None,
        detail={"kind": kind},
    )
    return found
