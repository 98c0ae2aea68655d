"""A housing provider running a 24/7 hostel, the council's homelessness team under an agreement, and a
probation service without one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from homeward.core.models import Organisation, OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.access import Actor
from homeward.housing import schemes, services
from homeward.housing.models import Placement, Scheme, Unit
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

TODAY = timezone.localdate()
REFERRED = TODAY - dt.timedelta(days=60)
ARRIVED = TODAY - dt.timedelta(days=50)


@dataclass
class World:
    provider: Organisation
    council: Organisation
    probation: Organisation
    worker: Actor
    officer: Actor
    probation_officer: Actor
    resident: Person
    scheme: Scheme
    rooms: list[Unit]

    def refer(self, person: Person | None = None, **overrides) -> Placement:
        fields = {
            "person_id": (person or self.resident).pk,
            "scheme_id": self.scheme.pk,
            "source": "homelessness_team",
            "needs": "Sleeping rough for three months; wants help with drinking",
            "referred_on": REFERRED,
        } | overrides
        return services.refer(actor=self.worker, **fields)

    def house(
        self, person: Person | None = None, unit: Unit | None = None, on: dt.date = ARRIVED
    ) -> Placement:
        """Refer, check, offer, accept and arrive, with fixed dates."""
        placement = self.refer(person)
        pk = placement.pk
        services.assess(
            actor=self.worker,
            placement_id=pk,
            eligible=True,
            on=REFERRED,
            risk_level="medium",
            risk_summary="Alcohol; no violence on record",
        )
        services.offer(actor=self.worker, placement_id=pk, unit_id=(unit or self.rooms[0]).pk, on=on)
        services.answer_offer(actor=self.worker, placement_id=pk, accepted=True, on=on)
        return services.arrive(
            actor=self.worker, placement_id=pk, on=on, occupation="licence", key_worker_id=self.worker.user.pk
        )


@pytest.fixture
def world(db) -> World:
    provider = OrganisationFactory(name="Harbour Housing", kind=OrganisationKind.HOUSING_PROVIDER)
    council = OrganisationFactory(name="Anytown Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    probation = OrganisationFactory(name="Probation Service", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[provider, council], title="Homelessness placements")
    worker = make_actor(Role.CASEWORKER, provider, first_name="Sam", last_name="Key")
    scheme = schemes.create_scheme(
        actor=worker,
        name="Harbour House",
        scheme_type="hostel",
        staffing="24_7",
        contracted_units=3,
        commissioner_id=council.pk,
    )
    rooms = [
        schemes.add_unit(
            actor=worker, scheme_id=scheme.pk, name=f"Room {n}", in_use_from=TODAY - dt.timedelta(days=365)
        )
        for n in (1, 2, 3)
    ]
    return World(
        provider=provider,
        council=council,
        probation=probation,
        worker=worker,
        officer=make_actor(Role.CASEWORKER, council),
        probation_officer=make_actor(Role.CASEWORKER, probation),
        resident=PersonFactory(organisation=provider, address_line_1="4 Quay Street", town="Anytown"),
        scheme=scheme,
        rooms=rooms,
    )
