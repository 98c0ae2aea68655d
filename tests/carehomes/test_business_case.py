"""The admissions-avoided proposer measures its deadweight against a comparison period (the triaging homes'
own days before) or a comparison home where the data allow, says which, and assumes 0 only when neither is
possible. The figures below are worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import clinical, services
from homeward.carehomes.business_case import propose_admissions_avoided
from tests.carehomes.conftest import hours_ago

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=29)  # a 30-day period ending today


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def admitted(world, resident, when) -> None:
    clinical.record_transfer(
        actor=world.manager, resident_id=resident.pk, left_at=when, reason="Chest infection", admitted=True
    )


def stay_call(world, resident, when) -> None:
    clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=when,
        clinician_role="hospital_consultant",
        clinician_name="Dr R Osei",
        decision="stay",
        reasons="Treat in the home",
    )


def two_residents(world, moved_in: dt.date, home=None, rooms=None):
    home, rooms = home or world.home, rooms or world.rooms
    return [
        world.admit(
            person=world.another_person(given_name=f"R{n}"),
            home_id=home.pk,
            room_id=rooms[n].pk,
            admitted_on=moved_in,
            gp_practice_id=None,
        )
        for n in (0, 1)
    ]


def propose(world):
    return propose_admissions_avoided(world.manager, START, TODAY, TODAY.year)


def test_the_deadweight_comes_from_the_homes_own_days_before(world):
    # Two residents since 60 days ago: 60 occupied bed-days before the period and 60 in it.
    first, second = two_residents(world, TODAY - dt.timedelta(days=59))
    # Before (no triage yet): 3 emergency admissions in 60 bed-days.
    for days_ago in (50, 45, 40):
        admitted(world, first, at_noon(TODAY - dt.timedelta(days=days_ago)))
    # In the period: 4 "stay" calls that stayed well (no admission within 72 hours), and 1 admission later.
    for days_ago in (25, 20, 15, 10):
        stay_call(world, second, at_noon(TODAY - dt.timedelta(days=days_ago)))
    admitted(world, first, hours_ago(24))
    proposal = propose(world)
    (outcome,) = proposal.outcomes
    # Expected without triage: 3 / 60 x 60 = 3; observed 1; avoided 2 of the 4 that stayed well.
    # Deadweight = 1 - 2 / 4 = 0.5.
    assert outcome["deadweight"] == pytest.approx(0.5)
    evidence = proposal.evidence["outcomes[0].deadweight"]
    assert evidence["kind"] == "observed" and evidence["comparison"] == "period"
    assert "the same homes' 30 days before" in evidence["text"]
    assert "3 emergency admissions in 60 occupied bed-days" in evidence["text"]
    assert "3.0 expected" in evidence["text"] and "2.0 avoided against 4 calls" in evidence["text"]


def test_without_days_before_the_deadweight_comes_from_a_home_without_triage(world):
    # The triaging home opened its rooms in the period: 2 residents x 30 days = 60 bed-days, none before.
    first, second = two_residents(world, START)
    other = services.create_home(actor=world.manager, name="Ash Court", kind="residential")
    other_room = services.add_room(actor=world.manager, home_id=other.pk, name="1")
    # Ash Court: one resident all period (30 bed-days), 1 emergency admission, no triage calls.
    ash = world.admit(
        person=world.another_person(given_name="Ash"),
        home_id=other.pk,
        room_id=other_room.pk,
        admitted_on=START,
        gp_practice_id=None,
    )
    admitted(world, ash, at_noon(TODAY - dt.timedelta(days=12)))
    for days_ago in (25, 20, 15, 10):
        stay_call(world, second, at_noon(TODAY - dt.timedelta(days=days_ago)))
    admitted(world, first, hours_ago(24))
    proposal = propose(world)
    # Expected: 1 / 30 x 60 = 2; observed 1; avoided 1 of 4: deadweight = 1 - 1 / 4 = 0.75.
    assert proposal.outcomes[0]["deadweight"] == pytest.approx(0.75)
    evidence = proposal.evidence["outcomes[0].deadweight"]
    assert evidence["comparison"] == "home" and "Ash Court" in evidence["text"]
    assert "1 emergency admissions in 30 occupied bed-days" in evidence["text"]
    assert "2.0 expected" in evidence["text"]


def test_fewer_admissions_expected_than_observed_means_all_deadweight(world):
    first, second = two_residents(world, TODAY - dt.timedelta(days=59))
    stay_call(world, second, at_noon(TODAY - dt.timedelta(days=20)))
    admitted(world, first, hours_ago(24))  # 1 admission, none before: nothing avoided
    proposal = propose(world)
    assert proposal.outcomes[0]["deadweight"] == 1.0
    assert proposal.evidence["outcomes[0].deadweight"]["comparison"] == "period"


def test_with_no_comparison_the_deadweight_is_an_assumption(world):
    _, second = two_residents(world, START)  # no days before, and no other home
    stay_call(world, second, at_noon(TODAY - dt.timedelta(days=20)))
    proposal = propose(world)
    assert proposal.outcomes[0]["deadweight"] == 0.0
    evidence = proposal.evidence["outcomes[0].deadweight"]
    assert evidence["kind"] == "assumption" and evidence["comparison"] == "none"
