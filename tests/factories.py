"""factory_boy factories shared by all areas. NHS numbers come from the 999 test range."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.utils import timezone
from nhs_number import calculate_checksum

from homeward.core.models import Membership, Organisation, OrganisationKind, Person, Team, User
from homeward.core.roles import Role
from homeward.governance.access import Actor
from homeward.governance.models import AgreementStatus, DataSharingAgreement, LawfulBasis, Participation

PASSWORD = "correct horse battery staple"


_ISSUED: set[str] = set()


def test_nhs_number(rng: random.Random | None = None) -> str:
    """A valid NHS number in the 999 range reserved for test data, never the same one twice in a run.

    NHS numbers are unique within an organisation, so two factory people drawing the same one of the million
    test numbers would fail a test by chance (it happened: a birthday collision in a 60-person history).
    """
    rng = rng or random.Random()
    while True:
        body = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = calculate_checksum(body)
        if check != 10 and body + str(check) not in _ISSUED:
            _ISSUED.add(body + str(check))
            return body + str(check)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.HOUSING_PROVIDER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    nhs_number = factory.LazyFunction(test_nhs_number)
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=95)
    postcode = "M1 1AA"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSharingAgreement
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"DSA-{n:04d}")
    title = "Hospital to Home information sharing"
    purpose = "Plan safe discharge home for patients with housing needs"
    lawful_basis = LawfulBasis.PUBLIC_TASK
    article9_condition = "9.2.h"
    data_categories = ["identifiers", "health", "housing"]
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    status = AgreementStatus.ACTIVE

    @factory.post_generation
    def parties(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.parties.set(extracted)


def make_actor(role: str = Role.CASEWORKER, organisation: Organisation | None = None, **user_fields) -> Actor:
    membership = MembershipFactory(
        role=role, organisation=organisation or OrganisationFactory(), user=UserFactory(**user_fields)
    )
    return Actor(user=membership.user, membership=membership)


def share_case(
    person: Person, organisation: Organisation, case_type: str = "test.case", case_id: int | None = None
) -> Participation:
    return Participation.objects.create(
        person=person,
        owner=person.organisation,
        organisation=organisation,
        case_type=case_type,
        case_id=case_id,
        started_at=timezone.now(),
    )
