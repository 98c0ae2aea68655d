"""Writes for the running of a scheme: its activity timetable and who came, and the 24/7 records (shift
handovers, incidents, welfare checks on residents at risk, visitors).

An incident flagged as safeguarding tells the scheme's safeguarding lead at once (or, with none named,
the organisation's team leads) by email with a link only: no names, no description. Each write is one
transaction, validates its input (errors name the field) and is audited; a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Membership
from homeward.core.roles import Permission, Role
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.housing.codes import ActivityKind, IncidentKind, PlacementStatus, Shift, WelfareOutcome
from homeward.housing.keywork import resident
from homeward.housing.models import (
    Activity,
    ActivitySession,
    Incident,
    Occupancy,
    Placement,
    Scheme,
    ShiftHandover,
    Visit,
    WelfareCheck,
)
from homeward.housing.schemes import check_text
from homeward.housing.services import audit, check_day, placement_event

#: How far back a record of the night before, or an incident found out later, may be entered.
LATE_ENTRY_DAYS = 31


def own_scheme(actor: Any, scheme_id: int) -> Scheme:
    """The scheme, locked, if the actor's organisation runs it and the actor may change records."""
    actor.require(Permission.EDIT_PERSON)
    scheme = Scheme.objects.select_for_update().filter(pk=scheme_id, organisation_id=actor.organisation_id)
    found = scheme.first()
    if found is None:
        raise NotFound("No scheme with that id")
    return found


def _check_moment(errors: dict[str, str], field: str, value: dt.datetime | None, label: str) -> None:
    now = timezone.now()
    if value is None:
        errors[field] = f"Enter the {label.lower()}"
    elif value > now + dt.timedelta(minutes=5):
        errors[field] = f"{label} cannot be in the future"
    elif value < now - dt.timedelta(days=LATE_ENTRY_DAYS):
        errors[field] = f"{label} must be within the last {LATE_ENTRY_DAYS} days"


def residents_on(scheme: Scheme, day: dt.date) -> set[int]:
    """Ids of the placements living in the scheme on `day` (from the stay intervals)."""
    return set(
        Occupancy.objects.filter(unit__scheme=scheme, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))
        .values_list("placement_id", flat=True)
    )


@transaction.atomic
def add_activity(
    *,
    actor: Any,
    scheme_id: int,
    name: str,
    kind: str,
    weekday: int | None,
    starts_at: dt.time | None,
    minutes: int | None,
) -> Activity:
    """Put a regular activity on the scheme's weekly timetable."""
    scheme = own_scheme(actor, scheme_id)
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 120, required="Name the activity")
    check_choice(errors, "kind", kind, ActivityKind)
    if weekday is None or not 0 <= weekday <= 6:
        errors["weekday"] = "Choose the day of the week"
    if starts_at is None:
        errors["starts_at"] = "Enter the start time"
    if minutes is None or not 10 <= minutes <= 480:
        errors["minutes"] = "Enter how long it lasts, from 10 to 480 minutes"
    if not errors and scheme.activities.filter(name__iexact=name.strip(), weekday=weekday or 0).exists():
        errors["name"] = "That activity is already on the timetable for that day"
    if errors:
        raise ValidationFailed(errors)
    assert weekday is not None and starts_at is not None and minutes is not None
    activity = Activity.objects.create(
        scheme=scheme, name=name.strip(), kind=kind, weekday=weekday, starts_at=starts_at, minutes=minutes
    )
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose="Add an activity to the timetable", obj=activity
    )
    return activity


@transaction.atomic
def record_attendance(
    *, actor: Any, scheme_id: int, activity_id: int | None, held_on: dt.date | None, placement_ids: list[int]
) -> ActivitySession:
    """Who came to a timetabled activity on a day it runs; everyone named lived in the scheme that day."""
    scheme = own_scheme(actor, scheme_id)
    activity = scheme.activities.filter(pk=activity_id, is_active=True).first() if activity_id else None
    errors: dict[str, str] = {}
    if activity is None:
        errors["activity_id"] = "Choose an activity on this scheme's timetable"
    check_day(errors, "held_on", held_on, label="Date of the activity")
    if activity is not None and held_on is not None and "held_on" not in errors:
        if held_on.weekday() != activity.weekday:
            errors["held_on"] = f"{activity.name} runs on {activity.weekday_name}s"
        elif activity.sessions.filter(held_on=held_on).exists():
            errors["held_on"] = f"Attendance for {activity.name} on {held_on:%-d %b %Y} is already recorded"
    if len(placement_ids) > 500:
        errors["placement_ids"] = "Name at most 500 residents"
    elif held_on is not None and not errors:
        strangers = set(placement_ids) - residents_on(scheme, held_on)
        if strangers:
            errors["placement_ids"] = "Choose only people living in the scheme on that day"
    if errors:
        raise ValidationFailed(errors)
    assert activity is not None and held_on is not None
    session = ActivitySession.objects.create(activity=activity, held_on=held_on, recorded_by=actor.user)
    session.attendees.set(placement_ids)
    for placement in Placement.objects.filter(pk__in=placement_ids):
        placement_event(placement, actor, f"Took part: {activity.name}")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record attendance at an activity",
        obj=session,
        detail={"placements": sorted(placement_ids)},
    )
    return session


@transaction.atomic
def write_handover(
    *, actor: Any, scheme_id: int, shift_on: dt.date | None, shift: str, staff_on_duty: str, handover: str
) -> ShiftHandover:
    """The handover note at the end of a shift: one per shift; a 24/7 scheme keeps them all."""
    scheme = own_scheme(actor, scheme_id)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    check_day(errors, "shift_on", shift_on, label="Date of the shift")
    if shift_on is not None and "shift_on" not in errors and shift_on < today - dt.timedelta(days=7):
        errors["shift_on"] = "Write the handover within a week of the shift"
    check_choice(errors, "shift", shift, Shift)
    check_text(errors, "staff_on_duty", staff_on_duty, 300, required="Say who was on duty")
    check_text(errors, "handover", handover, 4000, required="Write the handover for the next shift")
    if errors:
        raise ValidationFailed(errors)
    assert shift_on is not None
    if scheme.handovers.filter(shift_on=shift_on, shift=shift).exists():
        raise ValidationFailed.single("shift", "The handover for that shift is already written")
    note = ShiftHandover.objects.create(
        scheme=scheme,
        shift_on=shift_on,
        shift=shift,
        staff_on_duty=staff_on_duty.strip(),
        handover=handover.strip(),
        written_by=actor.user,
        written_at=timezone.now(),
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Write a shift handover", obj=note)
    return note


@transaction.atomic
def record_incident(
    *,
    actor: Any,
    scheme_id: int,
    occurred_at: dt.datetime | None,
    kind: str,
    description: str,
    action_taken: str,
    placement_ids: list[int] | None = None,
    others_involved: str = "",
    is_safeguarding: bool = False,
    police_called: bool = False,
    ambulance_called: bool = False,
) -> Incident:
    """An incident in the scheme. Safeguarding: the lead is told at once, after the record commits."""
    scheme = own_scheme(actor, scheme_id)
    placement_ids = sorted(set(placement_ids or []))
    errors: dict[str, str] = {}
    _check_moment(errors, "occurred_at", occurred_at, "Time of the incident")
    check_choice(errors, "kind", kind, IncidentKind)
    required = (
        "Describe what happened: a safeguarding incident needs a description the lead can act on"
        if is_safeguarding
        else "Describe what happened"
    )
    check_text(errors, "description", description, 4000, required=required)
    check_text(errors, "action_taken", action_taken, 2000, required="Say what staff did")
    check_text(errors, "others_involved", others_involved, 500)
    if len(placement_ids) > 100:
        errors["placement_ids"] = "Name at most 100 residents"
    elif occurred_at is not None and "occurred_at" not in errors:
        day = timezone.localtime(occurred_at).date()
        if set(placement_ids) - residents_on(scheme, day):
            errors["placement_ids"] = "Choose only people living in the scheme at the time"
    if errors:
        raise ValidationFailed(errors)
    assert occurred_at is not None
    incident = Incident.objects.create(
        scheme=scheme,
        occurred_at=occurred_at,
        kind=kind,
        description=description.strip(),
        action_taken=action_taken.strip(),
        others_involved=others_involved.strip(),
        is_safeguarding=is_safeguarding,
        police_called=police_called,
        ambulance_called=ambulance_called,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
        safeguarding_alerted_at=timezone.now() if is_safeguarding else None,
    )
    incident.residents.set(placement_ids)
    label = IncidentKind(kind).label
    for placement in Placement.objects.filter(pk__in=placement_ids):
        placement_event(
            placement, actor, f"Incident: {label.lower()}" + (" (safeguarding)" if is_safeguarding else "")
        )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record an incident",
        obj=incident,
        detail={"placements": placement_ids, "safeguarding": is_safeguarding},
    )
    if is_safeguarding:
        transaction.on_commit(lambda: alert_safeguarding_lead(incident))
    return incident


def safeguarding_recipients(scheme: Scheme) -> list[str]:
    """The scheme's safeguarding lead, or with none named (or no email) the organisation's team leads."""
    lead = scheme.safeguarding_lead
    if lead is not None and lead.is_active and lead.email:
        return [lead.email]
    leads = Membership.objects.filter(
        organisation_id=scheme.organisation_id, role=Role.TEAM_LEAD, is_active=True, user__is_active=True
    ).exclude(user__email="")
    return sorted({m.user.email for m in leads.select_related("user")})


def alert_safeguarding_lead(incident: Incident) -> int:
    """Email a link to the incident: no names, no description (the lead signs in to read it)."""
    addresses = safeguarding_recipients(incident.scheme)
    if not addresses:
        return 0
    link = (
        settings.HOMEWARD_BASE_URL
        + reverse("housing:operations", args=[incident.scheme_id])
        + f"#incident-{incident.pk}"
    )
    return send_mail(
        "Homeward: safeguarding incident recorded – act today",
        f"A safeguarding incident was recorded in a supported housing scheme at "
        f"{timezone.localtime(incident.recorded_at):%H:%M on %d %b}.\n\n"
        f"Sign in to Homeward to read it: {link}\n",
        settings.DEFAULT_FROM_EMAIL,
        addresses,
    )


@transaction.atomic
def review_incident(
    *, actor: Any, scheme_id: int, incident_id: int | None, reviewed_on: dt.date | None, note: str
) -> Incident:
    """A manager reviews an incident (what was learnt, what changed) and closes it."""
    scheme = own_scheme(actor, scheme_id)
    incident = (
        scheme.incidents.filter(pk=incident_id, reviewed_on__isnull=True).first() if incident_id else None
    )
    errors: dict[str, str] = {}
    if incident is None:
        errors["incident_id"] = "Choose an open incident in this scheme"
    after = timezone.localtime(incident.occurred_at).date() if incident else None
    check_day(
        errors, "reviewed_on", reviewed_on, label="Review date", after=after, after_label="the incident"
    )
    check_text(errors, "note", note, 2000, required="Say what the review found and what changes")
    if errors:
        raise ValidationFailed(errors)
    assert incident is not None
    incident.reviewed_on, incident.review_note = reviewed_on, note.strip()
    incident.save(update_fields=["reviewed_on", "review_note"])
    record_event(actor=actor, action=AuditAction.UPDATE, purpose="Review an incident", obj=incident)
    return incident


@transaction.atomic
def record_welfare_check(
    *, actor: Any, placement_id: int, checked_at: dt.datetime | None, outcome: str, note: str = ""
) -> WelfareCheck:
    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    _check_moment(errors, "checked_at", checked_at, "Time of the check")
    if (
        checked_at is not None
        and placement.arrived_on
        and timezone.localtime(checked_at).date() < placement.arrived_on
    ):
        errors["checked_at"] = "The check cannot be before the resident arrived"
    check_choice(errors, "outcome", outcome, WelfareOutcome)
    required = "Say what the concern is" if outcome == WelfareOutcome.SEEN_CONCERN else ""
    check_text(errors, "note", note, 500, required=required)
    if errors:
        raise ValidationFailed(errors)
    assert checked_at is not None
    check = WelfareCheck.objects.create(
        placement=placement, checked_at=checked_at, outcome=outcome, note=note.strip(), checked_by=actor.user
    )
    placement_event(placement, actor, f"Welfare check: {WelfareOutcome(outcome).label.lower()}", note)
    audit(actor, placement, "Record a welfare check", AuditAction.CREATE, check_id=check.pk)
    return check


@transaction.atomic
def record_visit(
    *,
    actor: Any,
    placement_id: int,
    visitor: str,
    relationship: str,
    arrived_at: dt.datetime | None,
    left_at: dt.datetime | None = None,
) -> Visit:
    placement = resident(actor, placement_id)
    errors: dict[str, str] = {}
    check_text(errors, "visitor", visitor, 120, required="Enter the visitor's name")
    check_text(errors, "relationship", relationship, 60)
    _check_moment(errors, "arrived_at", arrived_at, "Time the visitor arrived")
    if left_at is not None and arrived_at is not None and left_at <= arrived_at:
        errors["left_at"] = "The visitor leaves after arriving"
    elif left_at is not None and left_at > timezone.now() + dt.timedelta(minutes=5):
        errors["left_at"] = "Time the visitor left cannot be in the future"
    if errors:
        raise ValidationFailed(errors)
    assert arrived_at is not None
    visit = Visit.objects.create(
        placement=placement,
        visitor=visitor.strip(),
        relationship=relationship.strip(),
        arrived_at=arrived_at,
        left_at=left_at,
        recorded_by=actor.user,
    )
    placement_event(placement, actor, "Visitor signed in")
    audit(actor, placement, "Record a visitor", AuditAction.CREATE, visit_id=visit.pk)
    return visit


def welfare_due(
    placements: list[Placement], now: dt.datetime | None = None
) -> list[tuple[Placement, Any, bool]]:
    """For residents at risk: (placement, last check or None, is the next check overdue?)."""
    now = now or timezone.now()
    at_risk = [p for p in placements if p.welfare_check_hours and p.status == PlacementStatus.RESIDENT]
    last: dict[int, WelfareCheck] = {}
    for check in WelfareCheck.objects.filter(placement__in=at_risk).order_by("placement_id", "-checked_at"):
        last.setdefault(check.placement_id, check)
    out = []
    for p in at_risk:
        seen = last.get(p.pk)
        arrived = timezone.make_aware(dt.datetime.combine(p.arrived_on or now.date(), dt.time()))
        since = seen.checked_at if seen else arrived
        out.append((p, seen, now - since > dt.timedelta(hours=p.welfare_check_hours or 0)))
    return out
