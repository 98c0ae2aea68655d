"""Reads of evaluations and extracts: the analyst's own organisation's only; anything else is NotFound.
Both hold pseudonymised keys and counts, never a name, NHS number or address; each read is audited."""

from __future__ import annotations

from django.db.models import QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.evaluation.models import ActivityExtract, Evaluation
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction


def can_evaluate(actor: Actor) -> bool:
    return actor.can(Permission.RUN_EVALUATIONS)


def visible_evaluations(actor: Actor) -> QuerySet[Evaluation]:
    if not can_evaluate(actor):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(organisation_id=actor.organisation_id)


def visible_extracts(actor: Actor) -> QuerySet[ActivityExtract]:
    if not can_evaluate(actor):
        return ActivityExtract.objects.none()
    return ActivityExtract.objects.filter(organisation_id=actor.organisation_id).defer("activity", "people")


def get_extract(actor: Actor, extract_id: int) -> ActivityExtract:
    found = ActivityExtract.objects.filter(pk__in=visible_extracts(actor).values("pk"), pk=extract_id).first()
    if found is None:
        raise NotFound("No activity extract with that id")
    return found


def get_evaluation(actor: Actor, evaluation_id: int, *, purpose: str = "Read an evaluation") -> Evaluation:
    found = (
        visible_evaluations(actor).select_related("created_by", "extract").filter(pk=evaluation_id).first()
    )
    if found is None:
        raise NotFound("No evaluation with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=found)
    return found
