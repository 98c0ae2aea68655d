"""An acute trust that refers, a housing provider running a reablement unit of four beds under an agreement
with the trust, and a GP practice with no agreement with either."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from homeward.core.models import Organisation, OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.access import Actor
from homeward.reablement import beds, services
from homeward.reablement.models import Referral, Stay, Unit
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor


def days_ago(days: float, hour: int = 10) -> dt.datetime:
    """A moment `days` days before today at `hour`:00 local time."""
    day = timezone.localdate() - dt.timedelta(days=int(days))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class World:
    trust: Organisation
    provider: Organisation
    practice: Organisation
    clinician: Actor
    unit_worker: Actor
    stranger: Actor
    patient: Person
    unit: Unit

    def bed(self, label: str):
        return self.unit.beds.get(label=label)

    def refer(self, **overrides) -> Referral:
        fields = {
            "person_id": self.patient.pk,
            "unit_id": self.unit.pk,
            "source": "acute_ward",
            "reason": "Medically fit after a fall; not yet safe on the stairs at home",
            "goals": "Walk to the shop and manage the stairs",
        } | overrides
        return services.refer(actor=self.clinician, **fields)

    def admitted(
        self, bed: str = "1", *, referred_days_ago: float = 10, admitted_days_ago: float = 9
    ) -> Stay:
        referral = self.refer(referred_at=days_ago(referred_days_ago, 9))
        services.decide_referral(actor=self.unit_worker, referral_id=referral.pk, decision="accepted")
        return services.admit(
            actor=self.unit_worker,
            referral_id=referral.pk,
            bed_id=self.bed(bed).pk,
            admitted_at=days_ago(admitted_days_ago, 14),
        )

    def another_patient(self) -> Person:
        return PersonFactory(organisation=self.trust)


@pytest.fixture
def world(db) -> World:
    trust = OrganisationFactory(name="Anytown Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    provider = OrganisationFactory(name="Riverside Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    practice = OrganisationFactory(name="Mill Lane Surgery", kind=OrganisationKind.GP_PRACTICE)
    AgreementFactory(parties=[trust, provider], title="Reablement: trust and Riverside")
    admin = make_actor(Role.ADMIN, provider)
    unit = beds.create_unit(
        actor=admin,
        name="Willow Court",
        address="Former Ward 7, Anytown General",
        commissioned_beds=4,
        staffing_model="care_24_7",
        bed_labels=["1", "2", "3", "4"],
        commissioner_id=trust.pk,
    )
    return World(
        trust=trust,
        provider=provider,
        practice=practice,
        clinician=make_actor(Role.CLINICIAN, trust),
        unit_worker=make_actor(Role.CASEWORKER, provider),
        stranger=make_actor(Role.CASEWORKER, practice),
        patient=PersonFactory(organisation=trust, given_name="Alice", family_name="Brown"),
        unit=unit,
    )
