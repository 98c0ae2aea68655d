"""The needs and risk assessment: the support a resident needs in each outcome domain, the risks to them
and to others with how each is managed, and how often a resident at risk is checked on. The first
assessment is due within the scheme's set number of days of arrival (the same clock as the support
plan); reviews follow the scheme's cadence. Overdue flags are worked out from stored dates, never stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.governance.models import AuditAction
from homeward.housing.codes import NeedLevel, OutcomeDomain, RiskCategory, RiskLevel, RiskTo
from homeward.housing.keywork import next_review_due, plan_due_on, resident
from homeward.housing.models import NeedsAssessment, Placement, Risk
from homeward.housing.schemes import check_text
from homeward.housing.services import audit, check_day, locked_placement, placement_event


@transaction.atomic
def record_assessment(
    *,
    actor: Any,
    placement_id: int,
    assessed_on: dt.date | None,
    needs: dict[str, str],
    notes: dict[str, str] | None = None,
    welfare_check_hours: int | None = None,
) -> NeedsAssessment:
    """Assess the resident's needs in every outcome domain (each needs a level; a note for a domain with
    a need). `welfare_check_hours` marks a resident at risk to be checked at least that often."""
    placement = resident(actor, placement_id)
    notes = notes or {}
    errors: dict[str, str] = {}
    check_day(
        errors,
        "assessed_on",
        assessed_on,
        label="Assessment date",
        after=placement.arrived_on,
        after_label="arrival",
    )
    unknown = sorted(set(needs) - set(OutcomeDomain.values))
    if unknown:
        errors["needs"] = f"Not an outcome domain: {', '.join(unknown)}"
    for domain in OutcomeDomain:
        field = f"need_{domain.value}"
        check_choice(errors, field, needs.get(domain.value, ""), NeedLevel)
        note = notes.get(domain.value, "")
        required = (
            f"Say what support is needed for {domain.label.lower()}"
            if needs.get(domain.value) in (NeedLevel.SOME, NeedLevel.HIGH)
            else ""
        )
        check_text(errors, f"note_{domain.value}", note, 500, required=required)
    if welfare_check_hours is not None and not 1 <= welfare_check_hours <= 168:
        errors["welfare_check_hours"] = "Enter how often to check, from 1 to 168 hours"
    if errors:
        raise ValidationFailed(errors)
    assert assessed_on is not None
    assessment = NeedsAssessment.objects.create(
        placement=placement,
        assessed_on=assessed_on,
        needs={
            d.value: {"level": needs[d.value], "note": notes.get(d.value, "").strip()} for d in OutcomeDomain
        },
        assessor=actor.user,
    )
    fields = ["welfare_check_hours"]
    placement.welfare_check_hours = welfare_check_hours
    if placement.assessed_needs_on is None:
        placement.assessed_needs_on = assessed_on
        fields.append("assessed_needs_on")
    placement.save(update_fields=fields)
    with_need = [OutcomeDomain(d).label.lower() for d, v in needs.items() if v != NeedLevel.NONE]
    placement_event(
        placement,
        actor,
        "Needs and risk assessment",
        "Support needed: " + (", ".join(with_need) if with_need else "none"),
    )
    audit(actor, placement, "Assess needs and risks", AuditAction.CREATE, assessment_id=assessment.pk)
    return assessment


@transaction.atomic
def add_risk(
    *,
    actor: Any,
    placement_id: int,
    to_whom: str,
    category: str,
    level: str,
    description: str,
    mitigation: str,
    identified_on: dt.date | None,
) -> Risk:
    """A risk to the resident or to others, always with how it is managed."""
    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    check_choice(errors, "to_whom", to_whom, RiskTo)
    check_choice(errors, "category", category, RiskCategory)
    check_choice(errors, "level", level, RiskLevel)
    check_text(errors, "description", description, 500, required="Describe the risk")
    check_text(errors, "mitigation", mitigation, 1000, required="Say how the risk is managed")
    check_day(
        errors,
        "identified_on",
        identified_on,
        label="Date the risk was identified",
        after=placement.referred_on,
        after_label="the referral",
    )
    if errors:
        raise ValidationFailed(errors)
    assert identified_on is not None
    risk = Risk.objects.create(
        placement=placement,
        to_whom=to_whom,
        category=category,
        level=level,
        description=description.strip(),
        mitigation=mitigation.strip(),
        identified_on=identified_on,
    )
    placement_event(
        placement,
        actor,
        f"Risk {RiskTo(to_whom).label.lower()}: {RiskCategory(category).label.lower()} ({level})",
        mitigation,
    )
    audit(actor, placement, "Record a risk and its management", AuditAction.CREATE, risk_id=risk.pk)
    return risk


@transaction.atomic
def close_risk(*, actor: Any, placement_id: int, risk_id: int, on: dt.date | None, reason: str = "") -> Risk:
    """Close a risk on a day (not before it was identified) with the reason; errors name the field."""
    placement = locked_placement(actor, placement_id)
    risk = placement.risks.filter(pk=risk_id).first()
    if risk is None:
        raise NotFound("No risk with that id for this placement")
    if risk.closed_on is not None:
        # The risk is there and this actor may see it: closing it again is a mistake in the request, not a
        # missing record.
        raise ValidationFailed({"on": f"This risk was already closed on {risk.closed_on:%d/%m/%Y}"})
    errors: dict[str, str] = {}
    check_day(
        errors, "on", on, label="Date closed", after=risk.identified_on, after_label="it was identified"
    )
    check_text(errors, "reason", reason, 500, required="Say why the risk is closed")
    if errors:
        raise ValidationFailed(errors)
    risk.closed_on, risk.closed_reason = on, reason.strip()
    risk.save(update_fields=["closed_on", "closed_reason"])
    placement_event(placement, actor, f"Risk closed: {risk.get_category_display().lower()}", reason.strip())
    audit(actor, placement, "Close a risk", risk_id=risk.pk)
    return risk


def assessment_due_on(placement: Placement) -> dt.date | None:
    """The first needs and risk assessment, like the plan, is due the scheme's set days after arrival."""
    return plan_due_on(placement)


def is_assessment_overdue(placement: Placement, today: dt.date | None = None) -> bool:
    """A resident not assessed by the due date (or assessed late, which stays on the record as late)."""
    due = assessment_due_on(placement)
    if due is None:
        return False
    today = today or timezone.localdate()
    done = placement.assessed_needs_on
    return (done is None and today > due) or (done is not None and done > due)


def is_plan_overdue(placement: Placement, today: dt.date | None = None) -> bool:
    due = plan_due_on(placement)
    if due is None:
        return False
    today = today or timezone.localdate()
    done = placement.plan_agreed_on
    return (done is None and today > due) or (done is not None and done > due)


def is_review_overdue(placement: Placement, today: dt.date | None = None) -> bool:
    """A resident whose next review date has passed without a review."""
    from homeward.housing.codes import PlacementStatus

    if placement.status != PlacementStatus.RESIDENT:
        return False
    due = next_review_due(placement)
    return due is not None and (today or timezone.localdate()) > due


def caseload_flags(placement: Placement, today: dt.date | None = None) -> list[str]:
    """What is outstanding for a resident on the key worker's caseload, on the scheme's own clock: the
    first assessment or the plan not done by its due day, the review not held by its date. (Done late is
    shown on the placement page, not here: nothing is left to do.) Reads the scheme (select_related) and
    the annotation from `selectors.with_review_due`, so a list adds no query per row."""
    from homeward.housing.codes import PlacementStatus

    if placement.status != PlacementStatus.RESIDENT:
        return []
    today = today or timezone.localdate()
    due = plan_due_on(placement)
    flags = []
    if due is not None and placement.assessed_needs_on is None and today > due:
        flags.append("Assessment overdue")
    if due is not None and placement.plan_agreed_on is None and today > due:
        flags.append("Plan overdue")
    if is_review_overdue(placement, today):
        flags.append("Review overdue")
    return flags


def needs_rows(found: NeedsAssessment | None) -> list[tuple[str, str]]:
    """(domain label, 'level: note') for showing an assessment, in the domains' order."""
    if found is None:
        return []
    rows = []
    for domain in OutcomeDomain:
        entry = found.needs.get(domain.value) or {}
        level = NeedLevel(entry["level"]).label if entry.get("level") in NeedLevel.values else "Not assessed"
        note = entry.get("note") or ""
        rows.append((domain.label, f"{level}: {note}" if note else level))
    return rows
