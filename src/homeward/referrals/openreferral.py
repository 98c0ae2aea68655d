"""Open Referral UK (HSDS 3 UK profile) JSON: export services, and import them all-or-nothing.

Each stored object keeps the standard's object as it came in (`extra`, without its nested children); the
columns are derived from it for search. Export lays the columns under `extra`, so an imported field comes
back out exactly as it went in, and a service made in Homeward is exported from its columns.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from homeward.core.errors import ValidationFailed
from homeward.core.validators import normalise_postcode
from homeward.referrals.directory import DAYS
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

HOMEWARD_KEY = "x_homeward"  # Homeward's referral settings ride along under one extension key
MAX_ERRORS = 50


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped Open Referral UK schema: service, service_list, taxonomy or taxonomy_term."""
    text = resources.files("homeward.referrals").joinpath(f"data/openreferral/{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FormatChecker())


def json_path(parts: Iterable[Any], root: str = "") -> str:
    """`contents[3].schedules[0].opens_at` from jsonschema's path parts."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the file)"


def _pruned(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v not in ("", None, [])}


def _time(value: dt.time | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# Export ------------------------------------------------------------------------------------------------


def organisation_json(org: DirectoryOrganisation) -> dict[str, Any]:
    own = _pruned({"id": str(org.id), "name": org.name, "email": org.email, "website": org.website})
    return {**own, "description": org.description, **org.extra}


def location_json(location: Location) -> dict[str, Any]:
    own: dict[str, Any] = {
        "id": str(location.id),
        "location_type": "physical",
        "name": location.name,
        "description": location.description,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }
    if location.address_1 or location.postcode:
        own["addresses"] = [
            {
                "id": str(uuid.uuid5(location.id, "address")),
                "address_1": location.address_1,
                "city": location.city,
                "state_province": "",
                "postal_code": location.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    return {**_pruned(own), **location.extra}


def term_json(term: TaxonomyTerm) -> dict[str, Any]:
    own = {
        "id": str(term.id),
        "name": term.name,
        "description": term.description or term.name,
        "parent_id": str(term.parent_id) if term.parent_id else None,
        "taxonomy": term.taxonomy_name or (term.taxonomy.name if term.taxonomy else ""),
        "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
        "term_uri": term.term_uri,
        "term": term.code,
    }
    return {**_pruned(own), **term.extra}


def taxonomy_json(taxonomy: Taxonomy, terms: bool = False) -> dict[str, Any]:
    out = _pruned(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description or taxonomy.name,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )
    if terms:
        out["taxonomy_terms"] = [term_json(t) for t in taxonomy.terms.all()]
    return out


def homeward_settings(service: Service) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "accepts_referrals": service.accepts_referrals,
        "acknowledge_within_days": service.acknowledge_within_days,
    }
    if service.capacity is not None:
        settings["capacity"] = service.capacity
    return settings


def service_item_json(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service, as an item of /services."""
    own = {
        "id": str(service.id),
        "organization_id": str(service.organisation_id) if service.organisation_id else None,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "alert": service.alert,
    }
    return {
        **_pruned(own),
        **service.extra,
        "id": str(service.id),
        "name": service.name,
        "status": service.status,
    }


def service_at_location_json(sal: ServiceAtLocation, full: bool = False) -> dict[str, Any]:
    """A service at a location, as /service_at_locations lists it (the service's one-to-one fields), or
    with the service fully nested (`full`, as /service_at_locations/{id} returns it)."""
    service = service_json(sal.service) if full else service_item_json(sal.service)
    service.pop("service_at_locations", None)
    return {
        **_pruned({"id": str(sal.id), "description": sal.description}),
        **sal.extra,
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_json(sal.location),
        "service": service,
    }


def service_json(service: Service) -> dict[str, Any]:
    """A fully nested service, as /services/{id} returns it and as the import reads it."""
    out = service_item_json(service)
    if service.organisation is not None:
        out["organization"] = organisation_json(service.organisation)
    out["service_at_locations"] = [
        {
            **_pruned({"id": str(sal.id), "description": sal.description}),
            **sal.extra,
            "location": location_json(sal.location),
        }
        for sal in service.service_at_locations.all()
    ]
    out["contacts"] = [
        {
            **_pruned(
                {"id": str(c.id), "name": c.name, "title": c.title, "email": c.email, "phones": c.phones}
            ),
            **c.extra,
        }
        for c in service.contacts.all()
    ]
    out["cost_options"] = [
        {
            **_pruned(
                {
                    "id": str(c.id),
                    "option": c.option,
                    "amount": float(c.amount) if c.amount is not None else None,
                    "amount_description": c.amount_description,
                }
            ),
            **c.extra,
        }
        for c in service.cost_options.all()
    ]
    out["schedules"] = [
        {
            **_pruned(
                {
                    "id": str(s.id),
                    "freq": s.freq,
                    "byday": s.byday,
                    "opens_at": _time(s.opens_at),
                    "closes_at": _time(s.closes_at),
                    "valid_from": _date(s.valid_from),
                    "valid_to": _date(s.valid_to),
                    "description": s.description,
                }
            ),
            **s.extra,
        }
        for s in service.schedules.all()
    ]
    out["attributes"] = [
        {
            **_pruned({"id": str(a.id), "link_type": a.link_type, "taxonomy_term_id": str(a.term_id)}),
            **a.extra,
            "taxonomy_term": term_json(a.term),
        }
        for a in service.attributes.all()
    ]
    out[HOMEWARD_KEY] = homeward_settings(service)
    return out


def full_services() -> Any:
    return Service.objects.select_related("organisation").prefetch_related(
        "service_at_locations__location",
        "contacts",
        "cost_options",
        "schedules",
        "attributes__term__taxonomy",
    )


def export_services(services: Iterable[Service] | None = None) -> dict[str, Any]:
    """Every service (or those given), fully nested, in the standard's page envelope."""
    items = [service_json(s) for s in (services if services is not None else full_services().order_by("pk"))]
    return {
        "total_items": len(items),
        "total_pages": 1,
        "page_number": 1,
        "size": len(items),
        "first_page": True,
        "last_page": True,
        "empty": not items,
        "contents": items,
    }


# Import ------------------------------------------------------------------------------------------------


def _services_in(payload: Any) -> tuple[list[Any], str]:
    if isinstance(payload, dict) and "contents" in payload:
        return payload["contents"], "contents"
    if isinstance(payload, list):
        return payload, ""
    if isinstance(payload, dict) and "id" in payload:
        return [payload], ""
    raise ValidationFailed.single(
        "(the file)", "Expected a list of services, a page with 'contents', or one service"
    )


def _parse_time(value: Any) -> dt.time | None:
    if not value:
        return None
    parsed = dt.time.fromisoformat(str(value))
    return parsed.replace(tzinfo=None)


def _check_service(errors: dict[str, str], item: dict[str, Any], root: str) -> None:
    """Rules the schema cannot say: ages in order, schedule days and times, Homeward's settings."""
    low, high = item.get("minimum_age"), item.get("maximum_age")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        errors[f"{root}.minimum_age"] = "Minimum age is above the maximum age"
    for i, schedule in enumerate(item.get("schedules") or []):
        where = f"{root}.schedules[{i}]"
        days = [d.strip().lstrip("+-0123456789") for d in str(schedule.get("byday") or "").split(",") if d]
        bad = [d for d in days if d not in DAYS]
        if bad:
            errors[f"{where}.byday"] = f"Not iCal days (MO,TU,…): {', '.join(bad)}"
        for name in ("opens_at", "closes_at"):
            try:
                _parse_time(schedule.get(name))
            except ValueError:
                errors[f"{where}.{name}"] = f"'{schedule.get(name)}' is not a time like 09:30"
        for name in ("valid_from", "valid_to"):
            if schedule.get(name):
                try:
                    dt.date.fromisoformat(str(schedule[name]))
                except ValueError:
                    errors[f"{where}.{name}"] = f"'{schedule[name]}' is not a date like 2026-01-31"
    for i, option in enumerate(item.get("cost_options") or []):
        if option.get("amount") is not None:
            try:
                Decimal(str(option["amount"]))
            except InvalidOperation:
                errors[f"{root}.cost_options[{i}].amount"] = "Not an amount"
    settings = item.get(HOMEWARD_KEY) or {}
    if not isinstance(settings, dict):
        errors[f"{root}.{HOMEWARD_KEY}"] = "Must be an object"
        return
    if "accepts_referrals" in settings and not isinstance(settings["accepts_referrals"], bool):
        errors[f"{root}.{HOMEWARD_KEY}.accepts_referrals"] = "Must be true or false"
    for name, low_bound in (("capacity", 0), ("acknowledge_within_days", 1)):
        value = settings.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < low_bound):
            errors[f"{root}.{HOMEWARD_KEY}.{name}"] = f"Must be a whole number, {low_bound} or more"


def validate_services(payload: Any) -> list[dict[str, Any]]:
    """Check every service against the standard's schema and Homeward's rules; errors name the path."""
    items, root = _services_in(payload)
    errors: dict[str, str] = {}
    validator = _validator("service")
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"{root}[{index}]"
        for error in validator.iter_errors(item):
            path = json_path(error.absolute_path, where)
            if error.validator == "required" and isinstance(error.instance, dict):
                for name in error.validator_value:
                    if name not in error.instance:
                        errors.setdefault(f"{path}.{name}", "Required, and missing")
                continue
            errors.setdefault(path, error.message)
        if not isinstance(item, dict):
            continue
        if "id" in item:
            if str(item["id"]) in seen:
                errors[f"{where}.id"] = f"The same id as {root}[{seen[str(item['id'])]}]"
            seen[str(item["id"])] = index
        _check_service(errors, item, where)
        if len(errors) >= MAX_ERRORS:
            break
    return [{"path": path, "problem": problem} for path, problem in sorted(errors.items())]


def _own(obj: dict[str, Any], *nested: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in nested}


def _upsert_term(data: dict[str, Any]) -> TaxonomyTerm:
    taxonomy = None
    detail = data.get("taxonomy_detail")
    if isinstance(detail, dict) and detail.get("id"):
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=detail["id"],
            defaults={
                "name": detail.get("name", ""),
                "description": detail.get("description", ""),
                "uri": detail.get("uri", ""),
                "version": detail.get("version", ""),
            },
        )
    elif data.get("taxonomy_id"):
        taxonomy = Taxonomy.objects.filter(id=data["taxonomy_id"]).first()
    if taxonomy is None and data.get("taxonomy"):
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"homeward:taxonomy:{data['taxonomy']}"),
            defaults={"name": data["taxonomy"]},
        )
    term, _ = TaxonomyTerm.objects.update_or_create(
        id=data["id"],
        defaults={
            "taxonomy": taxonomy,
            "name": data.get("name", ""),
            "code": data.get("term") or "",
            "description": data.get("description") or "",
            "parent_id": data.get("parent_id") or None,
            "taxonomy_name": data.get("taxonomy") or "",
            "term_uri": data.get("term_uri") or "",
            "extra": data,
        },
    )
    return term


def _upsert_location(data: dict[str, Any]) -> Location:
    address = next(iter(data.get("addresses") or []), {}) or {}
    postcode = str(address.get("postal_code") or "")
    location, _ = Location.objects.update_or_create(
        id=data["id"],
        defaults={
            "name": data.get("name") or "",
            "description": data.get("description") or "",
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "address_1": address.get("address_1") or "",
            "city": address.get("city") or "",
            "postcode": normalise_postcode(postcode)[:10] if postcode else "",
            "extra": data,
        },
    )
    return location


def _save_service(item: dict[str, Any]) -> Service:
    org = None
    if isinstance(item.get("organization"), dict):
        o = item["organization"]
        org, _ = DirectoryOrganisation.objects.update_or_create(
            id=o["id"],
            defaults={
                "name": o.get("name", ""),
                "description": o.get("description") or "",
                "email": o.get("email") or "",
                "website": o.get("website") or "",
                "extra": o,
            },
        )
    elif item.get("organization_id"):
        org = DirectoryOrganisation.objects.filter(id=item["organization_id"]).first()
    settings = item.get(HOMEWARD_KEY) or {}
    children = (
        "organization",
        "service_at_locations",
        "contacts",
        "cost_options",
        "schedules",
        "attributes",
        HOMEWARD_KEY,
    )
    service, _ = Service.objects.update_or_create(
        id=item["id"],
        defaults={
            "organisation": org,
            "name": item["name"],
            "description": item.get("description") or "",
            "url": item.get("url") or "",
            "email": item.get("email") or "",
            "status": item["status"],
            "minimum_age": item.get("minimum_age"),
            "maximum_age": item.get("maximum_age"),
            "alert": item.get("alert") or "",
            "last_modified": timezone.now(),
            "accepts_referrals": settings.get("accepts_referrals", False),
            "capacity": settings.get("capacity"),
            "acknowledge_within_days": settings.get("acknowledge_within_days", 2),
            "extra": _own(item, *children),
        },
    )
    for related in ("service_at_locations", "contacts", "cost_options", "schedules", "attributes"):
        getattr(service, related).all().delete()
    for sal in item.get("service_at_locations") or []:
        location = _upsert_location(sal["location"]) if isinstance(sal.get("location"), dict) else None
        if location is None and sal.get("location_id"):
            location = Location.objects.filter(id=sal["location_id"]).first()
        if location is not None:
            ServiceAtLocation.objects.create(
                id=sal["id"],
                service=service,
                location=location,
                description=sal.get("description") or "",
                extra=_own(sal, "location"),
            )
    for c in item.get("contacts") or []:
        Contact.objects.create(
            id=c["id"],
            service=service,
            name=c.get("name") or "",
            title=c.get("title") or "",
            email=c.get("email") or "",
            phones=c.get("phones") or [],
            extra=c,
        )
    for c in item.get("cost_options") or []:
        amount = c.get("amount")
        CostOption.objects.create(
            id=c["id"],
            service=service,
            option=c.get("option") or "",
            amount=Decimal(str(amount)) if amount is not None else None,
            amount_description=c.get("amount_description") or "",
            extra=c,
        )
    for s in item.get("schedules") or []:
        Schedule.objects.create(
            id=s["id"],
            service=service,
            freq=s.get("freq") or "",
            byday=s.get("byday") or "",
            opens_at=_parse_time(s.get("opens_at")),
            closes_at=_parse_time(s.get("closes_at")),
            valid_from=s.get("valid_from") or None,
            valid_to=s.get("valid_to") or None,
            description=s.get("description") or "",
            extra=s,
        )
    for a in item.get("attributes") or []:
        term_data = a.get("taxonomy_term") if isinstance(a.get("taxonomy_term"), dict) else None
        term = (
            _upsert_term(term_data)
            if term_data
            else TaxonomyTerm.objects.filter(id=a.get("taxonomy_term_id")).first()
        )
        if term is not None:
            ServiceTerm.objects.create(
                id=a["id"],
                service=service,
                term=term,
                link_type=a.get("link_type") or "",
                extra=_own(a, "taxonomy_term"),
            )
    refresh_search_text(service)
    return service


def refresh_search_text(service: Service) -> None:
    terms = " ".join(service.attributes.values_list("term__name", flat=True))
    service.search_text = f"{service.name} {service.description} {terms}".lower()
    service.save(update_fields=["search_text"])


@transaction.atomic
def import_services(payload: Any) -> int:
    """Validate the whole file first; write nothing if any service is wrong. Returns how many were saved."""
    problems = validate_services(payload)
    if problems:
        raise ValidationFailed({p["path"]: p["problem"] for p in problems})
    items, _root = _services_in(payload)
    for item in items:
        _save_service(item)
    return len(items)
