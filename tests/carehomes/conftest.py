"""A care provider running a nursing home, the residents' GP practice and a hospital trust under agreements,
and a second care provider with no agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from homeward.carehomes import services
from homeward.carehomes.models import CareHome, Resident, Room
from homeward.core.models import Organisation, OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.access import Actor
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

MOVED_IN = dt.date(2026, 1, 5)


@dataclass
class World:
    provider: Organisation
    practice: Organisation
    trust: Organisation
    other: Organisation
    manager: Actor
    gp: Actor
    doctor: Actor
    stranger: Actor
    home: CareHome
    rooms: list[Room]
    person: Person

    def admit(self, person: Person | None = None, **overrides) -> Resident:
        fields = {
            "home_id": self.home.pk,
            "person_id": (person or self.person).pk,
            "admitted_on": MOVED_IN,
            "funding": "local_authority",
            "room_id": self.rooms[0].pk,
            "gp_practice_id": self.practice.pk,
            "next_of_kin": "Jo Smith (daughter)",
            "contact_preferences": "Phone Jo first, any time",
        } | overrides
        return services.admit_resident(actor=self.manager, **fields)

    def another_person(self, **fields) -> Person:
        return PersonFactory(organisation=self.provider, **fields)


def hours_ago(hours: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def world(db) -> World:
    provider = OrganisationFactory(name="Willow Care Group", kind=OrganisationKind.CARE_PROVIDER)
    practice = OrganisationFactory(name="Hillside Surgery", kind=OrganisationKind.GP_PRACTICE)
    trust = OrganisationFactory(name="Anytown Hospitals NHS Trust", kind=OrganisationKind.NHS_TRUST)
    other = OrganisationFactory(name="Other Care Ltd", kind=OrganisationKind.CARE_PROVIDER)
    AgreementFactory(parties=[provider, practice], title="Care home residents: GP practice")
    AgreementFactory(parties=[provider, trust], title="Care home residents: hospital")
    manager = make_actor(Role.CASEWORKER, provider)
    home = services.create_home(actor=manager, name="Willow House", kind="nursing")
    rooms = [services.add_room(actor=manager, home_id=home.pk, name=str(n)) for n in (1, 2, 3)]
    return World(
        provider=provider,
        practice=practice,
        trust=trust,
        other=other,
        manager=manager,
        gp=make_actor(Role.CLINICIAN, practice),
        doctor=make_actor(Role.CLINICIAN, trust),
        stranger=make_actor(Role.CASEWORKER, other),
        home=home,
        rooms=rooms,
        person=PersonFactory(organisation=provider, given_name="Edith", family_name="Marsh"),
    )
