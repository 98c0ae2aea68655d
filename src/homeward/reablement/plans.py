"""Writes for the stay's personalised plan: goals and their progress, MDT reviews, blockers to going home
(Hospital to Home's categories and owner shape) and the 91-day follow-up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation, Team, User
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.discharge.codes import BlockerCategory
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement import board_version
from homeward.reablement.codes import Discipline, FollowUpOutcome, GoalProgress, StayStatus
from homeward.reablement.delays import check_reason, reason_for_category
from homeward.reablement.lifecycle import STAY
from homeward.reablement.models import FollowUp, Goal, MdtReview, Stay, StayBlocker
from homeward.reablement.selectors import visible_stays
from homeward.reablement.services import check_text, journey_event, locked_stay


def _audit(actor: Actor, stay: Stay, purpose: str, obj: object) -> None:
    record_event(
        actor=actor, action=AuditAction.UPDATE, purpose=purpose, obj=obj, person_id=stay.referral.person_id
    )


def _check_day(errors: dict[str, str], field: str, value: dt.date | None, label: str, *, past: bool) -> None:
    if value is None:
        return
    check_date(errors, field, value, label=label)
    if past and value > timezone.localdate():
        errors.setdefault(field, f"{label} cannot be in the future")


@transaction.atomic
def add_goal(
    *,
    actor: Actor,
    stay_id: int,
    description: str,
    target_on: dt.date | None,
    agreed_with_person: bool = True,
) -> Goal:
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    check_text(
        errors, "description", description, 500, required="Say what the goal is, in the person's words"
    )
    if target_on is None:
        errors["target_on"] = "Enter the date the goal should be met by"
    _check_day(errors, "target_on", target_on, "Target date", past=False)
    if errors:
        raise ValidationFailed(errors)
    assert target_on is not None
    goal = Goal.objects.create(
        stay=stay,
        description=description.strip(),
        target_on=target_on,
        agreed_with_person=agreed_with_person,
        updated_on=timezone.localdate(),
    )
    journey_event(stay.referral, actor, "Goal agreed", goal.description)
    _audit(actor, stay, "Add a reablement goal", goal)
    return goal


@transaction.atomic
def update_goal(*, actor: Actor, goal_id: int, progress: str) -> Goal:
    actor.require(Permission.EDIT_PERSON)
    goal = (
        Goal.objects.filter(pk=goal_id, stay__in=visible_stays(actor))
        .select_related("stay__referral")
        .first()
    )
    if goal is None:
        raise NotFound("No goal with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "progress", progress, GoalProgress)
    if errors:
        raise ValidationFailed(errors)
    goal.progress, goal.updated_on = progress, timezone.localdate()
    goal.save(update_fields=["progress", "updated_on"])
    journey_event(goal.stay.referral, actor, f"Goal {GoalProgress(progress).label.lower()}", goal.description)
    _audit(actor, goal.stay, "Update a reablement goal", goal)
    return goal


def _attendance(
    errors: dict[str, str], actor: Actor, attendees: list[str], organisations: dict[str, int | None] | None
) -> list[dict[str, object]]:
    """Each attending discipline with its organisation (id and name as it is today)."""
    if organisations is None:
        organisations = {code: actor.organisation_id for code in attendees}
    stray = sorted(set(organisations) - set(attendees))
    if stray:
        errors[f"organisations.{stray[0]}"] = "Give an organisation only for a discipline that attended"
    ids = {v for v in organisations.values() if v is not None}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows: list[dict[str, object]] = []
    for code in sorted(set(attendees)):
        org = organisations.get(code)
        if org is None:
            if code != Discipline.PERSON_OR_FAMILY:
                label = Discipline(code).label.lower()
                errors[f"organisations.{code}"] = f"Choose the organisation the {label} came from"
            rows.append({"discipline": code, "organisation_id": None, "organisation": ""})
        elif org not in names:
            errors[f"organisations.{code}"] = "No organisation with that id"
        else:
            rows.append({"discipline": code, "organisation_id": org, "organisation": names[org]})
    return rows


@transaction.atomic
def record_review(
    *,
    actor: Actor,
    stay_id: int,
    held_on: dt.date,
    attendees: list[str],
    medically_stable: bool,
    decisions: str,
    next_review_on: dt.date | None = None,
    ready_to_leave: bool = False,
    organisations: dict[str, int | None] | None = None,
) -> MdtReview:
    """An MDT review; the first that finds the person ready to leave the unit sets the stay's ready date
    (the MDT list counts days since ready from it). `organisations` says which organisation each attending
    discipline came from ({discipline: organisation id}); every attendee but the person or their family
    needs one. Not given at all: every attendee is of the recording organisation."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    _check_day(errors, "held_on", held_on, "Review date", past=True)
    if "held_on" not in errors and held_on < timezone.localdate(stay.admitted_at):
        errors["held_on"] = "Review date cannot be before the admission"
    unknown = [a for a in attendees if a not in Discipline.values]
    if not attendees or unknown or len(attendees) > len(Discipline.values):
        errors["attendees"] = "Choose who attended, by discipline"
    attendance = _attendance(errors, actor, attendees if "attendees" not in errors else [], organisations)
    check_text(errors, "decisions", decisions, 2000, required="Record what the review decided")
    _check_day(errors, "next_review_on", next_review_on, "Next review date", past=False)
    if next_review_on is not None and "next_review_on" not in errors and next_review_on <= held_on:
        errors["next_review_on"] = "Next review must be after this one"
    if errors:
        raise ValidationFailed(errors)
    review = MdtReview.objects.create(
        stay=stay,
        held_on=held_on,
        attendees=sorted(set(attendees)),
        attendance=attendance,
        medically_stable=medically_stable,
        decisions=decisions.strip(),
        next_review_on=next_review_on,
        ready_to_leave=ready_to_leave,
        recorded_by=actor.user,
    )
    if ready_to_leave and (stay.ready_on is None or held_on < stay.ready_on):
        stay.ready_on = held_on
        stay.save(update_fields=["ready_on"])
    journey_event(stay.referral, actor, "MDT review", decisions.strip())
    _audit(actor, stay, "Record a reablement MDT review", review)
    return review


@transaction.atomic
def raise_blocker(
    *,
    actor: Actor,
    stay_id: int,
    category: str,
    description: str,
    due_on: dt.date | None,
    owner_organisation_id: int | None = None,
    owner_team_id: int | None = None,
    owner_user_id: int | None = None,
    delay_reason_id: int | None = None,
) -> StayBlocker:
    """A blocker to going home, owned by an organisation (the actor's by default), a team or a person,
    with NHS England's community delay reason: the one chosen, or the one its category maps to in the list
    in force today."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    check_choice(errors, "category", category, BlockerCategory)
    check_text(errors, "description", description, 500, required="Say what is in the way")
    owner_org = owner_organisation_id or actor.organisation_id
    if not Organisation.objects.filter(pk=owner_org).exists():
        errors["owner_organisation_id"] = "No organisation with that id"
    if owner_team_id and not Team.objects.filter(pk=owner_team_id, organisation_id=owner_org).exists():
        errors["owner_team_id"] = "That team is not in the owning organisation"
    if (
        owner_user_id
        and not User.objects.filter(pk=owner_user_id, memberships__organisation_id=owner_org).exists()
    ):
        errors["owner_user_id"] = "That person does not work for the owning organisation"
    if due_on is None:
        errors["due_on"] = "Enter the date it should be cleared by"
    _check_day(errors, "due_on", due_on, "Due date", past=False)
    if stay.status != StayStatus.IN_UNIT:
        errors["stay"] = "The person has left the unit"
    today = timezone.localdate()
    check_reason(errors, "delay_reason_id", delay_reason_id, today)
    if errors:
        raise ValidationFailed(errors)
    assert due_on is not None
    blocker = StayBlocker.objects.create(
        delay_reason_id=delay_reason_id or reason_for_category(category, today),
        stay=stay,
        category=category,
        description=description.strip(),
        owner_organisation_id=owner_org,
        owner_team_id=owner_team_id,
        owner_user_id=owner_user_id,
        raised_on=timezone.localdate(),
        due_on=due_on,
    )
    journey_event(stay.referral, actor, f"Blocker: {blocker.get_category_display()}", description.strip())
    _audit(actor, stay, "Raise a reablement blocker", blocker)
    board_version.changed(stay.unit_id)
    return blocker


@transaction.atomic
def resolve_blocker(*, actor: Actor, stay_id: int, blocker_id: int, resolution: str) -> StayBlocker:
    stay = locked_stay(actor, stay_id)
    blocker = stay.blockers.filter(pk=blocker_id).first()
    if blocker is None:
        raise NotFound("No blocker with that id in this stay")
    if blocker.resolved_on is not None:
        raise ValidationFailed.single("blocker_id", f"Already cleared on {blocker.resolved_on:%-d %b %Y}")
    errors: dict[str, str] = {}
    check_text(errors, "resolution", resolution, 500, required="Say how it was cleared")
    if errors:
        raise ValidationFailed(errors)
    blocker.resolved_on, blocker.resolution = timezone.localdate(), resolution.strip()
    blocker.save(update_fields=["resolved_on", "resolution"])
    journey_event(
        stay.referral, actor, f"Blocker cleared: {blocker.get_category_display()}", resolution.strip()
    )
    _audit(actor, stay, "Resolve a reablement blocker", blocker)
    board_version.changed(stay.unit_id)
    return blocker


@transaction.atomic
def record_follow_up(
    *, actor: Actor, stay_id: int, done_on: dt.date, outcome: str, note: str = ""
) -> FollowUp:
    """The 91-day follow-up's answer. "Still at home" can be known only on or after the 91st day."""
    stay = locked_stay(actor, stay_id)
    follow_up = FollowUp.objects.select_for_update().filter(stay=stay, done_on__isnull=True).first()
    if follow_up is None:
        raise ValidationFailed.single(
            "done_on",
            "No 91-day follow-up is open for this stay: it is set when the person is discharged home",
        )
    errors: dict[str, str] = {}
    check_choice(errors, "outcome", outcome, FollowUpOutcome)
    check_text(errors, "note", note, 500)
    _check_day(errors, "done_on", done_on, "Follow-up date", past=True)
    assert stay.discharged_at is not None
    if "done_on" not in errors and done_on < timezone.localdate(stay.discharged_at):
        errors["done_on"] = "Follow-up cannot be before the discharge"
    elif outcome in (FollowUpOutcome.AT_HOME, FollowUpOutcome.LOST) and done_on < follow_up.due_on:
        errors["done_on"] = (
            f"Whether the person is still at home at 91 days is known from {follow_up.due_on:%-d %b %Y}"
        )
    if errors:
        raise ValidationFailed(errors)
    follow_up.done_on, follow_up.outcome, follow_up.note = done_on, outcome, note.strip()
    follow_up.save()
    STAY.check(stay.status, StayStatus.FOLLOWED_UP)
    stay.status = StayStatus.FOLLOWED_UP
    stay.save(update_fields=["status"])
    journey_event(stay.referral, actor, f"91-day follow-up: {FollowUpOutcome(outcome).label}", note.strip())
    _audit(actor, stay, "Record the 91-day follow-up", follow_up)
    return follow_up
