"""Scored pairs → decisions: linked (at or above the upper threshold), review (between) or dropped.

Splink has no review queue: the thresholds and the three-way decision are ours. Thresholds are
match probabilities; `threshold_effect` says how many pairs fall each side and what precision and
recall the model itself expects there (from its probabilities, not from any truth).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import polars as pl


class Decision(StrEnum):
    LINKED = "linked"
    REVIEW = "review"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match-probability thresholds: `upper` links automatically, below `lower` is dropped.

    The defaults were chosen on the labelled sets (FEBRL 1–3 and the planted UK set; figures in
    docs/linkage.md): a policy per agreement should be set with `threshold_effect` in view.
    """

    upper: float = 0.95
    lower: float = 0.5

    def __post_init__(self) -> None:
        if not (0.0 < self.lower <= self.upper < 1.0):
            raise ValueError("thresholds need 0 < lower <= upper < 1")

    @property
    def upper_weight(self) -> float:
        return probability_to_weight(self.upper)

    @property
    def lower_weight(self) -> float:
        return probability_to_weight(self.lower)

    def decide(self, match_probability: float) -> Decision:
        if match_probability >= self.upper:
            return Decision.LINKED
        if match_probability >= self.lower:
            return Decision.REVIEW
        return Decision.DROPPED


DEFAULT_THRESHOLDS = Thresholds()
DECISION_DTYPE = pl.Enum([d.value for d in Decision])


def probability_to_weight(probability: float) -> float:
    """Match weight (log2 odds) for a match probability."""
    return math.log2(probability / (1.0 - probability))


def decision_expr(thresholds: Thresholds, column: str = "match_probability") -> pl.Expr:
    probability = pl.col(column)
    return (
        pl.when(probability >= thresholds.upper)
        .then(pl.lit(Decision.LINKED.value))
        .when(probability >= thresholds.lower)
        .then(pl.lit(Decision.REVIEW.value))
        .otherwise(pl.lit(Decision.DROPPED.value))
        .cast(DECISION_DTYPE)
        .alias("decision")
    )


def decide(pairs: pl.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pl.DataFrame:
    """`pairs` (with match_probability) plus a `decision` column."""
    return pairs.with_columns(decision_expr(thresholds))


@dataclass(frozen=True, slots=True)
class ThresholdEffect:
    """How many pairs each side of the thresholds, and the model's own expectation of accuracy."""

    linked: int
    review: int
    dropped: int
    expected_true_links: float  # sum of probabilities over linked pairs
    expected_precision_linked: float | None  # mean probability of linked pairs
    expected_matches_in_review: float


def threshold_effect(pairs: pl.DataFrame, thresholds: Thresholds) -> ThresholdEffect:
    """Counts per decision and precision expected from the model's probabilities (no truth used).

    Pairs that already carry a `decision` (e.g. a link sent to review by single-best-links) keep it.
    """
    decided = pairs if "decision" in pairs.columns else decide(pairs, thresholds)
    summary = {
        row["decision"]: row
        for row in decided.group_by("decision")
        .agg(pl.len().alias("n"), pl.col("match_probability").sum().alias("p"))
        .iter_rows(named=True)
    }

    def count(d: Decision) -> int:
        return int(summary[d.value]["n"]) if d.value in summary else 0

    def mass(d: Decision) -> float:
        return float(summary[d.value]["p"]) if d.value in summary else 0.0

    linked = count(Decision.LINKED)
    return ThresholdEffect(
        linked=linked,
        review=count(Decision.REVIEW),
        dropped=count(Decision.DROPPED),
        expected_true_links=mass(Decision.LINKED),
        expected_precision_linked=mass(Decision.LINKED) / linked if linked else None,
        expected_matches_in_review=mass(Decision.REVIEW),
    )
