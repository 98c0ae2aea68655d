"""Early-warning schemes are data: each parameter's band edges give the band's points, a parameter the
scheme scores that was not taken gives no score (never a score from partial data), and a scheme without a
source or terms is refused. The bands below are a test scheme of our own, not a published chart: Homeward
ships no scheme's points (docs/carehomes.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from homeward.carehomes import clinical, scoring
from homeward.carehomes.models import EarlyWarningScheme, Observation
from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Role
from tests.carehomes.conftest import hours_ago
from tests.factories import make_actor

#: (parameter, low, high, points): a made-up test scheme with open-ended outer bands.
NUMERIC = [
    ("pulse", None, 40, 3),
    ("pulse", 41, 90, 0),
    ("pulse", 91, 130, 2),
    ("pulse", 131, None, 3),
    ("respiratory_rate", None, 11, 1),
    ("respiratory_rate", 12, 20, 0),
    ("respiratory_rate", 21, None, 3),
    ("temperature", None, Decimal("35.0"), 3),
    ("temperature", Decimal("35.1"), Decimal("38.0"), 0),
    ("temperature", Decimal("38.1"), None, 1),
]
CATEGORIES = [("consciousness", "alert", 0), ("consciousness", "confusion", 3), ("consciousness", "voice", 3)]


def load(**overrides) -> EarlyWarningScheme:
    bands = [{"parameter": p, "low": lo, "high": hi, "points": pts} for p, lo, hi, pts in NUMERIC] + [
        {"parameter": p, "value": v, "points": pts} for p, v, pts in CATEGORIES
    ]
    fields = {
        "name": "Test scheme",
        "version": "1",
        "source": "tests/carehomes/test_scoring.py (invented for tests)",
        "licence": "Written for Homeward's tests",
        "in_force_from": dt.date(2025, 1, 1),
        "trigger_score": 5,
        "bands": bands,
    } | overrides
    return scoring.load_scheme(**fields)


COMPLETE = {"pulse": 70, "respiratory_rate": 16, "temperature": Decimal("36.8"), "consciousness": "alert"}

EDGES = [
    (param, value, points)
    for param, low, high, points in NUMERIC
    for value in (low, high)
    if value is not None
] + [("consciousness", value, points) for _, value, points in CATEGORIES]


@pytest.mark.parametrize(("parameter", "value", "points"), EDGES)
def test_each_band_edge_gives_the_bands_points(db, parameter, value, points):
    scheme = load()
    assert scoring.score(scheme.bands.all(), COMPLETE | {parameter: value}) == points


@pytest.mark.parametrize(
    ("parameter", "value", "points"),
    [
        ("pulse", 39, 3),
        ("pulse", 200, 3),
        ("temperature", Decimal("38.05"), None),
        ("respiratory_rate", 2, 1),
    ],
)
def test_open_ended_bands_and_gaps(db, parameter, value, points):
    """Values past the outer edges score the outer band; a value between two bands (38.05 where the
    bands stop at 38.0 and start at 38.1) scores nothing rather than a guess."""
    scheme = load()
    assert scoring.score(scheme.bands.all(), COMPLETE | {parameter: value}) == points


@pytest.mark.parametrize("missing", sorted(COMPLETE))
def test_a_missing_parameter_gives_no_score(db, missing):
    scheme = load()
    values = {k: v for k, v in COMPLETE.items() if k != missing}
    assert scoring.score(scheme.bands.all(), values) is None


def test_a_parameter_the_scheme_does_not_score_is_not_needed(db):
    scheme = load()
    assert scoring.score(scheme.bands.all(), COMPLETE | {"systolic": None}) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": " "}, "source"),
        ({"licence": ""}, "licence"),
        ({"bands": []}, "bands"),
        ({"bands": [{"parameter": "pulse", "low": 10, "high": 50, "points": 1}] * 2}, "bands"),
        ({"bands": [{"parameter": "height", "points": 1}]}, "bands[0].parameter"),
        ({"bands": [{"parameter": "pulse", "low": 1, "high": 2, "points": 11}]}, "bands[0].points"),
        ({"bands": [{"parameter": "consciousness", "value": "asleep", "points": 1}]}, "bands[0].value"),
        ({"trigger_score": 0}, "trigger_score"),
    ],
)
def test_an_uncited_or_inconsistent_scheme_is_refused_and_nothing_is_written(db, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        load(**overrides)
    assert field in error.value.errors
    assert not EarlyWarningScheme.objects.exclude(name="NEWS2").exists()  # only the shipped structure


def test_observations_are_scored_only_once_the_organisation_turns_a_scheme_on(world):
    resident = world.admit()
    scheme = load()

    def observe(**values) -> Observation:
        return clinical.record_observations(
            actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(1), **values
        )

    before = observe(**COMPLETE | {"pulse": 120})
    assert before.score is None and not before.is_deterioration
    with pytest.raises(NotAllowed):
        scoring.turn_on_scheme(actor=world.manager, scheme_id=scheme.pk)
    scoring.turn_on_scheme(actor=make_actor(Role.ADMIN, world.provider), scheme_id=scheme.pk)
    calm = observe(**COMPLETE)
    assert (calm.score, calm.scheme, calm.is_deterioration) == (0, scheme, False)
    # pulse 2 + breaths 3 = 5, the trigger: a deterioration.
    unwell = observe(**COMPLETE | {"pulse": 120, "respiratory_rate": 24})
    assert (unwell.score, unwell.is_deterioration) == (5, True)
    # Partial data: no score, so no deterioration from a score.
    partial = observe(pulse=150, respiratory_rate=30)
    assert (partial.score, partial.scheme, partial.is_deterioration) == (None, None, False)


def test_without_a_scheme_new_confusion_or_a_soft_sign_is_a_deterioration(world):
    resident = world.admit()

    def observe(**values) -> Observation:
        return clinical.record_observations(
            actor=world.manager, resident_id=resident.pk, taken_at=hours_ago(1), **values
        )

    assert not observe(pulse=80, consciousness="alert").is_deterioration
    assert observe(pulse=80, consciousness="confusion").is_deterioration
    assert observe(pulse=80, soft_signs=["not_drinking"]).is_deterioration
    assert Observation.objects.filter(score__isnull=False).count() == 0
