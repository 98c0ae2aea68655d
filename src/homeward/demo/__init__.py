"""Synthetic demo data: a Greater-Manchester-like health and housing system.

The top of the layers: it seeds the demo in order by calling each app's own `demo` module (people,
governance, discharge, prevention, referrals, support, adaptations, reablement, housing, linkage,
evaluation, care homes), passing one random generator along (or an app's own), so the data are the same for
a seed. No app imports this package. Idempotent: a second run finds the demo trust and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from faker import Faker

from homeward.adaptations.demo import seed_adaptations
from homeward.adaptations.demo_healthy import seed_healthy_homes
from homeward.adaptations.demo_team import seed_team_work
from homeward.carehomes.demo import seed_carehomes
from homeward.core.models import Membership, Organisation, Person
from homeward.demo.cast import (
    CARE,
    COUNCIL,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_SEED,
    GP,
    HOSPITALS,
    HOUSING,
    ICB,
    LINKS,
    ORGANISATIONS,
    PROPERTIES,
    SUPERUSER,
    TRUST,
    VOLUNTARY,
    DemoLogin,
)
from homeward.demo.journeys import seed_discharge_to_nursing_home
from homeward.discharge.demo import seed_a_and_e_and_care, seed_discharge_cases
from homeward.evaluation.demo import seed_evaluation
from homeward.governance.access import Actor
from homeward.governance.demo import make_agreement, record_shares, seed_consents, share_people
from homeward.governance.models import DataCategory
from homeward.housing.demo import seed_housing
from homeward.linkage.demo import seed_linkage
from homeward.people.demo import (
    demo_nhs_numbers,
    make_person,
    seed_organisations,
    seed_people,
    seed_properties,
    seed_staff,
    seed_tenancies,
)
from homeward.prevention.demo import seed_prevention
from homeward.reablement.demo import seed_reablement
from homeward.referrals.demo import seed_directory, seed_link_worker_service
from homeward.support.demo import seed_contract, seed_key_work, seed_social_prescribing

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "GP",
    "HOUSING",
    "LINKS",
    "SUPERUSER",
    "TRUST",
    "DemoLogin",
    "DemoSummary",
    "demo_is_loaded",
    "seed_demo",
    "table_counts",
]

#: The smallest demo that gets person linkage (Riverside's own tenant files and a first run).
LINKAGE_DEMO_PEOPLE = 200

#: The case type of the demo's first shares (the trust bringing the housing provider into a discharge).
CASE_TYPE = "demo.hospital_to_home"

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


def table_counts() -> dict[str, int]:
    """Rows in every Homeward table, by model label (for the seed summary and its regression test)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in sorted(apps.get_models(), key=lambda m: m._meta.label)
        if model.__module__.startswith("homeward.")
    }


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
    gp, links = orgs[GP], orgs[LINKS]
    purpose = "Refer people for social prescribing and on to community services; learn the outcome."
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
        make_agreement(
            reference=reference,
            title=title,
            purpose=purpose,
            parties=parties,
            start_date=dt.date(2025, 10, 1),
        )
    used = set(Person.objects.values_list("nhs_number", flat=True))
    numbers = [n for n in demo_nhs_numbers(random.Random(rng.getrandbits(64)), people + 200) if n not in used]
    patients = max(12, people // 5)
    gp_people = Person.objects.bulk_create([make_person(gp, nhs, fake, rng) for nhs in numbers[:patients]])
    walk_ins = Person.objects.bulk_create(
        [make_person(links, nhs, fake, rng) for nhs in numbers[patients : patients + max(4, people // 50)]]
    )
    for name in ("gp", "linkworker", "linklead", "commissioner"):
        actors[name] = Actor(user=memberships[name].user, membership=memberships[name])
    receivers = {
        orgs[COUNCIL].pk: actors["council"],
        orgs[VOLUNTARY].pk: actors["partner"],
        orgs[HOUSING].pk: actors["caseworker"],
    }
    seed_social_prescribing(
        service=seed_link_worker_service(links),
        gp_patients=gp_people,
        self_referrals=walk_ins,
        actors=actors,
        receivers=receivers,
        rng=rng,
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
    orgs = seed_organisations(ORGANISATIONS, HOSPITALS, TRUST)
    trust, housing, council = orgs[TRUST], orgs[HOUSING], orgs[COUNCIL]
    make_agreement(
        reference="DSA-R9N-RH-01",
        title="Hospital to Home: Northgate trust and Riverside Homes",
        purpose=(
            "Plan safe and timely discharge home for patients who are Riverside Homes tenants or who have "
            "housing needs: adaptations, repairs, rehousing and tenancy support."
        ),
        parties=[trust, housing],
        start_date=dt.date(2026, 4, 1),
        data_categories=[DataCategory.IDENTIFIERS, DataCategory.HEALTH, DataCategory.HOUSING],
    )
    report("Staff and demo logins", 5, total)
    memberships = seed_staff(DEMO_LOGINS, orgs, password=DEMO_PASSWORD, superuser=SUPERUSER)
    report("Homes", 10, total)
    properties = seed_properties(housing, PROPERTIES, fake, rng)
    report("People", 10 + PROPERTIES, total)
    holders = [trust] * 7 + [housing] * 2 + [council]
    created = seed_people(
        holders, people, fake, rng, progress=lambda done: report("People", 10 + PROPERTIES + done, total)
    )

    # Tenancies: everyone Riverside Homes holds, and some trust patients (Riverside tenants in hospital).
    trust_people = [p for p in created if p.organisation_id == trust.pk]
    shared = trust_people[: len(trust_people) // 4]
    tenants = [p for p in created if p.organisation_id == housing.pk] + shared
    tenancies = seed_tenancies(tenants[: len(properties)], properties, rng)

    # Cross-organisation sharing: the trust brings Riverside Homes into these patients' discharge.
    clinician = memberships["clinician"]
    participations = share_people(
        people=shared,
        owner=trust,
        partner=housing,
        case_type=CASE_TYPE,
        reason="Riverside Homes tenant: plan a safe discharge home",
        rng=rng,
    )
    consents = seed_consents(
        organisation=trust,
        agreed=shared[::2],
        direct_care=trust_people[len(shared) : len(shared) + 20],
        recorded_by=clinician,
        rng=rng,
    )
    record_shares(participations, recorded_by=clinician, case_type=CASE_TYPE)
    # Hospital to Home cases for the shared patients, in every status, so worklists have real shapes.
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
        start = dt.date(2026, 4, 1)
        make_agreement(reference=reference, title=title, purpose=purpose, parties=parties, start_date=start)
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
    seed_prevention(housing=housing, officer=actors["caseworker"], rng=rng)
    report("Service directory", total - 1, total)
    seed_directory(providers={COUNCIL: council, VOLUNTARY: orgs[VOLUNTARY], HOUSING: housing})
    report("Social prescribing, key work and an outcome contract", total - 1, total)
    _seed_support(orgs, memberships, actors, created, rng, fake, people)
    report("Adaptations", total - 1, total)
    adaptation_ids = seed_adaptations(
        council=council,
        agency=orgs[VOLUNTARY],
        people=[p for p in created if p.organisation_id == council.pk],
        actor=actors["council"],
        rng=rng,
    )
    # Its own generator: the 21 cases above do not change.
    seed_team_work(
        case_ids=adaptation_ids, actor=actors["council"], agency=orgs[VOLUNTARY], rng=random.Random(seed + 17)
    )
    # Its own generator too: home visits for some applicants and the housing provider's Awaab's Law reports.
    seed_healthy_homes(
        council_actor=actors["council"],
        applicants=[p for p in created if p.organisation_id == council.pk][:7],
        landlord_actor=actors["caseworker"],
        tenants=[p for p in created if p.organisation_id == housing.pk][:5],
        rng=random.Random(seed + 29),
    )
    report("Supported housing", total - 1, total)
    seed_housing(
        provider=housing,
        commissioner=council,
        # After the six tenants on the key-work caseload; its own generator (issue 19).
        people=[p for p in created if p.organisation_id == housing.pk][6:],
        actor=actors["caseworker"],
        rng=random.Random(seed + 19),
        advice=orgs[VOLUNTARY],
    )
    report("Reablement units, beds and a year of stays", total - 1, total)
    # Its own generator: the other apps' demo data do not shift when reablement seeds more or less.
    seed_reablement(
        provider=housing,
        commissioner=orgs[ICB],
        people=[p for p in created if p.organisation_id == housing.pk] + shared,
        recorded_by=memberships["caseworker"].user,
        rng=random.Random(seed + 18),
    )
    report("Person linkage: Riverside's tenant records and the trust's patients", total - 1, total)
    if people >= LINKAGE_DEMO_PEOPLE:  # a review queue and alerts need the full demo's population
        # Its own generator: the review queue does not shift when another app seeds more or less.
        seed_linkage(trust=trust, housing=housing, rng=random.Random(seed + 21))
    report("Measured impact: a pseudonymised A&E extract and its evaluation", total - 1, total)
    analyst = memberships["analyst"]
    seed_evaluation(analyst=Actor(user=analyst.user, membership=analyst), rng=random.Random(seed + 22))
    report("Care homes: residents, advance care plans, observations and triage calls", total - 1, total)
    seed_carehomes(
        provider=orgs[CARE],
        practice=orgs[GP],
        trust=trust,
        actor=actors["carehome"],
        rng=random.Random(seed + 20),
    )
    # A patient discharged from the trust to the nursing home continues as one journey.
    seed_discharge_to_nursing_home(
        trust=trust,
        housing=housing,
        practice=orgs[GP],
        clinician=actors["clinician"],
        officer=actors["caseworker"],
        carehome=actors["carehome"],
        rng=random.Random(seed + 31),
    )
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
