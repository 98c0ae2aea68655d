"""Batch linkage: score every blocked pair between (or within) sources with a trained model."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from homeward.engines.linkage.backend import Backend, DuckDBBackend, register_sources, to_polars
from homeward.engines.linkage.cleaning import clean_records
from homeward.engines.linkage.decisions import (
    DECISION_DTYPE,
    Decision,
    ThresholdEffect,
    Thresholds,
    decide,
    threshold_effect,
)
from homeward.engines.linkage.fields import RECORD_ID, SOURCE
from homeward.engines.linkage.model import LinkageModel
from homeward.engines.linkage.rules import LinkType
from homeward.engines.linkage.scoring import TermFrequencies
from homeward.engines.linkage.training import DEFAULT_OPTIONS, TrainingOptions, train_model

PAIR_COLUMNS = ("source_l", "record_id_l", "source_r", "record_id_r", "match_weight", "match_probability")


@dataclass(frozen=True, slots=True)
class LinkageRun:
    """A batch run: the model used, every scored pair with its decision, counts and timings."""

    model: LinkageModel
    pairs: pl.DataFrame
    effect: ThresholdEffect
    frequencies: TermFrequencies
    seconds: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of this process (all its threads, DuckDB's included) per phase.
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def links(self) -> pl.DataFrame:
        """Pairs decided `linked`."""
        return self.pairs.filter(pl.col("decision") == "linked")


def predict_pairs(
    model: LinkageModel,
    records: pl.DataFrame,
    *,
    backend: Backend | None = None,
    is_clean: bool = False,
    min_match_weight: float | None = None,
    duplicate_free_sources: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Every pair the blocking rules find, scored: PAIR_COLUMNS plus `decision` (model thresholds).

    Term-frequency adjustments use the value frequencies of `records` themselves. Sources in
    `duplicate_free_sources` hold one record per person (default for link_only: every source), so
    a record links to at most one record of each (the others go to review).
    """
    cleaned = records if is_clean else clean_records(records)
    chosen = backend or DuckDBBackend()
    db_api = chosen.db_api()
    tables = register_sources(db_api, cleaned)
    linker = Linker(
        tables if len(tables) > 1 else tables[0], model.splink_settings(chosen.dialect), log_level=None
    )
    scored = linker.inference.predict(threshold_match_weight=min_match_weight, warning_mode="never")
    raw = to_polars(scored)
    if f"{SOURCE}_l" not in raw.columns:  # one input table: Splink adds no source column
        only = str(cleaned[SOURCE][0]) if cleaned.height else ""
        raw = raw.with_columns(pl.lit(only).alias(f"{SOURCE}_l"), pl.lit(only).alias(f"{SOURCE}_r"))
    pairs = raw.select(
        pl.col(f"{SOURCE}_l").alias("source_l"),
        pl.col(f"{RECORD_ID}_l").alias("record_id_l"),
        pl.col(f"{SOURCE}_r").alias("source_r"),
        pl.col(f"{RECORD_ID}_r").alias("record_id_r"),
        pl.col("match_weight").cast(pl.Float64),
        pl.col("match_probability").cast(pl.Float64),
    )
    decided = decide(pairs, model.thresholds)
    free = list(duplicate_free_sources) if duplicate_free_sources is not None else None
    if free is None and model.link_type == "link_only":
        free = sorted(cleaned[SOURCE].unique().to_list())
    if free:
        decided = _single_best_links(linker, scored, decided, free, model.thresholds)
    return decided


def _single_best_links(
    linker: Linker,
    scored: SplinkDataFrame,
    decided: pl.DataFrame,
    duplicate_free_sources: list[str],
    thresholds: Thresholds,
) -> pl.DataFrame:
    """A source that holds one record per person cannot link one record to two of its records:
    Splink's single-best-links clustering keeps the mutually best link, and a link it does not
    keep goes to review instead (twins at one address, say)."""
    clusters = to_polars(
        linker.clustering.cluster_using_single_best_links(
            scored,
            duplicate_free_datasets=duplicate_free_sources,
            threshold_match_probability=thresholds.upper,
        )
    ).select(pl.col(SOURCE), pl.col(RECORD_ID), pl.col("cluster_id"))
    left = clusters.rename({SOURCE: "source_l", RECORD_ID: "record_id_l", "cluster_id": "_cluster_l"})
    right = clusters.rename({SOURCE: "source_r", RECORD_ID: "record_id_r", "cluster_id": "_cluster_r"})
    joined = decided.join(left, on=["source_l", "record_id_l"], how="left").join(
        right, on=["source_r", "record_id_r"], how="left"
    )
    competing = (pl.col("decision") == Decision.LINKED.value) & (pl.col("_cluster_l") != pl.col("_cluster_r"))
    return joined.with_columns(
        pl.when(competing)
        .then(pl.lit(Decision.REVIEW.value))
        .otherwise(pl.col("decision"))
        .cast(DECISION_DTYPE)
        .alias("decision")
    ).drop("_cluster_l", "_cluster_r")


def link_records(
    records: pl.DataFrame,
    *,
    model: LinkageModel | None = None,
    fields: Sequence[str] | None = None,
    link_type: LinkType = "link_only",
    thresholds: Thresholds | None = None,
    options: TrainingOptions = DEFAULT_OPTIONS,
    backend: Backend | None = None,
    duplicate_free_sources: Sequence[str] | None = None,
) -> LinkageRun:
    """Clean, train (unless `model` is given), score every blocked pair and decide each one.

    The run's `frequencies` are its term frequencies: keep them with the run to explain its pairs
    later (`PairExplainer`) with exactly the weights the run gave them.
    """
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}

    def timed(name: str, started: tuple[float, float]) -> None:
        seconds[name] = time.perf_counter() - started[0]
        cpu_seconds[name] = time.process_time() - started[1]

    def now() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    t0 = now()
    cleaned = clean_records(records)
    timed("clean", t0)
    if model is None:
        t1 = now()
        model = train_model(
            cleaned, fields=fields, link_type=link_type, options=options, backend=backend, is_clean=True
        )
        timed("train", t1)
    if thresholds is not None:
        model = model.with_thresholds(thresholds)
    t2 = now()
    pairs = predict_pairs(
        model, cleaned, backend=backend, is_clean=True, duplicate_free_sources=duplicate_free_sources
    )
    timed("predict", t2)
    t3 = now()
    frequencies = TermFrequencies.from_records(cleaned, model)
    timed("frequencies", t3)
    return LinkageRun(
        model=model,
        pairs=pairs,
        effect=threshold_effect(pairs, model.thresholds),
        frequencies=frequencies,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
    )
