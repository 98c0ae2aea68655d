"""The service directory: Open Referral UK import/export and API, and search by need, place, age and hours."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from homeward.core.errors import ValidationFailed
from homeward.referrals import directory, openreferral
from homeward.referrals.demo import build_directory, ensure_taxonomies, term_id
from homeward.referrals.models import Schedule, Service, ServiceAtLocation, TaxonomyTerm
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

# The standard's schemas and examples, copied unchanged from ../shared/standards (see data/.../SOURCE.md).
STANDARD = Path(__file__).resolve().parent / "data" / "open-referral-uk"


def _example(name: str):
    return json.loads((STANDARD / "examples" / name).read_text())


def _schema(name: str):
    return json.loads((STANDARD / "schema" / name).read_text())


def _assert_contains(expected, actual, path="$"):
    """Every field of `expected` is in `actual` with the same value (numbers compared as numbers)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} lost"
            _assert_contains(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            _assert_contains(a, b, f"{path}[{i}]")
    else:
        assert expected == actual, f"{path}: {expected!r} became {actual!r}"


def test_the_standards_example_service_survives_import_and_export_field_for_field():
    example = _example("service_full.json")
    assert openreferral.import_services(example) == 1
    exported = openreferral.export_services()["contents"][0]
    _assert_contains(example, exported)


def test_export_then_import_round_trips_a_whole_directory():
    build_directory(30, seed=11)
    first = openreferral.export_services()
    Service.objects.all().delete()
    assert openreferral.import_services(json.loads(json.dumps(first))) == 30
    second = openreferral.export_services()
    assert second == first


def test_exported_services_match_the_standards_schema():
    build_directory(10, seed=3)
    validator = Draft202012Validator(_schema("compiled/service.json"), format_checker=FormatChecker())
    for item in openreferral.export_services()["contents"]:
        assert not list(validator.iter_errors(item))


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda s: s.pop("name"), "[0].name"),
        (lambda s: s.update(status="open"), "[0].status"),
        (lambda s: s["schedules"][0].update(opens_at="25:99"), "[0].schedules[0].opens_at"),
        (lambda s: s["schedules"][0].update(byday="MONDAY"), "[0].schedules[0].byday"),
        (lambda s: s.update(id="not-a-uuid"), "[0].id"),
        (lambda s: s.update(minimum_age=90, maximum_age=20), "[0].minimum_age"),
        (lambda s: s.update(x_homeward={"capacity": -1}), "[0].x_homeward.capacity"),
    ],
)
def test_a_bad_file_is_refused_with_the_path_of_the_bad_field_and_nothing_saved(change, path):
    good = _example("service_full.json")
    bad = copy.deepcopy(good)
    bad["id"] = "5f0e6f5c-3a3b-4b8e-9a57-6a3f1f2c9d10"
    change(bad)
    with pytest.raises(ValidationFailed) as caught:
        openreferral.import_services([good, bad])
    assert set(caught.value.errors) == {"[1]" + path[3:]}
    assert not Service.objects.exists()


def test_the_import_page_lists_problems_by_path(client, django_user_model):
    from homeward.core.roles import Role
    from tests.factories import MembershipFactory

    admin = MembershipFactory(role=Role.ADMIN)
    client.force_login(admin.user)
    bad = _example("service_full.json")
    bad["status"] = "open"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("dir.json", json.dumps([bad]).encode(), content_type="application/json")
    response = client.post("/referrals/directory/import/", {"file": upload})
    assert response.status_code == 400
    assert "[0].status" in response.content.decode()
    assert not Service.objects.exists()
    good = SimpleUploadedFile("dir.json", json.dumps(_example("service_full.json")).encode())
    assert client.post("/referrals/directory/import/", {"file": good}).status_code == 302
    assert Service.objects.count() == 1


@pytest.fixture
def oruk(live_server) -> ApiClient:
    return ApiClient(f"{live_server.url}/openreferral")


def test_the_open_referral_api_answers_in_the_standards_shapes(oruk):
    build_directory(25, seed=8)
    openreferral.import_services(_example("service_full.json"))
    page = oruk("GET", "/services?per_page=10&page=2")
    assert page.status == 200
    assert (page.body["total_items"], page.body["page_number"], page.body["size"]) == (26, 2, 10)
    item_schema = Draft202012Validator(_schema("compiled/service_list.json"), format_checker=FormatChecker())
    for item in page.body["contents"]:
        assert not list(item_schema.iter_errors(item))
    one = oruk("GET", f"/services/{page.body['contents'][0]['id']}")
    full_schema = Draft202012Validator(_schema("compiled/service.json"), format_checker=FormatChecker())
    assert one.status == 200 and not list(full_schema.iter_errors(one.body))
    taxonomies = oruk("GET", "/taxonomies")
    taxonomy_schema = Draft202012Validator(_schema("taxonomy.json"))
    assert taxonomies.body["total_items"] >= 2
    for item in taxonomies.body["contents"]:
        assert not list(taxonomy_schema.iter_errors(item))
    debt = term_id(directory.NEEDS_TAXONOMY, "Debt and money advice")
    filtered = oruk("GET", f"/services?taxonomy_term_id={debt}&per_page=200")
    expected = Service.objects.filter(attributes__term_id=debt).count()
    assert filtered.body["total_items"] == expected
    assert oruk("GET", "/services/00000000-0000-4000-8000-000000000000").status == 404
    assert oruk("GET", "/services?per_page=0").status == 400


def _service_at(name, lat, lon, *, need="Debt and money advice", low=None, high=None, days="MO,TU,WE,TH,FR"):
    terms = ensure_taxonomies()
    service = Service.objects.create(name=name, status="active", minimum_age=low, maximum_age=high)
    from homeward.referrals.models import Location, ServiceTerm

    location = Location.objects.create(name=name, latitude=lat, longitude=lon)
    ServiceAtLocation.objects.create(service=service, location=location)
    ServiceTerm.objects.create(service=service, term=terms[need])
    Schedule.objects.create(service=service, byday=days, opens_at=dt.time(9), closes_at=dt.time(17))
    openreferral.refresh_search_text(service)
    return service


def test_search_finds_the_nearest_services_for_a_need_within_the_distance():
    from homeward.referrals import geo

    centre = geo.locate("M14 5TQ")
    assert centre is not None
    lat, lon = centre
    near = _service_at("Near debt advice", lat + 0.005, lon)  # about 0.6 km north
    middle = _service_at("Middle debt advice", lat + 0.02, lon)  # about 2.2 km
    _service_at("Far debt advice", lat + 0.2, lon)  # about 22 km
    _service_at("Near walking group", lat, lon + 0.001, need="Physical activity")
    need = str(term_id(directory.NEEDS_TAXONOMY, "Debt and money advice"))
    found = list(
        directory.search_services(directory.ServiceSearch(need=need, postcode="M14 5TQ", within_km=5))
    )
    assert found == [near, middle]
    assert found[0].distance_km == pytest.approx(geo.distance_km(centre, (lat + 0.005, lon)), rel=0.01)


def test_search_by_age_and_opening_hours():
    young = _service_at("Youth advice", 53.48, -2.24, low=16, high=25)
    anyone = _service_at("Advice for all", 53.48, -2.24)
    weekend = _service_at("Saturday advice", 53.48, -2.24, days="SA")
    assert set(directory.search_services(directory.ServiceSearch(age=70))) == {anyone, weekend}
    tuesday_10am = timezone.make_aware(dt.datetime(2026, 11, 24, 10, 0))
    open_now = set(directory.search_services(directory.ServiceSearch(open_now=True), now=tuesday_10am))
    assert open_now == {young, anyone}
    saturday_8pm = timezone.make_aware(dt.datetime(2026, 11, 28, 20, 0))
    assert not directory.search_services(directory.ServiceSearch(open_now=True), now=saturday_8pm).exists()


@pytest.mark.parametrize(
    "search, field",
    [
        (directory.ServiceSearch(postcode="ZZ99 9ZZ"), "postcode"),
        (directory.ServiceSearch(postcode="M14", within_km=500), "within_km"),
        (directory.ServiceSearch(need="debt"), "need"),
        (directory.ServiceSearch(age=300), "age"),
    ],
)
def test_bad_searches_name_the_field(search, field):
    with pytest.raises(ValidationFailed) as caught:
        directory.search_services(search)
    assert field in caught.value.errors


def test_the_directory_page_searches_and_shows_a_service(client):
    from homeward.core.roles import Role
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(role=Role.CASEWORKER).user)
    service = _service_at("Northgate debt advice line", 53.48, -2.24)
    need = TaxonomyTerm.objects.get(name="Debt and money advice").pk
    page = client.get("/referrals/directory/", {"need": need, "postcode": "M14", "within_km": 20})
    assert page.status_code == 200 and "Northgate debt advice line" in page.content.decode()
    bad = client.get("/referrals/directory/", {"postcode": "ZZ99 9ZZ"})
    assert bad.status_code == 400 and "We do not know where that postcode is" in bad.content.decode()
    detail = client.get(f"/referrals/directory/{service.pk}/")
    assert detail.status_code == 200 and "Does not take referrals through Homeward" in detail.content.decode()


def test_a_directory_file_with_a_control_character_imports_nothing_and_names_the_path():
    from homeward.core.errors import ValidationFailed
    from homeward.referrals.directory_services import import_directory

    bad = _example("service_full.json")
    bad["name"] = "Money\x1b advice"
    with pytest.raises(ValidationFailed) as caught:
        import_directory(actor=None, payload=[bad])
    assert list(caught.value.errors) == ["[0].name"]
    assert not Service.objects.exists()
