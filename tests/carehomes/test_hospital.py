"""A resident admitted to hospital continues as one journey in Hospital to Home: the admission joins the
hospital's open case for the person, or the hospital opens one from the resident's record, and either way
the care home takes part in the case (it sees it only while an agreement with the trust is in force). A
later case for the same person decides the triage call's 72-hour outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import clinical, hospital, selectors, services
from homeward.carehomes.codes import TriageOutcome
from homeward.carehomes.models import HospitalTransfer, TriageCall
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.discharge.models import DischargeCase
from homeward.discharge.selectors import visible_cases
from homeward.governance.models import DataSharingAgreement
from tests.carehomes.conftest import hours_ago
from tests.factories import AgreementFactory, OrganisationFactory, make_actor


@pytest.fixture
def wards(world):
    """The trust's hospital and the housing team Hospital to Home refers to."""
    housing = OrganisationFactory(name="Anytown Housing", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[world.trust, housing])
    make_actor(Role.CASEWORKER, housing)  # someone to work the case
    return {
        "hospital": Hospital.objects.create(organisation=world.trust, name="Anytown General"),
        "housing": housing,
    }


def admit_to_hospital(world, resident, hours=30, **overrides) -> HospitalTransfer:
    fields = {
        "resident_id": resident.pk,
        "left_at": hours_ago(hours),
        "reason": "Chest infection, not improving",
        "admitted": True,
        "hospital_organisation_id": world.trust.pk,
    } | overrides
    return clinical.record_transfer(actor=world.manager, **fields)


def known_to_the_trust(world, resident) -> None:
    """The trust takes part in the resident's record (as after a triage call with its consultant)."""
    services.share_with(world.manager, resident, world.trust.pk, "Consulted on a triage call")


def open_case(world, wards, transfer) -> DischargeCase:
    return hospital.open_hospital_case(
        actor=world.doctor,
        transfer_id=transfer.pk,
        hospital_id=wards["hospital"].pk,
        housing_organisation_id=wards["housing"].pk,
        referral_reason="Returning to the care home; check the room is ready",
    )


def test_the_hospital_opens_the_case_from_the_admission_and_the_home_takes_part(world, wards):
    resident = world.admit()
    transfer = admit_to_hospital(world, resident)
    assert hospital.admissions_to(world.doctor) == [transfer]
    case = open_case(world, wards, transfer)
    transfer.refresh_from_db()
    assert transfer.discharge_case_id == case.pk
    assert case.person_id == world.person.pk and case.organisation_id == world.trust.pk
    assert case.admitted_on == timezone.localtime(transfer.left_at).date()
    assert list(visible_cases(world.manager)) == [case]
    assert hospital.admissions_to(world.doctor) == []
    assert not visible_cases(world.stranger).exists()
    with pytest.raises(ValidationFailed) as error:
        open_case(world, wards, transfer)
    assert "transfer_id" in error.value.errors


def test_an_admission_joins_the_hospitals_open_case_for_the_person(world, wards):
    resident = world.admit()
    known_to_the_trust(world, resident)
    existing = discharge.refer_patient(
        actor=world.doctor,
        person_id=world.person.pk,
        housing_organisation_id=wards["housing"].pk,
        hospital_id=wards["hospital"].pk,
        admitted_on=timezone.localdate(),
        referral_reason="Admitted via A&E overnight",
    )
    assert not visible_cases(world.manager).exists()
    transfer = admit_to_hospital(world, resident, hours=2)
    assert transfer.discharge_case_id == existing.pk
    assert list(visible_cases(world.manager)) == [existing]


def test_the_home_sees_the_case_only_while_its_agreement_with_the_trust_is_in_force(world, wards):
    resident = world.admit()
    open_case(world, wards, admit_to_hospital(world, resident))
    DataSharingAgreement.objects.filter(parties=world.provider).filter(parties=world.trust).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert not visible_cases(world.manager).exists()


def test_only_the_admitting_trust_opens_the_case(world, wards):
    resident = world.admit()
    transfer = admit_to_hospital(world, resident)
    for actor in (world.manager, world.gp, world.stranger):
        with pytest.raises(NotFound):
            hospital.open_hospital_case(
                actor=actor,
                transfer_id=transfer.pk,
                hospital_id=wards["hospital"].pk,
                housing_organisation_id=wards["housing"].pk,
                referral_reason="x",
            )
    assert not DischargeCase.objects.exists()


def test_a_transfer_that_was_not_an_admission_opens_no_case(world, wards):
    resident = world.admit()
    transfer = admit_to_hospital(world, resident, admitted=False)
    with pytest.raises(ValidationFailed):
        open_case(world, wards, transfer)
    assert not DischargeCase.objects.exists()


def test_the_72_hour_outcome_is_linked_to_the_later_case_for_the_same_person(world, wards):
    resident = world.admit()
    stay = clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=hours_ago(100),
        clinician_role="hospital_consultant",
        clinician_name="Dr R Osei",
        decision="stay",
        reasons="Antibiotics in the home",
    )
    # Another person's case in the window changes nothing.
    other = world.another_person(given_name="Ivy")
    known_to_the_trust(world, world.admit(person=other, room_id=world.rooms[1].pk))
    known_to_the_trust(world, resident)
    other_case = discharge.refer_patient(
        actor=world.doctor,
        person_id=other.pk,
        housing_organisation_id=wards["housing"].pk,
        hospital_id=wards["hospital"].pk,
        admitted_on=timezone.localtime(hours_ago(60)).date(),
        referral_reason="Fall",
    )
    assert selectors.triage_outcome(stay) == TriageOutcome.STAYED_WELL
    assert selectors.admitting_case(resident, stay.called_at, hours_ago(28)) is None
    # The hospital opens a case for the same person, admitted 40 hours after the call: not stayed well.
    case = discharge.refer_patient(
        actor=world.doctor,
        person_id=world.person.pk,
        housing_organisation_id=wards["housing"].pk,
        hospital_id=wards["hospital"].pk,
        admitted_on=timezone.localtime(hours_ago(60)).date(),
        referral_reason="Sepsis",
    )
    assert case != other_case
    assert selectors.triage_outcome(stay) == TriageOutcome.ADMITTED
    assert selectors.admitting_case(resident, stay.called_at, hours_ago(28)) == case
    assert not selectors.avoided_calls(TriageCall.objects.all()).exists()


def test_the_24_hour_outcome_can_differ_from_the_72_hour_one(world):
    resident = world.admit()
    stay = clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=hours_ago(100),
        clinician_role="gp_out_of_hours",
        clinician_name="Dr B Ames",
        decision="stay",
        reasons="Fluids and observe",
    )
    admit_to_hospital(world, resident, hours=50)  # 50 hours after the call
    assert selectors.triage_outcome(stay, hours=24) == TriageOutcome.STAYED_WELL
    assert selectors.triage_outcome(stay) == TriageOutcome.ADMITTED
    assert list(selectors.avoided_calls(TriageCall.objects.all(), hours=24)) == [stay]
    assert not selectors.avoided_calls(TriageCall.objects.all()).exists()


@pytest.mark.parametrize(("place", "outcome"), [("care_home", "died_as_planned"), ("hospital", "died")])
def test_a_death_in_the_window_is_died_as_planned_only_in_the_preferred_place(world, place, outcome):
    resident = world.admit()
    today = timezone.localdate()
    services.record_plan(
        actor=world.manager,
        resident_id=resident.pk,
        agreed_on=today - dt.timedelta(days=30),
        agreed_with="resident",
        gp_name="Dr A Khan",
        what_matters="To stay here to the end",
        preferred_place="care_home",
        if_unwell="treat_in_home",
        resuscitation="not_decided",
        review_on=today + dt.timedelta(days=60),
    )
    stay = clinical.record_triage(
        actor=world.manager,
        resident_id=resident.pk,
        called_at=hours_ago(30),
        clinician_role="hospital_consultant",
        clinician_name="Dr R Osei",
        decision="stay",
        reasons="End of life care in the home",
    )
    clinical.record_death(actor=world.manager, resident_id=resident.pk, died_on=today, place=place)
    stay = TriageCall.objects.get(pk=stay.pk)
    assert selectors.triage_outcome(stay) == outcome
    assert not selectors.avoided_calls(
        TriageCall.objects.all(), now=timezone.now() + dt.timedelta(days=5)
    ).exists()
    resident.refresh_from_db()
    assert resident.left_on == today and not resident.occupancies.filter(ends_on__isnull=True).exists()
    with pytest.raises(ValidationFailed):
        clinical.record_death(actor=world.manager, resident_id=resident.pk, died_on=today, place=place)
