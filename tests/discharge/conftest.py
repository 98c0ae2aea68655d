"""A trust with a hospital and ward, a housing provider with an agreement, and staff on both sides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from homeward.core.models import Hospital, Organisation, OrganisationKind, Person, Ward
from homeward.core.roles import Role
from homeward.discharge import services
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor


@dataclass
class World:
    trust: Organisation
    housing: Organisation
    hospital: Hospital
    ward: Ward
    clinician: Actor
    officer: Actor
    patient: Person

    def refer(self, **overrides) -> DischargeCase:
        today = timezone.localdate()
        fields = {
            "person_id": self.patient.pk,
            "housing_organisation_id": self.housing.pk,
            "hospital_id": self.hospital.pk,
            "ward_id": self.ward.pk,
            "admitted_on": today - dt.timedelta(days=10),
            "referral_reason": "Lives alone up two flights of stairs; cannot manage them after a fall",
        } | overrides
        return services.refer_patient(actor=self.clinician, **fields)


@pytest.fixture
def world(db) -> World:
    trust = OrganisationFactory(name="Northgate Trust", kind=OrganisationKind.NHS_TRUST)
    housing = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    AgreementFactory(parties=[trust, housing])
    hospital = Hospital.objects.create(organisation=trust, name="Northgate General")
    ward = Ward.objects.create(hospital=hospital, name="Ward 7", beds=28)
    return World(
        trust=trust,
        housing=housing,
        hospital=hospital,
        ward=ward,
        clinician=make_actor(Role.CLINICIAN, trust),
        officer=make_actor(Role.CASEWORKER, housing),
        patient=PersonFactory(organisation=trust),
    )
