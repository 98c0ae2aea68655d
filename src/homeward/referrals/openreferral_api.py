"""The read-only Open Referral UK API at /openreferral/, for other directories to consume.

Public, like the directories it feeds: it holds services, never people; every answer carries
`Access-Control-Allow-Origin: *` (referrals.http). Pages follow the standard's envelope (total_items,
total_pages, page_number, size, first_page, last_page, empty, contents). Every invalid query answers 400
`{status, message, errors: [{field, message}]}`, the field named as the query parameter.

Filters, as the UK profile's OpenAPI describes them (schema/openapi.json):
- `minimum_age=N`: services whose minimum age is at least N; `maximum_age=N`: services whose maximum age
  is at most N. A missing minimum means 0 and a missing maximum means no upper limit (the service is for
  every age from its minimum), so `maximum_age` never matches a service without a maximum, and
  `minimum_age` matches one without a minimum only when N is 0.
- `day`, `start_time`, `end_time`: services with a schedule on that day (iCal MO…SU or the day's name),
  opening at or after `start_time` and closing at or before `end_time`, all on the same schedule.
- `postcode` or `lat`+`lon`, with `proximity` in metres (default 5,000, at most 100,000).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from homeward.api.docs import LocalSwagger
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.routes import no_personal_data
from homeward.referrals import directory, openreferral
from homeward.referrals.models import Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

PROFILE = "https://github.com/openreferraluk/uk-profile"
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_AGE = 150
DAY_NAMES = {
    name: code
    for code, full in zip(
        directory.DAYS,
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        strict=True,
    )
    for name in (code.lower(), full, full[:3])
}
# ServiceSearch's fields as the query parameters they come from, for error messages.
PARAMETER_OF = {"need": "taxonomy_term_id", "within_km": "proximity", "latitude": "lat", "longitude": "lon"}

oruk = NinjaAPI(
    title="Homeward service directory (Open Referral UK)",
    version="3.0",
    description="Read-only Open Referral UK (HSDS 3 UK profile) API over Homeward's service directory.",
    urls_namespace="openreferral",
    docs_url="/docs",
    docs=LocalSwagger(),
)


def _error(
    request: HttpRequest, status: int, message: str, errors: dict[str, str] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"status": status, "message": message}
    if errors:
        body["errors"] = [{"field": k, "message": v} for k, v in errors.items()]
    return oruk.create_response(request, body, status=status)


@oruk.exception_handler(NotFound)
def on_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, str(exc))


@oruk.exception_handler(ValidationFailed)
def on_invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return _error(request, 400, "Invalid query", {PARAMETER_OF.get(k, k): v for k, v in exc.errors.items()})


@oruk.exception_handler(NinjaValidationError)
def on_unparsed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """A parameter of the wrong type (page=x): the same 400 shape as every other invalid query."""
    errors = {str(e.get("loc", ("", "query"))[-1]): str(e.get("msg", "Invalid")) for e in exc.errors}
    return _error(request, 400, "Invalid query", errors)


def _page(items: QuerySet[Any], page: int, per_page: int, render: Any) -> dict[str, Any]:
    errors = {}
    if not 1 <= page <= MAX_PAGE:
        errors["page"] = f"Pages start at 1 and go up to {MAX_PAGE}"
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"Between 1 and {MAX_PER_PAGE}"
    if errors:
        raise ValidationFailed(errors)
    if items.model is Service:
        total, chunk = directory.ids_then_rows(items, (page - 1) * per_page, page * per_page)
    else:
        total = items.count()
        chunk = list(items[(page - 1) * per_page : page * per_page])
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not chunk,
        "contents": [render(x) for x in chunk],
    }


def _uuid(value: str, name: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise ValidationFailed.single(name, "Not a UUID") from exc


@oruk.get("/", auth=None)
@no_personal_data("Open Referral UK API description")
def info(request: HttpRequest) -> dict[str, Any]:
    return {"version": "3.0", "profile": PROFILE, "openapi_url": request.build_absolute_uri("openapi.json")}


def _time(value: str, name: str, errors: dict[str, str]) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        errors[name] = "A time like 09:30"
        return None


def _eligible(found: QuerySet[Service], minimum_age: float | None, maximum_age: float | None) -> Any:
    """The profile's age filters (see the module docstring for how a missing limit reads)."""
    errors: dict[str, str] = {}
    for name, value in (("minimum_age", minimum_age), ("maximum_age", maximum_age)):
        if value is not None and not 0 <= value <= MAX_AGE:
            errors[name] = f"An age from 0 to {MAX_AGE}"
    if errors:
        raise ValidationFailed(errors)
    if minimum_age is not None:
        no_minimum = Q(minimum_age__isnull=True) if minimum_age <= 0 else Q(pk__in=[])
        found = found.filter(Q(minimum_age__gte=minimum_age) | no_minimum)
    if maximum_age is not None:
        found = found.filter(maximum_age__lte=maximum_age)  # no maximum: no upper limit, never at most N
    return found


def _scheduled(found: QuerySet[Service], day: str, start_time: str, end_time: str) -> QuerySet[Service]:
    errors: dict[str, str] = {}
    code = DAY_NAMES.get(day.strip().lower()) if day else None
    if day and code is None:
        errors["day"] = "A day: MO, TU, WE, TH, FR, SA, SU (or its name)"
    opens, closes = _time(start_time, "start_time", errors), _time(end_time, "end_time", errors)
    if errors:
        raise ValidationFailed(errors)
    if not (code or opens or closes):
        return found
    schedules = Schedule.objects.filter(service=OuterRef("pk"))
    if code:
        schedules = schedules.filter(byday__contains=code)
    if opens:
        schedules = schedules.filter(opens_at__gte=opens)
    if closes:
        schedules = schedules.filter(closes_at__lte=closes)
    return found.filter(Exists(schedules))


def _filtered(
    *,
    search: str,
    taxonomy_term_id: str,
    taxonomy_id: str,
    minimum_age: float | None,
    maximum_age: float | None,
    day: str,
    start_time: str,
    end_time: str,
    postcode: str,
    lat: float | None,
    lon: float | None,
    proximity: float | None,
    located: bool,
) -> QuerySet[Service]:
    """Services matching the filters; with `located`, also the place (nearest first, `distance_km`)."""
    if proximity is not None and not 0 < proximity <= 100_000:
        raise ValidationFailed.single("proximity", "Metres, more than 0 and at most 100000")
    if len(search) > 200 or len(postcode) > 12:
        raise ValidationFailed.single("search" if len(search) > 200 else "postcode", "Too long")
    query = directory.ServiceSearch(
        text=search,
        need=_uuid(taxonomy_term_id, "taxonomy_term_id") if taxonomy_term_id else "",
        postcode=postcode if located else "",
        latitude=lat if located else None,
        longitude=lon if located else None,
        within_km=(proximity / 1000) if proximity else 5.0,
    )
    found = directory.search_services(query)
    if taxonomy_id:
        found = found.filter(attributes__term__taxonomy_id=_uuid(taxonomy_id, "taxonomy_id")).distinct()
    found = _eligible(found, minimum_age, maximum_age)
    return _scheduled(found, day, start_time, end_time)


@oruk.get("/services", auth=None)
@no_personal_data("Directory services (no people)")
def services(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    minimum_age: float | None = None,
    maximum_age: float | None = None,
    day: str = "",
    start_time: str = "",
    end_time: str = "",
    postcode: str = "",
    lat: float | None = None,
    lon: float | None = None,
    proximity: float | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Services with their one-to-one fields (or fully nested with `full=true`), filtered as the standard
    describes: text, taxonomy term or taxonomy, age limits, schedule day and times, and distance in metres
    from a postcode or a point (`lat`, `lon`)."""
    found = _filtered(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        day=day,
        start_time=start_time,
        end_time=end_time,
        postcode=postcode,
        lat=lat,
        lon=lon,
        proximity=proximity,
        located=True,
    )
    if full:
        found = found.prefetch_related(
            "service_at_locations__location",
            "contacts",
            "cost_options",
            "schedules",
            "attributes__term__taxonomy",
        )
    return _page(found, page, per_page, openreferral.service_json if full else openreferral.service_item_json)


@oruk.get("/service_at_locations", auth=None)
@no_personal_data("Directory services at their locations (no people)")
def service_at_locations(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    minimum_age: float | None = None,
    maximum_age: float | None = None,
    day: str = "",
    start_time: str = "",
    end_time: str = "",
    postcode: str = "",
    lat: float | None = None,
    lon: float | None = None,
    proximity: float | None = None,
) -> dict[str, Any]:
    """Each active service at each of its locations, with the same filters as /services; with a postcode
    or point, only the locations within `proximity`, nearest first."""
    found = _filtered(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        day=day,
        start_time=start_time,
        end_time=end_time,
        postcode="",
        lat=None,
        lon=None,
        proximity=proximity,
        located=False,
    )
    pairs = ServiceAtLocation.objects.filter(service__in=found.values("pk")).select_related(
        "service", "location"
    )
    errors: dict[str, str] = {}
    point = directory.point_of(
        directory.ServiceSearch(
            postcode=postcode,
            latitude=lat,
            longitude=lon,
            within_km=(proximity / 1000) if proximity else 5.0,
        ),
        errors,
    )
    if errors:
        raise ValidationFailed(errors)
    if point is not None:
        km = (proximity / 1000) if proximity else 5.0
        pairs = (
            pairs.filter(directory.in_box(point, km, "location__"))
            .annotate(distance_km=directory.distance_from(point, "location__"))
            .filter(distance_km__lte=km)
            .order_by("distance_km", "service__name", "pk")
        )
    else:
        pairs = pairs.order_by("service__name", "pk")
    return _page(pairs, page, per_page, openreferral.service_at_location_json)


@oruk.get("/service_at_locations/{sal_id}", auth=None)
@no_personal_data("One directory service at a location (no people)")
def service_at_location(request: HttpRequest, sal_id: str) -> dict[str, Any]:
    found = (
        ServiceAtLocation.objects.select_related("service__organisation", "location")
        .filter(pk=_uuid(sal_id, "id"), service__status="active")
        .first()
    )
    if found is None:
        raise NotFound("No service at location with that id")
    return openreferral.service_at_location_json(found, full=True)


@oruk.get("/services/{service_id}", auth=None)
@no_personal_data("One directory service (no people)")
def service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    found: Service = directory.get_service(service_id)
    return openreferral.service_json(found)


@oruk.get("/taxonomies", auth=None)
@no_personal_data("Directory taxonomies")
def taxonomies(request: HttpRequest, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    return _page(Taxonomy.objects.order_by("name"), page, per_page, openreferral.taxonomy_json)


@oruk.get("/taxonomies/{taxonomy_id}", auth=None)
@no_personal_data("One directory taxonomy")
def taxonomy(request: HttpRequest, taxonomy_id: str) -> dict[str, Any]:
    found = Taxonomy.objects.filter(pk=_uuid(taxonomy_id, "taxonomy_id")).prefetch_related("terms").first()
    if found is None:
        raise NotFound("No taxonomy with that id")
    return openreferral.taxonomy_json(found, terms=True)


@oruk.get("/taxonomy_terms", auth=None)
@no_personal_data("Directory taxonomy terms")
def taxonomy_terms(request: HttpRequest, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("name")
    return _page(terms, page, per_page, openreferral.term_json)


@oruk.get("/taxonomy_terms/{term_id}", auth=None)
@no_personal_data("One directory taxonomy term")
def taxonomy_term(request: HttpRequest, term_id: str) -> dict[str, Any]:
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=_uuid(term_id, "term_id")).first()
    if found is None:
        raise NotFound("No taxonomy term with that id")
    return openreferral.term_json(found)


# Added last, so it answers only paths no operation above claims: JSON, not the HTML "page not found".
@oruk.get("/{path:rest}", auth=None, include_in_schema=False)
@no_personal_data("answers 404 JSON for unknown Open Referral paths")
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return _error(request, 404, f"No Open Referral UK endpoint at /openreferral/{rest}")
