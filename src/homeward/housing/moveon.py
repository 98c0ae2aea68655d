"""Moves between units, departures and resettlement follow-ups. A move ends one stay interval and starts
another. Departures: a planned move-on or an unplanned ending (evicted, abandoned,
custody, hospital, died), each with its destination; the stay interval ends on the departure day, the unit
becomes void for turnaround, the `support` key-work case closes, and follow-ups are due at 3, 6 and 12
months (still housed?)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.engines.dfg import add_months
from homeward.housing.codes import (
    DepartureReason,
    FollowUpResult,
    GoalProgress,
    MoveOnDestination,
    PlacementStatus,
    UnitStatus,
    VoidReason,
)
from homeward.housing.keywork import resident
from homeward.housing.models import FollowUp, Occupancy, Placement, Unit
from homeward.housing.occupancy import check_free
from homeward.housing.schemes import check_text
from homeward.housing.services import (
    _locked_unit,
    _move,
    audit,
    check_day,
    locked_placement,
    placement_event,
)

FOLLOW_UP_MONTHS = (3, 6, 12)
#: Endings that fix the destination (the form's choice must agree).
FIXED_DESTINATION = {
    DepartureReason.DIED: MoveOnDestination.DIED,
    DepartureReason.CUSTODY: MoveOnDestination.CUSTODY,
}


@transaction.atomic
def move_unit(*, actor: Any, placement_id: int, unit_id: int | None, on: dt.date | None) -> Placement:
    """A resident moves to another unit in the scheme: the current interval ends and a new one starts."""
    placement = locked_placement(actor, placement_id)
    if placement.status != PlacementStatus.RESIDENT:
        raise ValidationFailed.single("placement", "Only a resident can move to another unit")
    current = placement.occupancies.filter(ends_on__isnull=True).select_related("unit").first()
    assert current is not None
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label="Move date",
        after=current.starts_on + dt.timedelta(days=1),
        after_label="the day after the resident moved in",
    )
    if errors:
        raise ValidationFailed(errors)
    unit = _locked_unit(actor, placement, unit_id)
    if unit.pk == current.unit_id:
        raise ValidationFailed.single("unit_id", f"The resident already lives in {unit.name}")
    if unit.status == UnitStatus.OUT_OF_USE:
        raise ValidationFailed.single("unit_id", f"{unit.name} is out of use")
    assert on is not None
    check_free(unit, on)
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    Occupancy.objects.create(placement=placement, unit=unit, starts_on=on)
    placement_event(placement, actor, f"Moved from {current.unit.name} to {unit.name}")
    audit(actor, placement, "Move a resident to another unit", unit_id=unit.pk)
    return placement


@transaction.atomic
def depart(
    *,
    actor: Any,
    placement_id: int,
    on: dt.date | None,
    reason: str,
    destination: str,
    note: str = "",
) -> Placement:
    from homeward.support.codes import DischargeReason
    from homeward.support.services import discharge

    placement = resident(actor, placement_id)
    current = placement.occupancies.filter(ends_on__isnull=True).first()
    assert current is not None and placement.arrived_on is not None
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label="Departure date",
        after=max(placement.arrived_on, current.starts_on) + dt.timedelta(days=1),
        after_label="the day after arrival",
    )
    check_choice(errors, "reason", reason, DepartureReason)
    check_choice(errors, "destination", destination, MoveOnDestination)
    if (
        not errors
        and reason in FIXED_DESTINATION
        and destination != FIXED_DESTINATION[DepartureReason(reason)]
    ):
        errors["destination"] = (
            f"The destination is {FIXED_DESTINATION[DepartureReason(reason)].label.lower()}"
        )
    required = "" if reason == DepartureReason.PLANNED else "Say what happened"
    check_text(errors, "note", note, 2000, required=required)
    if errors:
        raise ValidationFailed(errors)
    assert on is not None
    current.ends_on = on
    current.save(update_fields=["ends_on"])
    unit = Unit.objects.select_for_update().get(pk=current.unit_id)
    unit.status, unit.void_reason, unit.status_note, unit.status_since = (
        UnitStatus.VOID,
        VoidReason.TURNAROUND,
        "",
        on,
    )
    unit.save(update_fields=["status", "void_reason", "status_note", "status_since"])
    placement.departed_on, placement.departure_reason = on, reason
    placement.destination, placement.departure_note = destination, note.strip()
    label = DepartureReason(reason).label
    _move(
        placement,
        actor,
        PlacementStatus.MOVED_ON,
        f"Left the scheme: {label.lower()}",
        MoveOnDestination(destination).label,
    )
    if destination != MoveOnDestination.DIED:
        FollowUp.objects.bulk_create(
            FollowUp(placement=placement, months=m, due_on=add_months(on, m)) for m in FOLLOW_UP_MONTHS
        )
    if placement.support_case_id:
        progress = list(placement.goals.values_list("progress", flat=True))
        if progress and all(p == GoalProgress.MET for p in progress):
            why = DischargeReason.GOALS_MET
        elif any(p in (GoalProgress.MET, GoalProgress.PARTLY_MET) for p in progress):
            why = DischargeReason.PARTLY_MET
        else:
            why = DischargeReason.ONWARD if reason == DepartureReason.PLANNED else DischargeReason.DISENGAGED
        discharge(
            actor=actor,
            case_id=placement.support_case_id,
            reason=why,
            on=on,
            note=f"Left supported housing: {label}",
        )
    return placement


@transaction.atomic
def record_follow_up(
    *, actor: Any, placement_id: int, months: int, done_on: dt.date | None, result: str, note: str = ""
) -> FollowUp:
    """What a resettlement follow-up found. 'Could not be contacted' is kept apart from the answers, so
    people lost to follow-up are reported separately rather than counted as housed or not."""
    placement = locked_placement(actor, placement_id)
    follow_up = placement.follow_ups.filter(months=months).first()
    if follow_up is None:
        raise NotFound("No follow-up due at that point for this placement")
    errors: dict[str, str] = {}
    assert placement.departed_on is not None
    check_day(
        errors,
        "done_on",
        done_on,
        label="Follow-up date",
        after=placement.departed_on,
        after_label="the departure",
    )
    check_choice(errors, "result", result, FollowUpResult)
    check_text(errors, "note", note, 500)
    if follow_up.done_on is not None:
        errors["months"] = f"The {months}-month follow-up was recorded on {follow_up.done_on:%-d %b %Y}"
    if errors:
        raise ValidationFailed(errors)
    follow_up.done_on, follow_up.result, follow_up.note = done_on, result, note.strip()
    follow_up.save(update_fields=["done_on", "result", "note"])
    placement_event(
        placement, actor, f"{months}-month follow-up: {FollowUpResult(result).label.lower()}", note
    )
    audit(actor, placement, "Record a resettlement follow-up", months=months, result=result)
    return follow_up
