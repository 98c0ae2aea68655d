"""Precision, recall and F1 of a run's decisions against known truth (labelled data only).

Truth is a set of record pairs; it is read here, after the run, and is never an input to the model.
Pairs are compared without orientation: (a, b) and (b, a) are the same pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from homeward.engines.linkage.fields import RECORD_ID, SOURCE


@dataclass(frozen=True, slots=True)
class Evaluation:
    true_pairs: int
    predicted_pairs: int
    true_positives: int

    @property
    def false_positives(self) -> int:
        return self.predicted_pairs - self.true_positives

    @property
    def false_negatives(self) -> int:
        return self.true_pairs - self.true_positives

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f}, recall {self.recall:.4f}, F1 {self.f1:.4f} "
            f"({self.true_positives:,} of {self.true_pairs:,} true pairs; {self.false_positives:,} false)"
        )


def _unordered(pairs: pl.DataFrame) -> pl.DataFrame:
    left = pl.concat_str([pl.col("source_l"), pl.lit("\x1f"), pl.col("record_id_l")])
    right = pl.concat_str([pl.col("source_r"), pl.lit("\x1f"), pl.col("record_id_r")])
    return pairs.select(
        pl.min_horizontal(left, right).alias("a"), pl.max_horizontal(left, right).alias("b")
    ).unique()


def truth_from_clusters(records: pl.DataFrame, cluster: str) -> pl.DataFrame:
    """All pairs of records (source, record_id) that share a `cluster` value (within and across sources)."""
    keyed = records.select(pl.col(SOURCE), pl.col(RECORD_ID), pl.col(cluster))
    pairs = keyed.join(keyed, on=cluster, suffix="_r").rename({SOURCE: "source_l", RECORD_ID: "record_id_l"})
    return pairs.filter(
        pl.concat_str([pl.col("source_l"), pl.col("record_id_l")])
        < pl.concat_str([pl.col("source_r"), pl.col("record_id_r")])
    ).select("source_l", "record_id_l", "source_r", "record_id_r")


def truth_between(left_source: str, right_source: str, truth: pl.DataFrame) -> pl.DataFrame:
    """Truth pairs as (left_record_id, right_record_id) between two named sources."""
    return truth.select(
        pl.lit(left_source).alias("source_l"),
        pl.col("left_record_id").alias("record_id_l"),
        pl.lit(right_source).alias("source_r"),
        pl.col("right_record_id").alias("record_id_r"),
    )


def evaluate(
    pairs: pl.DataFrame, truth: pl.DataFrame, *, decisions: tuple[str, ...] = ("linked",)
) -> Evaluation:
    """Pairs whose decision is in `decisions` count as predicted links."""
    predicted = _unordered(pairs.filter(pl.col("decision").cast(pl.String).is_in(decisions)))
    true = _unordered(truth)
    hits = predicted.join(true, on=["a", "b"], how="inner").height
    return Evaluation(true_pairs=true.height, predicted_pairs=predicted.height, true_positives=hits)
