"""The adaptations demo: cases in every stage, through the services, with clocks breached and met."""

from __future__ import annotations

import random

from django.utils import timezone

from homeward.adaptations.clocks import case_clocks
from homeward.adaptations.codes import AdaptationStatus
from homeward.adaptations.demo import PLAN, seed_adaptations
from homeward.adaptations.models import AdaptationCase
from homeward.adaptations.selectors import visible_cases, worklist
from tests.factories import PersonFactory, make_actor


def test_the_demo_has_a_case_in_every_status_and_some_breach_a_clock(world):
    people = [
        PersonFactory(organisation=world.district, address_line_1=f"{n} High Street") for n in range(25)
    ]
    ids = seed_adaptations(
        council=world.district, agency=world.agency, people=people, actor=world.officer, rng=random.Random(7)
    )
    assert len(ids) == len(PLAN)
    cases = list(AdaptationCase.objects.filter(pk__in=ids))
    assert {c.status for c in cases} == set(AdaptationStatus.values)
    today = timezone.localdate()
    breached = {clock.kind.value for c in cases for clock in case_clocks(c, today=today) if clock.is_overdue}
    assert {"decision", "works"} <= breached
    assert worklist(actor=world.officer, view="overdue").count() >= 2
    assert any(c.discretionary for c in cases)  # one grant above the maximum, with a top-up
    # The home improvement agency sees the cases it takes part in, and only those.
    agency_staff = make_actor("caseworker", world.agency)
    shared = visible_cases(agency_staff)
    assert 0 < shared.count() < len(ids)


def test_the_team_demo_adds_tasks_and_quotes_without_changing_the_cases(world):
    from homeward.adaptations.demo_team import seed_team_work
    from homeward.adaptations.models import Quote, TeamTask

    people = [PersonFactory(organisation=world.district, address_line_1=f"{n} Low Street") for n in range(25)]
    ids = seed_adaptations(
        council=world.district, agency=world.agency, people=people, actor=world.officer, rng=random.Random(7)
    )
    before = {c.pk: (c.status, c.grant, c.cost_of_works) for c in AdaptationCase.objects.filter(pk__in=ids)}
    seed_team_work(case_ids=ids, actor=world.officer, agency=world.agency, rng=random.Random(7 + 17))
    after = {c.pk: (c.status, c.grant, c.cost_of_works) for c in AdaptationCase.objects.filter(pk__in=ids)}
    assert after == before
    assert TeamTask.objects.filter(kind="assessment").exists()
    assert Quote.objects.filter(chosen=True).exists() and Quote.objects.count() >= 2 * 5
    open_cases = AdaptationCase.objects.filter(pk__in=ids, status__in=["first_contact", "works"])
    assert all(c.complexity for c in open_cases)
