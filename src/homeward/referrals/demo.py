"""A synthetic service directory for the demo and the benchmark: providers, services, places and hours.

Everything is made up; names read like the services a link worker in a northern city would refer to.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable

from homeward.core.models import Organisation
from homeward.referrals.directory import ELIGIBILITY_TAXONOMY, NEEDS_TAXONOMY
from homeward.referrals.geo import centroids, lat_band
from homeward.referrals.models import (
    Contact,
    CostOption,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from homeward.referrals.places import rebuild_places

NEEDS = [
    "Debt and money advice",
    "Welfare benefits",
    "Housing advice",
    "Homelessness",
    "Immigration advice",
    "Mental health and wellbeing",
    "Loneliness and isolation",
    "Physical activity",
    "Carers' support",
    "Food",
    "Warm homes and energy",
    "Home repairs and adaptations",
    "Falls prevention",
    "Drugs and alcohol",
    "Domestic abuse",
    "Employment and skills",
    "Digital skills",
    "Bereavement",
    "Arts and creativity",
    "Gardening and green space",
]
ELIGIBILITY = [
    "Anyone",
    "Carers",
    "Over 50s",
    "Over 65s",
    "Young people (16 to 25)",
    "Veterans",
    "Social housing tenants",
    "Disabled people",
    "Women",
    "Refugees and people seeking asylum",
]
KINDS = ["advice line", "drop-in", "group", "project", "service", "club", "hub", "programme"]
DAY_PATTERNS = ["MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "SA", "MO,TU,WE,TH,FR,SA", "WE"]
HOURS = [
    (dt.time(9), dt.time(17)),
    (dt.time(10), dt.time(14)),
    (dt.time(18), dt.time(20)),
    (dt.time(8), dt.time(20)),
]
INWARD = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = [
    "High Street",
    "Church Road",
    "Market Place",
    "Station Road",
    "Mill Lane",
    "Park Avenue",
    "King Street",
]


def term_id(taxonomy: str, name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"homeward:{taxonomy}:{name}")


def ensure_taxonomies() -> dict[str, TaxonomyTerm]:
    """The needs and eligibility taxonomies, with stable ids (so files from other runs still match)."""
    terms: dict[str, TaxonomyTerm] = {}
    for name, labels in ((NEEDS_TAXONOMY, NEEDS), (ELIGIBILITY_TAXONOMY, ELIGIBILITY)):
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"homeward:taxonomy:{name}"),
            defaults={
                "name": name,
                "description": f"{name} used to find services in Homeward",
                "version": "1",
            },
        )
        for label in labels:
            term, _ = TaxonomyTerm.objects.get_or_create(
                id=term_id(name, label),
                defaults={
                    "taxonomy": taxonomy,
                    "name": label,
                    "code": label.lower().replace(" ", "-"),
                    "taxonomy_name": name,
                },
            )
            terms[label] = term
    return terms


def build_directory(
    count: int,
    *,
    seed: int = 5,
    providers: list[DirectoryOrganisation] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 2000,
    places: list[tuple[str, tuple[float, float]]] | None = None,
) -> list[Service]:
    """`count` active services over the demo patch's districts (or the `places` given, as (name,
    (latitude, longitude))), in batches (bulk inserts)."""
    rng = random.Random(seed)
    terms = ensure_taxonomies()
    points = places or list(centroids().items())
    provider_pool = list(providers or [])
    made: list[Service] = []
    for start in range(0, count, batch):
        n = min(batch, count - start)
        orgs, services, locations, sals, contacts, costs, schedules, links = [], [], [], [], [], [], [], []
        for i in range(n):
            need = rng.choice(NEEDS)
            place, (lat, lon) = rng.choice(points)
            if provider_pool and rng.random() < 0.5:
                provider = rng.choice(provider_pool)
            else:
                provider = DirectoryOrganisation(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    name=f"{place} {rng.choice(['Community', 'Neighbourhood', 'Together', 'Action'])} "
                    f"{rng.choice(['Trust', 'Network', 'Partnership', 'CIC', 'Association'])} {start + i}",
                    description="A local voluntary and community sector organisation.",
                )
                orgs.append(provider)
            eligibility = rng.choice(ELIGIBILITY)
            low = (
                65
                if eligibility == "Over 65s"
                else 50
                if eligibility == "Over 50s"
                else 16
                if "Young" in eligibility
                else 18
            )
            high = 25 if "Young" in eligibility else None
            name = f"{place} {need.split(' and ')[0].lower()} {rng.choice(KINDS)}"
            service = Service(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                organisation=provider,
                name=name[0].upper() + name[1:],
                description=f"{need} for people in and around {place}. Free, friendly and confidential.",
                email=f"hello{start + i}@example.org",
                status="active",
                minimum_age=low,
                maximum_age=high,
                accepts_referrals=provider.organisation_id is not None,
                capacity=rng.choice([None, 5, 10, 20]),
                acknowledge_within_days=rng.choice([1, 2, 2, 3, 5]),
            )
            service.search_text = f"{service.name} {service.description} {need} {eligibility}".lower()
            services.append(service)
            location = Location(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                name=f"{place} {rng.choice(['Community Centre', 'Library', 'Hub', 'Church Hall'])}",
                latitude=lat + rng.uniform(-0.02, 0.02),
                longitude=lon + rng.uniform(-0.03, 0.03),
                address_1=f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                postcode=f"{place} {rng.randint(1, 9)}{rng.choice(INWARD)}{rng.choice(INWARD)}",
            )
            location.lat_band = lat_band(location.latitude)  # bulk_create skips save(), which sets it
            locations.append(location)
            sals.append(
                ServiceAtLocation(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4), service=service, location=location
                )
            )
            contacts.append(
                Contact(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    service=service,
                    name="Duty worker",
                    phones=[
                        {
                            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                            "number": f"0161 496 {rng.randint(0, 9999):04d}",
                        }
                    ],
                )
            )
            if rng.random() < 0.2:
                costs.append(
                    CostOption(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        service=service,
                        option="Per session",
                        amount=rng.choice([2, 3, 5]),
                        amount_description="Pay what you can; no one turned away",
                    )
                )
            opens, closes = rng.choice(HOURS)
            schedules.append(
                Schedule(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    service=service,
                    freq="WEEKLY",
                    byday=rng.choice(DAY_PATTERNS),
                    opens_at=opens,
                    closes_at=closes,
                )
            )
            for label in {need, eligibility}:
                links.append(
                    ServiceTerm(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4), service=service, term=terms[label]
                    )
                )
        DirectoryOrganisation.objects.bulk_create(orgs)
        Service.objects.bulk_create(services)
        Location.objects.bulk_create(locations)
        ServiceAtLocation.objects.bulk_create(sals)
        Contact.objects.bulk_create(contacts)
        CostOption.objects.bulk_create(costs)
        Schedule.objects.bulk_create(schedules)
        ServiceTerm.objects.bulk_create(links)
        rebuild_places(s.id for s in services)  # bulk_create sends no signals, so index them here
        made.extend(services)
        if progress is not None:
            progress(start + n, count)
    return made


def seed_directory(*, providers: dict[str, Organisation], count: int = 200, seed: int = 5) -> list[Service]:
    """The demo's directory: ~`count` services over the patch; those run by demo organisations take
    referrals through Homeward (name -> organisation in `providers`)."""
    entries = [
        DirectoryOrganisation.objects.create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"homeward:demo-provider:{name}"),
            name=name,
            description=f"{name} (a Homeward organisation)",
            organisation=org,
        )
        for name, org in providers.items()
    ]
    return build_directory(count, seed=seed, providers=entries)


def seed_link_worker_service(links: Organisation) -> Service:
    """The directory entry for the demo's social prescribing link workers (they take referrals)."""
    provider = DirectoryOrganisation.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, f"homeward:demo-provider:{links.name}"),
        name=links.name,
        description="Social prescribing link workers for Northgate's GP practices.",
        organisation=links,
    )
    service = Service.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, "homeward:demo-service:social-prescribing"),
        organisation=provider,
        name="Northgate social prescribing link workers",
        description="Link workers give time to people referred by GP practices and hospitals, talk about "
        "what matters to them, and connect them to community groups and advice.",
        email="linkworkers@example.org",
        status="active",
        minimum_age=18,
        accepts_referrals=True,
        acknowledge_within_days=2,
    )
    service.search_text = f"{service.name} {service.description} social prescribing".lower()
    service.save(update_fields=["search_text"])
    location = Location.objects.create(
        id=uuid.uuid5(uuid.NAMESPACE_URL, "homeward:demo-location:links"),
        name="Millbrook Health Centre",
        latitude=53.4480,
        longitude=-2.2180,
        address_1="2 Station Road",
        postcode="M14 5QT",
    )
    ServiceAtLocation.objects.create(id=uuid.uuid4(), service=service, location=location)
    Schedule.objects.create(
        id=uuid.uuid4(),
        service=service,
        freq="WEEKLY",
        byday="MO,TU,WE,TH,FR",
        opens_at=dt.time(9),
        closes_at=dt.time(17),
    )
    terms = ensure_taxonomies()
    for label in ("Mental health and wellbeing", "Loneliness and isolation", "Anyone"):
        ServiceTerm.objects.create(id=uuid.uuid4(), service=service, term=terms[label])
    return service
