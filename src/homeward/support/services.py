"""Writes for social prescribing and key-work cases. Each is one transaction, validates its input (errors
name the field), goes through the access layer and writes the audit trail.

A case opened from a referral keeps that referral honest: the first contact starts it (in progress), and
discharging the person completes or fails it with an outcome, so the GP who referred learns what came of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Membership, OrganisationKind
from homeward.core.roles import Permission, role_can
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals.codes import Outcome, ReferralStatus
from homeward.referrals.selectors import visible_referrals
from homeward.referrals.services import move_referral
from homeward.support.codes import (
    COMPLETED_REASONS,
    CaseKind,
    CaseStatus,
    ContactMethod,
    DischargeReason,
    GoalStatus,
    RootCause,
    Route,
    Timepoint,
)
from homeward.support.models import Contact, Goal, SupportCase, WellbeingMeasure
from homeward.support.selectors import OPEN, visible_cases
from homeward.support.wellbeing import TOOLS, score

# Who referred, from the kind of organisation the referral came from.
ROUTE_OF_ORGANISATION: dict[str, str] = {
    OrganisationKind.GP_PRACTICE: Route.GP,
    OrganisationKind.NHS_TRUST: Route.HOSPITAL,
    OrganisationKind.HOUSING_PROVIDER: Route.HOUSING,
    OrganisationKind.LOCAL_AUTHORITY: Route.COUNCIL,
    OrganisationKind.VOLUNTARY_SECTOR: Route.VOLUNTARY,
}

# What a discharge tells the referrer: the outcome its referral is closed with.
REFERRAL_OUTCOME = {
    DischargeReason.GOALS_MET: Outcome.NEED_MET,
    DischargeReason.PARTLY_MET: Outcome.PARTLY_MET,
    DischargeReason.ONWARD: Outcome.SIGNPOSTED,
    DischargeReason.DISENGAGED: Outcome.DECLINED_BY_PERSON,
    DischargeReason.DECLINED: Outcome.DECLINED_BY_PERSON,
    DischargeReason.NO_CONTACT: Outcome.NO_CONTACT,
    DischargeReason.MOVED: Outcome.NOT_ELIGIBLE,
}


def _audit(
    actor: Actor, case: SupportCase, purpose: str, action: str = AuditAction.UPDATE, **detail: Any
) -> None:
    record_event(
        actor=actor, action=action, purpose=purpose, obj=case, person_id=case.person_id, detail=detail
    )


def _check_date(
    errors: dict[str, str],
    field: str,
    value: dt.date | None,
    *,
    not_before: dt.date | None = None,
    before_label: str = "",
) -> None:
    if value is None:
        errors[field] = "Enter a date"
    elif value > timezone.localdate():
        errors[field] = "Date cannot be in the future"
    elif not_before is not None and value < not_before:
        errors[field] = f"Date cannot be before {before_label} ({not_before:%-d %B %Y})"


def _check_worker(errors: dict[str, str], actor: Actor, worker_id: int | None) -> None:
    if worker_id is None:
        return
    member = Membership.objects.filter(
        user_id=worker_id, organisation_id=actor.organisation_id, is_active=True
    ).first()
    if member is None or not role_can(member.role, Permission.EDIT_PERSON):
        errors["worker_id"] = "Choose someone in your organisation who works with people"


def _open_case(actor: Actor, case_id: int) -> SupportCase:
    actor.require(Permission.EDIT_PERSON)
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("No case with that id")
    return case


def _still_open(case: SupportCase) -> None:
    if case.status not in OPEN:
        raise ValidationFailed.single(
            "case", f"{case.reference} was discharged on {case.discharged_on:%-d %B %Y}"
        )


@transaction.atomic
def open_case(
    *,
    actor: Actor,
    person_id: int,
    kind: str = CaseKind.SOCIAL_PRESCRIBING,
    route: str = "",
    referred_on: dt.date | None = None,
    worker_id: int | None = None,
    referral_id: int | None = None,
    attendances_before: int | None = None,
) -> SupportCase:
    """Take someone on to a caseload: from a referral the organisation has accepted, or directly (a
    self-referral, or a key worker's review of someone who uses urgent care often)."""
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    check_choice(errors, "kind", kind, CaseKind)
    referral = None
    if referral_id is not None:
        referral = (
            visible_referrals(actor)
            .select_related("from_organisation")
            .filter(pk=referral_id, to_organisation_id=actor.organisation_id, person_id=person.pk)
            .first()
        )
        if referral is None:
            raise NotFound("No referral to your organisation about this person with that id")
        if referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
            errors["referral_id"] = "Accept the referral before taking the person on"
        elif SupportCase.objects.filter(referral=referral).exists():
            errors["referral_id"] = f"{referral.reference} is already on a caseload"
        route = route or ROUTE_OF_ORGANISATION.get(referral.from_organisation.kind, Route.OTHER)
        referred_on = referred_on or timezone.localtime(referral.requested_at).date()
    check_choice(errors, "route", route, Route)
    _check_date(errors, "referred_on", referred_on)
    _check_worker(errors, actor, worker_id)
    if attendances_before is not None and not 0 <= attendances_before <= 365:
        errors["attendances_before"] = "Enter a number of attendances from 0 to 365"
    if kind == CaseKind.SOCIAL_PRESCRIBING and attendances_before is not None:
        errors["attendances_before"] = "A&E attendances are recorded on key-work cases"
    if errors:
        raise ValidationFailed(errors)
    assert referred_on is not None
    case = SupportCase.objects.create(
        kind=kind,
        person=person,
        organisation_id=actor.organisation_id,
        team=actor.membership.team,
        worker_id=worker_id,
        referral=referral,
        route=route,
        referred_on=referred_on,
        opened_at=timezone.now(),
        attendances_before=attendances_before,
    )
    _audit(
        actor, case, "Take someone on to a caseload", AuditAction.CREATE, kind=kind, referral_id=referral_id
    )
    return case


@transaction.atomic
def assign_worker(*, actor: Actor, case_id: int, worker_id: int | None) -> SupportCase:
    case = _open_case(actor, case_id)
    _still_open(case)
    errors: dict[str, str] = {}
    _check_worker(errors, actor, worker_id)
    if errors:
        raise ValidationFailed(errors)
    case.worker_id = worker_id
    case.save(update_fields=["worker"])
    _audit(actor, case, "Assign a worker", worker_id=worker_id)
    return case


@transaction.atomic
def record_contact(
    *, actor: Actor, case_id: int, occurred_on: dt.date | None, method: str, minutes: int, note: str = ""
) -> Contact:
    """Log a conversation. The first one is the case's first contact: it becomes active, and the referral
    that brought the person in is now in progress."""
    case = _open_case(actor, case_id)
    _still_open(case)
    errors: dict[str, str] = {}
    _check_date(errors, "occurred_on", occurred_on, not_before=case.referred_on, before_label="the referral")
    check_choice(errors, "method", method, ContactMethod)
    if not 1 <= minutes <= 600:
        errors["minutes"] = "Enter how long it took, from 1 to 600 minutes"
    if len(note) > 2000:
        errors["note"] = "Note must be 2000 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    assert occurred_on is not None
    contact = Contact.objects.create(
        case=case,
        occurred_on=occurred_on,
        method=method,
        minutes=minutes,
        note=note.strip(),
        recorded_by=actor.user,
    )
    if case.first_contact_on is None or occurred_on < case.first_contact_on:
        case.first_contact_on = occurred_on
    if case.status == CaseStatus.WAITING:
        case.status = CaseStatus.ACTIVE
    case.save(update_fields=["first_contact_on", "status"])
    if case.referral_id and case.referral and case.referral.status == ReferralStatus.ACCEPTED:
        move_referral(actor=actor, referral_id=case.referral_id, to_status=ReferralStatus.IN_PROGRESS)
    _audit(actor, case, "Record a contact", AuditAction.CREATE, contact_id=contact.pk)
    return contact


@transaction.atomic
def save_what_matters(*, actor: Actor, case_id: int, text: str, on: dt.date | None) -> SupportCase:
    """The 'what matters to me' conversation, in the person's words."""
    case = _open_case(actor, case_id)
    _still_open(case)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["what_matters"] = "Write down what matters to the person, in their words"
    elif len(text) > 4000:
        errors["what_matters"] = "Keep it to 4000 characters or fewer"
    _check_date(errors, "what_matters_on", on, not_before=case.referred_on, before_label="the referral")
    if errors:
        raise ValidationFailed(errors)
    case.what_matters, case.what_matters_on = text.strip(), on
    case.save(update_fields=["what_matters", "what_matters_on"])
    _audit(actor, case, "Record what matters to the person")
    return case


@transaction.atomic
def add_goal(*, actor: Actor, case_id: int, description: str) -> Goal:
    case = _open_case(actor, case_id)
    _still_open(case)
    if not description.strip():
        raise ValidationFailed.single("description", "Describe the goal in the person's words")
    if len(description) > 500:
        raise ValidationFailed.single("description", "Goal must be 500 characters or fewer")
    today = timezone.localdate()
    goal = Goal.objects.create(case=case, description=description.strip(), set_on=today, updated_on=today)
    _audit(actor, case, "Agree a goal", AuditAction.CREATE, goal_id=goal.pk)
    return goal


@transaction.atomic
def update_goal(*, actor: Actor, case_id: int, goal_id: int, status: str) -> Goal:
    case = _open_case(actor, case_id)
    _still_open(case)
    goal = case.goals.filter(pk=goal_id).first()
    if goal is None:
        raise NotFound("No goal with that id on this case")
    errors: dict[str, str] = {}
    check_choice(errors, "status", status, GoalStatus)
    if errors:
        raise ValidationFailed(errors)
    goal.status, goal.updated_on = status, timezone.localdate()
    goal.save(update_fields=["status", "updated_on"])
    _audit(actor, case, "Update a goal", goal_id=goal.pk, status=status)
    return goal


@transaction.atomic
def record_measure(
    *,
    actor: Actor,
    case_id: int,
    tool: str,
    timepoint: str,
    recorded_on: dt.date | None,
    answers: dict[str, Any],
) -> WellbeingMeasure:
    """A completed wellbeing questionnaire. One baseline and one follow-up per tool; the follow-up comes
    after the baseline. A follow-up may be recorded at or after discharge."""
    case = _open_case(actor, case_id)
    errors: dict[str, str] = {}
    spec = TOOLS.get(tool)
    if spec is None:
        raise ValidationFailed.single("tool", f"'{tool}' is not a wellbeing measure Homeward knows")
    check_choice(errors, "timepoint", timepoint, Timepoint)
    clean, answer_errors = spec.check(answers)
    errors.update(answer_errors)
    _check_date(errors, "recorded_on", recorded_on, not_before=case.referred_on, before_label="the referral")
    existing = {m.timepoint: m for m in case.measures.filter(tool=tool)}
    if timepoint in existing:
        label = "baseline" if timepoint == Timepoint.BASELINE else "follow-up"
        errors["timepoint"] = (
            f"The {spec.name} {label} was recorded on {existing[timepoint].recorded_on:%-d %B %Y}"
        )
    elif timepoint == Timepoint.FOLLOW_UP:
        baseline = existing.get(Timepoint.BASELINE)
        if baseline is None:
            errors["timepoint"] = f"Record the {spec.name} baseline before a follow-up"
        elif recorded_on is not None and recorded_on <= baseline.recorded_on:
            errors["recorded_on"] = (
                f"The follow-up comes after the baseline ({baseline.recorded_on:%-d %B %Y})"
            )
    elif case.status == CaseStatus.DISCHARGED:
        errors["timepoint"] = "A baseline is recorded before the person is discharged"
    if errors:
        raise ValidationFailed(errors)
    assert recorded_on is not None
    measure = WellbeingMeasure.objects.create(
        case=case,
        tool=tool,
        timepoint=timepoint,
        recorded_on=recorded_on,
        answers=clean,
        score=score(tool, clean),
        recorded_by=actor.user,
    )
    _audit(actor, case, "Record a wellbeing measure", AuditAction.CREATE, tool=tool, timepoint=timepoint)
    return measure


@transaction.atomic
def set_root_causes(
    *, actor: Actor, case_id: int, causes: list[str], attendances_before: int | None
) -> SupportCase:
    """A key worker's review: what lies behind the person's use of urgent care."""
    case = _open_case(actor, case_id)
    _still_open(case)
    errors: dict[str, str] = {}
    unknown = [c for c in causes if c not in RootCause.values]
    if unknown:
        errors["root_causes"] = f"Not a root cause Homeward knows: {', '.join(unknown)}"
    if attendances_before is not None and not 0 <= attendances_before <= 365:
        errors["attendances_before"] = "Enter a number of attendances from 0 to 365"
    if errors:
        raise ValidationFailed(errors)
    case.root_causes = list(dict.fromkeys(causes))
    case.attendances_before = attendances_before
    case.save(update_fields=["root_causes", "attendances_before"])
    _audit(actor, case, "Record root causes", root_causes=case.root_causes)
    return case


@transaction.atomic
def discharge(*, actor: Actor, case_id: int, reason: str, on: dt.date | None, note: str = "") -> SupportCase:
    """Close the case. The referral that brought the person in is completed (or failed) with the matching
    outcome and the note, so the referrer sees it."""
    case = _open_case(actor, case_id)
    _still_open(case)
    errors: dict[str, str] = {}
    check_choice(errors, "reason", reason, DischargeReason)
    _check_date(errors, "discharged_on", on, not_before=case.referred_on, before_label="the referral")
    if len(note) > 2000:
        errors["note"] = "Note must be 2000 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    case.status, case.discharged_on = CaseStatus.DISCHARGED, on
    case.discharge_reason, case.discharge_note = reason, note.strip()
    case.save(update_fields=["status", "discharged_on", "discharge_reason", "discharge_note"])
    referral = case.referral
    if referral is not None and referral.status in (
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.ON_HOLD,
    ):
        done = reason in COMPLETED_REASONS
        move_referral(
            actor=actor,
            referral_id=referral.pk,
            to_status=ReferralStatus.COMPLETED if done else ReferralStatus.FAILED,
            outcome=REFERRAL_OUTCOME[DischargeReason(reason)],
            outcome_note=note.strip() or DischargeReason(reason).label,
        )
    _audit(actor, case, "Discharge from a caseload", reason=reason)
    return case
