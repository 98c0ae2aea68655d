"""Advance care plans: agreed with the resident and GP, a resuscitation decision says who and when, the
review date is after the plan and flags when overdue; the GP practice and a hospital the resident is a
patient of see it only under an agreement in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import selectors, services
from homeward.carehomes.models import CarePlan
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.models import DataSharingAgreement


def plan(world, resident, **overrides) -> CarePlan:
    today = timezone.localdate()
    fields = {
        "resident_id": resident.pk,
        "agreed_on": today - dt.timedelta(days=10),
        "agreed_with": "resident",
        "gp_name": "Dr A Khan",
        "what_matters": "Staying in her own room with her cat's photo",
        "preferred_place": "care_home",
        "if_unwell": "call_gp",
        "resuscitation": "do_not_attempt",
        "resuscitation_decided_by": "Dr A Khan with Edith",
        "resuscitation_decided_on": today - dt.timedelta(days=10),
        "review_on": today + dt.timedelta(days=170),
    } | overrides
    return services.record_plan(actor=world.manager, **fields)


def test_a_new_plan_supersedes_the_current_one(world):
    resident = world.admit()
    first = plan(world, resident)
    second = plan(world, resident, if_unwell="treat_in_home")
    first.refresh_from_db()
    assert not first.is_current and selectors.current_plan(resident) == second


def test_a_plan_past_its_review_date_is_overdue(world):
    resident = world.admit()
    today = timezone.localdate()
    late = plan(
        world, resident, agreed_on=today - dt.timedelta(days=200), review_on=today - dt.timedelta(days=1)
    )
    assert late.is_overdue
    assert not plan(world, resident).is_overdue


def test_a_review_date_before_the_plan_is_refused_and_nothing_is_written(world):
    resident = world.admit()
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as error:
        plan(world, resident, agreed_on=today, review_on=today - dt.timedelta(days=1))
    assert "review_on" in error.value.errors
    assert not CarePlan.objects.exists()


def test_a_resuscitation_decision_needs_who_made_it_and_when(world):
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        plan(world, resident, resuscitation_decided_by="", resuscitation_decided_on=None)
    assert set(error.value.errors) == {"resuscitation_decided_by", "resuscitation_decided_on"}
    undecided = plan(
        world,
        resident,
        resuscitation="not_decided",
        resuscitation_decided_by="",
        resuscitation_decided_on=None,
    )
    assert undecided.resuscitation_decided_on is None


def test_the_gp_practice_sees_the_plan_only_while_an_agreement_is_in_force(world):
    resident = world.admit()
    plan(world, resident)
    assert selectors.current_plan(selectors.get_resident(actor=world.gp, resident_id=resident.pk)) is not None
    DataSharingAgreement.objects.filter(parties=world.practice).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(NotFound):
        selectors.get_resident(actor=world.gp, resident_id=resident.pk)


def test_the_hospital_sees_the_plan_only_once_the_resident_is_its_patient(world):
    resident = world.admit()
    plan(world, resident)
    with pytest.raises(NotFound):
        selectors.get_resident(actor=world.doctor, resident_id=resident.pk)
    from homeward.carehomes import clinical

    clinical.record_transfer(
        actor=world.manager,
        resident_id=resident.pk,
        left_at=timezone.now() - dt.timedelta(hours=1),
        reason="Fall with a suspected hip fracture",
        hospital_organisation_id=world.trust.pk,
    )
    assert selectors.get_resident(actor=world.doctor, resident_id=resident.pk) == resident


def test_another_organisation_cannot_record_a_plan(world):
    resident = world.admit()
    with pytest.raises(NotFound):
        services.record_plan(
            actor=world.stranger,
            resident_id=resident.pk,
            agreed_on=timezone.localdate(),
            agreed_with="resident",
            gp_name="Dr X",
            what_matters="x",
            preferred_place="care_home",
            if_unwell="call_gp",
            resuscitation="not_decided",
            review_on=timezone.localdate() + dt.timedelta(days=30),
        )
