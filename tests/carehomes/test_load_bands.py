"""The page where an organisation's administrator loads an early-warning scheme's bands from a CSV file (or
pasted) as a new version with its source: the band edges then give the points loaded, a missing parameter
gives no score, and a bad file is refused all or nothing, each problem naming its row and column, with what
was typed kept. The bands are the made-up test scheme of test_scoring.py, not a published chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from homeward.carehomes import bands, clinical, scoring
from homeward.carehomes.models import EarlyWarningBand, EarlyWarningScheme
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.carehomes.conftest import hours_ago
from tests.carehomes.test_pages import client_for
from tests.carehomes.test_scoring import CATEGORIES, COMPLETE, EDGES, NUMERIC
from tests.factories import make_actor

URL = "/carehomes/early-warning/load/"


def csv_text(numeric=NUMERIC, categories=CATEGORIES) -> str:
    lines = ["parameter,low,high,value,points"]
    lines += [
        f"{p},{'' if lo is None else lo},{'' if hi is None else hi},,{pts}" for p, lo, hi, pts in numeric
    ]
    lines += [f"{p},,,{v},{pts}" for p, v, pts in categories]
    return "\r\n".join(lines) + "\r\n"


FIELDS = {
    "name": "Test scheme",
    "version": "2026-a",
    "source": "tests/carehomes/test_scoring.py (invented for tests)",
    "licence": "Written for Homeward's tests",
    "in_force_from": "01/01/2025",
    "trigger_score": "5",
}


@pytest.fixture
def admin(world):
    return make_actor(Role.ADMIN, world.provider)


def loaded() -> list[EarlyWarningScheme]:
    return list(EarlyWarningScheme.objects.exclude(name="NEWS2"))


def test_an_uploaded_file_becomes_a_new_version_whose_band_edges_give_the_points_loaded(world, admin):
    client = client_for(admin)
    upload = SimpleUploadedFile("bands.csv", ("\ufeff" + csv_text()).encode(), content_type="text/csv")
    response = client.post(URL, FIELDS | {"bands_file": upload, "turn_on": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    (scheme,) = loaded()
    assert (scheme.version, scheme.source, scheme.trigger_score) == (
        "2026-a",
        FIELDS["source"],
        5,
    )
    assert scheme.bands.count() == len(NUMERIC) + len(CATEGORIES)
    assert scoring.scheme_for(world.provider.pk) == scheme
    assert AuditEvent.objects.filter(
        purpose="Load an early-warning scheme's bands", object_id=str(scheme.pk)
    ).exists()
    for parameter, value, points in EDGES:
        assert scoring.score(scheme.bands.all(), COMPLETE | {parameter: value}) == points, (parameter, value)
    # Observations recorded from now on score under it; a missing parameter gives no score.
    resident = world.admit()
    unwell = clinical.record_observations(
        actor=world.manager,
        resident_id=resident.pk,
        taken_at=hours_ago(2),
        **COMPLETE | {"pulse": 131, "respiratory_rate": 21},
    )
    assert (unwell.score, unwell.scheme, unwell.is_deterioration) == (6, scheme, True)
    partial = dict(COMPLETE)
    partial.pop("temperature")
    unscored = clinical.record_observations(
        actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(1), **partial
    )
    assert unscored.score is None and unscored.scheme is None
    page = client.get("/carehomes/early-warning/").content.decode()
    assert "Test scheme 2026-a" in page and "13 bands" in page


def test_pasted_bands_load_without_turning_the_scheme_on(world, admin):
    response = client_for(admin).post(URL, FIELDS | {"bands": csv_text()})
    assert response.status_code == 302
    assert len(loaded()) == 1 and scoring.scheme_for(world.provider.pk) is None


def test_a_bad_file_names_each_row_and_column_writes_nothing_and_keeps_what_was_typed(world, admin):
    text = csv_text() + "pulse,abc,,,1\r\ntemperature,,,,11\r\nheight,1,2,,1\r\nconsciousness,,,asleep,2\r\n"
    upload = SimpleUploadedFile("bands.csv", text.encode(), content_type="text/csv")
    response = client_for(admin).post(URL, FIELDS | {"bands_file": upload, "source": "RCP 2017"})
    body = response.content.decode()
    assert response.status_code == 400 and "nhsuk-error-summary" in body
    first = len(NUMERIC) + len(CATEGORIES) + 1  # the first bad row; the header is line 1
    assert f"Row {first} (line {first + 1}), low: Must be a number" in body
    assert f"Row {first + 1} (line {first + 2}), points: Points must be a whole number from 0 to 10" in body
    assert f"Row {first + 2} (line {first + 3}), parameter: Unknown parameter" in body
    assert f"Row {first + 3} (line {first + 4}), value: Choose one of" in body
    assert not loaded() and not EarlyWarningBand.objects.exists()
    # What was typed stays: the fields, and the uploaded file's text in the paste box.
    assert 'value="2026-a"' in body and "RCP 2017" in body and "height,1,2,,1" in body


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("pulse,low,high\r\npulse,,40,3\r\n", "Line 1 must be the header parameter,low,high,value,points"),
        ("parameter,low,high,value,points\r\npulse,,40,3\r\n", "Row 1 (line 2) has 4 columns; it needs 5"),
        ("parameter,low,high,value,points\r\n", "The file has a header but no bands"),
        ("parameter,low,high,value,points\r\npulse,,50,,1\r\npulse,41,90,,0\r\n", "overlap: rows 1 and 2"),
        ("parameter,low,high,value,points\r\npulse,35.25,90,,0\r\n", "low: At most one decimal place"),
        ("parameter,low,high,value,points\r\nconsciousness,1,,alert,0\r\n", "low: Leave blank"),
        ("", "Upload a bands file or paste the bands"),
    ],
)
def test_a_misshapen_file_is_refused_naming_the_problem(world, admin, bands, message):
    response = client_for(admin).post(URL, FIELDS | {"bands": bands})
    assert response.status_code == 400 and message in response.content.decode()
    assert not loaded()


def test_the_rest_of_the_form_is_checked_too_when_the_file_is_bad(world, admin):
    response = client_for(admin).post(URL, FIELDS | {"bands": "nonsense", "source": " ", "trigger_score": ""})
    body = response.content.decode()
    assert response.status_code == 400 and "Line 1 must be the header" in body
    assert body.count("This field is required") >= 2  # the source and the trigger score
    # The service, too, reports every problem at once.
    with pytest.raises(ValidationFailed) as error:
        bands.load_scheme_file(
            actor=admin,
            name="Test scheme",
            version="1",
            source="",
            licence="Written for Homeward's tests",
            in_force_from=dt.date(2025, 1, 1),
            trigger_score=500,
            bands="nonsense",
        )
    assert {"source", "trigger_score", "bands"} <= set(error.value.errors)
    assert not loaded()


def test_a_file_that_is_not_utf8_text_is_refused(world, admin):
    upload = SimpleUploadedFile("bands.csv", b"\xff\xfe\x00p\x00a", content_type="text/csv")
    response = client_for(admin).post(URL, FIELDS | {"bands_file": upload})
    assert response.status_code == 400 and "The file must be CSV text in UTF-8" in response.content.decode()
    assert not loaded()


def test_a_version_of_news2_must_band_every_parameter_its_structure_scores(world, admin):
    response = client_for(admin).post(URL, FIELDS | {"name": "NEWS2", "bands": csv_text()})
    body = response.content.decode()
    assert response.status_code == 400
    assert "NEWS2 also scores on_oxygen, oxygen_saturation, systolic: there are no bands for them" in body
    assert EarlyWarningScheme.objects.filter(name="NEWS2").count() == 1  # the shipped structure only


def test_the_same_version_twice_is_refused(world, admin):
    client = client_for(admin)
    assert client.post(URL, FIELDS | {"bands": csv_text()}).status_code == 302
    response = client.post(URL, FIELDS | {"bands": csv_text()})
    assert response.status_code == 400 and "already loaded" in response.content.decode()
    assert len(loaded()) == 1


def test_only_an_administrator_loads_bands(world):
    client = client_for(world.manager)
    assert client.get(URL).status_code == 403
    assert client.post(URL, FIELDS | {"bands": csv_text()}).status_code == 403
    assert not loaded()


def test_the_early_warning_page_links_news2_to_the_load_page(world, admin):
    body = client_for(admin).get("/carehomes/early-warning/").content.decode()
    assert f'href="{URL}?name=NEWS2"' in body
    form = client_for(admin).get(f"{URL}?name=NEWS2").content.decode()
    assert 'value="NEWS2"' in form and "it scores respiratory_rate" in form
