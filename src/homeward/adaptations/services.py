"""Writes for adaptations cases: open one, move it through the DFG stages, record its dates, its grant and
who takes part.

Each is one transaction, validates its input (errors name the field), writes the case timeline and the audit
trail, and goes through the access layer; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.adaptations.clocks import date_problem
from homeward.adaptations.codes import AdaptationStatus, Priority, Route, Source, Tenure
from homeward.adaptations.lifecycle import LIFECYCLE, MOVE_DATES
from homeward.adaptations.models import AdaptationCase, CaseEvent
from homeward.adaptations.selectors import CASE_TYPE, visible_cases
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.services import end_participations

#: Every date a council reports, in the order the stages reach them, with its label.
DATE_CHAIN: list[tuple[str, str]] = [
    ("enquiry_received_on", "Enquiry received"),
    ("first_contact_on", "First contact"),
    ("assessed_on", "Assessment"),
    ("application_submitted_on", "Application submitted"),
    ("application_valid_on", "Application valid and complete"),
    ("decision_on", "Decision"),
    ("approved_on", "Approval"),
    ("works_started_on", "Works started"),
    ("works_completed_on", "Works completed"),
    ("inspection_passed_on", "Inspection passed"),
    ("paid_on", "Paid"),
]
DATE_LABELS = dict(DATE_CHAIN)
#: Dates the date-recording form may set or correct (moves set the others).
RECORDABLE = (
    "first_contact_on",
    "assessed_on",
    "application_submitted_on",
    "application_valid_on",
    "works_started_on",
    "works_extended_to",
    "inspection_passed_on",
)
#: Dates that may lie ahead: a planned end.
FUTURE_ALLOWED = ("works_extended_to", "review_by")


def case_event(
    case: AdaptationCase,
    actor: Actor,
    title: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> None:
    CaseEvent.objects.create(
        case=case,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title,
        note=note[:2000],
        from_status=from_status,
        to_status=to_status,
    )


def locked_case(actor: Actor, case_id: int) -> AdaptationCase:
    """The case, locked for update, if the actor may see it and change records."""
    actor.require(Permission.EDIT_PERSON)
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("No adaptations case with that id")
    return case


def check_text(errors: dict[str, str], field: str, value: str, limit: int, *, required: str = "") -> None:
    if required and not value.strip():
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Must be {limit} characters or fewer"


def _check_day(errors: dict[str, str], field: str, value: dt.date | None, today: dt.date) -> None:
    if value is None:
        return
    label = DATE_LABELS.get(field, field.replace("_", " ").capitalize())
    if field not in FUTURE_ALLOWED and value > today:
        errors[field] = f"{label} date cannot be in the future"
    check_date(errors, field, value, label=f"{label} date")


def check_order(errors: dict[str, str], case: AdaptationCase, changes: dict[str, Any]) -> None:
    """Each date on or after the dates of the stages before it; then the engine's own checks (works
    completed before approval, a decision before the application) on the statutory dates."""
    latest: tuple[str, dt.date] | None = None
    for field, label in DATE_CHAIN:
        value = changes.get(field, getattr(case, field))
        if value is None:
            continue
        if latest is not None and value < latest[1] and field not in errors:
            errors[field] = (
                f"{label} date cannot be before the {DATE_LABELS[latest[0]].lower()} date "
                f"({latest[1]:%-d %b %Y})"
            )
        if latest is None or value >= latest[1]:
            latest = (field, value)
    if not errors:
        problem = date_problem(case, **changes)
        if problem is not None:
            errors[problem[0]] = problem[1]


@transaction.atomic
def open_case(
    *,
    actor: Actor,
    person_id: int,
    source: str,
    tenure: str,
    needs: str,
    enquiry_received_on: dt.date,
    address: str = "",
    postcode: str = "",
    uprn: str = "",
    route: str = Route.DFG,
    priority: str = Priority.STANDARD,
    priority_reason: str = "",
    discharge_blocker_id: int | None = None,
) -> AdaptationCase:
    """Open an adaptations case at stage 0 for a person the actor can see; the address defaults to the
    person's own. An urgent case needs its reason."""
    actor.require(Permission.EDIT_PERSON)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    check_choice(errors, "source", source, Source)
    check_choice(errors, "tenure", tenure, Tenure)
    check_choice(errors, "route", route, Route)
    check_choice(errors, "priority", priority, Priority)
    check_text(
        errors,
        "needs",
        needs,
        2000,
        required="Say what the person needs (for example, a level-access shower)",
    )
    check_text(
        errors,
        "priority_reason",
        priority_reason,
        500,
        required="Say why the case is urgent" if priority == Priority.URGENT else "",
    )
    address = address.strip() or ", ".join(
        line for line in (person.address_line_1, person.address_line_2, person.town) if line
    )
    check_text(errors, "address", address, 300, required="Give the address of the home to be adapted")
    postcode = (postcode.strip() or person.postcode).upper()
    if len(postcode) > 8:
        errors["postcode"] = "Postcode must be 8 characters or fewer"
    uprn = uprn.strip() or person.uprn
    if uprn and (not uprn.isdigit() or len(uprn) > 12):
        errors["uprn"] = "UPRN must be up to 12 digits"
    _check_day(errors, "enquiry_received_on", enquiry_received_on, today)
    if errors:
        raise ValidationFailed(errors)
    case = AdaptationCase.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        team_id=actor.membership.team_id,
        opened_by=actor.user,
        opened_at=timezone.now(),
        source=source,
        tenure=tenure,
        route=route,
        priority=priority,
        priority_reason=priority_reason.strip(),
        needs=needs.strip(),
        address=address,
        postcode=postcode,
        uprn=uprn,
        enquiry_received_on=enquiry_received_on,
        discharge_blocker_id=discharge_blocker_id,
    )
    case_event(case, actor, "Enquiry received", needs.strip(), "", AdaptationStatus.FIRST_CONTACT)
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Open an adaptations case",
        obj=case,
        person_id=person.pk,
        detail={"source": source, "route": route, "priority": priority},
    )
    return case


@transaction.atomic
def move_case(
    *,
    actor: Actor,
    case_id: int,
    to_status: str,
    on: dt.date | None = None,
    note: str = "",
    application_valid_on: dt.date | None = None,
    inspection_passed_on: dt.date | None = None,
    refusal_reason: str = "",
    review_by: dt.date | None = None,
) -> AdaptationCase:
    """Move a case to its next stage (or refuse or withdraw it), recording the date that move reports.

    Approval needs the valid application date (it starts the decision clock); closing needs the
    inspection; refusal needs the reason and the review or appeal date; withdrawal needs a reason (note)."""
    from homeward.adaptations.tasks import CANCELLED_BECAUSE, cancel_open_tasks  # tasks imports services

    case = locked_case(actor, case_id)
    today = timezone.localdate()
    if to_status not in AdaptationStatus.values:
        raise ValidationFailed.single("to_status", f"'{to_status}' is not an adaptations case status")
    LIFECYCLE.check(case.status, to_status)
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    day = on or today
    # Leaving a refusal (closed after it, or decided again on review) reports no stage date.
    from_refusal = case.status == AdaptationStatus.REFUSED
    move_field = MOVE_DATES[to_status][0] if to_status in MOVE_DATES and not from_refusal else ""
    if move_field:
        changes[move_field] = day
        _check_day(errors, move_field, day, today)
    if to_status in (AdaptationStatus.WORKS, AdaptationStatus.REFUSED):
        # A decision (approval or refusal): the decision clock runs from the valid, complete application.
        changes["decision_on"] = day
        if application_valid_on is not None:
            changes["application_valid_on"] = application_valid_on
            _check_day(errors, "application_valid_on", application_valid_on, today)
        if changes.get("application_valid_on", case.application_valid_on) is None:
            errors["application_valid_on"] = "Enter the date the application was valid and complete"
    if to_status == AdaptationStatus.REFUSED:
        check_text(
            errors, "refusal_reason", refusal_reason, 500, required="Say why the application is refused"
        )
        if review_by is None:
            errors["review_by"] = "Enter the last day the applicant can ask for a review or appeal"
        elif review_by < day:
            errors["review_by"] = "Review or appeal date cannot be before the refusal"
        check_date(errors, "review_by", review_by, label="Review or appeal date")
    if to_status == AdaptationStatus.CLOSED and case.status == AdaptationStatus.SIGN_OFF:
        if inspection_passed_on is not None:
            changes["inspection_passed_on"] = inspection_passed_on
            _check_day(errors, "inspection_passed_on", inspection_passed_on, today)
        if changes.get("inspection_passed_on", case.inspection_passed_on) is None:
            errors["inspection_passed_on"] = "Enter the date the works passed inspection before payment"
    if to_status == AdaptationStatus.APPROVAL and from_refusal:
        check_text(errors, "note", note, 2000, required="Say what the review or appeal decided")
    if to_status == AdaptationStatus.WITHDRAWN:
        check_text(errors, "note", note, 500, required="Say why the case is withdrawn")
    check_text(errors, "note", note, 2000)
    if not errors:
        check_order(errors, case, changes)
    if move_field in errors:  # the move's own date is the form's "on" field
        errors["on"] = errors.pop(move_field)
    if errors:
        raise ValidationFailed(errors)
    old = case.status
    for field, value in changes.items():
        setattr(case, field, value)
    if to_status == AdaptationStatus.WORKS:
        case.refusal_reason, case.review_by = "", None
    if to_status == AdaptationStatus.REFUSED:
        case.refusal_reason, case.review_by = refusal_reason.strip(), review_by
    if to_status == AdaptationStatus.WITHDRAWN:
        case.withdrawal_reason = note.strip()
    case.status = to_status
    stamp = LIFECYCLE.stamps.get(to_status)
    if stamp:
        setattr(case, stamp, timezone.now())
    case.save()
    label = AdaptationStatus(to_status).label
    detail = note.strip() or refusal_reason.strip()
    if move_field:
        what = MOVE_DATES[to_status][1]
        detail = f"{what}: {day:%-d %b %Y}" + (f". {detail}" if detail else "")
    case_event(case, actor, f"Moved to {label}", detail, old, to_status)
    if to_status == AdaptationStatus.SIGN_OFF and case.discharge_blocker_id is not None:
        _resolve_hospital_blocker(actor, case, day)
    cancelled = 0
    if to_status in CANCELLED_BECAUSE:
        cancelled = cancel_open_tasks(actor=actor, case=case, status=to_status)
    if to_status in (AdaptationStatus.CLOSED, AdaptationStatus.WITHDRAWN):
        end_participations(actor=actor, case_type=CASE_TYPE, case_id=case.pk, retain=True, reason=to_status)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Move an adaptations case",
        obj=case,
        person_id=case.person_id,
        detail={"from_status": old, "to_status": to_status}
        | ({"tasks_cancelled": cancelled} if cancelled else {}),
    )
    return case


def _resolve_hospital_blocker(actor: Actor, case: AdaptationCase, day: dt.date) -> None:
    """The works of a fast-track case are done: the patient is no longer waiting for them, so the Hospital
    to Home blocker the case came from is resolved (if the actor may; otherwise the timeline says so)."""
    from homeward.discharge.services import resolve_blocker

    assert case.discharge_blocker_id is not None
    try:
        with transaction.atomic():
            resolve_blocker(
                actor=actor,
                blocker_id=case.discharge_blocker_id,
                resolution=f"Adaptation works completed ({case.reference})",
                resolved_on=day,
            )
    except (NotFound, NotAllowed, ValidationFailed) as exc:
        case_event(case, actor, "Hospital blocker not resolved from here", f"Tell the hospital team: {exc}")
    else:
        case_event(case, actor, "Hospital to Home blocker resolved", "The works are completed")


@transaction.atomic
def record_dates(*, actor: Actor, case_id: int, **dates: dt.date | None) -> AdaptationCase:
    """Record or correct the reported dates that no move sets (works started, inspection passed, the valid
    application, an extension of the works period) or that a move set wrongly. None leaves a date as it is."""
    case = locked_case(actor, case_id)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    unknown = sorted(set(dates) - set(RECORDABLE))
    if unknown:
        raise ValidationFailed({name: "This date cannot be recorded here" for name in unknown})
    changes = {name: value for name, value in dates.items() if value is not None}
    if not changes:
        raise ValidationFailed.single("dates", "Enter at least one date")
    if not case.is_open:
        errors["dates"] = f"The case is {case.get_status_display().lower()}: its dates can no longer change"
    for name, value in changes.items():
        _check_day(errors, name, value, today)
    if "works_started_on" in changes and case.approved_on is None:
        errors["works_started_on"] = "Works cannot start before approval; approve the grant first"
    if "works_extended_to" in changes and case.approved_on is None:
        errors["works_extended_to"] = "The works period can be extended only after approval"
    if "inspection_passed_on" in changes and case.works_completed_on is None:
        errors["inspection_passed_on"] = "Record the works as completed before their inspection"
    if not errors:
        check_order(errors, case, changes)
    if errors:
        raise ValidationFailed(errors)
    changed = {name: value for name, value in changes.items() if getattr(case, name) != value}
    for name, value in changed.items():
        setattr(case, name, value)
    if changed:
        case.save(update_fields=list(changed))
        text = "; ".join(
            f"{DATE_LABELS.get(name, 'Works period extended to')}: {value:%-d %b %Y}"
            for name, value in changed.items()
        )
        case_event(case, actor, "Dates recorded", text)
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Record adaptations case dates",
            obj=case,
            person_id=case.person_id,
            detail={name: value.isoformat() for name, value in changed.items()},
        )
    return case
