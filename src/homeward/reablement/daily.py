"""The stay day by day: red and green days (a red day with its reason), daily notes, and functional
measures at admission, reviews and discharge (the organisation's own measures: Homeward ships none)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement import board_version
from homeward.reablement.codes import DayColour, MeasureStage, StayStatus
from homeward.reablement.delays import check_reason
from homeward.reablement.models import DailyNote, FunctionalMeasure, MeasureScore, Stay, StayDay
from homeward.reablement.services import check_text, locked_stay


def _audit(actor: Actor, stay: Stay, purpose: str, obj: object, action: str = AuditAction.UPDATE) -> None:
    record_event(actor=actor, action=action, purpose=purpose, obj=obj, person_id=stay.referral.person_id)


def _check_in_stay(errors: dict[str, str], field: str, day: dt.date | None, stay: Stay, label: str) -> None:
    """`day` must fall within the stay (admission day to discharge day, or today) and not in the future."""
    if day is None:
        errors[field] = f"Enter the {label.lower()}"
        return
    first = timezone.localdate(stay.admitted_at)
    last = timezone.localdate(stay.discharged_at) if stay.discharged_at else timezone.localdate()
    if day > timezone.localdate():
        errors[field] = f"{label} cannot be in the future"
    elif not first <= day <= last:
        errors[field] = f"{label} must be within the stay ({first:%-d %b %Y} to {last:%-d %b %Y})"


@transaction.atomic
def mark_day(
    *,
    actor: Actor,
    stay_id: int,
    day: dt.date | None,
    colour: str,
    reason: str = "",
    delay_reason_id: int | None = None,
) -> StayDay:
    """Mark a day of the stay red or green; marking it again changes it. A red day needs its reason."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    _check_in_stay(errors, "day", day, stay, "Day")
    check_choice(errors, "colour", colour, DayColour)
    if colour == DayColour.RED:
        check_text(errors, "reason", reason, 500, required="Say why the day added nothing to the recovery")
        if day is not None and "day" not in errors:
            check_reason(errors, "delay_reason_id", delay_reason_id, day)
    else:
        check_text(errors, "reason", reason, 500)
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    red = colour == DayColour.RED
    marked, _ = StayDay.objects.update_or_create(
        stay=stay,
        day=day,
        defaults={
            "colour": colour,
            "reason": reason.strip(),
            "delay_reason_id": delay_reason_id if red else None,
            "recorded_by": actor.user,
            "recorded_at": timezone.now(),
        },
    )
    _audit(actor, stay, "Mark a reablement day red or green", marked)
    board_version.changed(stay.unit_id)
    return marked


@transaction.atomic
def add_note(*, actor: Actor, stay_id: int, text: str) -> DailyNote:
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    check_text(errors, "text", text, 2000, required="Write the note")
    if stay.status != StayStatus.IN_UNIT:
        errors["text"] = errors.get("text") or "The person has left the unit"
    if errors:
        raise ValidationFailed(errors)
    note = DailyNote.objects.create(
        stay=stay,
        written_at=timezone.now(),
        author=actor.user,
        organisation_id=actor.organisation_id,
        text=text.strip(),
    )
    _audit(actor, stay, "Write a reablement daily note", note, AuditAction.CREATE)
    return note


@transaction.atomic
def define_measure(
    *,
    actor: Actor,
    name: str,
    lowest: int,
    highest: int,
    licence: str,
    description: str = "",
    higher_is_better: bool = True,
) -> FunctionalMeasure:
    """An organisation sets up a functional measure it uses, stating the licence or permission it holds
    (or that the measure is its own)."""
    actor.require(Permission.MANAGE_ORGANISATION)
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 100, required="Name the measure")
    check_text(errors, "description", description, 500)
    check_text(errors, "licence", licence, 300, required="Say under what licence or permission you use it")
    for field, value in (("lowest", lowest), ("highest", highest)):
        if not -10_000 <= value <= 10_000:
            errors[field] = "Must be between -10000 and 10000"
    if "lowest" not in errors and "highest" not in errors and highest <= lowest:
        errors["highest"] = "The highest score must be above the lowest"
    if FunctionalMeasure.objects.filter(organisation_id=actor.organisation_id, name=name.strip()).exists():
        errors["name"] = "Your organisation already has a measure with that name"
    if errors:
        raise ValidationFailed(errors)
    measure = FunctionalMeasure.objects.create(
        organisation_id=actor.organisation_id,
        name=name.strip(),
        description=description.strip(),
        lowest=lowest,
        highest=highest,
        higher_is_better=higher_is_better,
        licence=licence.strip(),
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Set up a functional measure", obj=measure)
    return measure


def measures_for(organisation_id: int) -> list[FunctionalMeasure]:
    return list(FunctionalMeasure.objects.filter(organisation_id=organisation_id, active=True))


@transaction.atomic
def record_score(
    *,
    actor: Actor,
    stay_id: int,
    measure_id: int | None,
    stage: str,
    score: int | None,
    scored_on: dt.date | None,
) -> MeasureScore:
    """A score on one of the unit's measures, within its range, at admission, a review or discharge (one
    admission and one discharge score per measure)."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    measure = (
        FunctionalMeasure.objects.filter(
            pk=measure_id, organisation_id=stay.unit.organisation_id, active=True
        ).first()
        if measure_id
        else None
    )
    if measure is None:
        errors["measure_id"] = "Choose one of the unit's functional measures"
    check_choice(errors, "stage", stage, MeasureStage)
    if score is None:
        errors["score"] = "Enter the score"
    elif measure is not None and not measure.lowest <= score <= measure.highest:
        errors["score"] = f"{measure.name} scores from {measure.lowest} to {measure.highest}"
    _check_in_stay(errors, "scored_on", scored_on, stay, "Date scored")
    if (
        measure is not None
        and stage != MeasureStage.REVIEW
        and MeasureScore.objects.filter(stay=stay, measure=measure, stage=stage).exists()
    ):
        errors["stage"] = f"{measure.name} already has a score {MeasureStage(stage).label.lower()}"
    if errors:
        raise ValidationFailed(errors)
    assert measure is not None and score is not None and scored_on is not None
    scored = MeasureScore.objects.create(
        stay=stay, measure=measure, stage=stage, score=score, scored_on=scored_on, recorded_by=actor.user
    )
    _audit(actor, stay, "Record a functional measure", scored, AuditAction.CREATE)
    return scored


def get_measure(organisation_id: int, measure_id: int) -> FunctionalMeasure:
    measure = FunctionalMeasure.objects.filter(pk=measure_id, organisation_id=organisation_id).first()
    if measure is None:
        raise NotFound("No functional measure with that id")
    return measure
