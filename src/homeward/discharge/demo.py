"""Synthetic Hospital to Home cases for the demo: every status, blockers and timelines over recent months."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from homeward.core.models import Hospital, Membership, Organisation, Person, Team
from homeward.discharge.bed_days import lost_bed_day_rows
from homeward.discharge.codes import (
    BlockerCategory,
    CaseStatus,
    Destination,
    NonClinicalNeed,
    Pathway,
    Setting,
)
from homeward.discharge.delayed_days import delayed_day_rows
from homeward.discharge.models import (
    Attendance,
    Blocker,
    CaseEvent,
    DelayedDays,
    DischargeCase,
    FollowUpKind,
    FollowUpTask,
    LostBedDays,
    Screen,
)
from homeward.discharge.selectors import CASE_TYPE
from homeward.governance.access import Actor
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
    stays = random.Random(20230401)  # long stays (below); its own seed, so `rng` draws as before
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
        if status == CaseStatus.READY and stays.random() < 0.7:
            # Most patients still waiting have waited weeks, as on a real trust's list: admitted 16 to 45 days
            # ago and discharge-ready within a week of admission, so the weekly sitrep counts stays of 14 and
            # 21 days or more. (A separate generator: the rest of the demo draws the same numbers as before.)
            shift = today - dt.timedelta(days=stays.randint(16, 45)) - admitted
            admitted += shift
            case.admitted_on, case.referred_at = admitted, case.referred_at + shift
            ready_on = admitted + dt.timedelta(days=stays.randint(1, 6))
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
    discharged = DischargeCase.objects.filter(pk__in=[c.pk for c in cases if c.discharged_on])
    LostBedDays.objects.bulk_create(lost_bed_day_rows(discharged.prefetch_related("blockers"), LostBedDays))
    DelayedDays.objects.bulk_create(delayed_day_rows([c.pk for c in cases if c.discharged_on]))
    return len(cases)


COMPLAINTS = [
    "Chest pain, resolved",
    "Fall at home",
    "Shortness of breath",
    "Abdominal pain",
    "Anxiety and panic",
    "Intoxication",
    "Headache",
    "Cold and unwell",
]


def seed_a_and_e_and_care(
    *,
    trust: Organisation,
    people: Sequence[Person],
    actors: dict[str, Actor],
    organisations: dict[str, Organisation],
    rng: random.Random,
) -> int:
    """A&E attendances (some people frequent attenders with non-clinical needs), A&E to Home cases with
    onward referrals answered by partners, and trusted assessments answered by the care provider.

    Goes through the real services (validation, timelines, audit), so it also exercises them."""
    from homeward.discharge import care, services
    from homeward.referrals import services as referrals
    from homeward.referrals.codes import Outcome, ReferralStatus, ServiceKind

    now = timezone.now()
    hospitals = list(Hospital.objects.filter(organisation=trust))
    frequent, occasional = list(people[:14]), list(people[14:40])
    attendances = []
    for person in frequent + occasional:
        visits = rng.randint(5, 12) if person in frequent else rng.randint(1, 3)
        needs = rng.sample(NonClinicalNeed.values, k=rng.randint(1, 3)) if person in frequent else []
        for _ in range(visits):
            attendances.append(
                Attendance(
                    person=person,
                    organisation=trust,
                    hospital=rng.choice(hospitals),
                    arrived_at=now - dt.timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23)),
                    complaint=rng.choice(COMPLAINTS),
                    needs=sorted(rng.sample(needs, k=rng.randint(0, len(needs)))) if needs else [],
                    recorded_by=actors["clinician"].user,
                )
            )
    Attendance.objects.bulk_create(attendances)

    # Five frequent attenders referred to the housing officer in A&E, who refers them on.
    routes = [
        (
            ServiceKind.HOMELESSNESS,
            "council",
            "Sleeping rough since eviction; needs a homelessness assessment",
        ),
        (
            ServiceKind.MONEY_ADVICE,
            "voluntary",
            "Debts and benefit sanctions; no money for food or the meter",
        ),
        (
            ServiceKind.IMMIGRATION_ADVICE,
            "voluntary",
            "Unsure of settled status; afraid to register with a GP",
        ),
        (ServiceKind.URGENT_CARE_SOCIAL_WORK, "council", "Carer has broken down; no support at home tonight"),
        (ServiceKind.MONEY_ADVICE, "voluntary", "Rent arrears after a change in Universal Credit"),
    ]
    answers = [
        (ReferralStatus.COMPLETED, Outcome.NEED_MET, "Placed in temporary accommodation the same day"),
        (ReferralStatus.COMPLETED, Outcome.PARTLY_MET, "Debt relief order started; food bank voucher given"),
        (ReferralStatus.ACCEPTED, "", ""),
        (ReferralStatus.REJECTED, "", "Not in our area: referred to the neighbouring council's team"),
        (ReferralStatus.REQUESTED, "", ""),
    ]
    for person, (kind, receiver, need), (status, outcome, note) in zip(
        frequent[:5], routes, answers, strict=True
    ):
        case = services.refer_patient(
            actor=actors["clinician"],
            person_id=person.pk,
            housing_organisation_id=organisations["housing"].pk,
            hospital_id=hospitals[0].pk,
            admitted_on=timezone.localdate() - dt.timedelta(days=1),
            setting=Setting.EMERGENCY,
            referral_reason=f"Frequent A&E attender. {need}.",
        )
        referral = referrals.send_referral(
            actor=actors["caseworker"],
            person_id=person.pk,
            to_organisation_id=organisations[receiver].pk,
            service_kind=kind,
            reason=need,
            source_type=CASE_TYPE,
            source_id=case.pk,
        )
        answerer = actors["council" if receiver == "council" else "partner"]
        if status == ReferralStatus.REJECTED:
            referrals.move_referral(actor=answerer, referral_id=referral.pk, to_status=status, reason=note)
        elif status != ReferralStatus.REQUESTED:
            referrals.move_referral(
                actor=answerer, referral_id=referral.pk, to_status=ReferralStatus.ACCEPTED
            )
            if status == ReferralStatus.COMPLETED:
                referrals.move_referral(
                    actor=answerer,
                    referral_id=referral.pk,
                    to_status=status,
                    outcome=outcome,
                    outcome_note=note,
                )

    # Care-home discharges: trusted assessments sent by the ward, answered by the care provider.
    pathway3 = list(
        DischargeCase.objects.filter(
            organisation=trust, status__in=[CaseStatus.ACTIVE, CaseStatus.READY], pathway=Pathway.P3
        ).order_by("pk")[:3]
    )
    for n, case in enumerate(pathway3):
        assessment = care.submit_trusted_assessment(
            actor=actors["clinician"],
            case_id=case.pk,
            care_provider_id=organisations["care"].pk,
            assessed_on=max(case.admitted_on, timezone.localdate() - dt.timedelta(days=1)),
            domains={
                "mobility": "Walks short distances with a frame and one carer",
                "personal_care": "Needs help of one to wash and dress",
                "continence": "Constipated since admission; on laxatives",
                "medication": "Blister pack; warfarin needs INR checks",
                "cognition": "Mild dementia; has capacity for this decision",
            },
            risks="Falls risk: sensor mat at night",
        )
        if n == 0:
            care.decide_assessment(actor=actors["carehome"], assessment_id=assessment.pk, accept=True)
            services.raise_blocker(
                actor=actors["carehome"],
                case_id=case.pk,
                category=BlockerCategory.BOWEL_PLAN,
                description="Need a constipation management plan before admission to the home",
                due_on=timezone.localdate() + dt.timedelta(days=2),
            )
        elif n == 1:
            care.decide_assessment(
                actor=actors["carehome"],
                assessment_id=assessment.pk,
                accept=False,
                note="Needs nursing care at night, which we do not provide",
            )
    return len(attendances)
