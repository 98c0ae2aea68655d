"""Synthetic Hospital to Home cases for the demo: every status, blockers and timelines over recent months."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from homeward.core.models import Hospital, Membership, Organisation, Person, Team
from homeward.discharge.codes import BlockerCategory, CaseStatus, Destination, Pathway, Setting
from homeward.discharge.models import Blocker, CaseEvent, DischargeCase, FollowUpKind, FollowUpTask, Screen
from homeward.discharge.selectors import CASE_TYPE
from homeward.governance.models import Participation

REASONS = [
    "Lives alone in a first-floor flat with no lift; cannot manage stairs after a hip fracture.",
    "Flat is cold and damp; boiler broken for three weeks.",
    "Sofa-surfing before admission; no fixed address.",
    "Rent arrears of over £1,000 and a notice seeking possession.",
    "Needs a level-access shower and rails before going home.",
    "Hoarding has blocked access to the bedroom and bathroom.",
    "Gas and electricity disconnected; prepayment meter empty.",
    "No bed or fridge at home after a relationship breakdown.",
]
# What usually holds patients in the demo, roughly in the proportions housing officers report.
CATEGORIES = (
    [BlockerCategory.HOME_UNSUITABLE] * 4
    + [BlockerCategory.CARE_PACKAGE] * 3
    + [
        BlockerCategory.EQUIPMENT,
        BlockerCategory.EQUIPMENT,
        BlockerCategory.HOMELESS,
        BlockerCategory.DISREPAIR,
        BlockerCategory.FURNITURE,
        BlockerCategory.FINANCE,
        BlockerCategory.TRANSPORT,
        BlockerCategory.MEDICATION,
        BlockerCategory.CARE_HOME,
        BlockerCategory.UTILITIES,
    ]
)
CLOSED_STATUSES = (
    [CaseStatus.DISCHARGED] * 3
    + [CaseStatus.FOLLOW_UP] * 3
    + [CaseStatus.CLOSED] * 6
    + [CaseStatus.CANCELLED, CaseStatus.DIED, CaseStatus.READMITTED]
)
OPEN_STATUSES = [
    CaseStatus.REFERRED,
    CaseStatus.SCREENING,
    CaseStatus.ACTIVE,
    CaseStatus.ACTIVE,
    CaseStatus.READY,
    CaseStatus.READY,
]
DESTINATIONS = (
    [Destination.USUAL_HOME] * 6
    + [Destination.HOME_ADAPTED] * 3
    + [
        Destination.REHOUSED,
        Destination.REHOUSED,
        Destination.TEMPORARY,
        Destination.SUPPORTED,
        Destination.CARE_HOME,
    ]
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_discharge_cases(
    *,
    trust: Organisation,
    housing: Organisation,
    people: Sequence[Person],
    clinician: Membership,
    officer: Membership,
    rng: random.Random,
    today: dt.date | None = None,
) -> int:
    """One case per person given (trust patients shared with the housing provider). Returns the count."""
    today = today or timezone.localdate()
    hospitals = list(Hospital.objects.filter(organisation=trust).prefetch_related("wards"))
    team = Team.objects.filter(organisation=housing, name="Hospital to Home team").first()
    cases: list[DischargeCase] = []
    plans: list[tuple[int, int, str]] = []
    for person in people:
        is_open = rng.random() < 0.4
        status = rng.choice(OPEN_STATUSES if is_open else CLOSED_STATUSES)
        admitted = today - dt.timedelta(days=rng.randint(1, 20) if is_open else rng.randint(25, 360))
        los = rng.randint(2, 18)
        delay = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 21])
        ready = admitted + dt.timedelta(days=los)
        hospital = rng.choice(hospitals)
        wards = list(hospital.wards.all())
        case = DischargeCase(
            person=person,
            organisation=trust,
            housing_organisation=housing,
            team=team,
            assigned_to=officer.user if rng.random() < 0.6 else None,
            referred_by=clinician.user,
            hospital=hospital,
            ward=rng.choice(wards) if wards else None,
            setting=rng.choice([Setting.WARD] * 5 + [Setting.EMERGENCY, Setting.MENTAL_HEALTH]),
            status=status,
            pathway=rng.choice([Pathway.P0, Pathway.P1, Pathway.P1, Pathway.P2, Pathway.P3]),
            referral_reason=rng.choice(REASONS),
            admitted_on=admitted,
            referred_at=_at(admitted + dt.timedelta(days=rng.randint(0, 2)), 10),
        )
        ready_on: dt.date | None = min(ready, today) if status == CaseStatus.READY or not is_open else None
        discharged_on: dt.date | None = None
        if ready_on is not None and not is_open and status not in (CaseStatus.CANCELLED, CaseStatus.DIED):
            discharged_on = min(ready_on + dt.timedelta(days=delay), today)
            case.destination = rng.choice(DESTINATIONS)
        case.discharge_ready_on, case.discharged_on = ready_on, discharged_on
        if status != CaseStatus.REFERRED:
            case.screened_at = _at(admitted + dt.timedelta(days=2), 14)
        if status == CaseStatus.CLOSED and discharged_on is not None:
            case.closed_at = _at(discharged_on + dt.timedelta(days=28), 16)
        cases.append(case)
        plans.append((rng.randint(0, 3), delay, str(status)))
    DischargeCase.objects.bulk_create(cases)

    participations, blockers, events, screens, follow_ups = [], [], [], [], []
    for case, (n_blockers, _delay, planned) in zip(cases, plans, strict=True):
        participations.append(
            Participation(
                person=case.person,
                owner=trust,
                organisation=housing,
                case_type=CASE_TYPE,
                case_id=case.pk,
                reason="Hospital to Home referral",
                started_at=case.referred_at,
            )
        )
        events.append(
            CaseEvent(
                case=case,
                occurred_at=case.referred_at,
                actor=clinician.user,
                organisation=trust,
                title="Referred to the housing team",
                note=case.referral_reason,
                to_status=CaseStatus.REFERRED,
            )
        )
        if case.screened_at:
            screens.append(
                Screen(
                    case=case,
                    items=["home_unsuitable"] if "stairs" in case.referral_reason else ["finance"],
                    screened_by=officer.user,
                    screened_at=case.screened_at,
                )
            )
            events.append(
                CaseEvent(
                    case=case,
                    occurred_at=case.screened_at,
                    actor=officer.user,
                    organisation=housing,
                    title="Housing and welfare screen done",
                    from_status=CaseStatus.REFERRED,
                    to_status=CaseStatus.SCREENING,
                )
            )
        start = case.discharge_ready_on or case.admitted_on + dt.timedelta(days=3)
        for _ in range(n_blockers if planned != CaseStatus.REFERRED else 0):
            raised = min(start - dt.timedelta(days=rng.randint(0, 3)), today)
            raised = max(raised, case.admitted_on)
            resolved = None
            if case.discharged_on:
                resolved = min(case.discharged_on, raised + dt.timedelta(days=rng.randint(0, 14)))
            elif rng.random() < 0.3:
                resolved = min(today, raised + dt.timedelta(days=rng.randint(0, 4)))
            blockers.append(
                Blocker(
                    case=case,
                    category=rng.choice(CATEGORIES),
                    description="Demo blocker",
                    owner_organisation=housing if rng.random() < 0.6 else trust,
                    raised_on=raised,
                    due_on=raised + dt.timedelta(days=rng.randint(1, 10)),
                    resolved_on=resolved,
                    resolution="Sorted" if resolved else "",
                )
            )
        if case.discharged_on:
            events.append(
                CaseEvent(
                    case=case,
                    occurred_at=_at(case.discharged_on, 15),
                    actor=officer.user,
                    organisation=housing,
                    title="Moved to Discharged",
                    from_status=CaseStatus.READY,
                    to_status=CaseStatus.DISCHARGED,
                )
            )
            for kind, days in ((FollowUpKind.WELFARE_CALL_7, 7), (FollowUpKind.WELFARE_CALL_28, 28)):
                due = case.discharged_on + dt.timedelta(days=days)
                follow_ups.append(
                    FollowUpTask(
                        case=case,
                        kind=kind,
                        due_on=due,
                        owner_user=case.assigned_to,
                        done_on=due if due < today else None,
                    )
                )
    Participation.objects.bulk_create(participations)
    CaseEvent.objects.bulk_create(events)
    Screen.objects.bulk_create(screens)
    Blocker.objects.bulk_create(blockers)
    FollowUpTask.objects.bulk_create(follow_ups)
    return len(cases)
