"""The read-only Open Referral UK API at /openreferral/, for other directories to consume.

Public, like the directories it feeds: it holds services, never people. Pages follow the standard's
envelope (total_items, total_pages, page_number, size, first_page, last_page, empty, contents).
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from homeward.api.docs import LocalSwagger
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.routes import no_personal_data
from homeward.referrals import directory, openreferral
from homeward.referrals.models import Service, Taxonomy, TaxonomyTerm

PROFILE = "https://github.com/openreferraluk/uk-profile"
MAX_PER_PAGE = 200

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
    return _error(request, 400, "Invalid query", exc.errors)


def _page(items: QuerySet[Any], page: int, per_page: int, render: Any) -> dict[str, Any]:
    errors = {}
    if page < 1:
        errors["page"] = "Pages start at 1"
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = f"Between 1 and {MAX_PER_PAGE}"
    if errors:
        raise ValidationFailed(errors)
    total = items.count()
    pages = max(1, math.ceil(total / per_page))
    chunk = list(items[(page - 1) * per_page : page * per_page])
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


@oruk.get("/services", auth=None)
@no_personal_data("Directory services (no people)")
def services(
    request: HttpRequest,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    postcode: str = "",
    proximity: float | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Services with their one-to-one fields (or fully nested with `full=true`), filtered as the standard
    describes: text, taxonomy term or taxonomy, age range, and distance in metres from a postcode."""
    query = directory.ServiceSearch(
        text=search,
        need=_uuid(taxonomy_term_id, "taxonomy_term_id") if taxonomy_term_id else "",
        postcode=postcode,
        within_km=(proximity / 1000) if proximity else 5.0,
    )
    found = directory.search_services(query)
    if taxonomy_id:
        found = found.filter(attributes__term__taxonomy_id=_uuid(taxonomy_id, "taxonomy_id")).distinct()
    if minimum_age is not None:
        found = found.filter(Q(minimum_age__isnull=True) | Q(minimum_age__gte=minimum_age))
    if maximum_age is not None:
        found = found.filter(Q(maximum_age__isnull=True) | Q(maximum_age__lte=maximum_age))
    if full:
        found = found.prefetch_related(
            "service_at_locations__location",
            "contacts",
            "cost_options",
            "schedules",
            "attributes__term__taxonomy",
        )
    return _page(found, page, per_page, openreferral.service_json if full else openreferral.service_item_json)


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
