"""Hospital fast track: a blocker awaiting equipment or adaptations opens an urgent, linked adaptations
case; the hospital case shows it on the blocker; completing the works resolves the blocker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations import services
from homeward.adaptations.fast_track import open_fast_track
from homeward.adaptations.models import AdaptationCase
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Hospital, OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import services as discharge
from homeward.discharge.models import Blocker
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    today = timezone.localdate()
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, housing])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    clinician, officer = make_actor(Role.CLINICIAN, trust), make_actor(Role.CASEWORKER, housing)
    patient = PersonFactory(organisation=trust, address_line_1="9 Canal Street", town="Northgate")
    case = discharge.refer_patient(
        actor=clinician,
        person_id=patient.pk,
        housing_organisation_id=housing.pk,
        hospital_id=hospital.pk,
        admitted_on=today - dt.timedelta(days=12),
        discharge_ready_on=today - dt.timedelta(days=3),
        referral_reason="Cannot manage the stairs at home",
    )
    blocker = discharge.raise_blocker(
        actor=officer, case_id=case.pk, category="equipment", description="Stair-lift", due_on=today
    )
    return {"case": case, "blocker": blocker, "officer": officer, "clinician": clinician, "trust": trust}


def test_a_blocker_opens_an_urgent_linked_case_and_the_works_resolve_it(client, ward):
    officer, blocker = ward["officer"], ward["blocker"]
    case = open_fast_track(actor=officer, blocker_id=blocker.pk, tenure="council_tenant", needs="Stair-lift")
    assert case.priority == "urgent" and case.source == "h2h_blocker"
    assert case.discharge_blocker_id == blocker.pk
    assert "discharge-ready since" in case.priority_reason
    assert ward["case"].events.filter(title__startswith="Fast-track adaptations case").exists()
    client.force_login(officer.user)
    page = client.get(f"/discharge/cases/{ward['case'].pk}/").content.decode()
    assert f"Adaptations {case.reference}" in page and "Stage 0: enquiry to first contact" in page
    today = timezone.localdate()
    for status in ("assessment", "application", "approval"):
        services.move_case(actor=officer, case_id=case.pk, to_status=status, on=today)
    services.move_case(
        actor=officer, case_id=case.pk, to_status="works", on=today, application_valid_on=today
    )
    assert "works due by" in client.get(f"/discharge/cases/{ward['case'].pk}/").content.decode()
    services.move_case(actor=officer, case_id=case.pk, to_status="sign_off", on=today)
    blocker.refresh_from_db()
    assert blocker.resolved_on == today
    assert case.reference in blocker.resolution
    assert AdaptationCase.objects.get().events.filter(title="Hospital to Home blocker resolved").exists()


def test_the_fast_track_page_opens_from_the_blocker_and_keeps_input_on_error(client, ward):
    client.force_login(ward["officer"].user)
    page = client.get(f"/discharge/cases/{ward['case'].pk}/").content.decode()
    assert f'href="/adaptations/fast-track/{ward["blocker"].pk}/"' in page
    bad = client.post(f"/adaptations/fast-track/{ward['blocker'].pk}/", {"tenure": "tent", "needs": "Ramp"})
    assert bad.status_code == 400 and "Ramp" in bad.content.decode()
    ok = client.post(
        f"/adaptations/fast-track/{ward['blocker'].pk}/", {"tenure": "owner_occupier", "needs": "Ramp"}
    )
    assert ok.status_code == 302
    again = client.post(
        f"/adaptations/fast-track/{ward['blocker'].pk}/", {"tenure": "owner_occupier", "needs": "Ramp"}
    )
    assert "already has an open fast-track" in again.content.decode()


def test_only_an_equipment_blocker_opens_one(ward):
    other = discharge.raise_blocker(
        actor=ward["officer"],
        case_id=ward["case"].pk,
        category="care_package",
        description="Carers",
        due_on=timezone.localdate(),
    )
    with pytest.raises(ValidationFailed) as caught:
        open_fast_track(actor=ward["officer"], blocker_id=other.pk, tenure="council_tenant", needs="x")
    assert "equipment or adaptations" in caught.value.errors["blocker"]
    assert not AdaptationCase.objects.exists()


def test_someone_who_cannot_see_the_hospital_case_gets_not_found(ward):
    with pytest.raises(NotFound):
        open_fast_track(
            actor=make_actor(Role.CASEWORKER),
            blocker_id=ward["blocker"].pk,
            tenure="council_tenant",
            needs="x",
        )
    assert Blocker.objects.get().resolved_on is None
