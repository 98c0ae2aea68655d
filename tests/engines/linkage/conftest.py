"""Linkage-engine fixtures: one planted synthetic UK set and its trained model per session."""

from __future__ import annotations

import logging

import polars as pl
import pytest

from homeward.engines.linkage import (
    IncrementalLinker,
    TrainingOptions,
    combine_sources,
    generate_uk,
    link_records,
)

# Test-sized training: fewer random pairs for u than the default (the figures are still printed).
TEST_OPTIONS = TrainingOptions(u_max_pairs=3e5, em_max_pairs=5e5)


@pytest.fixture(scope="session")
def test_options() -> TrainingOptions:
    return TEST_OPTIONS


@pytest.fixture(autouse=True, scope="session")
def _quiet_splink():
    logging.getLogger("splink").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def planted():
    """Housing and hospital records (5,000 each, 2,500 people in both) with planted errors."""
    return generate_uk(5_000, 5_000, overlap=0.5, seed=2026)


@pytest.fixture(scope="session")
def planted_records(planted) -> pl.DataFrame:
    return combine_sources({"housing": planted.left, "hospital": planted.right})


@pytest.fixture(scope="session")
def planted_run(planted_records):
    return link_records(planted_records, options=TEST_OPTIONS)


@pytest.fixture(scope="session")
def model(planted_run):
    return planted_run.model


@pytest.fixture(scope="session")
def incremental(model, planted_records):
    return IncrementalLinker(model, planted_records, duplicate_free_sources=[])
