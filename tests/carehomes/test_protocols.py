"""Shared assessment protocols: a home that agrees a protocol with a trusted assessor organisation accepts
the pre-admission assessment its trusted assessor completed (Hospital to Home's TrustedAssessment) without
re-assessing; without a protocol in force then, the home's own assessment is asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import protocols
from homeward.carehomes.codes import PreAdmission
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import care
from homeward.discharge import services as discharge
from homeward.discharge.models import CaseEvent, TrustedAssessment
from homeward.governance.models import AuditEvent
from homeward.governance.services import add_participant
from tests.carehomes.test_pages import client_for
from tests.factories import AgreementFactory, OrganisationFactory, make_actor

TODAY = timezone.localdate()
DOMAINS = {
    "mobility": "Walks with a frame and one carer",
    "personal_care": "Help of one to wash and dress",
    "medication": "Blister pack; warfarin",
}


@pytest.fixture
def assessed(world):
    """A Hospital to Home case at the trust for the home's prospective resident, and the ward's trusted
    assessment sent to the home's care provider, completed today."""
    housing = OrganisationFactory(name="Anytown Housing", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[world.trust, housing])
    make_actor(Role.CASEWORKER, housing)
    hospital = Hospital.objects.create(organisation=world.trust, name="Anytown General")
    # The provider already holds Edith's record (respite stays) and shares it with the ward.
    add_participant(
        actor=world.manager, person_id=world.person.pk, organisation_id=world.trust.pk, case_type="referral"
    )
    case = discharge.refer_patient(
        actor=world.doctor,
        person_id=world.person.pk,
        housing_organisation_id=housing.pk,
        hospital_id=hospital.pk,
        admitted_on=TODAY - dt.timedelta(days=6),
        referral_reason="Needs a nursing home bed",
    )
    assessment = care.submit_trusted_assessment(
        actor=world.doctor,
        case_id=case.pk,
        care_provider_id=world.provider.pk,
        assessed_on=TODAY - dt.timedelta(days=2),
        domains=DOMAINS,
    )
    return case, assessment


def agree(world, **overrides):
    fields = {
        "home_id": world.home.pk,
        "assessor_organisation_id": world.trust.pk,
        "starts_on": TODAY - dt.timedelta(days=90),
    } | overrides
    return protocols.agree_protocol(actor=world.manager, **fields)


def test_under_a_protocol_in_force_the_trusted_assessment_is_accepted_without_reassessment(world, assessed):
    case, assessment = assessed
    protocol = agree(world)
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.TRUSTED_ACCEPTED
    assert resident.trusted_assessment == assessment and resident.protocol == protocol
    assert resident.discharge_case_id == case.pk
    # Accepted in Hospital to Home itself (the same record the ward sees), by the home, on its timeline.
    assessment.refresh_from_db()
    assert assessment.status == "accepted" and assessment.decided_by == world.manager.user
    assert "protocol with Anytown Hospitals NHS Trust" in assessment.decision_note
    assert CaseEvent.objects.filter(case=case, title__contains="no re-assessment needed").exists()
    assert AuditEvent.objects.filter(purpose="Settle a resident's pre-admission assessment").exists()
    # Nothing is asked of the home.
    with pytest.raises(ValidationFailed) as error:
        protocols.record_home_assessment(actor=world.manager, resident_id=resident.pk, assessed_on=TODAY)
    assert "assessed_on" in error.value.errors


def test_without_a_protocol_the_homes_own_assessment_is_asked_for(world, assessed):
    case, assessment = assessed
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.HOME_TO_ASSESS and resident.protocol is None
    assert resident.trusted_assessment == assessment
    assessment.refresh_from_db()
    assert assessment.status == "submitted"  # left for the home to decide in Hospital to Home
    done = protocols.record_home_assessment(actor=world.manager, resident_id=resident.pk, assessed_on=TODAY)
    assert done.pre_admission == PreAdmission.HOME_ASSESSED and done.home_assessed_on == TODAY


def test_a_protocol_that_ended_before_the_assessment_does_not_cover_it(world, assessed):
    case, assessment = assessed
    ended = agree(world, starts_on=TODAY - dt.timedelta(days=200), ends_on=TODAY - dt.timedelta(days=30))
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.HOME_TO_ASSESS and resident.protocol is None
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert not ended.is_in_force(TODAY)


def test_a_protocol_ended_between_the_assessment_and_the_move_does_not_cover_it(world, assessed):
    case, _ = assessed
    protocol = agree(world)
    protocols.end_protocol(actor=world.manager, protocol_id=protocol.pk, ends_on=TODAY - dt.timedelta(days=1))
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.HOME_TO_ASSESS


def test_a_protocol_with_another_organisation_does_not_cover_the_trusts_assessor(world, assessed):
    case, _ = assessed
    elsewhere = OrganisationFactory(name="Elsewhere NHS Trust", kind=OrganisationKind.NHS_TRUST)
    agree(world, assessor_organisation_id=elsewhere.pk)
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.HOME_TO_ASSESS


def test_an_assessment_the_home_already_declined_is_not_accepted_by_the_protocol(world, assessed):
    case, assessment = assessed
    agree(world)
    care.decide_assessment(actor=world.manager, assessment_id=assessment.pk, accept=False, note="No hoist")
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    assert resident.pre_admission == PreAdmission.HOME_TO_ASSESS and resident.trusted_assessment is None
    assert TrustedAssessment.objects.get(pk=assessment.pk).status == "declined"


def test_overlapping_protocols_and_bad_dates_are_refused_naming_the_field(world):
    agree(world)
    with pytest.raises(ValidationFailed) as error:
        agree(world, starts_on=TODAY)
    assert "starts_on" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        agree(world, assessor_organisation_id=world.practice.pk, ends_on=TODAY - dt.timedelta(days=100))
    assert "ends_on" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        agree(world, assessor_organisation_id=world.provider.pk)
    assert "assessor_organisation_id" in error.value.errors


def test_another_provider_cannot_record_or_end_the_homes_protocol(world):
    protocol = agree(world)
    with pytest.raises(NotFound):
        protocols.agree_protocol(
            actor=world.stranger,
            home_id=world.home.pk,
            assessor_organisation_id=world.trust.pk,
            starts_on=TODAY,
        )
    with pytest.raises(NotFound):
        protocols.end_protocol(actor=world.stranger, protocol_id=protocol.pk, ends_on=TODAY)


def test_an_admission_from_a_case_about_someone_else_is_refused(world, assessed):
    case, _ = assessed
    other = world.another_person(given_name="Ivy", family_name="Hart")
    with pytest.raises(ValidationFailed) as error:
        world.admit(person=other, admitted_on=TODAY, discharge_case_id=case.pk)
    assert "discharge_case_id" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        world.admit(admitted_on=TODAY, discharge_case_id=case.pk + 999)
    assert "discharge_case_id" in error.value.errors


def test_the_home_page_records_and_ends_a_protocol_and_the_resident_page_shows_the_acceptance(
    world, assessed
):
    case, _ = assessed
    client = client_for(world.manager)
    response = client.post(
        f"/carehomes/homes/{world.home.pk}/protocols/new/",
        {"assessor_organisation": world.trust.pk, "starts_on": f"{TODAY - dt.timedelta(days=30):%d/%m/%Y}"},
    )
    assert response.status_code == 302
    body = client.get(f"/carehomes/homes/{world.home.pk}/").content.decode()
    assert "Anytown Hospitals NHS Trust" in body and "In force" in body
    # The admission page offers the case; moving in from it accepts the trusted assessment.
    admit_page = client.get(f"/carehomes/admit/{world.person.pk}/").content.decode()
    assert case.reference in admit_page
    response = client.post(
        f"/carehomes/admit/{world.person.pk}/",
        {
            "home": world.home.pk,
            "admitted_on": f"{TODAY:%d/%m/%Y}",
            "funding": "self_funded",
            "discharge_case": case.pk,
        },
    )
    assert response.status_code == 302
    resident = world.home.residents.get()
    body = client.get(f"/carehomes/residents/{resident.pk}/").content.decode()
    assert "Trusted assessment accepted" in body and "no re-assessment" in body
    protocol = world.home.protocols.get()
    response = client.post(f"/carehomes/protocols/{protocol.pk}/end/", {"ends_on": f"{TODAY:%d/%m/%Y}"})
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.ends_on == TODAY


def test_a_bad_protocol_re_renders_naming_the_field_and_writes_nothing(world):
    client = client_for(world.manager)
    response = client.post(
        f"/carehomes/homes/{world.home.pk}/protocols/new/",
        {"assessor_organisation": world.trust.pk, "starts_on": "01/06/2026", "ends_on": "01/01/2026"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "nhsuk-error-summary" in body
    assert "End date cannot be before the start date" in body and "01/01/2026" in body
    assert not world.home.protocols.exists()
    assert (
        client_for(world.stranger).get(f"/carehomes/homes/{world.home.pk}/protocols/new/").status_code == 404
    )


def test_the_resident_page_asks_for_the_homes_assessment_without_a_protocol(world, assessed):
    case, _ = assessed
    resident = world.admit(admitted_on=TODAY, discharge_case_id=case.pk)
    client = client_for(world.manager)
    body = client.get(f"/carehomes/residents/{resident.pk}/").content.decode()
    assert "The home&#x27;s own assessment is needed" in body or "The home's own assessment is needed" in body
    response = client.post(
        f"/carehomes/residents/{resident.pk}/assessment/", {"assessed_on": f"{TODAY:%d/%m/%Y}"}
    )
    assert response.status_code == 302
    assert "Assessed by the home" in client.get(f"/carehomes/residents/{resident.pk}/").content.decode()


def test_a_protocol_ends_once_and_not_before_it_started_naming_the_field(world):
    protocol = agree(world)
    with pytest.raises(ValidationFailed) as error:
        protocols.end_protocol(
            actor=world.manager, protocol_id=protocol.pk, ends_on=protocol.starts_on - dt.timedelta(days=1)
        )
    assert "before the start date" in error.value.errors["ends_on"]
    protocols.end_protocol(actor=world.manager, protocol_id=protocol.pk, ends_on=TODAY)
    client = client_for(world.manager)
    response = client.post(
        f"/carehomes/protocols/{protocol.pk}/end/", {"ends_on": f"{TODAY + dt.timedelta(days=9):%d/%m/%Y}"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "nhsuk-error-summary" in body and "already ends" in body
    protocol.refresh_from_db()
    assert protocol.ends_on == TODAY
