"""Awaab's Law clocks for social landlords: the Hazards in Social Housing (Prescribed Requirements) (England)
Regulations 2025, in force 27 October 2025 (phase 1: emergency hazards, and damp and mould that is a
significant hazard).

From the moment the landlord becomes aware: an emergency hazard is investigated and made safe within 24 hours;
a significant damp and mould hazard is investigated within 10 working days, the tenant gets a written summary
within 3 working days of the investigation concluding, safety work is done within 5 working days of it, and
further works begin (or steps are taken to begin them) within 5 working days and physically start within
12 weeks. Each clock has its due time, time left, and a status; evidence (alternative accommodation secured,
consent not obtained, no hazard found) stops a clock where the sources below say so. What was read and what is
assumed is in docs/adaptations.md ("Awaab's Law clocks").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from homeward.engines.workdays import add_working_days, working_days_between

LONDON = ZoneInfo("Europe/London")
IN_FORCE = dt.datetime(2025, 10, 27, tzinfo=LONDON).astimezone(dt.UTC)
REGULATIONS = "Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025"


class AwaabHazard(StrEnum):
    EMERGENCY = "emergency"
    SIGNIFICANT_DAMP_AND_MOULD = "significant_damp_and_mould"


class ClockKind(StrEnum):
    EMERGENCY_INVESTIGATION = "emergency_investigation"
    EMERGENCY_SAFETY_WORK = "emergency_safety_work"
    INVESTIGATION = "investigation"
    WRITTEN_SUMMARY = "written_summary"
    SAFETY_WORK = "safety_work"
    FURTHER_WORKS_BEGIN = "further_works_begin"
    FURTHER_WORKS_START = "further_works_start"


class ClockStatus(StrEnum):
    NOT_STARTED = "not_started"  # waits for an earlier step (e.g. the summary waits for the investigation)
    OPEN = "open"
    MET = "met"
    BREACHED = "breached"
    STOPPED = "stopped"  # evidence ended the requirement in time (see EVIDENCE_RULES)
    NOT_REQUIRED = "not_required"  # the investigation found no hazard needing the work


class EvidenceKind(StrEnum):
    ACCESS_REFUSED = "access_refused"
    ALTERNATIVE_ACCOMMODATION_OFFERED = "alternative_accommodation_offered"
    ALTERNATIVE_ACCOMMODATION_SECURED = "alternative_accommodation_secured"
    CONSENT_NOT_OBTAINED = "consent_not_obtained"
    NO_HAZARD_FOUND = "no_hazard_found"


_WORKS = frozenset(
    {
        ClockKind.EMERGENCY_SAFETY_WORK,
        ClockKind.SAFETY_WORK,
        ClockKind.FURTHER_WORKS_BEGIN,
        ClockKind.FURTHER_WORKS_START,
    }
)
_SAFETY = frozenset({ClockKind.EMERGENCY_SAFETY_WORK, ClockKind.SAFETY_WORK})


@dataclass(frozen=True)
class EvidenceRule:
    """What a piece of evidence does: stop the listed clocks (if recorded before they fall due), or nothing
    but be recorded on every clock it was recorded against."""

    stops: frozenset[ClockKind]
    reason: str
    source: str


#: The rules the engine applies. Sources are summaries of the Regulations (the Regulations' own text was not
#: available to read); "assumption" marks a rule no source states.
EVIDENCE_RULES: dict[EvidenceKind, EvidenceRule] = {
    EvidenceKind.ALTERNATIVE_ACCOMMODATION_SECURED: EvidenceRule(
        stops=_SAFETY,
        reason="the household was moved to suitable alternative accommodation",
        source="the 24-hour deadline ceases where the occupiers are decanted before it expires; landlords "
        "must secure suitable alternative accommodation where safety work cannot be done in time "
        "(summaries of the 2025 Regulations by Cobb Warren and Bevan Brittan, 2025)",
    ),
    EvidenceKind.CONSENT_NOT_OBTAINED: EvidenceRule(
        stops=_WORKS,
        reason="the works need someone else's consent, all reasonable steps were taken and it was not given",
        source="summary of the 2025 Regulations by Cobb Warren (stated for emergency hazards; applied to "
        "every works clock as an assumption)",
    ),
    EvidenceKind.NO_HAZARD_FOUND: EvidenceRule(
        stops=_WORKS,
        reason="a further investigation concluded that there is no hazard or the works are not required",
        source="summary of the 2025 Regulations by Cobb Warren",
    ),
    EvidenceKind.ACCESS_REFUSED: EvidenceRule(
        stops=frozenset(),
        reason="the occupier refused access",
        source="assumption: no source read says refused access stops or pauses a clock, so it does not; "
        "it is recorded as evidence for the 'all reasonable endeavours' defence (Landlord and Tenant Act "
        "1985 s.10A, inserted by the Social Housing (Regulation) Act 2023 s.42)",
    ),
    EvidenceKind.ALTERNATIVE_ACCOMMODATION_OFFERED: EvidenceRule(
        stops=frozenset(),
        reason="suitable alternative accommodation was offered but not taken up",
        source="assumption: only accommodation actually secured stops a clock; an offer that was declined is "
        "recorded as evidence for the 'all reasonable endeavours' defence (LTA 1985 s.10A)",
    ),
}

_LABELS: dict[ClockKind, str] = {
    ClockKind.EMERGENCY_INVESTIGATION: "Investigate the emergency hazard within 24 hours of becoming aware",
    ClockKind.EMERGENCY_SAFETY_WORK: "Make the emergency hazard safe within 24 hours of becoming aware",
    ClockKind.INVESTIGATION: "Investigate the damp and mould within 10 working days of becoming aware",
    ClockKind.WRITTEN_SUMMARY: "Give the tenant a written summary within 3 working days of the investigation",
    ClockKind.SAFETY_WORK: "Do the safety work within 5 working days of the investigation",
    ClockKind.FURTHER_WORKS_BEGIN: "Begin further works (or steps to begin them) within 5 working days of "
    "the investigation",
    ClockKind.FURTHER_WORKS_START: "Start further works physically within 12 weeks of the investigation",
}


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


#: Timezone-aware input, held in UTC so that arithmetic and comparisons are in elapsed time (Python
#: compares and subtracts datetimes that share a tzinfo by their wall-clock times, which is wrong across the
#: change to and from British Summer Time).
Moment = Annotated[AwareDatetime, AfterValidator(_utc)]


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("awaab", message)


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EvidenceKind
    at: Moment
    note: str = Field("", max_length=2000)


class AwaabCase(BaseModel):
    """What happened on one reported hazard, as timestamps (timezone-aware)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hazard: AwaabHazard
    aware_at: Moment
    investigation_concluded_at: Moment | None = None
    #: The investigation's finding: True when it confirmed the hazard (required once it has concluded).
    hazard_found: bool | None = None
    summary_sent_at: Moment | None = None
    safety_work_done_at: Moment | None = None
    further_works_begun_at: Moment | None = None
    further_works_started_at: Moment | None = None
    evidence: list[Evidence] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _consistent(self) -> AwaabCase:
        if self.aware_at < IN_FORCE:
            raise _fail(f"aware_at: before {IN_FORCE:%-d %B %Y}, when the Regulations came into force")
        if self.investigation_concluded_at is not None and self.hazard_found is None:
            raise _fail("hazard_found: is required once the investigation has concluded")
        needs_investigation: tuple[str, ...] = (
            "summary_sent_at",
            "further_works_begun_at",
            "further_works_started_at",
        )
        if self.hazard is AwaabHazard.SIGNIFICANT_DAMP_AND_MOULD:
            needs_investigation += ("safety_work_done_at",)
        for name in needs_investigation:
            if getattr(self, name) is not None and self.investigation_concluded_at is None:
                raise _fail(f"{name}: recorded before the investigation concluded")
        for name, value in self._times():
            if value < self.aware_at:
                raise _fail(f"{name}: is before aware_at")
        return self

    def _times(self) -> Iterable[tuple[str, dt.datetime]]:
        for name in (
            "investigation_concluded_at",
            "summary_sent_at",
            "safety_work_done_at",
            "further_works_begun_at",
            "further_works_started_at",
        ):
            value = getattr(self, name)
            if value is not None:
                yield name, value
        for i, item in enumerate(self.evidence):
            yield f"evidence[{i}].at", item.at


class Clock(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ClockKind
    label: str
    status: ClockStatus
    starts_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    #: Calendar days from today to the due date (London dates; negative once overdue); None when closed.
    days_left: int | None
    #: Working days from today to the due date, for working-day clocks that are still open.
    working_days_left: int | None
    time_left: dt.timedelta | None
    evidence: tuple[Evidence, ...]
    explanation: str
    source: str

    @property
    def is_breached(self) -> bool:
        return self.status is ClockStatus.BREACHED


class ClockSummary(BaseModel):
    """Counts for a landlord's dashboard of clocks met and breached."""

    met: int = 0
    breached: int = 0
    open: int = 0
    stopped: int = 0
    not_required: int = 0
    not_started: int = 0


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(LONDON).strftime("%a %-d %b %Y %H:%M")


def _end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a London day, in UTC."""
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), LONDON).astimezone(dt.UTC)


def due_after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (London time) of the `days`-th working day after the day of `start`; working days are England
    and Wales working days (`homeward.engines.workdays`)."""
    return _end_of_day(add_working_days(start.astimezone(LONDON).date(), days))


@dataclass(frozen=True)
class _Spec:
    """One clock's rule: it runs from `start` for `hours` elapsed, `working_days`, or `weeks` (to the end of
    that day), and is met by `done`."""

    kind: ClockKind
    start: dt.datetime | None
    done: dt.datetime | None
    hours: int = 0
    working_days: int = 0
    weeks: int = 0
    required: bool = True


def _due(spec: _Spec) -> dt.datetime | None:
    if spec.start is None:
        return None
    if spec.hours:
        return _utc(spec.start) + dt.timedelta(hours=spec.hours)
    if spec.weeks:
        return _end_of_day(spec.start.astimezone(LONDON).date() + dt.timedelta(weeks=spec.weeks))
    return due_after_working_days(spec.start, spec.working_days)


def _specs(case: AwaabCase) -> list[_Spec]:
    concluded = case.investigation_concluded_at
    found = case.hazard_found is not False
    if case.hazard is AwaabHazard.EMERGENCY:
        return [
            _Spec(ClockKind.EMERGENCY_INVESTIGATION, case.aware_at, concluded, hours=24),
            _Spec(
                ClockKind.EMERGENCY_SAFETY_WORK,
                case.aware_at,
                case.safety_work_done_at,
                hours=24,
                required=found,
            ),
        ]
    begun = case.further_works_begun_at or case.further_works_started_at
    return [
        _Spec(ClockKind.INVESTIGATION, case.aware_at, concluded, working_days=10),
        _Spec(ClockKind.WRITTEN_SUMMARY, concluded, case.summary_sent_at, working_days=3),
        _Spec(ClockKind.SAFETY_WORK, concluded, case.safety_work_done_at, working_days=5, required=found),
        _Spec(ClockKind.FURTHER_WORKS_BEGIN, concluded, begun, working_days=5, required=found),
        _Spec(
            ClockKind.FURTHER_WORKS_START, concluded, case.further_works_started_at, weeks=12, required=found
        ),
    ]


def _clock(spec: _Spec, case: AwaabCase, now: dt.datetime) -> Clock:
    label = _LABELS[spec.kind]
    due = _due(spec)
    evidence = tuple(sorted(case.evidence, key=lambda e: e.at))
    sources = [REGULATIONS, *dict.fromkeys(EVIDENCE_RULES[item.kind].source for item in evidence)]
    status, completed, explanation = _state(spec, due, evidence, now)
    still_open = due is not None and status in (ClockStatus.OPEN, ClockStatus.BREACHED) and completed is None
    days_left = working_days_left = time_left = None
    if still_open and due is not None:
        today, due_day = now.astimezone(LONDON).date(), due.astimezone(LONDON).date()
        days_left = (due_day - today).days
        working_days_left = working_days_between(today, due_day) if spec.working_days else None
        time_left = due - now
    return Clock(
        kind=spec.kind,
        label=label,
        status=status,
        starts_at=spec.start,
        due_at=due,
        completed_at=completed,
        days_left=days_left,
        working_days_left=working_days_left,
        time_left=time_left,
        evidence=evidence,
        explanation=explanation,
        source="; ".join(sources),
    )


def _state(
    spec: _Spec, due: dt.datetime | None, evidence: tuple[Evidence, ...], now: dt.datetime
) -> tuple[ClockStatus, dt.datetime | None, str]:
    """The clock's status, when it closed, and the explanation in words."""
    label = _LABELS[spec.kind]
    if spec.start is None or due is None:
        return ClockStatus.NOT_STARTED, None, f"{label}: starts when the investigation concludes."
    opening = f"{label} (from {_when(spec.start)}): due by {_when(due)}."
    if not spec.required:
        return (
            ClockStatus.NOT_REQUIRED,
            None,
            f"{opening} Not required: the investigation found no hazard needing this work.",
        )
    notes = []
    stop: Evidence | None = None
    for item in evidence:
        rule = EVIDENCE_RULES[item.kind]
        if spec.kind in rule.stops and item.at <= due and (spec.done is None or item.at < spec.done):
            stop = stop or item
        else:
            notes.append(f"Recorded {_when(item.at)}: {rule.reason} (does not stop this clock).")
    if stop is not None:
        status, completed = ClockStatus.STOPPED, stop.at
        verdict = f"Stopped {_when(stop.at)}: {EVIDENCE_RULES[stop.kind].reason}."
    elif spec.done is not None:
        completed = spec.done
        status = ClockStatus.MET if spec.done <= due else ClockStatus.BREACHED
        late = "" if status is ClockStatus.MET else f", {_late(spec.done - due)} after the due time"
        verdict = f"{'Met' if status is ClockStatus.MET else 'Breached'}: done {_when(spec.done)}{late}."
    elif now > due:
        status, completed = ClockStatus.BREACHED, None
        verdict = f"Breached: still not done {_late(now - due)} after the due time."
    else:
        status, completed = ClockStatus.OPEN, None
        verdict = f"Open: {_late(due - now)} left."
    return status, completed, " ".join([opening, verdict, *notes])


def _late(gap: dt.timedelta) -> str:
    hours = gap.total_seconds() / 3600
    if hours < 1:
        minutes = round(gap.total_seconds() / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if hours < 48:
        return f"{hours:.0f} hour{'s' if round(hours) != 1 else ''}"
    return f"{gap.days} days"


def awaab_clocks(case: AwaabCase, *, now: dt.datetime) -> list[Clock]:
    """Every clock of one reported hazard as at `now` (timezone-aware), in the order the law runs them."""
    if now.tzinfo is None:
        raise ValueError("now: must be timezone-aware")
    now = _utc(now)
    for name, value in [("aware_at", case.aware_at), *case._times()]:
        if value > now:
            raise ValueError(f"{name}: is after now ({_when(now)})")
    return [_clock(spec, case, now) for spec in _specs(case)]


def summarise_clocks(clocks: Iterable[Clock]) -> ClockSummary:
    """How many clocks are met, breached, open, stopped, not required or not started."""
    counts = {status: 0 for status in ClockStatus}
    for clock in clocks:
        counts[clock.status] += 1
    return ClockSummary(**{status.value: n for status, n in counts.items()})
