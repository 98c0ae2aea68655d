"""A stay from referral to planned move-on: eligibility and risk check, offer, decline and a second offer,
arrival with a licence, the key worker's plan, sessions, ONS4 (support's measures), a review, a planned
departure with its follow-ups; and the bad input that is refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.errors import IllegalTransition, NotFound, ValidationFailed
from homeward.housing import keywork, moveon, selectors, services
from homeward.housing.models import FollowUp, Occupancy, Placement, PlacementEvent
from homeward.support.models import SupportCase, WellbeingMeasure
from tests.housing.conftest import ARRIVED, REFERRED, TODAY

ONS4 = {"life_satisfaction": 3, "worthwhile": 4, "happy": 3, "anxious": 8}


def test_the_state_machine_refuses_an_offer_before_the_eligibility_check(world):
    placement = world.refer()
    with pytest.raises(IllegalTransition):
        services.offer(actor=world.worker, placement_id=placement.pk, unit_id=world.rooms[0].pk, on=TODAY)


def test_a_declined_offer_keeps_its_reason_and_another_unit_can_be_offered(world):
    placement = world.refer()
    services.assess(
        actor=world.worker,
        placement_id=placement.pk,
        eligible=True,
        on=REFERRED,
        risk_level="high",
        risk_summary="Threats to staff in a previous hostel; two staff at visits",
    )
    services.offer(actor=world.worker, placement_id=placement.pk, unit_id=world.rooms[0].pk, on=REFERRED)
    declined = services.answer_offer(
        actor=world.worker,
        placement_id=placement.pk,
        accepted=False,
        on=REFERRED,
        decline_reason="person_shared",
    )
    assert declined.get_decline_reason_display() == "The person declined: shared facilities or rules"
    again = services.offer(
        actor=world.worker, placement_id=placement.pk, unit_id=world.rooms[2].pk, on=ARRIVED
    )
    assert (again.status, again.offered_unit, again.decline_reason) == ("offered", world.rooms[2], "")


def test_not_eligible_needs_a_reason_and_ends_the_placement(world):
    placement = world.refer()
    with pytest.raises(ValidationFailed) as caught:
        services.assess(actor=world.worker, placement_id=placement.pk, eligible=False, on=REFERRED)
    assert caught.value.errors == {"reason": "Say why the person is not eligible"}
    done = services.assess(
        actor=world.worker,
        placement_id=placement.pk,
        eligible=False,
        on=REFERRED,
        reason="Needs nursing care on site",
    )
    assert done.status == "not_eligible" and done.closed_at is not None


def test_a_stay_from_arrival_to_a_planned_move_on(world):
    placement = world.house()
    assert placement.occupation == "licence" and placement.key_worker == world.worker.user
    support = SupportCase.objects.get(pk=placement.support_case_id)
    assert (support.kind, support.worker) == ("key_worker", world.worker.user)
    goal = keywork.add_goal(
        actor=world.worker,
        placement_id=placement.pk,
        area="substance_misuse",
        description="Cut down drinking with the community alcohol team",
        target_on=TODAY + dt.timedelta(days=90),
    )
    keywork.add_goal(
        actor=world.worker,
        placement_id=placement.pk,
        area="work_training",
        description="Volunteer at the food bank",
    )
    assert Placement.objects.get(pk=placement.pk).plan_agreed_on == TODAY
    keywork.record_session(
        actor=world.worker,
        placement_id=placement.pk,
        held_on=ARRIVED + dt.timedelta(days=2),
        minutes=45,
        areas=["substance_misuse", "physical_health"],
    )
    keywork.record_wellbeing(
        actor=world.worker, placement_id=placement.pk, timepoint="baseline", recorded_on=ARRIVED, answers=ONS4
    )
    keywork.update_goal(actor=world.worker, placement_id=placement.pk, goal_id=goal.pk, progress="met")
    review = keywork.record_review(
        actor=world.worker,
        placement_id=placement.pk,
        reviewed_on=TODAY,
        summary="Drinking down; volunteering twice a week",
        readiness="ready",
        next_review_on=TODAY + dt.timedelta(days=30),
        move_on_plan="Bid for a one-bedroom council flat",
    )
    assert review.readiness == "ready"
    left = moveon.depart(
        actor=world.worker,
        placement_id=placement.pk,
        on=TODAY,
        reason="planned",
        destination="independent_tenancy",
    )
    assert left.status == "moved_on" and left.is_planned_departure
    assert Occupancy.objects.get(placement=placement).ends_on == TODAY
    world.rooms[0].refresh_from_db()
    assert (world.rooms[0].status, world.rooms[0].void_reason) == ("void", "turnaround")
    support.refresh_from_db()
    assert (support.status, support.discharge_reason) == ("discharged", "partly_met")
    assert list(FollowUp.objects.filter(placement=placement).values_list("months", flat=True)) == [3, 6, 12]
    # The follow-up ONS4 is recorded on the same support case, after the stay.
    keywork.record_wellbeing(
        actor=world.worker,
        placement_id=placement.pk,
        timepoint="follow_up",
        recorded_on=TODAY,
        answers=ONS4 | {"life_satisfaction": 6},
    )
    scores = (
        WellbeingMeasure.objects.filter(case=support).order_by("recorded_on").values_list("score", flat=True)
    )
    assert list(scores) == [3.0, 6.0]
    done = moveon.record_follow_up(
        actor=world.worker, placement_id=placement.pk, months=3, done_on=TODAY, result="still_housed"
    )
    assert done.get_result_display() == "Still housed"


def test_a_person_who_comes_back_is_linked_to_the_earlier_stay(world):
    first = world.house()
    moveon.depart(
        actor=world.worker,
        placement_id=first.pk,
        on=TODAY,
        reason="abandoned",
        destination="unknown",
        note="Not seen for 14 days; belongings left",
    )
    again = world.refer()
    assert again.previous_placement == first
    assert "returning" in PlacementEvent.objects.filter(placement=again).first().note


def test_bad_input_names_the_field_and_writes_nothing(world):
    placement = world.house()
    keywork.add_goal(actor=world.worker, placement_id=placement.pk, area="offending", description="Probation")
    before = PlacementEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        moveon.depart(
            actor=world.worker,
            placement_id=placement.pk,
            on=ARRIVED - dt.timedelta(days=5),
            reason="planned",
            destination="family",
        )
    assert "cannot be before" in caught.value.errors["on"]
    with pytest.raises(ValidationFailed) as caught:
        keywork.record_review(
            actor=world.worker,
            placement_id=placement.pk,
            reviewed_on=TODAY,
            summary="Fine",
            readiness="not_yet",
            next_review_on=TODAY - dt.timedelta(days=1),
        )
    assert caught.value.errors == {"next_review_on": "The next review comes after this one"}
    with pytest.raises(ValidationFailed) as caught:
        keywork.record_session(
            actor=world.worker, placement_id=placement.pk, held_on=TODAY, minutes=0, areas=["astrology"]
        )
    assert set(caught.value.errors) == {"minutes", "areas"}
    with pytest.raises(ValidationFailed) as caught:
        moveon.depart(
            actor=world.worker, placement_id=placement.pk, on=TODAY, reason="evicted", destination="unknown"
        )
    assert caught.value.errors == {"note": "Say what happened"}
    with pytest.raises(ValidationFailed) as caught:
        world.refer(source="hospital")
    assert "discharge_case_id" in caught.value.errors
    assert PlacementEvent.objects.count() == before
    assert Placement.objects.get(pk=placement.pk).status == "resident"


def test_the_referrer_sees_the_placement_only_under_an_agreement_in_force(world):
    shared = world.refer(referrer_organisation_id=world.council.pk)
    assert list(selectors.visible_placements(world.officer)) == [shared]
    with pytest.raises(ValidationFailed) as caught:
        world.refer(referrer_organisation_id=world.probation.pk)
    assert "no data-sharing agreement" in caught.value.errors["referrer_organisation_id"]
    assert not selectors.visible_placements(world.probation_officer).exists()
    with pytest.raises(NotFound):
        selectors.get_placement(actor=world.probation_officer, placement_id=shared.pk)
    # The council sees the placement but cannot change the provider's record.
    with pytest.raises(NotFound):
        services.withdraw(actor=world.officer, placement_id=shared.pk, reason="Rehoused")


def test_probation_sees_a_resident_it_referred_only_while_an_agreement_is_in_force(world, client):
    from tests.factories import AgreementFactory, PersonFactory

    agreement = AgreementFactory(parties=[world.provider, world.probation], title="Probation placements")
    other = world.house()  # referred by the council's team, not by probation
    referred = world.refer(
        person=PersonFactory(organisation=world.provider),
        source="probation",
        referrer_organisation_id=world.probation.pk,
    )
    assert selectors.get_placement(actor=world.probation_officer, placement_id=referred.pk) == referred
    assert list(selectors.visible_placements(world.probation_officer)) == [referred]
    assert other not in selectors.visible_placements(world.probation_officer)
    agreement.end_date = TODAY - dt.timedelta(days=1)
    agreement.save()
    assert not selectors.visible_placements(world.probation_officer).exists()
    client.force_login(world.probation_officer.user)
    assert client.get(f"/housing/placements/{referred.pk}/").status_code == 404
