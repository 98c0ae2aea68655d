"""Demo supported housing for the demo's housing provider: a 40-bed 24/7 hostel (Harbour House), an
extra-care scheme (Orchard Court, 12 flats) and a sheltered scheme (Elm Gardens, 12 flats), with a year of
stays: residents now, planned and unplanned departures with follow-ups, people who came back to the
hostel (linked to their earlier stay), people waiting for an offer, key work (goals, sessions, ONS4,
reviews); and "stay or move?" conversations with older people, some of whom chose to move and are now on
a waiting list. The older schemes take the oldest people (by date of birth, then name); their stays are
longer. The hostel takes the rest.
Everything goes through the services with its own random generator (the caller passes
`random.Random(seed + 19)`), so other apps' demo data do not change. Every person and figure is synthetic."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from django.utils import timezone

from homeward.core.models import Organisation, Person
from homeward.governance.access import Actor
from homeward.housing import keywork, moveon, schemes, services
from homeward.housing.models import Scheme, Unit

HOSTEL_NEEDS = [
    "Sleeping rough for two months after a relationship ended; drinking most days",
    "Leaving prison with nowhere to stay; wants to get back into work",
    "Sofa-surfing; heroin use, on a script with the drug service",
    "Evicted for rent arrears; anxiety and depression",
    "Left the army years ago; sleeping in a car",
    "Care leaver, 19; no family support",
]
EXTRA_CARE_NEEDS = [
    "Frail after a fall; cannot manage the stairs at home",
    "Early dementia; family worried about her living alone",
    "Heart failure; two hospital admissions this year",
    "Widowed; not eating well and very isolated",
]
GOALS = [
    ("substance_misuse", "Cut down drinking with the community alcohol team"),
    ("physical_health", "Use the gym on site twice a week"),
    ("work_training", "Write a CV and apply for the kitchen course"),
    ("meaningful_activity", "Join the Tuesday gardening group"),
    ("independent_living", "Budget and pay the service charge each week"),
    ("offending", "Keep every probation appointment"),
    ("mental_health", "See the GP about low mood"),
]
OLDER_GOALS = [
    ("physical_health", "Join the chair-based exercise class"),
    ("meaningful_activity", "Come to the Thursday coffee morning"),
    ("mental_health", "Talk to the GP about feeling low since the move"),
    ("independent_living", "Manage the pension and the bills with the scheme manager's help"),
    ("physical_health", "Walk to the shop with the frame, with a carer at first"),
]
UNPLANNED_OLDER = [
    ("hospital", "hospital", "Admitted after a stroke; not able to come home"),
    ("died", "died", "Died peacefully in the flat, with family"),
]
SHELTERED_NEEDS = [
    "Widower, 81; the family home is too big and the stairs are a struggle",
    "Lives alone; wants a warden nearby and people to talk to",
    "Sold the house to be nearer her daughter; manages well with a little help",
]
#: Scheme types for older people: longer stays, the oldest people, moves to care rather than a tenancy.
OLDER_SCHEMES = ("extra_care", "sheltered")
UNPLANNED = [
    ("abandoned", "unknown", "Not seen for 14 days; belongings left in the room"),
    ("evicted", "rough_sleeping", "Licence ended after repeated violence towards staff"),
    ("custody", "custody", "Remanded in custody"),
]


def _dates(
    today: dt.date, rng: random.Random, shortest: int = 60, longest: int = 300
) -> Iterator[tuple[dt.date, dt.date | None]]:
    """A room's stays over the past year: (arrival, departure or None for the resident living there now)."""
    day = today - dt.timedelta(days=365 - rng.randint(0, 40))
    while day < today - dt.timedelta(days=5):
        length = rng.randint(shortest, longest)
        if day + dt.timedelta(days=length) < today - dt.timedelta(days=7):
            yield day, day + dt.timedelta(days=length)
            day += dt.timedelta(days=length + rng.randint(4, 25))
        else:
            yield day, None
            return


def _ons4(rng: random.Random, lift: int = 0) -> dict[str, int]:
    base = rng.randint(2, 5) + lift
    return {
        "life_satisfaction": min(10, base),
        "worthwhile": min(10, base + rng.randint(0, 2)),
        "happy": min(10, base + rng.randint(-1, 1)),
        "anxious": max(0, 8 - lift - rng.randint(0, 2)),
    }


def _stay(
    actor: Actor,
    scheme: Scheme,
    unit: Unit,
    person: Person,
    arrived: dt.date,
    left: dt.date | None,
    vacated: dt.date | None,
    needs: str,
    rng: random.Random,
) -> str:
    """One stay, start to finish; returns how it ended ('' while the person still lives there)."""
    today = timezone.localdate()
    referred = arrived - dt.timedelta(days=rng.randint(7, 30))
    placement = services.refer(
        actor=actor,
        person_id=person.pk,
        scheme_id=scheme.pk,
        source=rng.choice(["homelessness_team", "homelessness_team", "probation", "outreach", "self"])
        if scheme.scheme_type == "hostel"
        else "self",
        needs=needs,
        referred_on=referred,
    )
    pk = placement.pk
    assessed = referred + dt.timedelta(days=1)
    services.assess(
        actor=actor,
        placement_id=pk,
        eligible=True,
        on=assessed,
        risk_level=rng.choice(["low", "medium", "medium", "high"]),
        risk_summary="Risks discussed with the referrer; plan agreed for the first weeks",
    )
    offered = max(assessed, vacated or assessed, arrived - dt.timedelta(days=3))
    services.offer(actor=actor, placement_id=pk, unit_id=unit.pk, on=offered)
    services.answer_offer(actor=actor, placement_id=pk, accepted=True, on=offered)
    occupation = "licence" if scheme.scheme_type == "hostel" else "assured"
    services.arrive(
        actor=actor, placement_id=pk, on=arrived, occupation=occupation, key_worker_id=actor.user.pk
    )
    keywork.record_wellbeing(
        actor=actor, placement_id=pk, timepoint="baseline", recorded_on=arrived, answers=_ons4(rng)
    )
    goals = [
        keywork.add_goal(
            actor=actor,
            placement_id=pk,
            area=area,
            description=text,
            set_on=min(today, arrived + dt.timedelta(days=3 + 7 * i)),
        )
        for i, (area, text) in enumerate(
            rng.sample(OLDER_GOALS if scheme.scheme_type in OLDER_SCHEMES else GOALS, 2)
        )
    ]
    from homeward.housing.demo_operations import assess_stay

    assess_stay(
        actor,
        pk,
        arrived,
        [g.area for g in goals],
        high_risk=scheme.scheme_type == "hostel" and arrived.toordinal() % 4 == 0,
    )
    end = left or today
    for _ in range(min(8, max(1, (end - arrived).days // 21))):
        keywork.record_session(
            actor=actor,
            placement_id=pk,
            held_on=arrived + dt.timedelta(days=rng.randint(1, max(1, (end - arrived).days - 1))),
            minutes=rng.choice([30, 45, 45, 60]),
            areas=sorted({goals[0].area, rng.choice(GOALS)[0]}),
        )
    planned = left is not None and rng.random() < 0.7
    if (end - arrived).days > 60:
        reviewed = arrived + dt.timedelta(days=rng.randint(40, (end - arrived).days - 1))
        ready = "ready" if planned else rng.choice(["not_yet", "preparing"])
        keywork.record_review(
            actor=actor,
            placement_id=pk,
            reviewed_on=reviewed,
            summary="Plan reviewed with the resident",
            readiness=ready,
            next_review_on=reviewed + dt.timedelta(days=scheme.review_every_days),
            move_on_plan="Bidding for a one-bedroom flat" if ready != "not_yet" else "",
        )
    if left is None:
        return ""
    keywork.update_goal(
        actor=actor, placement_id=pk, goal_id=goals[0].pk, progress="met" if planned else "partly_met"
    )
    if planned:
        destination = rng.choice(
            ["independent_tenancy", "independent_tenancy", "supported_move_on", "family"]
        )
        if scheme.scheme_type in OLDER_SCHEMES:
            destination = "care"
        moveon.depart(actor=actor, placement_id=pk, on=left, reason="planned", destination=destination)
        reason = "planned"
    else:
        reason, destination, note = rng.choice(
            UNPLANNED_OLDER if scheme.scheme_type in OLDER_SCHEMES else UNPLANNED
        )
        moveon.depart(
            actor=actor, placement_id=pk, on=left, reason=reason, destination=destination, note=note
        )
    if destination == "died":  # no exit wellbeing and no follow-ups
        return reason
    keywork.record_wellbeing(
        actor=actor,
        placement_id=pk,
        timepoint="follow_up",
        recorded_on=left,
        answers=_ons4(rng, 2 if planned else 0),
    )
    for months in (3, 6, 12):
        due = left + dt.timedelta(days=months * 30)
        if due < today:
            result = rng.choice(["still_housed", "still_housed", "still_housed", "lost", "not_housed"])
            moveon.record_follow_up(actor=actor, placement_id=pk, months=months, done_on=due, result=result)
    return reason


def seed_housing(
    *,
    provider: Organisation,
    commissioner: Organisation,
    people: Sequence[Person],
    actor: Actor,
    rng: random.Random,
    advice: Organisation | None = None,
) -> int:
    """Seed the provider's three schemes, their stays and the options conversations from `people` (held
    by the provider; `advice` takes the people and place team's money-advice referrals); returns the number
    of placements."""
    today = timezone.localdate()
    opened = today - dt.timedelta(days=400)
    hostel = schemes.create_scheme(
        actor=actor,
        name="Harbour House",
        scheme_type="hostel",
        staffing="24_7",
        contracted_units=40,
        commissioner_id=commissioner.pk,
        address="12 Quay Street",
    )
    extra = schemes.create_scheme(
        actor=actor,
        name="Orchard Court",
        scheme_type="extra_care",
        staffing="24_7",
        contracted_units=12,
        commissioner_id=commissioner.pk,
        address="Orchard Lane",
        plan_within_days=14,
    )
    sheltered = schemes.create_scheme(
        actor=actor,
        name="Elm Gardens",
        scheme_type="sheltered",
        staffing="day",
        contracted_units=12,
        commissioner_id=commissioner.pk,
        address="Elm Road",
        plan_within_days=28,
        review_every_days=182,
    )
    # The oldest 40% go to the options conversations (eight) and the older people's schemes (by date of
    # birth, then name: never by id); everyone else to the hostel.
    by_age = sorted(people, key=lambda p: (p.date_of_birth, p.family_name, p.given_name))
    elders, younger = by_age[: len(by_age) * 2 // 5], by_age[len(by_age) * 2 // 5 :]
    from homeward.housing.demo_options import seed_options

    conversations, elders = elders[:8], elders[8:]
    count = 0
    for scheme, rooms, label, needs, pool, lengths in (
        (hostel, 40, "Room", HOSTEL_NEEDS, younger, (60, 300)),
        (extra, 12, "Flat", EXTRA_CARE_NEEDS, elders[:14], (150, 600)),
        (sheltered, 12, "Flat", SHELTERED_NEEDS, elders[14:], (150, 700)),
    ):
        pool = list(pool)
        units = [
            schemes.add_unit(actor=actor, scheme_id=scheme.pk, name=f"{label} {n}", in_use_from=opened)
            for n in range(1, rooms + 1)
        ]
        waiting = pool[-2:]  # two people wait for an offer
        pool = pool[:-2]
        returners: list[tuple[dt.date, Person]] = []  # left the hostel unplanned: may come back
        for unit in units[:-2]:  # the last two stay empty: one void, one out of use
            vacated = None
            for arrived, left in _dates(today, rng, *lengths):
                back = next((r for r in returners if r[0] + dt.timedelta(days=60) < arrived), None)
                if not pool and back is None:
                    break
                if pool:
                    person = pool.pop(0)
                else:
                    assert back is not None
                    returners.remove(back)
                    person = back[1]
                ended = _stay(actor, scheme, unit, person, arrived, left, vacated, rng.choice(needs), rng)
                if left is not None and ended in ("abandoned", "evicted"):
                    returners.append((left, person))
                vacated, count = left, count + 1
        # The void one was out of use for a month in the summer (a spell, so those nights are not void).
        schemes.set_unit_status(
            actor=actor,
            unit_id=units[-2].pk,
            status="out_of_use",
            note="New kitchen fitted",
            on=today - dt.timedelta(days=120),
        )
        schemes.set_unit_status(
            actor=actor, unit_id=units[-2].pk, status="ready_to_let", on=today - dt.timedelta(days=90)
        )
        schemes.set_unit_status(
            actor=actor, unit_id=units[-2].pk, status="void", void_reason="awaiting_referral"
        )
        schemes.set_unit_status(
            actor=actor,
            unit_id=units[-1].pk,
            status="out_of_use",
            note="Roof leak: repairs booked",
            on=today - dt.timedelta(days=21),
        )
        for person in waiting:
            services.refer(
                actor=actor,
                person_id=person.pk,
                scheme_id=scheme.pk,
                source="homelessness_team" if scheme.scheme_type == "hostel" else "self",
                needs=rng.choice(needs),
                referred_on=today - dt.timedelta(days=rng.randint(1, 10)),
            )
            count += 1
    from homeward.housing.demo_operations import seed_feedback, seed_operations

    seed_operations(actor, hostel)
    for scheme in (hostel, extra, sheltered):
        seed_feedback(actor, scheme)
    return count + seed_options(
        actor, conversations, {"extra_care": extra, "sheltered": sheltered}, advice=advice
    )
