"""Writes for healthy-homes visits: open a visit, record the HHSRS hazards found (scored by
`engines.hhsrs`, never here), their photos, what is done about each, handyperson jobs, and the
falls-prevention home hazard check (`engines.healthyhomes.falls_check`) with the jobs it calls for.

Each is one transaction, validates its input (errors name the field), writes the visit's timeline and the
audit trail, and goes through the access layer; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from homeward.adaptations.codes import CheckerRole, HazardAction, JobKind, VisitKind
from homeward.adaptations.healthy_models import (
    HandypersonJob,
    HazardFinding,
    HazardPhoto,
    HealthyHomesEvent,
    HomeVisit,
)
from homeward.adaptations.healthy_selectors import visible_visits
from homeward.adaptations.photos import clean_photo
from homeward.adaptations.selectors import visible_cases
from homeward.adaptations.services import check_text
from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.engines.healthyhomes import HealthyHomesInputError, falls_check
from homeward.engines.hhsrs import HazardAssessment, score_hazard
from homeward.engines.issues import issues_from
from homeward.governance.access import Actor, partners_in_force, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

MAX_FINDINGS = 60
MAX_PHOTOS = 6
MAX_JOBS = 50
#: A falls check's "handyperson job" action becomes a job of this kind (by the checklist's area).
JOB_FOR_AREA = {"Stairs and hall": JobKind.GRAB_RAIL, "Bathroom and toilet": JobKind.GRAB_RAIL}


def visit_event(visit: HomeVisit, actor: Actor, title: str, note: str = "") -> None:
    HealthyHomesEvent.objects.create(
        visit=visit,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title[:200],
        note=note[:2000],
    )


def _audit(
    actor: Actor, visit: HomeVisit, purpose: str, obj: object, action: str = AuditAction.UPDATE
) -> None:
    record_event(actor=actor, action=action, purpose=purpose, obj=obj, person_id=visit.person_id)


def locked_visit(actor: Actor, visit_id: int) -> HomeVisit:
    actor.require(Permission.EDIT_PERSON)
    visit = visible_visits(actor).select_for_update().filter(pk=visit_id).first()
    if visit is None:
        raise NotFound("No home visit with that id")
    return visit


def team_organisations(actor: Actor) -> list[int]:
    """Who may be given an action: the actor's organisation and its partners under an agreement in force."""
    partners = partners_in_force(actor.organisation_id).values_list("organisation_id", flat=True)
    return sorted({actor.organisation_id, *partners})


def _day(errors: dict[str, str], field: str, value: dt.date | None, label: str, *, required: bool) -> None:
    if value is None:
        if required:
            errors[field] = f"Enter the {label}"
        return
    if value > timezone.localdate():
        errors[field] = f"The {label} cannot be in the future"
    else:
        check_date(errors, field, value, label=f"The {label}")


@transaction.atomic
def open_visit(
    *,
    actor: Actor,
    person_id: int,
    visited_on: dt.date | None,
    kind: str = VisitKind.HOME_SAFETY,
    address: str = "",
    case_id: int | None = None,
    checker_role: str = "",
    notes: str = "",
) -> HomeVisit:
    """A home safety visit or falls check for a person the actor can see, optionally on an adaptations case
    the actor can see; the address defaults to the case's, then the person's."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "kind", kind, VisitKind)
    check_choice(errors, "checker_role", checker_role, CheckerRole, blank=True)
    if kind == VisitKind.FALLS_CHECK and not checker_role:
        errors["checker_role"] = "A falls check is done by an occupational therapist or a trained assistant"
    case = None
    if case_id is not None:
        case = visible_cases(actor).filter(pk=case_id, person_id=person.pk).first()
        if case is None:
            errors["case_id"] = "No adaptations case of this person with that id"
    address = (
        address.strip()
        or (case.address if case else "")
        or ", ".join(line for line in (person.address_line_1, person.address_line_2, person.town) if line)
    )
    check_text(errors, "address", address, 300, required="Give the address of the home visited")
    check_text(errors, "notes", notes, 2000)
    _day(errors, "visited_on", visited_on, "date of the visit", required=True)
    if errors:
        raise ValidationFailed(errors)
    assert visited_on is not None
    visit = HomeVisit.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        case=case,
        kind=kind,
        address=address,
        visited_on=visited_on,
        visited_by=actor.user,
        checker_role=checker_role,
        notes=notes.strip(),
        recorded_at=timezone.now(),
    )
    visit_event(visit, actor, VisitKind(kind).label, f"Visited {visited_on:%-d %b %Y}")
    _audit(actor, visit, "Record a home visit", visit, AuditAction.CREATE)
    return visit


def _engine_errors(exc: ValidationError) -> dict[str, str]:
    """The engine's issues by field: `spread` stands for the four Classes, `likelihood` and `hazard` as is."""
    errors: dict[str, str] = {}
    for issue in issues_from(exc):
        field = issue.path.split(".")[0].split("[")[0] or "hazard"
        errors.setdefault(field, issue.message[:1].upper() + issue.message[1:])
    return errors


@transaction.atomic
def add_finding(
    *,
    actor: Actor,
    visit_id: int,
    hazard: str,
    likelihood: float | None,
    spread: tuple[int | None, int | None, int | None, int | None],
    action: str,
    action_by_id: int | None = None,
    action_note: str = "",
) -> HazardFinding:
    """One hazard found: the engine checks the likelihood and spread (whole percentages summing to 100)
    and scores it; the score, band, category and working are stored with who acts on it."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    check_choice(errors, "action", action, HazardAction)
    check_text(errors, "action_note", action_note, 500)
    action_by_id = action_by_id or actor.organisation_id
    if action_by_id not in team_organisations(actor):
        errors["action_by_id"] = "Choose your organisation or one you share with under an agreement in force"
    if visit.findings.count() >= MAX_FINDINGS:
        errors["hazard"] = f"A visit records at most {MAX_FINDINGS} hazards"
    if likelihood is None:
        errors["likelihood"] = 'Enter the likelihood as L of "1 in L"'
    if any(share is None for share in spread):
        errors["spread"] = "Enter the spread of harm for each of Classes I, II, III and IV"
    scored = None
    if "likelihood" not in errors and "spread" not in errors:
        try:
            scored = score_hazard(
                HazardAssessment.model_validate(
                    {"hazard": hazard, "likelihood": float(likelihood or 0), "spread": list(spread)}
                )
            )
        except ValidationError as exc:
            errors.update({k: v for k, v in _engine_errors(exc).items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)
    assert scored is not None
    finding = HazardFinding.objects.create(
        visit=visit,
        hazard=scored.hazard,
        likelihood=scored.likelihood,
        class_i=scored.spread[0],
        class_ii=scored.spread[1],
        class_iii=scored.spread[2],
        class_iv=scored.spread[3],
        score=scored.score,
        band=scored.band.value,
        category=scored.category,
        explanation=scored.explanation,
        action=action,
        action_note=action_note.strip(),
        action_by_id=action_by_id,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    visit_event(
        visit,
        actor,
        f"Hazard recorded: {scored.name} (band {scored.band.value}, Category {scored.category})",
        f"{HazardAction(action).label}. {scored.explanation}",
    )
    _audit(actor, visit, "Record an HHSRS hazard", finding, AuditAction.CREATE)
    return finding


def _finding(errors: dict[str, str], visit: HomeVisit, finding_id: int | None) -> HazardFinding | None:
    finding = visit.findings.filter(pk=finding_id).first() if finding_id else None
    if finding is None:
        errors["finding_id"] = "Choose one of the hazards recorded on this visit"
    return finding


@transaction.atomic
def remove_hazard(
    *, actor: Actor, visit_id: int, finding_id: int | None, removed_on: dt.date | None
) -> HazardFinding:
    """The hazard was removed or reduced (the KPI of Category 1 hazards removed counts these)."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    finding = _finding(errors, visit, finding_id)
    _day(errors, "removed_on", removed_on, "date the hazard was removed", required=True)
    if removed_on and removed_on < visit.visited_on and "removed_on" not in errors:
        errors["removed_on"] = f"The hazard cannot be removed before the visit ({visit.visited_on:%-d %b %Y})"
    if finding is not None and finding.removed_on is not None:
        errors["finding_id"] = "That hazard is already recorded as removed"
    if errors:
        raise ValidationFailed(errors)
    assert finding is not None
    finding.removed_on = removed_on
    finding.save(update_fields=["removed_on"])
    visit_event(visit, actor, f"Hazard removed: {finding.hazard}", f"{removed_on:%-d %b %Y}")
    _audit(actor, visit, "Record a hazard removed", finding)
    return finding


@transaction.atomic
def add_photo(
    *, actor: Actor, visit_id: int, finding_id: int | None, photo: bytes, caption: str = ""
) -> HazardPhoto:
    """A photo of a hazard: checked by content and size, stored without its metadata (`photos`)."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    finding = _finding(errors, visit, finding_id)
    check_text(errors, "caption", caption, 200)
    if finding is not None and finding.photos.count() >= MAX_PHOTOS:
        errors["photo"] = f"A hazard has at most {MAX_PHOTOS} photos"
    if "photo" not in errors:
        try:
            clean = clean_photo(photo)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert finding is not None
    saved = HazardPhoto.objects.create(
        finding=finding,
        content_type=clean.content_type,
        image=clean.data,
        width=clean.width,
        height=clean.height,
        caption=caption.strip(),
        uploaded_by=actor.user,
        uploaded_at=timezone.now(),
    )
    visit_event(visit, actor, f"Photo added to hazard {finding.hazard}", caption.strip())
    _audit(actor, visit, "Add a hazard photo", saved, AuditAction.CREATE)
    return saved


def _job_checks(errors: dict[str, str], kind: str, description: str) -> None:
    check_choice(errors, "kind", kind, JobKind)
    check_text(errors, "description", description, 300, required="Say what the job is")


@transaction.atomic
def add_job(
    *,
    actor: Actor,
    visit_id: int,
    kind: str,
    description: str,
    organisation_id: int | None = None,
    finding_id: int | None = None,
) -> HandypersonJob:
    """A handyperson job from the visit, for the actor's organisation or a partner (the handyperson
    service), optionally about one of the hazards found."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    _job_checks(errors, kind, description)
    organisation_id = organisation_id or actor.organisation_id
    if organisation_id not in team_organisations(actor):
        errors["organisation_id"] = (
            "Choose your organisation or one you share with under an agreement in force"
        )
    finding = _finding(errors, visit, finding_id) if finding_id else None
    if visit.jobs.count() >= MAX_JOBS:
        errors["description"] = f"A visit has at most {MAX_JOBS} handyperson jobs"
    if errors:
        raise ValidationFailed(errors)
    job = _create_job(actor, visit, kind, description.strip(), organisation_id, finding)
    _audit(actor, visit, "Add a handyperson job", job, AuditAction.CREATE)
    return job


def _create_job(
    actor: Actor,
    visit: HomeVisit,
    kind: str,
    description: str,
    organisation_id: int,
    finding: HazardFinding | None,
) -> HandypersonJob:
    job = HandypersonJob.objects.create(
        visit=visit,
        finding=finding,
        kind=kind,
        description=description,
        organisation_id=organisation_id,
        requested_on=timezone.localdate(),
        created_by=actor.user,
        created_at=timezone.now(),
    )
    organisation = Organisation.objects.get(pk=organisation_id).name
    visit_event(visit, actor, f"Handyperson job: {JobKind(kind).label}", f"{description} ({organisation})")
    return job


@transaction.atomic
def complete_job(
    *,
    actor: Actor,
    visit_id: int,
    job_id: int | None,
    done_on: dt.date | None,
    minutes: int | None,
    materials_cost: Decimal | None,
) -> HandypersonJob:
    """The job is done, with the time it took (minutes) and the cost of materials; only the organisation
    doing it marks it done."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    job = visit.jobs.filter(pk=job_id).first() if job_id else None
    if job is None:
        errors["job_id"] = "Choose one of the jobs on this visit"
    elif job.done_on is not None:
        errors["job_id"] = "That job is already done"
    elif job.organisation_id != actor.organisation_id:
        errors["job_id"] = "Only the organisation doing the job can mark it done"
    _day(errors, "done_on", done_on, "date the job was done", required=True)
    if job is not None and done_on and done_on < job.requested_on and "done_on" not in errors:
        errors["done_on"] = f"The job cannot be done before it was asked for ({job.requested_on:%-d %b %Y})"
    if minutes is None or not 1 <= minutes <= 6000:
        errors["minutes"] = "Enter the time the job took, from 1 to 6,000 minutes"
    if materials_cost is None or materials_cost < 0 or materials_cost > 10_000:
        errors["materials_cost"] = "Enter the cost of materials, from £0 to £10,000"
    elif materials_cost != materials_cost.quantize(Decimal("0.01")):
        errors["materials_cost"] = "The cost of materials must be in pounds and pence"
    if errors:
        raise ValidationFailed(errors)
    assert job is not None
    job.done_on, job.minutes, job.materials_cost = done_on, minutes, materials_cost
    job.save(update_fields=["done_on", "minutes", "materials_cost"])
    visit_event(
        visit,
        actor,
        f"Handyperson job done: {job.description}",
        f"{minutes} minutes, materials £{materials_cost:,.2f}",
    )
    _audit(actor, visit, "Complete a handyperson job", job)
    return job


@transaction.atomic
def record_falls_check(
    *, actor: Actor, visit_id: int, answers: Mapping[str, str], notes: Mapping[str, str] | None = None
) -> HomeVisit:
    """The falls-prevention home hazard check on a falls-check visit: the engine finds the hazards and the
    actions; each handyperson action becomes a job for the actor's organisation; referrals (falls,
    warm homes) are made from the visit page through the referral model."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    if visit.kind != VisitKind.FALLS_CHECK:
        errors["answers"] = "A falls check is recorded on a falls-check visit"
    elif visit.falls_answers:
        errors["answers"] = "The falls check on this visit is already recorded"
    result = None
    if not errors:
        try:
            result = falls_check(answers, notes=notes)
        except HealthyHomesInputError as exc:
            errors.update({issue.path or "answers": issue.message for issue in exc.issues})
        else:
            if not result.complete:
                errors["answers"] = f"Answer every question ({len(result.unanswered)} not answered)"
    if errors:
        raise ValidationFailed(errors)
    assert result is not None
    visit.falls_answers = dict(answers)
    visit.falls_summary = result.summary[:300]
    visit.save(update_fields=["falls_answers", "falls_summary"])
    for finding in result.findings:
        if finding.action_kind.value == HazardAction.HANDYPERSON_JOB:
            kind = JOB_FOR_AREA.get(finding.area, JobKind.SMALL_REPAIR)
            _create_job(actor, visit, kind, finding.action[:300], actor.organisation_id, None)
    visit_event(visit, actor, "Falls home hazard check recorded", result.summary)
    _audit(actor, visit, "Record a falls home hazard check", visit)
    return visit
