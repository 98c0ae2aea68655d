"""The needs and risk assessment by outcome domain, risks with how they are managed, the scheme's clock for
the first assessment and plan (overdue when missed, late when done after it), the review cadence with its
overdue flag, outcomes by domain at review; and the bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.errors import ValidationFailed
from homeward.housing import assessment, keywork
from homeward.housing.codes import OutcomeDomain
from homeward.housing.models import NeedsAssessment, Placement, PlacementEvent, PlanReview, Risk
from tests.housing.conftest import ARRIVED, TODAY

NEEDS = {d.value: "none" for d in OutcomeDomain} | {"be_healthy": "high", "economic_wellbeing": "some"}
NOTES = {"be_healthy": "Register with a GP; alcohol team", "economic_wellbeing": "Claim Universal Credit"}


def _assess(world, placement, **overrides):
    fields = {
        "actor": world.worker,
        "placement_id": placement.pk,
        "assessed_on": ARRIVED + dt.timedelta(days=3),
        "needs": NEEDS,
        "notes": NOTES,
    } | overrides
    return assessment.record_assessment(**fields)


def test_an_assessment_records_the_need_in_every_domain_and_marks_a_resident_at_risk(world):
    placement = world.house()
    found = _assess(world, placement, welfare_check_hours=4)
    assert found.needs["be_healthy"] == {"level": "high", "note": NOTES["be_healthy"]}
    assert found.needs["stay_safe"] == {"level": "none", "note": ""}
    placement.refresh_from_db()
    assert placement.assessed_needs_on == ARRIVED + dt.timedelta(days=3)
    assert placement.welfare_check_hours == 4
    assert not assessment.is_assessment_overdue(placement)
    rows = dict(assessment.needs_rows(found))
    assert rows["Be healthy"] == f"A lot of support: {NOTES['be_healthy']}"


def test_the_first_assessment_is_overdue_after_the_schemes_days_and_late_when_done_after_them(world):
    # The scheme sets 28 days; the resident arrived 50 days ago and has not been assessed.
    placement = world.house()
    assert assessment.assessment_due_on(placement) == ARRIVED + dt.timedelta(days=28)
    assert assessment.is_assessment_overdue(placement)
    assert assessment.is_plan_overdue(placement)
    # Not overdue the day it is due; overdue the day after.
    assert not assessment.is_assessment_overdue(placement, today=ARRIVED + dt.timedelta(days=28))
    _assess(world, placement, assessed_on=ARRIVED + dt.timedelta(days=30))
    placement.refresh_from_db()
    assert assessment.is_assessment_overdue(placement)  # late stays late on the record
    world.scheme.plan_within_days = 31
    world.scheme.save()
    placement = Placement.objects.select_related("scheme").get(pk=placement.pk)
    assert not assessment.is_assessment_overdue(placement)


def test_bad_assessment_input_names_each_field_and_writes_nothing(world):
    placement = world.house()
    before = PlacementEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _assess(
            world,
            placement,
            assessed_on=ARRIVED - dt.timedelta(days=1),
            needs=NEEDS | {"stay_safe": "desperate"},
            notes={"economic_wellbeing": "x" * 501},
            welfare_check_hours=0,
        )
    errors = caught.value.errors
    assert "cannot be before arrival" in errors["assessed_on"]
    assert "not a known code" in errors["need_stay_safe"]
    assert errors["note_be_healthy"] == "Say what support is needed for be healthy"
    assert errors["note_economic_wellbeing"] == "Must be 500 characters or fewer"
    assert "from 1 to 168" in errors["welfare_check_hours"]
    with pytest.raises(ValidationFailed) as caught:
        _assess(world, placement, needs={"astrology": "high"})
    assert "astrology" in caught.value.errors["needs"]
    assert not NeedsAssessment.objects.exists()
    assert PlacementEvent.objects.count() == before
    assert Placement.objects.get(pk=placement.pk).assessed_needs_on is None


def test_a_risk_to_others_needs_how_it_is_managed(world):
    placement = world.house()
    with pytest.raises(ValidationFailed) as caught:
        assessment.add_risk(
            actor=world.worker,
            placement_id=placement.pk,
            to_whom="others",
            category="violence",
            level="high",
            description="Threatened staff when drunk",
            mitigation="  ",
            identified_on=TODAY,
        )
    assert caught.value.errors == {"mitigation": "Say how the risk is managed"}
    assert not Risk.objects.exists()
    risk = assessment.add_risk(
        actor=world.worker,
        placement_id=placement.pk,
        to_whom="others",
        category="violence",
        level="high",
        description="Threatened staff when drunk",
        mitigation="Two staff for key work; no lone visits",
        identified_on=TODAY,
    )
    assert (risk.to_whom, risk.closed_on) == ("others", None)
    closed = assessment.close_risk(
        actor=world.worker,
        placement_id=placement.pk,
        risk_id=risk.pk,
        on=TODAY,
        reason="Sober for six months",
    )
    assert closed.closed_on == TODAY
    assert "Risk to other people: violence or aggression (high)" in set(
        PlacementEvent.objects.values_list("title", flat=True)
    )


def _plan(world, placement, on):
    return keywork.add_goal(
        actor=world.worker, placement_id=placement.pk, area="physical_health", description="GP", set_on=on
    )


def test_a_review_date_before_the_plan_is_refused_and_nothing_is_written(world):
    placement = world.house()
    plan_on = ARRIVED + dt.timedelta(days=10)
    _plan(world, placement, plan_on)
    with pytest.raises(ValidationFailed) as caught:
        keywork.record_review(
            actor=world.worker,
            placement_id=placement.pk,
            reviewed_on=plan_on - dt.timedelta(days=2),
            summary="Early",
            readiness="not_yet",
            next_review_on=TODAY,
        )
    assert "cannot be before the support plan was agreed" in caught.value.errors["reviewed_on"]
    assert not PlanReview.objects.exists()


def test_a_review_with_no_plan_is_refused(world):
    placement = world.house()
    with pytest.raises(ValidationFailed) as caught:
        keywork.record_review(
            actor=world.worker,
            placement_id=placement.pk,
            reviewed_on=TODAY,
            summary="x",
            readiness="not_yet",
            next_review_on=TODAY + dt.timedelta(days=30),
        )
    assert "Agree the support plan" in caught.value.errors["reviewed_on"]


def test_the_review_cadence_flags_a_missed_review_and_outcomes_are_kept_by_domain(world):
    placement = world.house()
    _plan(world, placement, ARRIVED + dt.timedelta(days=2))
    placement = Placement.objects.select_related("scheme").get(pk=placement.pk)
    # No review yet: due the scheme's 91 days after the plan, so not overdue 48 days in.
    assert keywork.next_review_due(placement) == ARRIVED + dt.timedelta(days=93)
    assert not assessment.is_review_overdue(placement)
    with pytest.raises(ValidationFailed) as caught:
        keywork.record_review(
            actor=world.worker,
            placement_id=placement.pk,
            reviewed_on=ARRIVED + dt.timedelta(days=5),
            summary="First review",
            readiness="not_yet",
            next_review_on=ARRIVED + dt.timedelta(days=20),
            outcomes={"be_healthy": "brilliant"},
        )
    assert "not a known code" in caught.value.errors["outcome_be_healthy"]
    review = keywork.record_review(
        actor=world.worker,
        placement_id=placement.pk,
        reviewed_on=ARRIVED + dt.timedelta(days=5),
        summary="First review",
        readiness="not_yet",
        next_review_on=ARRIVED + dt.timedelta(days=20),
        outcomes={"be_healthy": "partly", "stay_safe": ""},
    )
    assert review.outcomes == {"be_healthy": "partly"}
    placement = Placement.objects.select_related("scheme").get(pk=placement.pk)
    assert assessment.is_review_overdue(placement)  # the agreed next review (30 days ago) was missed
    assert not assessment.is_review_overdue(placement, today=ARRIVED + dt.timedelta(days=20))


def test_the_assessment_page_keeps_what_was_typed_and_names_the_field(client, world):
    placement = world.house()
    client.force_login(world.worker.user)
    form = {"assessed_on": ARRIVED.strftime("%d/%m/%Y")} | {f"need_{d}": v for d, v in NEEDS.items()}
    form |= {"note_economic_wellbeing": "Claim Universal Credit"}
    response = client.post(f"/housing/placements/{placement.pk}/assessment/", form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in body and "Say what support is needed for be healthy" in body
    assert "Claim Universal Credit" in body
    assert not NeedsAssessment.objects.exists()
    form |= {"note_be_healthy": "See the GP"}
    response = client.post(f"/housing/placements/{placement.pk}/assessment/", form)
    assert response.status_code == 302
    page = client.get(f"/housing/placements/{placement.pk}/").content.decode()
    assert "Needs by outcome domain" in page and "See the GP" in page
