"""A district council holding adaptations cases, the county's OT service under an agreement, and a home
improvement agency without one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from homeward.adaptations import services
from homeward.adaptations.models import AdaptationCase
from homeward.core.models import Organisation, OrganisationKind, Person
from homeward.core.roles import Role
from homeward.governance.access import Actor
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

#: A fixed history: enquiry on Monday 5 January 2026, each stage a few weeks later.
ENQUIRY = dt.date(2026, 1, 5)
STEPS = {
    "assessment": dt.date(2026, 1, 12),
    "application": dt.date(2026, 2, 2),
    "approval": dt.date(2026, 3, 2),
    "works": dt.date(2026, 4, 1),
    "sign_off": dt.date(2026, 5, 15),
    "closed": dt.date(2026, 6, 1),
}
VALID_ON = dt.date(2026, 3, 9)
ORDER = list(STEPS)


@dataclass
class World:
    district: Organisation
    county: Organisation
    agency: Organisation
    officer: Actor
    ot: Actor
    stranger: Actor
    applicant: Person

    def open(self, **overrides) -> AdaptationCase:
        fields = {
            "person_id": self.applicant.pk,
            "source": "ot",
            "tenure": "owner_occupier",
            "needs": "Level-access shower; cannot step into the bath",
            "enquiry_received_on": ENQUIRY,
        } | overrides
        return services.open_case(actor=self.officer, **fields)

    def walk(self, case: AdaptationCase, to: str) -> AdaptationCase:
        """Move a case forward through each stage up to `to`, with the fixed dates above."""
        for status in ORDER[: ORDER.index(to) + 1]:
            extra = {}
            if status == "works":
                extra["application_valid_on"] = VALID_ON
            if status == "closed":
                extra["inspection_passed_on"] = dt.date(2026, 5, 20)
            case = services.move_case(
                actor=self.officer, case_id=case.pk, to_status=status, on=STEPS[status], **extra
            )
        return case


@pytest.fixture
def world(db) -> World:
    district = OrganisationFactory(name="Anytown District Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    county = OrganisationFactory(name="Shire County Council", kind=OrganisationKind.LOCAL_AUTHORITY)
    agency = OrganisationFactory(name="Anytown Care and Repair", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[district, county], title="Adaptations: district and county OT service")
    return World(
        district=district,
        county=county,
        agency=agency,
        officer=make_actor(Role.CASEWORKER, district),
        ot=make_actor(Role.CASEWORKER, county),
        stranger=make_actor(Role.CASEWORKER, agency),
        applicant=PersonFactory(organisation=district, address_line_1="4 Mill Lane", town="Anytown"),
    )
