"""A trust and a landlord that each hold their own records of many of the same people."""

from __future__ import annotations

import datetime as dt
import random

import factory.random
import pytest
from django.utils import timezone

from homeward.core.models import Hospital, OrganisationKind, Property, Tenancy
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from homeward.governance.access import Actor
from homeward.linkage.demo import _landlord_copy, _unsure_copy
from homeward.linkage.models import LinkageSettings
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, PersonFactory

FIELDS = ["given_name", "family_name", "date_of_birth", "postcode", "address_line", "nhs_number"]
STREETS = ["Oak Road", "Mill Lane", "Church Street", "Park Avenue", "Station Road", "High Street"]


def actor(organisation, role=Role.TEAM_LEAD):
    membership = MembershipFactory(organisation=organisation, role=role)
    return Actor(membership.user, membership)


@pytest.fixture
def linked_world(db):
    return make_linked_world()


def make_linked_world() -> dict:
    """160 trust patients; the landlord's own files for 120 of them (90 easy or hard, 30 unsure); three of
    the patients in hospital, ten of the files with a tenancy."""
    rng = random.Random(7)
    factory.random.reseed_random(7)  # the same names and dates of birth every run, on every database
    trust = OrganisationFactory(name="Linkage Trust", kind=OrganisationKind.NHS_TRUST)
    landlord = OrganisationFactory(name="Linkage Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    agreement = AgreementFactory(
        parties=[trust, landlord],
        purposes=["linkage", "tenant_in_hospital", "linked_parties"],
        linkage_fields=FIELDS,
        data_categories=["identifiers", "housing"],
    )
    LinkageSettings.objects.create(agreement=agreement, upper=0.999, lower=0.5, updated_at=timezone.now())
    patients = []
    for n in range(160):
        patients.append(
            PersonFactory(
                organisation=trust,
                address_line_1=f"{n + 1} {STREETS[n % len(STREETS)]}",
                town="Northgate",
                postcode=f"M{1 + n % 30} {1 + n % 9}{'ABDEFGHJ'[n % 8]}{'LNPQRSTU'[n // 8 % 8]}",
                phone=f"07700 900{n:03d}",
            )
        )
    copies = [_landlord_copy(p, landlord, rng, hard=n % 3 == 0) for n, p in enumerate(patients[:90])]
    copies += [_unsure_copy(p, landlord, rng) for p in patients[90:120]]
    for copy in copies:
        copy.save()
    home = Property.objects.create(
        organisation=landlord, reference="P1", town="Northgate", postcode="M1 1AA", property_type="flat"
    )
    for copy in copies[:10]:
        Tenancy.objects.create(
            property=home,
            person=copy,
            reference=f"T{copy.pk}",
            tenure="assured",
            start_date=dt.date(2020, 1, 1),
        )
    hospital = Hospital.objects.create(organisation=trust, name="Linkage General")
    ward_actor = actor(trust, Role.CLINICIAN)
    for patient in patients[:3]:
        DischargeCase.objects.create(
            person=patient,
            organisation=trust,
            housing_organisation=landlord,
            referred_by=ward_actor.user,
            hospital=hospital,
            referral_reason="Stairs at home",
            admitted_on=timezone.localdate() - dt.timedelta(days=2),
            referred_at=timezone.now(),
            status="active",
        )
    return {
        "trust": trust,
        "landlord": landlord,
        "agreement": agreement,
        "patients": patients,
        "copies": copies,
        "trust_lead": actor(trust),
        "landlord_lead": actor(landlord),
        "landlord_officer": actor(landlord, Role.CASEWORKER),
    }
