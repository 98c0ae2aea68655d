"""Reads of the service directory: search by need, place, eligibility and opening times.

The directory holds no personal data, so these reads need no access layer or audit.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass

from django.db.models import Exists, F, FloatField, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Power, Sqrt
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.referrals import geo
from homeward.referrals.models import Schedule, Service, ServiceStatus, TaxonomyTerm

NEEDS_TAXONOMY = "Homeward needs"
ELIGIBILITY_TAXONOMY = "Homeward eligibility"
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ServiceSearch:
    """What someone is looking for; every part is optional."""

    text: str = ""
    need: str = ""  # taxonomy term id
    eligibility: str = ""  # taxonomy term id
    postcode: str = ""
    within_km: float = 5.0
    latitude: float | None = None  # a point instead of a postcode (both or neither)
    longitude: float | None = None
    age: int | None = None
    open_now: bool = False
    accepts_referrals: bool = False


def terms_of(taxonomy: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__name=taxonomy).order_by("name")


def open_at(moment: dt.datetime) -> Q:
    """Services with a schedule covering this moment (weekly days and hours, within its valid dates)."""
    local = timezone.localtime(moment)
    day, now, today = DAYS[local.weekday()], local.time(), local.date()
    schedules = Schedule.objects.filter(
        service=OuterRef("pk"), byday__contains=day, opens_at__lte=now, closes_at__gt=now
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
    )
    return Q(Exists(schedules))


def search_services(search: ServiceSearch, now: dt.datetime | None = None) -> QuerySet[Service]:
    """Active services matching the search, nearest first when a postcode or point is given (then by name).

    Distance is to the service's nearest location, on a flat-earth approximation that is within 0.5% of
    the great-circle distance at these ranges. The spatial prefilter (`_near`) reads only the ServicePlace
    index entries of the need (or eligibility) term in the search's bounding box."""
    errors: dict[str, str] = {}
    services = Service.objects.filter(status=ServiceStatus.ACTIVE).prefetch_related("organisation")
    if search.text.strip():
        for word in search.text.lower().split()[:6]:
            services = services.filter(search_text__contains=word)
    located = bool(search.postcode.strip()) or search.latitude is not None or search.longitude is not None
    place_term = search.need or search.eligibility  # with a place, the place index filters by this term
    for name, term in (("need", search.need), ("eligibility", search.eligibility)):
        if term:
            if not _is_uuid(term) or not TaxonomyTerm.objects.filter(pk=term).exists():
                errors[name] = "Choose one from the list"
            elif not (located and term == place_term):
                services = services.filter(attributes__term_id=uuid.UUID(term))
    if search.age is not None:
        if not 0 <= search.age <= 120:
            errors["age"] = "Age must be between 0 and 120"
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=search.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=search.age),
        )
    if search.open_now:
        services = services.filter(open_at(now or timezone.now()))
    if search.accepts_referrals:
        services = services.filter(accepts_referrals=True)
    point = point_of(search, errors)
    if point is not None and not errors:
        services = _near(services, point, search.within_km, place_term or None)
    if errors:
        raise ValidationFailed(errors)
    if point is not None:
        return services.order_by("distance_km", "name")
    return services.order_by("name")


def ids_then_rows(results: QuerySet[Service], start: int, stop: int) -> tuple[int, list[Service]]:
    """(total, the rows from `start` to `stop`) of a search in two cheap queries: the ordered ids of every
    match (its length is the total), then those rows in full. The search's grouping and sorting then carry
    bare ids, not whole service rows, and no second query repeats it to count (halves a page's time)."""
    ids = list(results.values_list("pk", flat=True))
    wanted = ids[start:stop]
    found = {s.pk: s for s in results.filter(pk__in=wanted)} if wanted else {}
    return len(ids), [found[pk] for pk in wanted if pk in found]


def point_of(search: ServiceSearch, errors: dict[str, str]) -> tuple[float, float] | None:
    """Where to measure from (the postcode's centroid, or the latitude and longitude given), or None."""
    located = search.postcode.strip() or search.latitude is not None or search.longitude is not None
    if not located:
        return None
    if not 0 < search.within_km <= 100:
        errors["within_km"] = "Distance must be more than 0 and at most 100 km"
        return None
    if search.postcode.strip():
        point = geo.locate(search.postcode)
        if point is None:
            errors["postcode"] = (
                "We do not know where that postcode is; check it, or try the district (e.g. M14)"
            )
        return point
    if search.latitude is None or not -90 <= search.latitude <= 90:
        errors["latitude"] = "Latitude must be between -90 and 90"
    if search.longitude is None or not -180 <= search.longitude <= 180:
        errors["longitude"] = "Longitude must be between -180 and 180"
    if search.latitude is None or search.longitude is None or "latitude" in errors or "longitude" in errors:
        return None
    return search.latitude, search.longitude


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def distance_from(point: tuple[float, float], prefix: str = "") -> Sqrt:
    """Kilometres from `point` to the location at `prefix` (e.g. "location__"), flat-earth."""
    lat0, lon0 = point
    x_scale = geo.KM_PER_DEGREE_LAT * math.cos(math.radians(lat0))
    return Sqrt(
        Power((F(f"{prefix}latitude") - lat0) * geo.KM_PER_DEGREE_LAT, 2)
        + Power((F(f"{prefix}longitude") - lon0) * x_scale, 2),
        output_field=FloatField(),
    )


def in_box(point: tuple[float, float], km: float, prefix: str = "") -> Q:
    """The spatial prefilter: locations in the square around `point`, as index range scans on
    (lat_band, longitude) for each band the square touches, then the exact latitude range."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(point, km)
    return Q(
        **{
            f"{prefix}lat_band__in": geo.lat_bands(min_lat, max_lat),
            f"{prefix}longitude__range": (min_lon, max_lon),
            f"{prefix}latitude__range": (min_lat, max_lat),
        }
    )


def _near(
    services: QuerySet[Service], point: tuple[float, float], km: float, term: str | None
) -> QuerySet[Service]:
    """Services with a location within `km` (and `term`, if given), with `distance_km` to the nearest.

    The spatial prefilter: ServicePlace rows of that term (or the term-less rows) in the box around the
    point, read as range scans of its (term, lat_band, longitude) index, so only that need's services
    nearby are read and only their distances worked out; grouped by service for the nearest."""
    rows = Q(places__term_id=uuid.UUID(term)) if term else Q(places__term__isnull=True)
    return (
        services.filter(rows, in_box(point, km, "places__"))
        .annotate(distance_km=Min(distance_from(point, "places__")))
        .filter(distance_km__lte=km)
    )


def get_service(service_id: str) -> Service:
    if not _is_uuid(str(service_id)):
        raise NotFound("No service with that id")
    service = (
        Service.objects.select_related("organisation__organisation")
        .prefetch_related(
            "service_at_locations__location",
            "contacts",
            "cost_options",
            "schedules",
            "attributes__term__taxonomy",
        )
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise NotFound("No service with that id")
    return service


def referrals_this_week(service: Service) -> int:
    """New referrals to the service since Monday, against its weekly capacity."""
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    return service.referrals.filter(requested_at__date__gte=monday).count()


def has_room(service: Service) -> bool:
    return service.capacity is None or referrals_this_week(service) < service.capacity
