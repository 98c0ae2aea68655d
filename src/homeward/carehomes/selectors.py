"""Reads of care-home residents and their plans, observations and triage calls, always through the access
layer: a resident the actor may not see is NotFound (404), never "forbidden"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from homeward.carehomes.codes import TriageDecision, TriageOutcome
from homeward.carehomes.models import (
    CareHome,
    CarePlan,
    HospitalTransfer,
    Observation,
    Resident,
    TriageCall,
    Visit,
)
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

CASE_TYPE = "carehomes.resident"
#: The most observations a chart or list reads for one resident.
CHART_LIMIT = 200


#: The early follow-up: how a triage call looks a day later (the issue's "outcome at 24 hours").
EARLY_HOURS = 24
#: How far back a home's deterioration list looks.
DETERIORATION_HOURS = 72


def follow_up_window(hours: int | None = None) -> dt.timedelta:
    """How long after a triage call a resident must stay out of hospital for the call to count as an
    admission avoided (settings.HOMEWARD_CAREHOMES_FOLLOW_UP_HOURS; 72 by default), or `hours`."""
    return dt.timedelta(hours=hours if hours is not None else settings.HOMEWARD_CAREHOMES_FOLLOW_UP_HOURS)


def own_homes(actor: Actor) -> QuerySet[CareHome]:
    """The homes the actor's organisation runs (a home itself is not personal data)."""
    return CareHome.objects.filter(organisation_id=actor.organisation_id)


def visible_residents(actor: Actor) -> QuerySet[Resident]:
    """Residents of the actor's organisation's homes, plus residents whose records are shared with it (the
    GP practice, a hospital the resident is a patient of) under an agreement in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return Resident.objects.none()
    shared = shared_participations(actor.organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return Resident.objects.filter(Q(home__organisation_id=actor.organisation_id) | Exists(shared))


@transaction.atomic  # the read and its audit row commit together, or neither
def get_resident(*, actor: Actor, resident_id: int, purpose: str = "View care home resident") -> Resident:
    resident = (
        visible_residents(actor)
        .select_related("person", "home", "home__organisation", "gp_practice")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise NotFound("No care home resident with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=resident, person_id=resident.person_id
    )
    return resident


def residents_of_home(*, actor: Actor, home_id: int) -> QuerySet[Resident]:
    """The home's current residents, for the home page (audited as a search by the caller)."""
    return (
        visible_residents(actor)
        .filter(home_id=home_id, left_on__isnull=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def record_list_view(*, actor: Actor, purpose: str, resident_ids: list[int]) -> None:
    """A list shows names: audit it as a search, with the residents shown."""
    record_event(actor=actor, action=AuditAction.SEARCH, purpose=purpose, detail={"residents": resident_ids})


def current_plan(resident: Resident) -> CarePlan | None:
    return resident.care_plans.filter(superseded_at__isnull=True).first()


def current_room(resident: Resident, on: dt.date | None = None) -> str:
    on = on or timezone.localdate()
    occupancy = (
        resident.occupancies.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("room")
        .first()
    )
    return occupancy.room.name if occupancy else ""


def observations_of(resident: Resident) -> list[Observation]:
    """The resident's latest observations, newest first (bounded)."""
    return list(resident.observations.all()[:CHART_LIMIT])


def triage_calls_of(resident: Resident) -> QuerySet[TriageCall]:
    return resident.triage_calls.select_related("observation", "care_plan", "clinician_organisation")


def admitting_case(resident: Resident, start: dt.datetime, end: dt.datetime) -> DischargeCase | None:
    """The first Hospital to Home case for the same person whose admission date falls in [start, end]."""
    start_day, end_day = timezone.localtime(start).date(), timezone.localtime(end).date()
    return (
        DischargeCase.objects.filter(
            person_id=resident.person_id, admitted_on__gte=start_day, admitted_on__lte=end_day
        )
        .order_by("admitted_on", "pk")
        .first()
    )


def _admitted_between(resident: Resident, start: dt.datetime, end: dt.datetime) -> bool:
    """Admitted to hospital in [start, end]: a transfer the home recorded as an admission, or a Hospital
    to Home case for the same person whose admission date falls in the window."""
    recorded = resident.transfers.filter(admitted=True, left_at__gte=start, left_at__lte=end).exists()
    return recorded or admitting_case(resident, start, end) is not None


def triage_outcome(
    call: TriageCall, now: dt.datetime | None = None, hours: int | None = None
) -> TriageOutcome:
    """The outcome of a triage call after the follow-up window (72 hours, or `hours`), worked out from the
    record (docs/carehomes.md, "Admission avoided"): conveyed when the decision was to send the resident
    to hospital; otherwise later admitted if they were admitted within the window after the call (a
    transfer the home recorded, or a Hospital to Home case for the same person); died as planned (or not)
    if they died in the window without an admission; stayed well once the window has passed; pending
    until then."""
    if call.decision == TriageDecision.AMBULANCE:
        return TriageOutcome.CONVEYED
    now = now or timezone.now()
    end = call.called_at + follow_up_window(hours)
    resident = call.resident
    if _admitted_between(resident, call.called_at, min(end, now)):
        return TriageOutcome.ADMITTED
    died = resident.died_on
    if (
        died is not None
        and timezone.localtime(call.called_at).date() <= died <= timezone.localtime(end).date()
    ):
        plan = call.care_plan
        as_planned = plan is not None and plan.preferred_place == resident.place_of_death
        return TriageOutcome.DIED_AS_PLANNED if as_planned else TriageOutcome.DIED
    return TriageOutcome.STAYED_WELL if now >= end else TriageOutcome.PENDING


def avoided_calls(
    calls: QuerySet[TriageCall], now: dt.datetime | None = None, hours: int | None = None
) -> QuerySet[TriageCall]:
    """The calls among `calls` whose outcome is "stayed well", in SQL (the same rule as triage_outcome),
    for KPIs and business cases."""
    now = now or timezone.now()
    window = follow_up_window(hours)
    later_transfer = HospitalTransfer.objects.filter(
        resident_id=OuterRef("resident_id"),
        admitted=True,
        left_at__gte=OuterRef("called_at"),
        left_at__lte=OuterRef("called_at") + window,
    )
    window_end = ExpressionWrapper(F("called_at") + window, output_field=DateTimeField())
    later_case = DischargeCase.objects.filter(
        person_id=OuterRef("resident__person_id"),
        admitted_on__gte=OuterRef("call_day"),
        admitted_on__lte=OuterRef("window_end_day"),
    )
    died_in_window = Q(resident__died_on__gte=F("call_day"), resident__died_on__lte=F("window_end_day"))
    return (
        calls.annotate(call_day=TruncDate("called_at"), window_end_day=TruncDate(window_end))
        .exclude(decision=TriageDecision.AMBULANCE)
        .filter(called_at__lte=now - window)
        .exclude(Exists(later_transfer))
        .exclude(Exists(later_case))
        .exclude(died_in_window)
    )


def follow_ups(calls: QuerySet[TriageCall]) -> list[tuple[dt.datetime, str, dt.datetime | None, Any, Any]]:
    """Each call with what the outcome rule needs, in one query: when it was, the decision, the first
    admission the home recorded at or after it, the first Hospital to Home admission day on or after its
    day, and the resident's date of death (for KPIs over many calls; see `stayed_well`)."""
    first_transfer = (
        HospitalTransfer.objects.filter(
            resident_id=OuterRef("resident_id"), admitted=True, left_at__gte=OuterRef("called_at")
        )
        .order_by("left_at")
        .values("left_at")[:1]
    )
    first_case = (
        DischargeCase.objects.filter(
            person_id=OuterRef("resident__person_id"), admitted_on__gte=OuterRef("call_day")
        )
        .order_by("admitted_on")
        .values("admitted_on")[:1]
    )
    return list(
        calls.order_by()
        .annotate(call_day=TruncDate("called_at"))
        .annotate(first_transfer=Subquery(first_transfer), first_case=Subquery(first_case))
        .values_list("called_at", "decision", "first_transfer", "first_case", "resident__died_on")
    )


def stayed_well(
    called_at: dt.datetime,
    decision: str,
    first_transfer: dt.datetime | None,
    first_case: dt.date | None,
    died_on: dt.date | None,
    window: dt.timedelta,
    *,
    zone: dt.tzinfo | None = None,
) -> bool:
    """The "stayed well" rule of triage_outcome for one call whose window has passed (see follow_ups).
    `zone` is the current timezone, looked up once by a caller classifying many calls (each look-up goes
    through a thread-local: most of the group KPIs' time before it was passed)."""
    if decision == TriageDecision.AMBULANCE:
        return False
    zone = zone or timezone.get_current_timezone()
    end = called_at + window
    # timezone.localtime(value) is value.astimezone(current timezone): the same days, looked up once.
    first_day, end_day = called_at.astimezone(zone).date(), end.astimezone(zone).date()
    if first_transfer is not None and first_transfer <= end:
        return False
    if first_case is not None and first_case <= end_day:
        return False
    return not (died_on is not None and first_day <= died_on <= end_day)


def deterioration_list(*, actor: Actor, home_id: int, now: dt.datetime | None = None) -> list[Observation]:
    """Each resident of the home whose latest observations in the last 72 hours show deterioration, with
    those observations, most recent first (one query: the newest flagged set per resident)."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=DETERIORATION_HOURS)
    residents = visible_residents(actor).filter(home_id=home_id, left_on__isnull=True)
    newest = Observation.objects.filter(resident_id=OuterRef("resident_id"), taken_at__gte=since).order_by(
        "-taken_at", "-pk"
    )
    return list(
        Observation.objects.filter(
            resident__in=residents,
            taken_at__gte=since,
            is_deterioration=True,
            pk=Subquery(newest.values("pk")[:1]),
        )
        .select_related("resident__person")
        .order_by("-taken_at")[:CHART_LIMIT]
    )


def observation_chart(resident: Resident, days: int = 30) -> list[Observation]:
    """The resident's observations over the last `days`, oldest first, for the trend chart (bounded)."""
    since = timezone.now() - dt.timedelta(days=days)
    newest = list(
        resident.observations.filter(taken_at__gte=since).order_by("-taken_at", "-pk")[:CHART_LIMIT]
    )
    return newest[::-1]


def visits_of_home(*, actor: Actor, home_id: int) -> QuerySet[Visit]:
    return Visit.objects.filter(
        home_id=home_id, home__organisation_id=actor.organisation_id
    ).prefetch_related("actions")
