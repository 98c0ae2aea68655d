"""Synthetic demo data (Faker en_GB): a Greater-Manchester-like health and housing system.

Deterministic for a seed and idempotent: a second run finds the demo trust and changes nothing.
NHS numbers come from the 999 range reserved for test data; phone numbers from Ofcom's drama ranges
(0161 496 0xxx, 07700 900xxx); email addresses use example.org (RFC 2606).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker
from nhs_number import calculate_checksum

from homeward.core.models import (
    ContactPreference,
    Hospital,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Property,
    PropertyType,
    Team,
    Tenancy,
    Tenure,
    User,
    Ward,
    WardKind,
)
from homeward.core.roles import Role
from homeward.core.validators import validate_postcode
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import (
    AgreementStatus,
    Article9Condition,
    AuditAction,
    ConsentPurpose,
    ConsentRecord,
    ConsentStatus,
    DataCategory,
    DataSharingAgreement,
    LawfulBasis,
    Participation,
)

DEMO_PASSWORD = "homeward-demo-2026"
DEMO_SEED = 20261125
SUPERUSER = "admin-super"
CASE_TYPE = "demo.hospital_to_home"
PROPERTIES = 300

TRUST = "Northgate Teaching Hospitals NHS Foundation Trust"
HOUSING = "Riverside Homes"
COUNCIL = "Northgate Metropolitan Borough Council"
CARE = "Brightwater Home Care"
VOLUNTARY = "Northgate Care and Repair"
GP = "Millbrook Medical Practice"
ICB = "NHS Northgate and District Integrated Care Board"
LINKS = "Northgate Community Links"

# (name, kind, ODS-like code, teams). Codes are made up and shaped like ODS codes.
ORGANISATIONS: list[tuple[str, str, str, list[str]]] = [
    (TRUST, OrganisationKind.NHS_TRUST, "R9N", ["Discharge hub", "Emergency department", "Ward 7"]),
    (HOUSING, OrganisationKind.HOUSING_PROVIDER, "", ["Hospital to Home team", "Tenancy sustainment"]),
    (COUNCIL, OrganisationKind.LOCAL_AUTHORITY, "", ["Housing Options", "Adult social care"]),
    (CARE, OrganisationKind.CARE_PROVIDER, "", ["Reablement"]),
    (VOLUNTARY, OrganisationKind.VOLUNTARY_SECTOR, "", ["Handyperson service"]),
    (GP, OrganisationKind.GP_PRACTICE, "Y99901", ["Practice team"]),
    (ICB, OrganisationKind.ICB, "Q9N", ["Population health analytics", "Commissioning"]),
    (LINKS, OrganisationKind.VOLUNTARY_SECTOR, "", ["Social prescribing link workers"]),
]

HOSPITALS: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "Northgate General Hospital",
        "R9N01",
        [
            ("Acute Medical Unit", WardKind.ACUTE, 36),
            ("Ward 4 (general surgery)", WardKind.ACUTE, 28),
            ("Ward 7 (care of older people)", WardKind.ELDERLY, 28),
            ("Emergency Department", WardKind.EMERGENCY, 24),
            ("Discharge Lounge", WardKind.DISCHARGE_HUB, 12),
        ],
    ),
    (
        "Millbrook Community Hospital",
        "R9N02",
        [
            ("Oak Ward (frailty and rehabilitation)", WardKind.ELDERLY, 24),
            ("Larch Ward (adult mental health)", WardKind.MENTAL_HEALTH, 20),
        ],
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    team: str
    first_name: str
    last_name: str
    job_title: str


# One demo user per role; `teamlead` also works for the council, to show the organisation switcher.
DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("clinician", Role.CLINICIAN, TRUST, "Ward 7", "Priya", "Shah", "Ward sister, Ward 7"),
    DemoLogin(
        "caseworker", Role.CASEWORKER, HOUSING, "Hospital to Home team", "Dan", "Walsh", "Housing officer"
    ),
    DemoLogin(
        "teamlead", Role.TEAM_LEAD, HOUSING, "Hospital to Home team", "Grace", "Okafor", "Service manager"
    ),
    DemoLogin("teamlead", Role.TEAM_LEAD, COUNCIL, "Housing Options", "Grace", "Okafor", "Service manager"),
    DemoLogin("carehome", Role.CASEWORKER, CARE, "Reablement", "Ada", "Mensah", "Care home manager"),
    DemoLogin("partner", Role.PARTNER, VOLUNTARY, "Handyperson service", "Sam", "Kowalski", "Caseworker"),
    DemoLogin("analyst", Role.ANALYST, ICB, "Population health analytics", "Ravi", "Patel", "Data analyst"),
    DemoLogin("igofficer", Role.IG_OFFICER, TRUST, "", "Helen", "Brooks", "Data protection officer"),
    DemoLogin("orgadmin", Role.ADMIN, HOUSING, "", "Tom", "Fletcher", "Systems administrator"),
    DemoLogin("gp", Role.CLINICIAN, GP, "Practice team", "Iain", "Campbell", "GP partner"),
    DemoLogin(
        "linkworker",
        Role.CASEWORKER,
        LINKS,
        "Social prescribing link workers",
        "Amara",
        "Nwosu",
        "Link worker",
    ),
    DemoLogin(
        "linklead",
        Role.TEAM_LEAD,
        LINKS,
        "Social prescribing link workers",
        "Joy",
        "Adeyemi",
        "Social prescribing manager",
    ),
    DemoLogin(
        "commissioner", Role.COMMISSIONER, ICB, "Commissioning", "Fiona", "Reid", "Commissioning manager"
    ),
]

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

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total) is called as seeding goes along."""


@dataclass
class DemoSummary:
    created: bool
    message: str
    refused: bool = False
    organisations: int = 0
    people: int = 0
    users: int = 0
    properties: int = 0
    tenancies: int = 0
    shared_with_housing: int = 0
    consents: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def demo_is_loaded() -> bool:
    return Organisation.objects.filter(name=TRUST).exists()


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


def _organisations() -> dict[str, Organisation]:
    orgs = {}
    for name, kind, ods, teams in ORGANISATIONS:
        org = Organisation.objects.create(name=name, kind=kind, ods_code=ods)
        Team.objects.bulk_create([Team(organisation=org, name=team) for team in teams])
        orgs[name] = org
    for name, site, wards in HOSPITALS:
        hospital = Hospital.objects.create(organisation=orgs[TRUST], name=name, site_code=site)
        Ward.objects.bulk_create(
            [Ward(hospital=hospital, name=w, kind=kind, beds=beds) for w, kind, beds in wards]
        )
    return orgs


def _users(orgs: dict[str, Organisation]) -> dict[str, Membership]:
    """Demo staff and their memberships; returns the first membership of each username."""
    first: dict[str, Membership] = {}
    users: dict[str, User] = {}
    for login in DEMO_LOGINS:
        user = users.get(login.username)
        if user is None:
            user = User.objects.create(
                username=login.username,
                first_name=login.first_name,
                last_name=login.last_name,
                email=f"{login.username}@example.org",
                job_title=login.job_title,
                password=make_password(DEMO_PASSWORD),
            )
            users[login.username] = user
        org = orgs[login.organisation]
        team = Team.objects.filter(organisation=org, name=login.team).first() if login.team else None
        membership = Membership.objects.create(user=user, organisation=org, team=team, role=login.role)
        first.setdefault(login.username, membership)
    User.objects.create(
        username=SUPERUSER,
        first_name="Demo",
        last_name="Superuser",
        email=f"{SUPERUSER}@example.org",
        is_staff=True,
        is_superuser=True,
        password=make_password(DEMO_PASSWORD),
    )
    return first


def _properties(housing: Organisation, fake: Faker, rng: random.Random) -> list[Property]:
    kinds = [PropertyType.FLAT] * 5 + [PropertyType.HOUSE] * 3 + [PropertyType.BUNGALOW] * 2
    kinds += [PropertyType.MAISONETTE, PropertyType.SUPPORTED]
    rows = []
    for i in range(PROPERTIES):
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


def _person(org: Organisation, nhs: str, fake: Faker, rng: random.Random) -> Person:
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


def _seed_support(
    orgs: dict[str, Organisation],
    memberships: dict[str, Membership],
    actors: dict[str, Actor],
    created: list[Person],
    rng: random.Random,
    fake: Faker,
    people: int,
) -> None:
    """The GP practice's patients referred to social prescribing, link workers' caseloads, key work at the
    housing provider, and the ICB's outcome contract with the link-worker service."""
    from homeward.support.demo import seed_contract, seed_key_work, seed_social_prescribing

    gp, links = orgs[GP], orgs[LINKS]
    for reference, title, parties in [
        (
            "DSA-GP-LINKS-01",
            "Social prescribing: Millbrook Medical Practice and Community Links",
            [gp, links],
        ),
        (
            "DSA-LINKS-MCC-01",
            "Onward referrals: Community Links and the city council",
            [links, orgs[COUNCIL]],
        ),
        ("DSA-LINKS-VOL-01", "Onward referrals: Community Links and the charity", [links, orgs[VOLUNTARY]]),
    ]:
        agreement = DataSharingAgreement.objects.create(
            reference=reference,
            title=title,
            purpose="Refer people for social prescribing and on to community services; learn the outcome.",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
            data_categories=[DataCategory.IDENTIFIERS, DataCategory.HEALTH, DataCategory.SOCIAL],
            start_date=dt.date(2025, 10, 1),
            status=AgreementStatus.ACTIVE,
        )
        agreement.parties.set(parties)
    used = set(Person.objects.values_list("nhs_number", flat=True))
    numbers = [n for n in demo_nhs_numbers(random.Random(rng.getrandbits(64)), people + 200) if n not in used]
    patients = max(12, people // 5)
    gp_people = Person.objects.bulk_create([_person(gp, nhs, fake, rng) for nhs in numbers[:patients]])
    walk_ins = Person.objects.bulk_create(
        [_person(links, nhs, fake, rng) for nhs in numbers[patients : patients + max(4, people // 50)]]
    )
    for name in ("gp", "linkworker", "linklead", "commissioner"):
        actors[name] = Actor(user=memberships[name].user, membership=memberships[name])
    receivers = {
        orgs[COUNCIL].pk: actors["council"],
        orgs[VOLUNTARY].pk: actors["partner"],
        orgs[HOUSING].pk: actors["caseworker"],
    }
    seed_social_prescribing(
        gp_patients=gp_people, self_referrals=walk_ins, actors=actors, receivers=receivers, rng=rng
    )
    tenants = [p for p in created if p.organisation_id == orgs[HOUSING].pk][:6]
    seed_key_work(people=tenants, worker=actors["caseworker"], rng=rng)
    seed_contract(commissioner=actors["commissioner"], provider_lead=actors["linklead"], rng=rng)


@transaction.atomic
def seed_demo(people: int = 500, progress: Progress | None = None, seed: int = DEMO_SEED) -> DemoSummary:
    """Load the demo organisations, staff, homes and `people` people; do nothing if they are there.

    Refuses a database that holds other organisations: demo accounts share a published password.
    """
    if demo_is_loaded():
        return DemoSummary(created=False, message="Demo data is already loaded; nothing changed.")
    if Organisation.objects.exists():
        return DemoSummary(
            created=False,
            refused=True,
            message="This database already holds organisations that are not demo data. Demo accounts share "
            "a published password, so demo data is only loaded into an empty database; nothing changed.",
        )
    report = progress or (lambda stage, done, total: None)
    total = people + PROPERTIES + 10
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    report("Organisations, hospitals and wards", 0, total)
    orgs = _organisations()
    trust, housing, council = orgs[TRUST], orgs[HOUSING], orgs[COUNCIL]
    agreement = DataSharingAgreement.objects.create(
        reference="DSA-R9N-RH-01",
        title="Hospital to Home: Northgate trust and Riverside Homes",
        purpose=(
            "Plan safe and timely discharge home for patients who are Riverside Homes tenants or who have "
            "housing needs: adaptations, repairs, rehousing and tenancy support."
        ),
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
        data_categories=[DataCategory.IDENTIFIERS, DataCategory.HEALTH, DataCategory.HOUSING],
        start_date=dt.date(2026, 4, 1),
        status=AgreementStatus.ACTIVE,
    )
    agreement.parties.set([trust, housing])
    report("Staff and demo logins", 5, total)
    memberships = _users(orgs)
    report("Homes", 10, total)
    properties = _properties(housing, fake, rng)
    report("People", 10 + PROPERTIES, total)

    holders = [trust] * 7 + [housing] * 2 + [council]
    rows = []
    for i, nhs in enumerate(demo_nhs_numbers(rng, people)):
        rows.append(_person(holders[rng.randrange(len(holders))], nhs, fake, rng))
        if i % 50 == 49:
            report("People", 10 + PROPERTIES + i + 1, total)
    created = Person.objects.bulk_create(rows)

    # Tenancies: everyone Riverside Homes holds, and some trust patients (Riverside tenants in hospital).
    trust_people = [p for p in created if p.organisation_id == trust.pk]
    shared = trust_people[: len(trust_people) // 4]
    tenants = [p for p in created if p.organisation_id == housing.pk] + shared
    tenants = tenants[: len(properties)]
    tenancies, moved = [], []
    for n, (person, home) in enumerate(zip(tenants, properties, strict=False)):
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

    # Cross-organisation sharing: the trust brings Riverside Homes into these patients' discharge.
    clinician = memberships["clinician"]
    now = timezone.now()
    participations = Participation.objects.bulk_create(
        [
            Participation(
                person=p,
                owner=trust,
                organisation=housing,
                case_type=CASE_TYPE,
                reason="Riverside Homes tenant: plan a safe discharge home",
                started_at=now - dt.timedelta(days=rng.randrange(1, 60)),
            )
            for p in shared
        ]
    )
    consents = [
        ConsentRecord(
            person=p,
            organisation=trust,
            purpose=ConsentPurpose.SHARE_WITH_HOUSING,
            status=ConsentStatus.GIVEN,
            lawful_basis=LawfulBasis.CONSENT,
            article9_condition=Article9Condition.EXPLICIT_CONSENT,
            recorded_at=now - dt.timedelta(days=rng.randrange(1, 60)),
            recorded_by=clinician.user,
            notes="Patient agreed on the ward that Riverside Homes can help plan going home.",
        )
        for p in shared[::2]
    ]
    consents += [
        ConsentRecord(
            person=p,
            organisation=trust,
            purpose=ConsentPurpose.DIRECT_CARE,
            status=ConsentStatus.NOT_REQUIRED,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
            recorded_at=now - dt.timedelta(days=rng.randrange(1, 90)),
            recorded_by=clinician.user,
        )
        for p in trust_people[len(shared) : len(shared) + 20]
    ]
    ConsentRecord.objects.bulk_create(consents)

    # A few genuine audit events (through the chain, so `homeward audit verify` passes).
    actor = Actor(user=clinician.user, membership=clinician)
    for participation in participations[:10]:
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            purpose="Share a case with a partner",
            obj=participation,
            person_id=participation.person_id,
            detail={"organisation_id": housing.pk, "case_type": CASE_TYPE},
        )
    # Hospital to Home cases for the shared patients, in every status, so worklists have real shapes.
    from homeward.discharge.demo import seed_discharge_cases

    seed_discharge_cases(
        trust=trust,
        housing=housing,
        people=shared,
        clinician=clinician,
        officer=memberships["caseworker"],
        rng=rng,
    )
    # Partners the housing officer refers on to, and the care provider the wards send assessments to.
    refer_on = "Refer people on for help they need, and learn what came of it."
    for reference, title, parties, purpose in [
        (
            "DSA-RH-MCC-01",
            "Onward referrals: Riverside Homes and the city council",
            [housing, council],
            refer_on,
        ),
        (
            "DSA-RH-VOL-01",
            "Onward referrals: Riverside Homes and the charity",
            [housing, orgs[VOLUNTARY]],
            refer_on,
        ),
        (
            "DSA-R9N-CARE-01",
            "Care-home discharge: Northgate trust and the care provider",
            [trust, orgs[CARE]],
            "Trusted assessment and safe transfer of patients to care on discharge.",
        ),
        (
            "DSA-ICB-R9N-01",
            "Commissioning: Hospital to Home outcomes",
            [orgs[ICB], trust],
            "Counts only (no names or identifiers) for commissioning and evaluating the service.",
        ),
    ]:
        partnership = DataSharingAgreement.objects.create(
            reference=reference,
            title=title,
            purpose=purpose,
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            article9_condition=Article9Condition.HEALTH_SOCIAL_CARE,
            data_categories=[DataCategory.IDENTIFIERS, DataCategory.HEALTH, DataCategory.SOCIAL],
            start_date=dt.date(2026, 4, 1),
            status=AgreementStatus.ACTIVE,
        )
        partnership.parties.set(parties)
    from homeward.discharge.demo import seed_a_and_e_and_care

    actors = {
        name: Actor(user=memberships[name].user, membership=memberships[name])
        for name in ("clinician", "caseworker", "partner", "carehome")
    }
    council_lead = Membership.objects.get(user__username="teamlead", organisation=council)
    actors["council"] = Actor(user=council_lead.user, membership=council_lead)
    seed_a_and_e_and_care(
        trust=trust,
        people=trust_people[len(shared) :],
        actors=actors,
        organisations={
            "housing": housing,
            "council": council,
            "voluntary": orgs[VOLUNTARY],
            "care": orgs[CARE],
        },
        rng=rng,
    )
    from homeward.prevention.demo import seed_prevention

    seed_prevention(housing=housing, officer=actors["caseworker"], rng=rng)
    from homeward.referrals.demo_directory import seed_directory

    report("Service directory", total - 1, total)
    seed_directory(providers={COUNCIL: council, VOLUNTARY: orgs[VOLUNTARY], HOUSING: housing})
    report("Social prescribing, key work and an outcome contract", total - 1, total)
    _seed_support(orgs, memberships, actors, created, rng, fake, people)
    report("Done", total, total)
    return DemoSummary(
        created=True,
        message=f"Loaded demo data: {len(created)} people across {len(orgs)} organisations.",
        organisations=len(orgs),
        people=len(created),
        users=len({login.username for login in DEMO_LOGINS}) + 1,
        properties=len(properties),
        tenancies=len(tenancies),
        shared_with_housing=len(participations),
        consents=len(consents),
        logins=list(DEMO_LOGINS),
    )
