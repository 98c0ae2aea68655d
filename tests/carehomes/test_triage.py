"""Observations are bounded; a triage call's outcome is worked out: "stayed well" (an admission avoided)
only when the decision was not to convey and the resident was not admitted within the follow-up window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from homeward.carehomes import clinical, selectors
from homeward.carehomes.codes import TriageOutcome
from homeward.carehomes.models import Observation, TriageCall
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Hospital
from homeward.discharge.models import DischargeCase
from tests.carehomes.conftest import hours_ago


def observe(world, resident, **overrides) -> Observation:
    fields = {
        "resident_id": resident.pk,
        "taken_at": hours_ago(100),
        "temperature": Decimal("38.4"),
        "pulse": 112,
        "respiratory_rate": 24,
        "systolic": 98,
        "diastolic": 60,
        "oxygen_saturation": 93,
        "consciousness": "confusion",
        "soft_signs": ["not_drinking"],
    } | overrides
    return clinical.record_observations(actor=world.manager, **fields)


def call(world, resident, hours: float = 90, **overrides) -> TriageCall:
    fields = {
        "resident_id": resident.pk,
        "called_at": hours_ago(hours),
        "clinician_role": "hospital_consultant",
        "clinician_name": "Dr R Osei",
        "decision": "stay",
        "reasons": "Likely urinary infection; antibiotics in the home, fluids, obs four-hourly",
    } | overrides
    return clinical.record_triage(actor=world.manager, **fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pulse", 900),
        ("pulse", 19),
        ("temperature", Decimal("45.1")),
        ("respiratory_rate", 61),
        ("oxygen_saturation", 101),
        ("systolic", 300),
    ],
)
def test_observations_out_of_physiological_range_are_refused_and_nothing_is_written(world, field, value):
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        observe(world, resident, **{field: value})
    assert field in error.value.errors
    assert not Observation.objects.exists()


def test_the_edges_of_the_bounds_are_accepted(world):
    resident = world.admit()
    observe(
        world, resident, pulse=250, temperature=Decimal("25.0"), oxygen_saturation=100, respiratory_rate=4
    )
    assert Observation.objects.count() == 1


def test_blood_pressure_needs_both_figures_with_diastolic_lower(world):
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        observe(world, resident, diastolic=None)
    assert "diastolic" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        observe(world, resident, systolic=90, diastolic=95)
    assert "diastolic" in error.value.errors


def test_an_empty_set_of_observations_is_refused(world):
    resident = world.admit()
    empty = dict.fromkeys(
        ("temperature", "pulse", "respiratory_rate", "systolic", "diastolic", "oxygen_saturation")
    )
    with pytest.raises(ValidationFailed):
        observe(world, resident, consciousness="", soft_signs=[], **empty)


def test_observations_in_the_future_are_refused(world):
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        observe(world, resident, taken_at=timezone.now() + dt.timedelta(hours=1))
    assert "taken_at" in error.value.errors


def test_a_triage_decision_without_a_clinician_is_refused_and_nothing_is_written(world):
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        call(world, resident, clinician_name="  ", clinician_role="porter")
    assert set(error.value.errors) == {"clinician_name", "clinician_role"}
    assert not TriageCall.objects.exists()


def test_a_stay_decision_is_pending_then_stayed_well_after_the_window(world):
    resident = world.admit()
    seen = observe(world, resident)
    recent = call(world, resident, hours=10, observation_id=seen.pk)
    assert recent.observation == seen
    assert selectors.triage_outcome(recent) == TriageOutcome.PENDING
    assert (
        selectors.triage_outcome(recent, now=recent.called_at + dt.timedelta(hours=72))
        == TriageOutcome.STAYED_WELL
    )
    old = call(world, resident, hours=80)
    assert selectors.triage_outcome(old) == TriageOutcome.STAYED_WELL
    assert list(selectors.avoided_calls(TriageCall.objects.all())) == [old]


def test_a_resident_admitted_within_the_window_was_not_an_admission_avoided(world):
    resident = world.admit()
    stay = call(world, resident, hours=90)
    clinical.record_transfer(
        actor=world.manager,
        resident_id=resident.pk,
        left_at=hours_ago(40),
        reason="Worse overnight",
        admitted=True,
    )
    assert selectors.triage_outcome(stay) == TriageOutcome.ADMITTED
    assert not selectors.avoided_calls(TriageCall.objects.all()).exists()


def test_an_admission_after_the_window_does_not_undo_an_avoided_admission(world):
    resident = world.admit()
    stay = call(world, resident, hours=100)
    clinical.record_transfer(
        actor=world.manager, resident_id=resident.pk, left_at=hours_ago(10), reason="A fall", admitted=True
    )
    assert selectors.triage_outcome(stay) == TriageOutcome.STAYED_WELL


def test_a_later_hospital_to_home_case_for_the_same_person_counts_as_an_admission(world):
    resident = world.admit()
    stay = call(world, resident, hours=100)
    DischargeCase.objects.create(
        person=world.person,
        organisation=world.trust,
        housing_organisation=world.trust,
        referred_by=world.doctor.user,
        hospital=Hospital.objects.create(organisation=world.trust, name="Anytown General"),
        referral_reason="Sepsis",
        admitted_on=timezone.localtime(hours_ago(60)).date(),
        referred_at=timezone.now(),
    )
    assert selectors.triage_outcome(stay) == TriageOutcome.ADMITTED
    assert not selectors.avoided_calls(TriageCall.objects.all()).exists()


def test_a_decision_to_convey_is_never_an_admission_avoided(world):
    resident = world.admit()
    sent = call(world, resident, hours=100, decision="ambulance")
    assert selectors.triage_outcome(sent) == TriageOutcome.CONVEYED
    assert not selectors.avoided_calls(TriageCall.objects.all()).exists()


@override_settings(HOMEWARD_CAREHOMES_FOLLOW_UP_HOURS=24)
def test_the_follow_up_window_is_a_setting(world):
    resident = world.admit()
    assert selectors.triage_outcome(call(world, resident, hours=30)) == TriageOutcome.STAYED_WELL


def test_a_consulted_hospital_then_sees_the_resident(world):
    resident = world.admit()
    call(world, resident, clinician_organisation_id=world.trust.pk)
    assert selectors.get_resident(actor=world.doctor, resident_id=resident.pk) == resident


def test_another_organisation_cannot_record_observations(world):
    resident = world.admit()
    with pytest.raises(NotFound):
        clinical.record_observations(
            actor=world.stranger, resident_id=resident.pk, taken_at=hours_ago(1), pulse=80
        )
