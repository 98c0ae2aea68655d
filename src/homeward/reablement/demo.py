"""Demo reablement: Riverside Homes runs two units, a converted ward at the hospital (Willow Court) and a
community unit (Brook House), commissioned by the ICB, with a year of synthetic stays, goals, MDT reviews,
blockers, discharges and 91-day follow-ups, from its own random generator.

Each unit has a demo contract with illustrative targets, and the provider an illustrative in-house
functional measure (Homeward ships no real instrument: the common ones are licensed).

It writes only the reablement tables (rows built directly, valid by construction: each bed's stays follow
one another, each person is in one stay at a time), so the other apps' demo counts (audit events, consents,
participations) stay as they were. The services' checks are exercised by tests/reablement.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

from django.utils import timezone

from homeward.core.models import Organisation, Person, User
from homeward.reablement.codes import HOME_DESTINATIONS, BedStatus, StayDestination
from homeward.reablement.delays import reason_for_category
from homeward.reablement.lifecycle import FOLLOW_UP_DAYS
from homeward.reablement.models import (
    Bed,
    Contract,
    ContractTarget,
    DailyNote,
    FollowUp,
    FunctionalMeasure,
    Goal,
    MdtAction,
    MdtReview,
    MeasureScore,
    Occupancy,
    Referral,
    ReferralEvent,
    Stay,
    StayBlocker,
    StayDay,
    Unit,
)

UNITS = [
    (
        "Willow Court (former Ward 12, Northgate General)",
        "Northgate General Hospital, Ward 12",
        10,
        "care_24_7",
    ),
    ("Brook House", "14 Brook Street", 6, "therapy_led"),
]
SOURCES = ["acute_ward"] * 6 + ["emergency"] * 2 + ["gp", "district_nurse", "social_worker"]
DESTINATIONS = (
    ["home"] * 30 + ["home_package"] * 35 + ["home_adapted"] * 8 + ["rehoused"] * 3 + ["care_home"] * 12
)
DESTINATIONS += ["readmitted"] * 9 + ["died"] * 3
OUTCOMES = ["at_home"] * 75 + ["not_at_home"] * 12 + ["died"] * 5 + ["lost"] * 8
GOALS = [
    "Walk to the local shop with a stick",
    "Manage the stairs at home safely",
    "Make a hot drink and a simple meal",
    "Wash and dress without help",
    "Get in and out of bed alone",
    "Take my own medicines at the right times",
]
DECISIONS = [
    "Mobility improving with physiotherapy; continue the plan and review next week.",
    "Ready for home once the care package starts; social worker to confirm the start date.",
    "Needs a stair-lift assessment before going home; OT to refer for adaptations.",
    "Medically stable; aim for discharge at the end of the week.",
]
BLOCKERS = [
    ("care_package", "Package of care: two carers, four calls a day"),
    ("equipment", "Hospital bed and commode to be delivered at home"),
    ("home_unsuitable", "Bathroom not accessible: level-access shower needed"),
    ("assessment", "Awaiting social care assessment"),
]
DISCIPLINES = ["care_lead", "nurse", "physiotherapist", "occupational_therapist", "social_worker", "gp"]
# In the demo the unit's own staff lead care and therapy; the referrer sends the others.
UNIT_DISCIPLINES = {"care_lead", "physiotherapist", "occupational_therapist"}


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _length_of_stay(rng: random.Random) -> int:
    """Lognormal with a median near 18 days and a long tail, as units report (synthetic, not a figure)."""
    return max(3, min(70, round(math.exp(rng.gauss(math.log(18), 0.5)))))


def seed_reablement(
    *,
    provider: Organisation,
    commissioner: Organisation,
    people: Sequence[Person],
    recorded_by: User,
    rng: random.Random,
) -> list[Unit]:
    if Unit.objects.filter(organisation=provider).exists():
        return []
    today = timezone.localdate()
    busy: dict[int, list[tuple[dt.date, dt.date]]] = {p.pk: [] for p in people}
    units = []
    # An in-house scale for the demo only: Homeward ships no functional measure (common ones are licensed).
    measure = FunctionalMeasure.objects.create(
        organisation=provider,
        name="Riverside everyday activities (demo)",
        description="Illustrative in-house scale of ten everyday activities, 0 to 20",
        lowest=0,
        highest=20,
        licence="Demo data: an illustrative in-house scale, not a published instrument",
    )
    for name, address, beds, staffing in UNITS:
        unit = Unit.objects.create(
            organisation=provider,
            commissioner=commissioner,
            name=name,
            address=address,
            postcode="M1 1AA",
            commissioned_beds=beds,
            staffing_model=staffing,
        )
        units.append(unit)
        for number in range(1, beds + 1):
            bed = Bed.objects.create(
                unit=unit, label=str(number), bed_type="bariatric" if number == 1 else "standard"
            )
            _seed_bed(bed, people, busy, recorded_by, rng, today, measure)
        _seed_contract(unit, commissioner, today)
    closed = units[0].beds.get(label=str(UNITS[0][2]))
    if not closed.occupancies.filter(ended_at__isnull=True).exists():
        closed.status, closed.closed_reason, closed.closed_on = (
            BedStatus.CLOSED,
            "Ceiling hoist repair",
            today,
        )
        closed.save()
    return units


def _seed_bed(
    bed: Bed,
    people: Sequence[Person],
    busy: dict[int, list[tuple[dt.date, dt.date]]],
    recorded_by: User,
    rng: random.Random,
    today: dt.date,
    measure: FunctionalMeasure,
) -> None:
    day = today - dt.timedelta(days=365) + dt.timedelta(days=rng.randint(0, 20))
    while day < today:
        los = _length_of_stay(rng)
        leaves = day + dt.timedelta(days=los)
        discharged_at = _moment(leaves, rng.choice([10, 11, 12])) if leaves < today else None
        # A person is in one stay at a time, and at home for the 91 days after one before the next.
        span = (
            day - dt.timedelta(days=5),
            leaves + dt.timedelta(days=FOLLOW_UP_DAYS if discharged_at else 400),
        )
        candidates = [p for p in people if all(end < span[0] or start > span[1] for start, end in busy[p.pk])]
        if not candidates:
            day += dt.timedelta(days=7)
            continue
        person = rng.choice(candidates)
        admitted_at = _moment(day, rng.choice([13, 14, 15, 16]))  # after a same-day discharge (10-12)
        busy[person.pk].append(span)
        stay = _seed_stay(bed, person, admitted_at, discharged_at, recorded_by, rng, today)
        _seed_days(stay, measure, recorded_by, rng, today)
        day = leaves + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
    if not bed.occupancies.filter(ended_at__isnull=True).exists():
        bed.status = rng.choice([BedStatus.VACANT_CLEAN, BedStatus.VACANT_CLEAN, BedStatus.AWAITING_CLEAN])
        bed.save(update_fields=["status"])


def _seed_stay(
    bed: Bed,
    person: Person,
    admitted_at: dt.datetime,
    discharged_at: dt.datetime | None,
    recorded_by: User,
    rng: random.Random,
    today: dt.date,
) -> Stay:
    wait = rng.choice([0, 1, 1, 1, 2, 2, 3, 4])
    referred_at = admitted_at - dt.timedelta(days=wait, hours=rng.randint(1, 5))
    source = rng.choice(SOURCES)
    referral = Referral.objects.create(
        person=person,
        organisation=bed.unit.organisation,
        unit=bed.unit,
        referred_by=recorded_by,
        referred_at=referred_at,
        source=source,
        status="admitted",
        reason="Medically fit for discharge after a fall; not yet safe at home"
        if source in ("acute_ward", "emergency")
        else "Increasingly unsteady at home; a short stay to avoid a hospital admission",
        goals=rng.choice(GOALS),
        lawful_basis="6.1.e",
        consent_status="given",
        decided_at=referred_at + dt.timedelta(hours=2),
    )
    admitted_on = timezone.localdate(admitted_at)
    stay = Stay.objects.create(
        referral=referral,
        unit=bed.unit,
        admitted_at=admitted_at,
        expected_discharge_on=admitted_on + dt.timedelta(days=21),
    )
    Occupancy.objects.create(stay=stay, bed=bed, started_at=admitted_at, ended_at=discharged_at)
    events = [
        ReferralEvent(
            referral=referral,
            occurred_at=referred_at,
            organisation=bed.unit.organisation,
            title=f"Referred to {bed.unit.name}",
        ),
        ReferralEvent(
            referral=referral,
            occurred_at=admitted_at,
            organisation=bed.unit.organisation,
            title=f"Admitted to bed {bed.label}",
        ),
    ]
    last = timezone.localdate(discharged_at) if discharged_at else today
    for goal in rng.sample(GOALS, 2):
        Goal.objects.create(
            stay=stay,
            description=goal,
            target_on=admitted_on + dt.timedelta(days=14),
            progress=rng.choice(["attained", "attained", "partly"])
            if discharged_at
            else rng.choice(["not_started", "partly"]),
            updated_on=last,
        )
    review_on = admitted_on + dt.timedelta(days=3)
    while review_on <= last:
        attendees = sorted(rng.sample(DISCIPLINES, 4))
        MdtReview.objects.create(
            stay=stay,
            held_on=review_on,
            attendees=attendees,
            attendance=[
                {"discipline": code, "organisation_id": org.pk, "organisation": org.name}
                for code in attendees
                for org in [bed.unit.organisation if code in UNIT_DISCIPLINES else referral.organisation]
            ],
            medically_stable=rng.random() < 0.9,
            decisions=rng.choice(DECISIONS),
            next_review_on=review_on + dt.timedelta(days=7),
            recorded_by=recorded_by,
        )
        review_on += dt.timedelta(days=7)
    if rng.random() < 0.35:
        category, description = rng.choice(BLOCKERS)
        raised = admitted_on + dt.timedelta(days=rng.randint(1, 5))
        if raised <= last:
            resolved = raised + dt.timedelta(days=rng.randint(2, 9))
            StayBlocker.objects.create(
                stay=stay,
                category=category,
                description=description,
                owner_organisation=bed.unit.organisation,
                raised_on=raised,
                delay_reason_id=reason_for_category(category, raised),
                due_on=raised + dt.timedelta(days=5),
                resolved_on=resolved if discharged_at and resolved <= last else None,
                resolution="Arranged" if discharged_at and resolved <= last else "",
            )
    if discharged_at is not None:
        destination = rng.choice(DESTINATIONS)
        left = timezone.localdate(discharged_at)
        stay.status, stay.discharged_at, stay.destination = "discharged", discharged_at, destination
        if destination == StayDestination.READMITTED:
            stay.readmitted_on = left
        elif destination in HOME_DESTINATIONS and rng.random() < 0.07:
            stay.readmitted_on = left + dt.timedelta(days=rng.randint(3, 28))
        events.append(
            ReferralEvent(
                referral=referral,
                occurred_at=discharged_at,
                organisation=bed.unit.organisation,
                title=f"Discharged: {StayDestination(destination).label}",
            )
        )
        if destination in HOME_DESTINATIONS:
            due = left + dt.timedelta(days=FOLLOW_UP_DAYS)
            follow_up = FollowUp(stay=stay, due_on=due)
            if due <= today - dt.timedelta(days=3):
                follow_up.done_on, follow_up.outcome = (
                    due + dt.timedelta(days=rng.randint(0, 3)),
                    rng.choice(OUTCOMES),
                )
                stay.status = "followed_up"
            follow_up.save()
        stay.save()
    ReferralEvent.objects.bulk_create(events)
    return stay


RED_REASONS = [
    "Waited all day for the physiotherapist",
    "Care package start date not confirmed",
    "Equipment delivery missed",
]


def _seed_days(
    stay: Stay, measure: FunctionalMeasure, recorded_by: User, rng: random.Random, today: dt.date
) -> None:
    """Scores at admission (and discharge), and for people in a unit now: the last week's red and green
    days, a daily note, the MDT's open action and, for some, the day they were found ready to leave."""
    admitted = timezone.localdate(stay.admitted_at)
    start = rng.randint(3, 9)
    MeasureScore.objects.create(
        stay=stay,
        measure=measure,
        stage="admission",
        score=start,
        scored_on=admitted,
        recorded_by=recorded_by,
    )
    if stay.discharged_at is not None:
        MeasureScore.objects.create(
            stay=stay,
            measure=measure,
            stage="discharge",
            score=min(20, start + rng.randint(2, 9)),
            scored_on=timezone.localdate(stay.discharged_at),
            recorded_by=recorded_by,
        )
        return
    now = timezone.now()
    for back in range(min(7, (today - admitted).days + 1)):
        red = rng.random() < 0.2
        StayDay.objects.create(
            stay=stay,
            day=today - dt.timedelta(days=back),
            colour="red" if red else "green",
            reason=rng.choice(RED_REASONS) if red else "",
            recorded_by=recorded_by,
            recorded_at=now,
        )
    DailyNote.objects.create(
        stay=stay,
        written_at=now - dt.timedelta(hours=rng.randint(1, 20)),
        author=recorded_by,
        organisation=stay.unit.organisation,
        text="Walked to the lounge with a frame and one carer; eating well.",
    )
    review = stay.reviews.order_by("-held_on").first()
    if review is not None:
        MdtAction.objects.create(
            review=review,
            stay=stay,
            description="Confirm the care package start date with the social worker",
            owner_organisation=stay.unit.organisation,
            owner_user=recorded_by,
            due_on=review.held_on + dt.timedelta(days=rng.choice([2, 5, 9])),
        )
        if rng.random() < 0.4:
            review.ready_to_leave = True
            review.save(update_fields=["ready_to_leave"])
            stay.ready_on = review.held_on
            stay.save(update_fields=["ready_on"])


def _seed_contract(unit: Unit, commissioner: Organisation, today: dt.date) -> None:
    """A demo contract: its targets are illustrative, as a commissioner would set them, not published ones."""
    contract = Contract.objects.create(
        unit=unit,
        commissioner=commissioner,
        reference=f"DEMO-RB-{unit.pk:03d}",
        starts_on=today.replace(day=1) - dt.timedelta(days=400),
        ends_on=today.replace(day=1) + dt.timedelta(days=700),
    )
    for measure, target, margin in (
        ("los_median", 21.0, 3.0),
        ("occupancy", 0.85, 0.05),
        ("admitted_within_2_days", 0.8, 0.1),
        ("home_at_discharge", 0.7, 0.05),
        ("at_home_91_days", 0.8, 0.05),
        ("readmitted_30_days", 0.12, 0.03),
    ):
        ContractTarget.objects.create(contract=contract, measure=measure, target=target, amber_margin=margin)
