"""MDT actions as tasks (an owner, a due date, done or not) and the weekly MDT list of a unit: everyone in
it with days in the stay, days since ready to leave, open actions, open blockers and red days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from homeward.casework.today import TodayItem
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Team, User
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement.codes import StayStatus
from homeward.reablement.models import MdtAction, MdtReview, Stay, Unit
from homeward.reablement.occupancy import length_of_stay
from homeward.reablement.selectors import visible_stays
from homeward.reablement.services import check_text, journey_event, locked_stay

MAX_DUE_DAYS = 366


def _audit(actor: Actor, stay: Stay, purpose: str, obj: object) -> None:
    record_event(
        actor=actor, action=AuditAction.UPDATE, purpose=purpose, obj=obj, person_id=stay.referral.person_id
    )


@transaction.atomic
def add_action(
    *,
    actor: Actor,
    stay_id: int,
    review_id: int | None,
    description: str,
    due_on: dt.date | None,
    owner_user_id: int | None = None,
    owner_team_id: int | None = None,
) -> MdtAction:
    """An action from an MDT review, owned by a person or a team of the actor's organisation."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    review = MdtReview.objects.filter(pk=review_id, stay=stay).first() if review_id else None
    if review is None:
        errors["review_id"] = "Choose the MDT review the action came from"
    check_text(errors, "description", description, 500, required="Say what needs doing")
    org = actor.organisation_id
    if owner_user_id is None and owner_team_id is None:
        errors["owner"] = "Choose who owns the action: a person or a team"
    elif (
        owner_user_id is not None
        and not User.objects.filter(pk=owner_user_id, memberships__organisation_id=org).exists()
    ):
        errors["owner"] = "That person does not work for your organisation"
    elif (
        owner_team_id is not None and not Team.objects.filter(pk=owner_team_id, organisation_id=org).exists()
    ):
        errors["owner"] = "That team is not in your organisation"
    today = timezone.localdate()
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on < (review.held_on if review else today) or due_on > today + dt.timedelta(days=MAX_DUE_DAYS):
        errors["due_on"] = f"Due date must be between the review and {MAX_DUE_DAYS} days from today"
    if stay.status != StayStatus.IN_UNIT:
        errors["stay"] = "The person has left the unit"
    if errors:
        raise ValidationFailed(errors)
    assert review is not None and due_on is not None
    action = MdtAction.objects.create(
        review=review,
        stay=stay,
        description=description.strip(),
        owner_organisation_id=org,
        owner_user_id=owner_user_id,
        owner_team_id=None if owner_user_id else owner_team_id,
        due_on=due_on,
    )
    journey_event(stay.referral, actor, f"MDT action for {action.owner_label}", action.description)
    _audit(actor, stay, "Add a reablement MDT action", action)
    return action


@transaction.atomic
def complete_action(*, actor: Actor, stay_id: int, action_id: int, outcome: str = "") -> MdtAction:
    stay = locked_stay(actor, stay_id)
    action = MdtAction.objects.select_for_update().filter(pk=action_id, stay=stay).first()
    if action is None:
        raise NotFound("No MDT action with that id in this stay")
    errors: dict[str, str] = {}
    if action.done_on is not None:
        errors["action_id"] = f"Already done on {action.done_on:%-d %b %Y}"
    check_text(errors, "outcome", outcome, 500)
    if errors:
        raise ValidationFailed(errors)
    action.done_on, action.done_by, action.outcome = timezone.localdate(), actor.user, outcome.strip()
    action.save(update_fields=["done_on", "done_by", "outcome"])
    journey_event(stay.referral, actor, "MDT action done", action.description)
    _audit(actor, stay, "Complete a reablement MDT action", action)
    return action


def my_open_actions(actor: Actor) -> QuerySet[MdtAction]:
    """Open actions owned by the actor or one of the actor's teams, on stays the actor may see."""
    if not actor.can(Permission.VIEW_PERSON):
        return MdtAction.objects.none()
    mine = Q(owner_user=actor.user)
    if actor.membership.team_id:
        mine |= Q(owner_team_id=actor.membership.team_id, owner_user__isnull=True)
    return (
        MdtAction.objects.filter(mine, done_on__isnull=True, stay__in=visible_stays(actor))
        .select_related("stay__unit", "stay__referral__person", "owner_user", "owner_team")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class MdtRow:
    stay: Stay
    days_in: int
    days_since_ready: int | None
    open_actions: int
    overdue_actions: int
    open_blockers: int
    red_days: int
    last_review_on: dt.date | None
    next_review_on: dt.date | None


def mdt_list(actor: Actor, unit: Unit, today: dt.date | None = None) -> list[MdtRow]:
    """Everyone in the unit now, longest stay first, with the figures the weekly MDT goes through."""
    today = today or timezone.localdate()
    open_actions = Q(actions__done_on__isnull=True)
    stays = (
        visible_stays(actor)
        .filter(unit=unit, status=StayStatus.IN_UNIT)
        .select_related("referral__person")
        .annotate(
            n_actions=Count("actions", filter=open_actions, distinct=True),
            n_overdue=Count("actions", filter=open_actions & Q(actions__due_on__lt=today), distinct=True),
            n_blockers=Count("blockers", filter=Q(blockers__resolved_on__isnull=True), distinct=True),
            n_red=Count("days", filter=Q(days__colour="red"), distinct=True),
        )
        .order_by("admitted_at", "pk")
    )
    reviews: dict[int, list[MdtReview]] = {}
    rows = list(stays)
    for review in MdtReview.objects.filter(stay__in=[s.pk for s in rows]).order_by("-held_on", "-pk"):
        reviews.setdefault(review.stay_id, []).append(review)
    out = []
    for stay in rows:
        held = reviews.get(stay.pk, [])
        out.append(
            MdtRow(
                stay=stay,
                days_in=length_of_stay(stay, today),
                days_since_ready=(today - stay.ready_on).days if stay.ready_on else None,
                open_actions=stay.n_actions,  # type: ignore[attr-defined]
                overdue_actions=stay.n_overdue,  # type: ignore[attr-defined]
                open_blockers=stay.n_blockers,  # type: ignore[attr-defined]
                red_days=stay.n_red,  # type: ignore[attr-defined]
                last_review_on=held[0].held_on if held else None,
                next_review_on=held[0].next_review_on if held else None,
            )
        )
    return out


def open_actions_in_units(actor: Actor) -> QuerySet[MdtAction]:
    """Open MDT actions on stays in the units the actor's organisation runs (the unit's task list)."""
    if not actor.can(Permission.VIEW_PERSON):
        return MdtAction.objects.none()
    return (
        MdtAction.objects.filter(
            done_on__isnull=True,
            stay__unit__organisation_id=actor.organisation_id,
            stay__in=visible_stays(actor),
        )
        .select_related("stay__unit", "stay__referral__person", "owner_user", "owner_team")
        .order_by("due_on", "pk")
    )


def today_items(actor: Actor) -> list[TodayItem]:
    """The home page's count of the actor's open MDT actions (counts only, no names)."""
    mine = my_open_actions(actor)
    count = mine.count()
    if not count:
        return []
    overdue = mine.filter(due_on__lt=timezone.localdate()).count()
    label = "My open reablement MDT actions" + (f" ({overdue} overdue)" if overdue else "")
    return [TodayItem(label, count, reverse("reablement:my_actions"), urgent=bool(overdue))]
