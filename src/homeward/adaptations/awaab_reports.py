"""Writes for Awaab's Law reports: open one when the landlord becomes aware of a hazard, record each step
(investigation, written summary, safety work, further works) and evidence (access refused, alternative
accommodation, consent not obtained).

The rules are the engine's (`engines.hhsrs.awaab`): every change is checked by building the engine's input
from the stored times plus the change and asking the engine for the clocks now, so a time before the
landlord became aware, a summary before the investigation or a time in the future is refused with the
engine's own message, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from homeward.adaptations.codes import AwaabEvidenceKind, AwaabHazardKind
from homeward.adaptations.healthy_models import AwaabEvidence, AwaabReport, HealthyHomesEvent
from homeward.adaptations.healthy_selectors import engine_case, visible_reports, visible_visits
from homeward.adaptations.services import check_text
from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.roles import Permission
from homeward.engines.hhsrs.awaab import AwaabCase, Evidence, awaab_clocks
from homeward.engines.issues import issues_from
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: The steps a landlord records, with their label; `hazard_found` goes with the investigation.
STEPS: dict[str, str] = {
    "investigation_concluded_at": "Investigation concluded",
    "summary_sent_at": "Written summary sent to the tenant",
    "safety_work_done_at": "Safety work done",
    "further_works_begun_at": "Further works begun (or steps taken to begin them)",
    "further_works_started_at": "Further works physically started",
}


def _event(report: AwaabReport, actor: Actor, title: str, note: str = "") -> None:
    HealthyHomesEvent.objects.create(
        report=report,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title[:200],
        note=note[:2000],
    )


def _split(message: str, default: str) -> tuple[str, str]:
    """The engine's messages start with the field they are about ("summary_sent_at: recorded before …")."""
    head, sep, rest = message.partition(": ")
    if not (
        sep
        and " " not in head
        and head.replace("_", "").replace("[", "").replace("]", "").replace(".", "").isalnum()
    ):
        head, rest = default, message
    rest = rest.replace("is before aware_at", "cannot be before the landlord became aware")
    if rest.startswith("is after now"):
        rest = "cannot be in the future" + rest.removeprefix("is after now")
    return head, rest[:1].upper() + rest[1:]


def check_with_engine(values: dict[str, Any], *, field: str) -> AwaabCase:
    """Build the engine's input and work out the clocks now; the engine's refusal as field errors."""
    errors: dict[str, str] = {}
    try:
        case = AwaabCase.model_validate(values)
        awaab_clocks(case, now=timezone.now())
    except ValidationError as exc:
        for issue in issues_from(exc):
            name, message = _split(issue.message, issue.path or field)
            name = name.split("[")[0] if name.startswith("evidence") else name
            errors.setdefault("at" if name == "evidence" else name, message)
        raise ValidationFailed(errors) from None
    except ValueError as exc:  # a time after now
        name, message = _split(str(exc), field)
        raise ValidationFailed({"at" if name.startswith("evidence") else name: message}) from None
    return case


def _stored(report: AwaabReport) -> dict[str, Any]:
    return engine_case(report).model_dump()


def locked_report(actor: Actor, report_id: int) -> AwaabReport:
    """The report, for the landlord holding it: the clocks are its duty, so a partner that can see the
    report does not record its steps (and is told no such report, as for any record it cannot change)."""
    actor.require(Permission.EDIT_PERSON)
    report = (
        visible_reports(actor)
        .select_for_update()
        .filter(pk=report_id, organisation_id=actor.organisation_id)
        .first()
    )
    if report is None:
        raise NotFound("No Awaab's Law report with that id")
    return report


@transaction.atomic
def open_report(
    *,
    actor: Actor,
    person_id: int,
    hazard: str,
    aware_at: dt.datetime | None,
    description: str,
    address: str = "",
    visit_id: int | None = None,
) -> AwaabReport:
    """The landlord became aware of an emergency hazard or significant damp and mould: the clocks start."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "hazard", hazard, AwaabHazardKind)
    check_text(errors, "description", description, 2000, required="Say what was reported")
    address = address.strip() or ", ".join(
        line for line in (person.address_line_1, person.address_line_2, person.town) if line
    )
    check_text(errors, "address", address, 300, required="Give the address of the home")
    visit = None
    if visit_id is not None:
        visit = visible_visits(actor).filter(pk=visit_id, person_id=person.pk).first()
        if visit is None:
            errors["visit_id"] = "No home visit of this person with that id"
    if aware_at is None:
        errors["aware_at"] = "Enter when the landlord became aware of the hazard"
    if not errors:
        check_with_engine({"hazard": hazard, "aware_at": aware_at}, field="aware_at")
    if errors:
        raise ValidationFailed(errors)
    assert aware_at is not None
    report = AwaabReport.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        visit=visit,
        hazard=hazard,
        address=address,
        description=description.strip(),
        aware_at=aware_at,
        opened_by=actor.user,
        opened_at=timezone.now(),
    )
    _event(report, actor, f"Landlord aware: {AwaabHazardKind(hazard).label}", description.strip())
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Open an Awaab's Law report",
        obj=report,
        person_id=person.pk,
        detail={"hazard": hazard},
    )
    return report


@transaction.atomic
def record_step(
    *,
    actor: Actor,
    report_id: int,
    step: str,
    at: dt.datetime | None,
    hazard_found: bool | None = None,
) -> AwaabReport:
    """Record when a step was done; the investigation also records whether it found the hazard."""
    report = locked_report(actor, report_id)
    errors: dict[str, str] = {}
    if step not in STEPS:
        errors["step"] = f"'{step}' is not a step; use one of: {', '.join(STEPS)}"
    if at is None:
        errors["at"] = "Enter the date and time the step was done"
    if step == "investigation_concluded_at" and hazard_found is None:
        errors["hazard_found"] = "Say whether the investigation found the hazard"
    if not errors and getattr(report, step) is not None:
        errors["step"] = f"{STEPS[step]} is already recorded"
    if errors:
        raise ValidationFailed(errors)
    values = _stored(report) | {step: at}
    if step == "investigation_concluded_at":
        values["hazard_found"] = hazard_found
    try:
        check_with_engine(values, field="at")
    except ValidationFailed as exc:
        raise ValidationFailed({("at" if k == step else k): v for k, v in exc.errors.items()}) from None
    setattr(report, step, at)
    fields = [step]
    if step == "investigation_concluded_at":
        report.hazard_found = hazard_found
        fields.append("hazard_found")
    report.save(update_fields=fields)
    assert at is not None
    found = "" if hazard_found is None else (" (hazard found)" if hazard_found else " (no hazard found)")
    _event(report, actor, f"{STEPS[step]}{found}", timezone.localtime(at).strftime("%-d %b %Y %H:%M"))
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record an Awaab's Law step",
        obj=report,
        person_id=report.person_id,
        detail={"step": step},
    )
    return report


@transaction.atomic
def add_evidence(
    *, actor: Actor, report_id: int, kind: str, at: dt.datetime | None, note: str = ""
) -> AwaabEvidence:
    """Evidence against the clocks; whether it stops one is the engine's rule (EVIDENCE_RULES)."""
    report = locked_report(actor, report_id)
    errors: dict[str, str] = {}
    check_choice(errors, "kind", kind, AwaabEvidenceKind)
    check_text(errors, "note", note, 2000)
    if at is None:
        errors["at"] = "Enter the date and time of the evidence"
    if report.evidence.count() >= 200:
        errors["kind"] = "A report holds at most 200 pieces of evidence"
    if errors:
        raise ValidationFailed(errors)
    values = _stored(report)
    values["evidence"] = [*values["evidence"], Evidence(kind=kind, at=at, note=note).model_dump()]  # type: ignore[arg-type]
    check_with_engine(values, field="at")
    assert at is not None
    evidence = AwaabEvidence.objects.create(
        report=report, kind=kind, at=at, note=note.strip(), recorded_by=actor.user, recorded_at=timezone.now()
    )
    _event(report, actor, f"Evidence: {AwaabEvidenceKind(kind).label}", note.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record Awaab's Law evidence",
        obj=evidence,
        person_id=report.person_id,
        detail={"kind": kind},
    )
    return evidence
