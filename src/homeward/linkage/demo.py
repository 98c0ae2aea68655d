"""Demo data for person linkage: Riverside Homes keeps its own tenant records, which for some of the
trust's patients are the same people written differently (a nickname, a typo, a married name, an old
address, no NHS number). A linkage agreement lets the two match them; the first run links most, leaves
a review queue, and raises tenant-in-hospital alerts for the housing team."""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.utils import timezone

from homeward.core.models import Organisation, Person, Tenancy
from homeward.discharge.models import DischargeCase
from homeward.governance.models import (
    AgreementStatus,
    Article9Condition,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    LinkageField,
    SharingPurpose,
)
from homeward.linkage.models import LinkageRun, LinkageSettings
from homeward.linkage.runs import link_agreement
from homeward.linkage.services import IN_HOSPITAL

NICKNAMES = {
    "William": "Bill", "Robert": "Bob", "Margaret": "Peggy", "Elizabeth": "Liz", "James": "Jim",
    "Thomas": "Tom", "Richard": "Dick", "Katherine": "Kate", "Susan": "Sue", "Patricia": "Pat",
    "Jennifer": "Jen", "Michael": "Mike", "Joseph": "Joe", "Daniel": "Dan", "Christopher": "Chris",
    "Anthony": "Tony", "Edward": "Ted", "Deborah": "Debbie", "Rebecca": "Becky", "Samuel": "Sam",
}  # fmt: skip

LINKAGE_FIELDS = [
    LinkageField.GIVEN_NAME,
    LinkageField.FAMILY_NAME,
    LinkageField.DATE_OF_BIRTH,
    LinkageField.POSTCODE,
    LinkageField.ADDRESS_LINE,
    LinkageField.UPRN,
    LinkageField.NHS_NUMBER,
    LinkageField.PHONE,
    LinkageField.EMAIL,
]


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _landlord_copy(person: Person, housing: Organisation, rng: random.Random, *, hard: bool) -> Person:
    """The housing provider's own record of the same person, written as a housing file would be."""
    given = NICKNAMES.get(person.given_name, person.given_name) if rng.random() < 0.3 else person.given_name
    family = _typo(person.family_name, rng) if rng.random() < (0.5 if hard else 0.1) else person.family_name
    born = person.date_of_birth
    if hard and rng.random() < 0.4 and born.day <= 12 and born.day != born.month:
        born = born.replace(day=born.month, month=born.day)  # day and month swapped
    keep_home = not hard or rng.random() < 0.5
    return Person(
        organisation=housing,
        nhs_number="",  # housing rarely holds one
        given_name=given,
        family_name=family,
        date_of_birth=born,
        address_line_1=person.address_line_1 if keep_home else f"{rng.randint(1, 90)} Canal Street",
        address_line_2=person.address_line_2 if keep_home else "",
        town=person.town,
        postcode=person.postcode if keep_home else "",
        uprn=person.uprn if keep_home else "",
        phone=person.phone if rng.random() < 0.5 else "",
        email="" if hard else person.email,
    )


SURNAMES = ["Ahmed", "Brennan", "Clarke", "Doyle", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones"]


def _unsure_copy(person: Person, housing: Organisation, rng: random.Random) -> Person:
    """A record the model cannot be sure of: a new family name (marriage), a new home, no phone or email;
    or a relative at the same home (same family name, another first name, a birthday a year away)."""
    if rng.random() < 0.7:
        return Person(
            organisation=housing,
            given_name=person.given_name,
            family_name=rng.choice(SURNAMES),
            date_of_birth=person.date_of_birth,
            address_line_1=f"{rng.randint(1, 60)} Mill Lane",
            town=person.town,
            postcode=person.postcode[:-3] + f"{rng.randint(1, 9)}XY" if len(person.postcode) > 4 else "",
        )
    born = person.date_of_birth
    return Person(
        organisation=housing,
        given_name=rng.choice(["Alex", "Sam", "Jo", "Chris"]),
        family_name=person.family_name,
        date_of_birth=born.replace(year=born.year + 1) if not (born.month == 2 and born.day == 29) else born,
        address_line_1=person.address_line_1,
        address_line_2=person.address_line_2,
        town=person.town,
        postcode=person.postcode,
        uprn=person.uprn,
    )


def seed_linkage(*, trust: Organisation, housing: Organisation, rng: random.Random) -> LinkageRun:
    """The linkage agreement, the landlord's own tenant records, and a first run."""
    agreement = DataSharingAgreement.objects.create(
        reference="DSA-R9N-RH-LINK-01",
        title="Person linkage: Northgate trust patients and Riverside Homes tenants",
        purpose=(
            "Know when a patient is a Riverside Homes tenant, without an NHS number on the housing side, so "
            "the housing team can start before the discharge-ready date."
        ),
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
        data_categories=[DataCategory.IDENTIFIERS, DataCategory.HOUSING],
        purposes=[
            SharingPurpose.LINKAGE,
            SharingPurpose.TENANT_IN_HOSPITAL,
            SharingPurpose.LINKED_PARTIES,
        ],
        linkage_fields=list(LINKAGE_FIELDS),
        start_date=dt.date(2026, 4, 1),
        status=AgreementStatus.ACTIVE,
    )
    agreement.parties.set([trust, housing])
    patients = list(Person.objects.filter(organisation=trust).order_by("pk"))
    in_hospital = set(
        DischargeCase.objects.filter(organisation=trust, status__in=IN_HOSPITAL).values_list(
            "person_id", flat=True
        )
    )
    with_home = {t.person_id: t for t in Tenancy.objects.filter(person__organisation=trust)}
    # Riverside's own files for its tenants the trust treats: easy ones (the same home) and hard ones.
    easy = [p for p in patients if p.pk in with_home]
    others = [p for p in patients if p.pk not in with_home]
    chosen = rng.sample(others, min(len(others), 80))
    hard, unsure = chosen[:40], chosen[40:]
    copies = [_landlord_copy(p, housing, rng, hard=False) for p in easy]
    copies += [_landlord_copy(p, housing, rng, hard=True) for p in hard]
    copies += [_unsure_copy(p, housing, rng) for p in unsure]
    created = Person.objects.bulk_create(copies)
    tenancies = [
        Tenancy(
            property=with_home[p.pk].property,
            person=copy,
            reference=f"{with_home[p.pk].reference}-H"[:40],
            tenure=with_home[p.pk].tenure,
            start_date=with_home[p.pk].start_date,
        )
        for p, copy in zip(easy, created, strict=False)
        if p.pk in in_hospital or rng.random() < 0.5
    ]
    Tenancy.objects.bulk_create(tenancies)
    # Riverside asks for near-certainty before a link is made without a person looking at it.
    LinkageSettings.objects.create(agreement=agreement, upper=0.999, lower=0.5, updated_at=timezone.now())
    logging.getLogger("splink").setLevel(logging.ERROR)  # its training notes are for analysts, not the demo
    return link_agreement(agreement_id=agreement.pk, actor=None)
