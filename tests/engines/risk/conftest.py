"""Risk-engine fixtures: one planted synthetic set per session (no database needed)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from homeward.engines.risk import Extracts, compute_features, generate, outcome_labels


@pytest.fixture(scope="session")
def planted():
    return generate(20_000, 400_000, seed=8)


@pytest.fixture(scope="session")
def planted_features(planted):
    ex = Extracts.from_frames(**{k: v for k, v in planted.tables.items() if k != "outcomes"})
    features = compute_features(ex, as_of=planted.as_of)
    labels = outcome_labels(features["tenancy_ref"], planted.tables["outcomes"], as_of=planted.as_of)
    return features, labels


@pytest.fixture(scope="session")
def planted_training(planted_features):
    """The even-numbered half of the planted set (the odd half is held out)."""
    features, labels = planted_features
    train = np.arange(features.height) % 2 == 0
    return features.filter(pl.Series(train)), labels[train]
