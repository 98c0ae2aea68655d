"""The page where an organisation's administrator turns a published early-warning scheme on or off: each
scheme shows its source and terms; the shipped NEWS2 structure has no rules loaded, says so and is
refused."""

from __future__ import annotations

import pytest

from homeward.carehomes import clinical, scoring
from homeward.carehomes.models import EarlyWarningScheme, SchemeInUse
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from tests.carehomes.conftest import hours_ago
from tests.carehomes.test_pages import client_for
from tests.carehomes.test_scoring import COMPLETE, load
from tests.factories import make_actor


@pytest.fixture
def admin(world):
    return make_actor(Role.ADMIN, world.provider)


def news2() -> EarlyWarningScheme:
    return EarlyWarningScheme.objects.get(name="NEWS2")


def test_news2_is_shipped_as_structure_only_with_its_source_and_no_points(db):
    scheme = news2()
    assert scheme.bands.count() == 0 and scheme.trigger_score is None
    assert "Royal College of Physicians" in scheme.source and "ISBN" in scheme.source
    assert "No bands or points are shipped" in scheme.licence
    assert set(scheme.parameters) == {
        "respiratory_rate",
        "oxygen_saturation",
        "on_oxygen",
        "systolic",
        "pulse",
        "consciousness",
        "temperature",
    }
    assert not scoring.has_rules(scheme)


def test_a_scheme_with_no_rules_cannot_be_turned_on(world, admin):
    with pytest.raises(ValidationFailed) as error:
        scoring.turn_on_scheme(actor=admin, scheme_id=news2().pk)
    assert "no rules loaded" in error.value.errors["scheme_id"]
    assert not SchemeInUse.objects.exists()


def test_the_page_shows_source_terms_and_no_rules_and_refuses_news2(world, admin):
    client = client_for(admin)
    body = client.get("/carehomes/early-warning/").content.decode()
    assert "No scheme is on" in body
    assert (
        "Royal College of Physicians" in body and "No rules loaded" in body and "cannot be turned on" in body
    )
    response = client.post("/carehomes/early-warning/", {"scheme": news2().pk})
    body = response.content.decode()
    assert response.status_code == 400 and "nhsuk-error-summary" in body and "no rules loaded" in body
    assert f'value="{news2().pk}" selected' in body  # what was chosen is kept
    assert not SchemeInUse.objects.exists()


def test_the_administrator_turns_a_loaded_scheme_on_and_off_and_observations_follow(world, admin):
    scheme = load()
    resident = world.admit()
    client = client_for(admin)
    assert "13 bands" in client.get("/carehomes/early-warning/").content.decode()
    assert client.post("/carehomes/early-warning/", {"scheme": scheme.pk}).status_code == 302
    assert scoring.scheme_for(world.provider.pk) == scheme
    assert "<strong>Test scheme 1</strong>" in client.get("/carehomes/early-warning/").content.decode()
    scored = clinical.record_observations(
        actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(2), **COMPLETE
    )
    assert scored.score == 0
    assert client.post("/carehomes/early-warning/", {"scheme": "off"}).status_code == 302
    assert scoring.scheme_for(world.provider.pk) is None
    unscored = clinical.record_observations(
        actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(1), **COMPLETE
    )
    assert unscored.score is None


def test_only_an_administrator_sees_the_page(world):
    assert client_for(world.manager).get("/carehomes/early-warning/").status_code == 403
    assert client_for(world.manager).post("/carehomes/early-warning/", {"scheme": "off"}).status_code == 403
