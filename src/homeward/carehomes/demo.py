"""Demo care homes: the demo's care provider (Brightwater Home Care) runs a nursing home and a residential
home whose residents are registered with Millbrook Medical Practice (under an agreement), with advance
care plans (two overdue for review), observations, out-of-hours triage calls with the hospital's
consultants, and some transfers to hospital. Everything goes through the services; all of it is synthetic,
from its own random generator (the caller passes `random.Random(seed + 20)`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from homeward.carehomes import clinical, protocols, services
from homeward.core.models import Organisation, Person
from homeward.core.validators import nhs_number_problem
from homeward.governance.access import Actor
from homeward.governance.demo import make_agreement
from homeward.people.services import register_person

HOMES = [("Brightwater Nursing Home", "nursing"), ("Brightwater House", "residential")]
ROOMS = 8
GIVEN = [
    "Edith",
    "Harold",
    "Joan",
    "Stanley",
    "Mavis",
    "Albert",
    "Irene",
    "Wilfred",
    "Doris",
    "Leonard",
    "Hilda",
    "Cyril",
]
FAMILY = [
    "Marsh",
    "Pickering",
    "Oyelaran",
    "Hussain",
    "Kowalczyk",
    "Brennan",
    "Achebe",
    "Lindqvist",
    "Patel",
    "Murphy",
    "Evans",
    "Nakamura",
]
FUNDING = ["local_authority", "self_funded", "chc", "fnc", "mixed"]
REASONS_STAY = [
    "Likely urinary infection; antibiotics started in the home, fluids encouraged, observations four-hourly",
    "Chest infection, comfortable, wishes to stay; oral antibiotics and a GP review in the morning",
    "Fall without injury; walking as usual, observations stable; physiotherapy review",
]
REASONS_GO = ["Suspected hip fracture after a fall", "Breathless with low oxygen saturation despite oxygen"]


def _nhs_numbers(rng: random.Random, count: int) -> list[str]:
    used = set(Person.objects.values_list("nhs_number", flat=True))
    out: list[str] = []
    while len(out) < count:
        number = "999" + "".join(str(rng.randrange(10)) for _ in range(7))
        if number not in used and nhs_number_problem(number) is None:
            used.add(number)
            out.append(number)
    return out


def seed_carehomes(
    *, provider: Organisation, practice: Organisation, trust: Organisation, actor: Actor, rng: random.Random
) -> None:
    make_agreement(
        reference="DSA-CARE-GP-01",
        title="Care home residents: Brightwater Home Care and Millbrook Medical Practice",
        purpose="Direct care of care-home residents: advance care plans, observations and triage.",
        parties=[provider, practice],
        start_date=dt.date(2025, 10, 1),
    )
    now = timezone.now()
    today = timezone.localdate()
    numbers = _nhs_numbers(rng, len(GIVEN))
    people = []
    for i, (given, family) in enumerate(zip(GIVEN, FAMILY, strict=True)):
        age = rng.randint(78, 97)
        people.append(
            register_person(
                actor=actor,
                nhs_number=numbers[i],
                given_name=given,
                family_name=family,
                date_of_birth=dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                postcode="NG1 1AA",
            )
        )
    residents = []
    for h, (name, kind) in enumerate(HOMES):
        home = services.create_home(
            actor=actor,
            name=name,
            kind=kind,
            postcode="NG1 1AA",
            video_link="https://video.example.org/brightwater",
        )
        rooms = [services.add_room(actor=actor, home_id=home.pk, name=str(n + 1)) for n in range(ROOMS)]
        for r, person in enumerate(people[h * 6 : h * 6 + 6]):
            residents.append(
                services.admit_resident(
                    actor=actor,
                    home_id=home.pk,
                    person_id=person.pk,
                    admitted_on=today - dt.timedelta(days=rng.randint(200, 900)),
                    funding=rng.choice(FUNDING),
                    room_id=rooms[r].pk,
                    gp_practice_id=practice.pk,
                    next_of_kin=f"{rng.choice(['Sam', 'Alex', 'Jo', 'Chris'])} {person.family_name}",
                    next_of_kin_contact=f"07700 900{rng.randrange(1000):03d}",
                    contact_preferences=rng.choice(
                        ["Phone first, any time", "Phone in the day; text at night"]
                    ),
                    capacity_notes=rng.choice(
                        [
                            "",
                            "Has capacity for day-to-day decisions",
                            "Lasting power of attorney (health) held by next of kin",
                        ]
                    ),
                )
            )
    for i, resident in enumerate(residents[:10]):
        agreed = today - dt.timedelta(days=rng.randint(30, 150) if i > 1 else 400)
        services.record_plan(
            actor=actor,
            resident_id=resident.pk,
            agreed_on=agreed,
            agreed_with="resident" if i % 3 else "representative",
            representative="" if i % 3 else resident.next_of_kin,
            gp_name="Dr Iain Campbell",
            what_matters=rng.choice(
                [
                    "To stay here, near her friends",
                    "Being comfortable and not in pain",
                    "Seeing family on Sundays",
                ]
            ),
            preferred_place="care_home" if i % 4 else "hospice",
            if_unwell=rng.choice(["treat_in_home", "call_gp", "call_gp", "go_to_hospital"]),
            resuscitation="do_not_attempt" if i % 2 else "attempt",
            resuscitation_decided_by="Dr Iain Campbell with the resident",
            resuscitation_decided_on=agreed,
            review_on=agreed + dt.timedelta(days=180 if i > 1 else 365),
        )
    for week in range(26, 0, -1):
        resident = rng.choice(residents)
        taken = now - dt.timedelta(days=week * 7, hours=rng.randint(0, 6))
        unwell = rng.random() < 0.5
        obs = clinical.record_observations(
            actor=actor,
            resident_id=resident.pk,
            taken_at=taken,
            temperature=Decimal(
                str(round(rng.uniform(37.8, 38.9) if unwell else rng.uniform(36.2, 37.2), 1))
            ),
            pulse=rng.randint(100, 124) if unwell else rng.randint(62, 88),
            respiratory_rate=rng.randint(21, 26) if unwell else rng.randint(12, 18),
            systolic=rng.randint(92, 110) if unwell else rng.randint(118, 142),
            diastolic=rng.randint(55, 68),
            oxygen_saturation=rng.randint(90, 94) if unwell else rng.randint(95, 99),
            consciousness="confusion" if unwell and rng.random() < 0.5 else "alert",
            soft_signs=["not_drinking", "more_confused"] if unwell else [],
        )
        if not unwell:
            continue
        go = rng.random() < 0.3
        called = taken + dt.timedelta(minutes=20)
        clinical.record_triage(
            actor=actor,
            resident_id=resident.pk,
            called_at=called,
            clinician_role=rng.choice(["hospital_consultant", "hospital_consultant", "gp_out_of_hours"]),
            clinician_name=rng.choice(["Dr Ruth Osei", "Dr Tom Hale", "Dr Mei Chen"]),
            clinician_organisation_id=trust.pk,
            observation_id=obs.pk,
            decision="ambulance" if go else rng.choice(["stay", "stay", "gp_next_day"]),
            reasons=rng.choice(REASONS_GO if go else REASONS_STAY),
        )
        if go or rng.random() < 0.2:
            clinical.record_transfer(
                actor=actor,
                resident_id=resident.pk,
                left_at=called + dt.timedelta(hours=1 if go else rng.randint(20, 60)),
                reason=rng.choice(REASONS_GO),
                by_ambulance=True,
                admitted=rng.random() < 0.7,
                hospital_organisation_id=trust.pk,
            )
    # 999 calls, most not ending in a conveyance (the KPIs count both), over the last months.
    for n in range(8):
        resident = residents[(n * 5) % len(residents)]
        clinical.record_emergency_call(
            actor=actor,
            resident_id=resident.pk,
            called_at=now - dt.timedelta(days=rng.randint(10, 170), hours=rng.randint(0, 23)),
            outcome=["advice", "seen_and_treated", "conveyed"][n % 3],
            reason=rng.choice(["A fall, no obvious injury", "Breathless at night", "Chest pain"]),
        )
    # Two deaths after every other event: one in the home, the plan's preferred place; one in hospital,
    # which the plan did not prefer (residents 5 and 9 of the list, whose plans prefer the home).
    for resident, place in ((residents[5], "care_home"), (residents[9], "hospital")):
        clinical.record_death(
            actor=actor, resident_id=resident.pk, died_on=today - dt.timedelta(days=2), place=place
        )
    # The nursing home accepts the trust's trusted assessments under a protocol.
    protocols.agree_protocol(
        actor=actor,
        home_id=residents[0].home_id,
        assessor_organisation_id=trust.pk,
        starts_on=today - dt.timedelta(days=180),
        note="Discharge team's trusted assessors, all wards",
    )
