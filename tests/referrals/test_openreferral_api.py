"""The Open Referral UK API over real HTTP on hand-built services: the age filters read a missing limit as
the profile means it, the day and time filters, /service_at_locations against the UK profile's schema, the
CORS header, one error shape, and the spatial prefilter behind `proximity` with a postcode or a point."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from homeward.referrals import directory, geo, openreferral
from homeward.referrals.demo import ensure_taxonomies, term_id
from homeward.referrals.models import Location, Schedule, Service, ServiceAtLocation, ServiceTerm

pytestmark = pytest.mark.django_db(transaction=True)

STANDARD = Path(__file__).resolve().parent / "data" / "open-referral-uk" / "schema" / "compiled"


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((STANDARD / name).read_text()), format_checker=FormatChecker())


@pytest.fixture
def oruk(live_server):
    urllib.request.urlopen(f"{live_server.url}/openreferral/", timeout=120).read()  # first answer is slow

    def get(path: str, **headers: str):
        request = urllib.request.Request(f"{live_server.url}/openreferral{path}")
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers.items()), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), json.loads(error.read() or b"null")

    return get


def _service(name, *, low=None, high=None, days="MO,TU,WE,TH,FR", opens=9, closes=17, at=(53.48, -2.24)):
    terms = ensure_taxonomies()
    service = Service.objects.create(name=name, status="active", minimum_age=low, maximum_age=high)
    location = Location.objects.create(name=f"{name} centre", latitude=at[0], longitude=at[1])
    ServiceAtLocation.objects.create(service=service, location=location)
    ServiceTerm.objects.create(service=service, term=terms["Debt and money advice"])
    Schedule.objects.create(service=service, byday=days, opens_at=dt.time(opens), closes_at=dt.time(closes))
    openreferral.refresh_search_text(service)
    return service


def _names(body) -> set[str]:
    return {item["name"] if "name" in item else item["service"]["name"] for item in body["contents"]}


@pytest.fixture
def services(db):
    return {
        "adults": _service("Adults (18+, no maximum)", low=18),
        "children": _service("Children (5 to 10)", low=5, high=10),
        "youth": _service("Youth (11 to 25)", low=11, high=25),
        "anyone": _service("Anyone (no limits)"),
        "under_8": _service("Under 8s (no minimum)", high=8),
        "weekend": _service("Saturday mornings", days="SA", opens=10, closes=12),
        "evening": _service("Weekday evenings", days="MO,WE", opens=18, closes=21),
    }


def test_age_filters_read_a_missing_limit_as_the_profile_means_it(oruk, services):
    # maximum_age=N: services whose maximum is at most N. A service without a maximum has no upper limit.
    status, _, body = oruk("/services?maximum_age=10&per_page=200")
    assert status == 200 and _names(body) == {"Children (5 to 10)", "Under 8s (no minimum)"}
    # minimum_age=N: services whose minimum is at least N. A service without a minimum starts at 0.
    assert _names(oruk("/services?minimum_age=11&per_page=200")[2]) == {
        "Adults (18+, no maximum)",
        "Youth (11 to 25)",
    }
    assert "Anyone (no limits)" in _names(oruk("/services?minimum_age=0&per_page=200")[2])
    assert "Anyone (no limits)" not in _names(oruk("/services?minimum_age=1&per_page=200")[2])
    both = oruk("/services?minimum_age=5&maximum_age=25&per_page=200")[2]
    assert _names(both) == {"Children (5 to 10)", "Youth (11 to 25)"}


def test_day_and_time_filters_apply_to_one_schedule(oruk, services):
    saturday = _names(oruk("/services?day=SA&per_page=200")[2])
    assert saturday == {"Saturday mornings"}
    assert _names(oruk("/services?day=saturday&per_page=200")[2]) == saturday
    evening = _names(oruk("/services?start_time=17:30&per_page=200")[2])
    assert evening == {"Weekday evenings"}
    morning = _names(oruk("/services?end_time=12:00&per_page=200")[2])
    assert morning == {"Saturday mornings"}
    assert _names(oruk("/services?day=MO&start_time=09:00&end_time=17:00&per_page=200")[2]) == {
        s.name for k, s in services.items() if k not in ("weekend", "evening")
    }
    assert oruk("/services?day=SU&per_page=200")[2]["total_items"] == 0


def test_service_at_locations_validate_against_the_uk_profile(oruk, services):
    status, headers, body = oruk("/service_at_locations?per_page=3&page=2")
    assert status == 200 and (body["total_items"], body["page_number"], body["size"]) == (7, 2, 3)
    item_schema = _validator("service_at_location_list.json")
    for item in body["contents"]:
        assert not list(item_schema.iter_errors(item)), item
    one = oruk(f"/service_at_locations/{body['contents'][0]['id']}")
    assert one[0] == 200 and not list(_validator("service_at_location.json").iter_errors(one[2]))
    assert one[2]["service"]["schedules"]  # fully nested
    filtered = oruk("/service_at_locations?maximum_age=10&day=MO&per_page=200")[2]
    assert _names(filtered) == {"Children (5 to 10)", "Under 8s (no minimum)"}
    assert oruk("/service_at_locations/00000000-0000-4000-8000-000000000000")[0] == 404


def test_the_read_only_api_allows_any_origin(oruk, services):
    for path in ("/", "/services", "/service_at_locations", "/taxonomies", "/services?page=0", "/nothing"):
        status, headers, _ = oruk(path, Origin="https://directory.example.org")
        assert headers.get("Access-Control-Allow-Origin") == "*", (path, status)


INVALID = [
    ("page=0", "page"),
    ("page=x", "page"),
    ("per_page=0", "per_page"),
    ("per_page=many", "per_page"),
    ("minimum_age=old", "minimum_age"),
    ("maximum_age=-1", "maximum_age"),
    ("day=someday", "day"),
    ("start_time=9am", "start_time"),
    ("end_time=25:00", "end_time"),
    ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
    ("taxonomy_term_id=00000000-0000-4000-8000-000000000000", "taxonomy_term_id"),
    ("postcode=M14&proximity=0", "proximity"),
    ("postcode=ZZ99%209ZZ", "postcode"),
    ("lat=95&lon=-2.2", "lat"),
]


def test_every_invalid_query_has_one_shape_naming_the_parameter(oruk):
    for query, field in INVALID:
        for endpoint in ("/services", "/service_at_locations"):
            status, _, body = oruk(f"{endpoint}?{query}")
            assert status == 400, (endpoint, query, body)
            assert set(body) == {"status", "message", "errors"} and body["status"] == 400
            assert [e["field"] for e in body["errors"]] == [field], (endpoint, query)


def test_proximity_from_a_postcode_or_a_point_uses_the_spatial_prefilter(oruk):
    centre = geo.locate("M14 5TQ")
    assert centre is not None
    lat, lon = centre
    near = _service("Near", at=(lat + 0.005, lon))  # about 0.6 km
    _service("Middle", at=(lat + 0.02, lon))  # about 2.2 km
    _service("Far", at=(lat + 0.2, lon))  # about 22 km, several latitude bands away
    _service("West", at=(lat, lon - 0.1))  # about 6.6 km, same band
    by_postcode = oruk("/services?postcode=M14%205TQ&proximity=3000")[2]
    assert [s["name"] for s in by_postcode["contents"]] == ["Near", "Middle"]
    by_point = oruk(f"/services?lat={lat}&lon={lon}&proximity=3000")[2]
    assert [s["name"] for s in by_point["contents"]] == ["Near", "Middle"]
    wide = oruk(f"/services?lat={lat}&lon={lon}&proximity=30000")[2]
    assert [s["name"] for s in wide["contents"]] == ["Near", "Middle", "West", "Far"]
    at_locations = oruk(f"/service_at_locations?lat={lat}&lon={lon}&proximity=1000")[2]
    assert [s["service"]["name"] for s in at_locations["contents"]] == ["Near"]
    assert Location.objects.get(service_at_locations__service=near).lat_band == geo.lat_band(lat + 0.005)


def test_a_box_across_band_edges_finds_every_location_a_full_scan_finds():
    """The prefilter misses nothing: compare with the distance worked out for every location."""
    need = str(term_id(directory.NEEDS_TAXONOMY, "Debt and money advice"))
    centre = (53.4999, -2.25)  # just under a band edge (53.50 / 0.05)
    for i in range(40):
        _service(f"S{i}", at=(centre[0] + (i - 20) * 0.004, centre[1] + (i % 7 - 3) * 0.01))
    for km in (0.5, 2, 5):
        search = directory.ServiceSearch(need=need, latitude=centre[0], longitude=centre[1], within_km=km)
        found = {s.name for s in directory.search_services(search)}
        expected = {
            s.name
            for s in Service.objects.prefetch_related("service_at_locations__location")
            if any(
                geo.distance_km(centre, (sal.location.latitude, sal.location.longitude)) <= km * 0.995
                for sal in s.service_at_locations.all()
            )
        }
        assert expected <= found and len(found - expected) <= 1, km  # flat-earth vs haversine at the rim


def test_the_place_index_follows_the_directory():
    from homeward.referrals.models import ServicePlace

    need = str(term_id(directory.NEEDS_TAXONOMY, "Debt and money advice"))
    service = _service("Moving advice", at=(53.48, -2.24))
    assert ServicePlace.objects.filter(service=service).count() == 2  # its need, and the term-less row

    def found() -> bool:
        search = directory.ServiceSearch(need=need, latitude=53.48, longitude=-2.24, within_km=1)
        return service in set(directory.search_services(search))

    assert found()
    location = Location.objects.get(service_at_locations__service=service)
    location.latitude = 53.70  # about 24 km north: another band
    location.save()
    assert not found()
    location.latitude = 53.48
    location.save()
    assert found()
    ServiceAtLocation.objects.filter(service=service).delete()  # rebuilt when the deletion commits
    assert not found() and not ServicePlace.objects.filter(service=service).exists()
