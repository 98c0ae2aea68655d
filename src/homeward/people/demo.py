"""Demo organisations, staff, homes and people (Faker en_GB): a Greater-Manchester-like patch.

NHS numbers come from the 999 range reserved for test data; phone numbers from Ofcom's drama ranges
(0161 496 0xxx, 07700 900xxx); email addresses use example.org (RFC 2606). Deterministic for a given
random generator: the demo package (`homeward.demo`) calls these in a fixed order with one generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from faker import Faker
from nhs_number import calculate_checksum

from homeward.core.models import (
    ContactPreference,
    Hospital,
    Membership,
    Organisation,
    Person,
    Property,
    PropertyType,
    Team,
    Tenancy,
    Tenure,
    User,
    Ward,
)
from homeward.core.validators import validate_postcode

# Postcode areas and towns of a Greater-Manchester-like patch: (area, districts, town).
POSTCODE_AREAS = [
    ("M", range(8, 41), "Manchester"),
    ("OL", range(1, 12), "Oldham"),
    ("SK", range(1, 8), "Stockport"),
    ("BL", range(1, 9), "Bolton"),
    ("WN", range(1, 7), "Wigan"),
]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters allowed in the inward code (no C, I, K, M, O, V)
STREET_SUFFIXES = ["Street", "Road", "Avenue", "Close", "Lane", "Grove", "Terrace", "Drive", "Way", "Court"]
LANGUAGES = ["Polish", "Urdu", "Punjabi", "Arabic", "Bengali", "Somali", "Romanian", "Cantonese", "Kurdish"]
ACCESS_NEEDS = [
    "Uses a wheelchair indoors and out",
    "Large print letters, please",
    "Hard of hearing: face the person and speak clearly",
    "Needs a British Sign Language (BSL) interpreter",
    "Registered blind: phone, do not write",
    "Learning disability: easy-read information and extra time",
    "Uses a walking frame; cannot manage stairs",
]


def demo_nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """Distinct valid NHS numbers from the 999 test range (a check digit of 10 means: not issued)."""
    numbers: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        body = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = calculate_checksum(body)
        number = body + str(check)
        if check != 10 and number not in numbers:
            numbers.add(number)
            out.append(number)
    return out


def _postcode(rng: random.Random) -> tuple[str, str]:
    area, districts, town = rng.choice(POSTCODE_AREAS)
    inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    code = f"{area}{rng.choice(districts)} {inward}"
    validate_postcode(code)
    return code, town


def _street(fake: Faker, rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {fake.last_name()} {rng.choice(STREET_SUFFIXES)}"


def seed_organisations(
    organisations: Sequence[tuple[str, str, str, list[str]]],
    hospitals: Sequence[tuple[str, str, list[tuple[str, str, int]]]],
    hospital_trust: str,
) -> dict[str, Organisation]:
    """Organisations (name, kind, ODS-like code, teams) and the trust's hospitals with their wards."""
    orgs = {}
    for name, kind, ods, teams in organisations:
        org = Organisation.objects.create(name=name, kind=kind, ods_code=ods)
        Team.objects.bulk_create([Team(organisation=org, name=team) for team in teams])
        orgs[name] = org
    for name, site, wards in hospitals:
        hospital = Hospital.objects.create(organisation=orgs[hospital_trust], name=name, site_code=site)
        Ward.objects.bulk_create(
            [Ward(hospital=hospital, name=w, kind=kind, beds=beds) for w, kind, beds in wards]
        )
    return orgs


def seed_staff(
    logins: Sequence[Any], orgs: dict[str, Organisation], *, password: str, superuser: str
) -> dict[str, Membership]:
    """Demo staff and their memberships (one per login row; a username may have several) and a Django
    superuser. Returns the first membership of each username."""
    first: dict[str, Membership] = {}
    users: dict[str, User] = {}
    for login in logins:
        user = users.get(login.username)
        if user is None:
            user = User.objects.create(
                username=login.username,
                first_name=login.first_name,
                last_name=login.last_name,
                email=f"{login.username}@example.org",
                job_title=login.job_title,
                password=make_password(password),
            )
            users[login.username] = user
        org = orgs[login.organisation]
        team = Team.objects.filter(organisation=org, name=login.team).first() if login.team else None
        membership = Membership.objects.create(user=user, organisation=org, team=team, role=login.role)
        first.setdefault(login.username, membership)
    User.objects.create(
        username=superuser,
        first_name="Demo",
        last_name="Superuser",
        email=f"{superuser}@example.org",
        is_staff=True,
        is_superuser=True,
        password=make_password(password),
    )
    return first


def seed_properties(housing: Organisation, count: int, fake: Faker, rng: random.Random) -> list[Property]:
    """A housing provider's homes: mostly flats, some houses and bungalows, a few adapted."""
    kinds = [PropertyType.FLAT] * 5 + [PropertyType.HOUSE] * 3 + [PropertyType.BUNGALOW] * 2
    kinds += [PropertyType.MAISONETTE, PropertyType.SUPPORTED]
    rows = []
    for i in range(count):
        postcode, town = _postcode(rng)
        kind = rng.choice(kinds)
        floor = rng.randint(0, 9) if kind in (PropertyType.FLAT, PropertyType.MAISONETTE) else 0
        adaptations = rng.sample(["grab rails", "level-access shower", "stairlift", "ramp", "key safe"], 2)
        rows.append(
            Property(
                organisation=housing,
                reference=f"RH-{100001 + i}",
                uprn=f"1000{rng.randrange(10**8):08d}",
                address_line_1=_street(fake, rng) if floor == 0 else f"Flat {rng.randint(1, 60)}",
                address_line_2=f"{fake.last_name()} House" if floor else "",
                town=town,
                postcode=postcode,
                property_type=kind,
                bedrooms=rng.choice([1, 1, 2, 2, 3]),
                floor_level=floor,
                has_lift=floor > 2 and rng.random() < 0.7,
                adaptations=adaptations if rng.random() < 0.25 else [],
            )
        )
    return Property.objects.bulk_create(rows)


def make_person(org: Organisation, nhs: str, fake: Faker, rng: random.Random) -> Person:
    """One synthetic person held by `org` (not saved)."""
    female = rng.random() < 0.52
    given = fake.first_name_female() if female else fake.first_name_male()
    family = fake.last_name()
    # Mostly older adults: the people hospital discharge and tenancy sustainment work with.
    age = int(min(99, max(18, rng.gauss(68, 16))))
    dob = dt.date(2026 - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
    postcode, town = _postcode(rng)
    interpreter = rng.random() < 0.04
    return Person(
        organisation=org,
        nhs_number=nhs,
        given_name=given,
        family_name=family,
        preferred_name=rng.choice(["", "", "", "", given[:3]]) if len(given) > 4 else "",
        date_of_birth=dob,
        address_line_1=_street(fake, rng),
        town=town,
        postcode=postcode,
        phone=rng.choice([f"0161 496 0{rng.randrange(1000):03d}", f"07700 900{rng.randrange(1000):03d}"]),
        email=f"{given}.{family}{rng.randrange(100)}@example.org".lower().replace("'", ""),
        contact_preference=rng.choice(ContactPreference.values),
        preferred_language=rng.choice(LANGUAGES) if interpreter else "English",
        interpreter_required=interpreter,
        accessibility_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.08 else "",
    )


def seed_people(
    holders: Sequence[Organisation],
    count: int,
    fake: Faker,
    rng: random.Random,
    progress: Callable[[int], None] | None = None,
) -> list[Person]:
    """`count` people, each held by an organisation drawn from `holders` (repeat one to weight it)."""
    rows = []
    for i, nhs in enumerate(demo_nhs_numbers(rng, count)):
        rows.append(make_person(holders[rng.randrange(len(holders))], nhs, fake, rng))
        if progress is not None and i % 50 == 49:
            progress(i + 1)
    return Person.objects.bulk_create(rows)


def seed_tenancies(tenants: Sequence[Person], homes: Sequence[Property], rng: random.Random) -> list[Tenancy]:
    """A tenancy for each tenant in a home of their own (as many as there are homes); each tenant's address
    becomes the home's."""
    tenancies, moved = [], []
    for n, (person, home) in enumerate(zip(tenants, homes, strict=False)):
        tenancies.append(
            Tenancy(
                property=home,
                person=person,
                reference=f"T-{home.reference[3:]}-{n + 1:02d}"[:40],
                tenure=rng.choice([Tenure.ASSURED] * 6 + [Tenure.STARTER, Tenure.SECURE, Tenure.TEMPORARY]),
                start_date=dt.date(2026, 1, 1) - dt.timedelta(days=rng.randrange(30 * 365)),
            )
        )
        person.address_line_1, person.address_line_2 = home.address_line_1, home.address_line_2
        person.town, person.postcode, person.uprn = home.town, home.postcode, home.uprn
        moved.append(person)
    Tenancy.objects.bulk_create(tenancies)
    Person.objects.bulk_update(moved, ["address_line_1", "address_line_2", "town", "postcode", "uprn"])
    return tenancies
