"""A trust's small synthetic history: 120 patients with A&E attendances from January 2023 to June 2025;
30 of them helped by Hospital to Home (discharged home January to June 2024), whose attendances fall by a
planted amount from the month they were helped. Analysts at the trust evaluate it."""

from __future__ import annotations

import datetime as dt
import math
import random

import factory.random
import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import Attendance, DischargeCase
from homeward.governance.access import Actor
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.jobs.helpers import run_jobs_at_once

PEOPLE, HELPED = 160, 40
FIRST, LAST = dt.date(2023, 1, 1), dt.date(2025, 6, 1)
#: Planted: attendances per person per month before (for everyone) and the fall after being helped.
RATE, FALL = 0.8, 0.35


def actor(organisation, role=Role.ANALYST) -> Actor:
    membership = MembershipFactory(organisation=organisation, role=role)
    return Actor(membership.user, membership)


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method (TAOCP vol. 2, 3.4.1): fine for the small rates here."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _months() -> list[dt.date]:
    out, day = [], FIRST
    while day <= LAST:
        out.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


@pytest.fixture
def jobs_at_once(settings, monkeypatch):
    run_jobs_at_once(settings, monkeypatch)


@pytest.fixture
def history(db):
    return make_history()


def make_history() -> dict:
    rng = random.Random(22)
    factory.random.reseed_random(22)
    trust = OrganisationFactory(name="Evaluation Trust", kind=OrganisationKind.NHS_TRUST)
    landlord = OrganisationFactory(name="Evaluation Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    hospital = Hospital.objects.create(organisation=trust, name="Evaluation General")
    clinician = actor(trust, Role.CLINICIAN)
    people = [PersonFactory(organisation=trust, address_line_1=f"{n} Secret Street") for n in range(PEOPLE)]
    starts: dict[int, dt.date] = {}
    for n, person in enumerate(people[:HELPED]):
        discharged = dt.date(2024, 1 + n % 6, 10)
        starts[person.pk] = discharged
        DischargeCase.objects.create(
            person=person,
            organisation=trust,
            housing_organisation=landlord,
            referred_by=clinician.user,
            hospital=hospital,
            referral_reason="Stairs at home",
            admitted_on=discharged - dt.timedelta(days=5),
            referred_at=timezone.make_aware(dt.datetime(discharged.year, discharged.month, 6, 9)),
            discharged_on=discharged,
            status="closed",
        )
    rows = []
    for person in people:
        frailty = rng.uniform(0.6, 1.4)
        start = starts.get(person.pk)
        for month in _months():
            started = start is not None and (month.year, month.month) >= (start.year, start.month)
            lam = max(RATE * frailty - (FALL if started else 0.0), 0.02)
            for _ in range(_poisson(rng, lam)):
                arrived = timezone.make_aware(dt.datetime(month.year, month.month, rng.randint(1, 28), 14))
                rows.append(
                    Attendance(
                        person=person,
                        organisation=trust,
                        hospital=hospital,
                        arrived_at=arrived,
                        complaint="Fall at home",
                        recorded_by=clinician.user,
                    )
                )
    Attendance.objects.bulk_create(rows)
    return {
        "trust": trust,
        "landlord": landlord,
        "people": people,
        "starts": starts,
        "analyst": actor(trust),
        "landlord_analyst": actor(landlord),
        "caseworker": actor(trust, Role.CASEWORKER),
        "team_lead": actor(trust, Role.TEAM_LEAD),
    }


def design(**changes) -> dict:
    """A valid design form's POST for the history (what an analyst types)."""
    data = {
        "intervention": "hospital_to_home",
        "outcome": "ae_attendances",
        "outcome_label": "A&E attendances",
        "pre_months": "12",
        "post_months": "12",
        "pool": "never",
        "rationale": "Patients of the same trust with the same age band who were not referred.",
        "method": "propensity",
        "exact": "",
        "covariates": "age",
        "caliper": "",
        "replacement": "on",
        "robustness": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
