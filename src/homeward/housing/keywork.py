"""Key work through the stay: the named key worker (and handovers), the support plan's goals across the
key-work areas, sessions, ONS4 personal wellbeing (recorded on the stay's `support` key-work case, so the
measures, their checks and scoring are `support`'s own), and reviews with the move-on readiness.

The Outcomes Star is licensed and is not built in: the areas and wording here are Homeward's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import User
from homeward.governance.models import AuditAction
from homeward.housing.codes import GoalProgress, PlacementStatus, Readiness, SupportArea
from homeward.housing.models import KeyWorkSession, Placement, PlanGoal, PlanReview
from homeward.housing.schemes import check_text
from homeward.housing.services import audit, check_day, check_worker, locked_placement, placement_event

#: The wellbeing measure a stay records at entry and at review or exit (support.wellbeing.ONS4).
WELLBEING_TOOL = "ons4"


def resident(actor: Any, placement_id: int) -> Placement:
    placement = locked_placement(actor, placement_id)
    if placement.status != PlacementStatus.RESIDENT:
        raise ValidationFailed.single("placement", f"{placement.reference} is not living in the scheme")
    return placement


@transaction.atomic
def assign_key_worker(*, actor: Any, placement_id: int, worker_id: int | None) -> Placement:
    """Name the resident's key worker; a change is a handover, on the timeline."""
    from homeward.support.services import assign_worker

    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    if worker_id is None:
        errors["worker_id"] = "Choose the key worker"
    check_worker(errors, actor, worker_id, "worker_id")
    if errors or worker_id is None:
        raise ValidationFailed(errors)
    old = placement.key_worker
    placement.key_worker_id = worker_id
    placement.save(update_fields=["key_worker"])
    if placement.support_case_id:
        assign_worker(actor=actor, case_id=placement.support_case_id, worker_id=worker_id)
    new = User.objects.get(pk=worker_id)
    title = f"Handed over from {old.get_full_name() or old.username} to" if old else "Key worker:"
    placement_event(placement, actor, f"{title} {new.get_full_name() or new.username}")
    audit(actor, placement, "Name a key worker", worker_id=worker_id)
    return placement


@transaction.atomic
def add_goal(
    *,
    actor: Any,
    placement_id: int,
    area: str,
    description: str,
    target_on: dt.date | None = None,
    set_on: dt.date | None = None,
) -> PlanGoal:
    """A goal agreed with the resident (on `set_on`, default today); the first goal agrees the plan."""
    placement = resident(actor, placement_id)
    today = timezone.localdate()
    set_on = set_on or today
    errors: dict[str, str] = {}
    check_choice(errors, "area", area, SupportArea)
    check_text(errors, "description", description, 500, required="Describe the goal in the resident's words")
    check_day(
        errors, "set_on", set_on, label="Date agreed", after=placement.arrived_on, after_label="arrival"
    )
    if target_on is not None and target_on < set_on:
        errors["target_on"] = "The target date cannot be before the goal was agreed"
    elif target_on is not None and target_on > set_on + dt.timedelta(days=731):
        errors["target_on"] = "Set a target within two years"
    if errors:
        raise ValidationFailed(errors)
    goal = PlanGoal.objects.create(
        placement=placement, area=area, description=description.strip(), target_on=target_on, set_on=set_on
    )
    if placement.plan_agreed_on is None or set_on < placement.plan_agreed_on:
        placement.plan_agreed_on = set_on
        placement.save(update_fields=["plan_agreed_on"])
    placement_event(placement, actor, f"Goal agreed: {SupportArea(area).label}", description)
    audit(actor, placement, "Agree a support plan goal", AuditAction.CREATE, goal_id=goal.pk)
    return goal


@transaction.atomic
def update_goal(
    *, actor: Any, placement_id: int, goal_id: int, progress: str, on: dt.date | None = None
) -> PlanGoal:
    """Record how far a goal has got (met, partly met, not met, ...) on a day (default today), not before
    the goal was set; errors name the field and nothing is written."""
    placement = locked_placement(actor, placement_id)
    goal = placement.goals.filter(pk=goal_id).first()
    if goal is None:
        raise NotFound("No goal with that id in this plan")
    errors: dict[str, str] = {}
    check_choice(errors, "progress", progress, GoalProgress)
    on = on or timezone.localdate()
    check_day(
        errors, "on", on, label="Date of the progress", after=goal.set_on, after_label="the goal was set"
    )
    if errors:
        raise ValidationFailed(errors)
    goal.progress, goal.progress_on = progress, on
    goal.save(update_fields=["progress", "progress_on"])
    placement_event(placement, actor, f"Goal {GoalProgress(progress).label.lower()}", goal.description)
    audit(actor, placement, "Update a support plan goal", goal_id=goal.pk, progress=progress)
    return goal


@transaction.atomic
def record_session(
    *, actor: Any, placement_id: int, held_on: dt.date | None, minutes: int, areas: list[str], note: str = ""
) -> KeyWorkSession:
    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    check_day(
        errors, "held_on", held_on, label="Session date", after=placement.arrived_on, after_label="arrival"
    )
    if not 5 <= minutes <= 480:
        errors["minutes"] = "Enter how long the session took, from 5 to 480 minutes"
    unknown = sorted(set(areas) - set(SupportArea.values))
    if not areas:
        errors["areas"] = "Choose at least one area the session covered"
    elif unknown:
        errors["areas"] = f"Not a key-work area: {', '.join(unknown)}"
    check_text(errors, "note", note, 2000)
    if errors:
        raise ValidationFailed(errors)
    assert held_on is not None
    session = KeyWorkSession.objects.create(
        placement=placement,
        held_on=held_on,
        minutes=minutes,
        areas=sorted(set(areas)),
        note=note.strip(),
        worker=actor.user,
    )
    covered = ", ".join(SupportArea(a).label.lower() for a in session.areas)
    placement_event(placement, actor, f"Key-work session ({minutes} minutes)", covered)
    audit(actor, placement, "Record a key-work session", AuditAction.CREATE, session_id=session.pk)
    return session


@transaction.atomic
def record_wellbeing(
    *, actor: Any, placement_id: int, timepoint: str, recorded_on: dt.date | None, answers: dict[str, Any]
) -> Any:
    """ONS4 at entry (baseline) and at review or exit (follow-up), through `support`'s own service."""
    from homeward.support.services import record_measure

    placement = locked_placement(actor, placement_id)
    if placement.support_case_id is None:
        raise ValidationFailed.single("placement", "Wellbeing is recorded once the person has arrived")
    measure = record_measure(
        actor=actor,
        case_id=placement.support_case_id,
        tool=WELLBEING_TOOL,
        timepoint=timepoint,
        recorded_on=recorded_on,
        answers=answers,
    )
    placement_event(placement, actor, f"Wellbeing (ONS4) recorded: {measure.get_timepoint_display().lower()}")
    return measure


@transaction.atomic
def record_review(
    *,
    actor: Any,
    placement_id: int,
    reviewed_on: dt.date | None,
    summary: str,
    readiness: str,
    next_review_on: dt.date | None,
    move_on_plan: str = "",
    outcomes: dict[str, str] | None = None,
) -> PlanReview:
    """Review the plan: what has changed, how far the need in each outcome domain has been met, how ready
    the resident is to move on (and the move-on plan when they are preparing or ready), and when the next
    review is due. A review reviews a plan: there must be one, agreed on or before the review date."""
    from homeward.housing.codes import DomainOutcome, OutcomeDomain

    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    if placement.plan_agreed_on is None:
        errors["reviewed_on"] = "Agree the support plan (add a goal) before reviewing it"
    else:
        check_day(
            errors,
            "reviewed_on",
            reviewed_on,
            label="Review date",
            after=max(placement.plan_agreed_on, placement.arrived_on or placement.plan_agreed_on),
            after_label="the support plan was agreed",
        )
    outcomes = {k: v for k, v in (outcomes or {}).items() if v}
    for domain, result in outcomes.items():
        if domain not in OutcomeDomain.values:
            errors["outcomes"] = f"Not an outcome domain: {domain}"
        else:
            check_choice(errors, f"outcome_{domain}", result, DomainOutcome)
    check_text(errors, "summary", summary, 2000, required="Summarise the review")
    check_choice(errors, "readiness", readiness, Readiness)
    required = "Write the move-on plan" if readiness in (Readiness.PREPARING, Readiness.READY) else ""
    check_text(errors, "move_on_plan", move_on_plan or placement.move_on_plan, 2000, required=required)
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date of the next review"
    elif reviewed_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = "The next review comes after this one"
    elif reviewed_on is not None and (next_review_on - reviewed_on).days > 366:
        errors["next_review_on"] = "Review at least once a year"
    if errors:
        raise ValidationFailed(errors)
    assert reviewed_on is not None and next_review_on is not None
    review = PlanReview.objects.create(
        placement=placement,
        reviewed_on=reviewed_on,
        summary=summary.strip(),
        readiness=readiness,
        next_review_on=next_review_on,
        reviewer=actor.user,
        outcomes=outcomes,
    )
    placement.readiness = readiness
    if move_on_plan.strip():
        placement.move_on_plan = move_on_plan.strip()
    placement.save(update_fields=["readiness", "move_on_plan"])
    placement_event(placement, actor, f"Plan reviewed: {Readiness(readiness).label.lower()}", summary)
    audit(actor, placement, "Review a support plan", AuditAction.CREATE, review_id=review.pk)
    return review


def plan_due_on(placement: Placement) -> dt.date | None:
    """The day the support plan is due: the scheme's set number of days from arrival."""
    if placement.arrived_on is None:
        return None
    return placement.arrived_on + dt.timedelta(days=placement.scheme.plan_within_days)


def next_review_due(placement: Placement) -> dt.date | None:
    """The next review date agreed at the last review, else the scheme's cadence from the plan."""
    if hasattr(placement, "last_next_review_on"):  # annotated by selectors.with_review_due
        last_next: dt.date | None = placement.last_next_review_on
    else:
        last = placement.reviews.order_by("-reviewed_on", "-pk").first()
        last_next = last.next_review_on if last is not None else None
    if last_next is not None:
        return last_next
    if placement.plan_agreed_on is None:
        return None
    return placement.plan_agreed_on + dt.timedelta(days=placement.scheme.review_every_days)
