"""Falls and hospital admissions after a falls check or an adaptation, worked by hand: the denominator
(people followed 90 days), the share admitted within the 90 days, and those not yet followable apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations import visits
from homeward.adaptations.followup_kpis import followup_kpis
from homeward.adaptations.healthy_models import HomeVisit
from homeward.casework.kpis import months_back, providers
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _falls_check(world, person, day):
    visit = visits.open_visit(
        actor=world.officer,
        person_id=person.pk,
        kind="falls_check",
        visited_on=day,
        checker_role="ot",
        address="1 High St",
    )
    HomeVisit.objects.filter(pk=visit.pk).update(falls_answers={"loose_rugs": "no"})


def test_admissions_within_90_days_of_a_falls_check_or_adaptation_by_hand(world):
    today = timezone.localdate()
    trust = OrganisationFactory(name="Anytown Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    AgreementFactory(parties=[trust, world.district])
    hospital = Hospital.objects.create(organisation=trust, name="Anytown General")
    nurse = make_actor(Role.CLINICIAN, trust)

    def admit(person, on):
        discharge.refer_patient(
            actor=nurse,
            person_id=person.pk,
            housing_organisation_id=world.district.pk,
            hospital_id=hospital.pk,
            admitted_on=on,
            discharge_ready_on=None,
            referral_reason="Admitted",
        )

    may = dt.date(2026, 5, 1)
    first, second, third, fourth = (PersonFactory(organisation=trust) for _ in range(4))
    admit(first, dt.date(2026, 7, 1))  # the referral lets the district see each person
    admit(second, dt.date(2026, 8, 15))
    admit(third, dt.date(2026, 5, 10))
    admit(fourth, dt.date(2026, 1, 5))
    # 1. Adaptation works completed 15 May 2026 (the fixture's walk); admitted 1 Jul: day 47, counted.
    world.walk(world.open(person_id=first.pk, address="1 High St"), "sign_off")
    # 2. A falls check on 3 May; admitted 15 Aug: day 104, outside the 90 days.
    _falls_check(world, second, dt.date(2026, 5, 3))
    # 3. A falls check on 20 May; admitted 10 May, before it: not counted.
    _falls_check(world, third, dt.date(2026, 5, 20))
    # 4. A falls check 10 days ago: not yet followable. A visit with no check recorded does not count.
    _falls_check(world, fourth, today - dt.timedelta(days=10))
    visits.open_visit(
        actor=world.officer,
        person_id=fourth.pk,
        kind="falls_check",
        visited_on=may,
        address="1 High St",
        checker_role="ot",
    )

    kpis = {k.key: k for k in followup_kpis(world.officer, months_back(today), today=today)}
    point = {p.month: p for p in kpis["followup_admitted_within_90_days"].points}["2026-05"]
    assert (point.value, point.n) == (pytest.approx(1 / 3), 3)  # 1 of 3 followed in May was admitted
    followed = {p.month: p.value for p in kpis["followup_people_followed"].points}
    assert followed["2026-05"] == 3
    recent = f"{today - dt.timedelta(days=10):%Y-%m}"
    pending = {p.month: p.value for p in kpis["followup_not_yet_followable"].points}
    assert pending[recent] == 1 and sum(pending.values()) == 1
    if recent != "2026-05":
        assert followed[recent] == 0
    assert "falls_followup" in providers()


def test_an_organisation_sees_only_its_own_interventions(world):
    _falls_check(world, world.applicant, dt.date(2026, 5, 3))
    kpis = followup_kpis(world.stranger, months_back(timezone.localdate()))
    assert all((p.value or 0) == 0 for k in kpis for p in k.points)
