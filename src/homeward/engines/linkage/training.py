"""Training a model with Splink, unsupervised (no labels are ever an input):

1. the prior (probability two random records match) from deterministic rules and their assumed
   recall (`estimate_probability_two_random_records_match`);
2. u by random sampling of record pairs (`estimate_u_using_random_sampling`);
3. m by expectation maximisation, one session per training rule, each blocking on fields it then
   does not estimate (`estimate_parameters_using_expectation_maximisation`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl
from splink import Linker
from splink.internals.exceptions import SplinkException

from homeward.engines.linkage.backend import Backend, DuckDBBackend, register_sources
from homeward.engines.linkage.cleaning import clean_records
from homeward.engines.linkage.decisions import DEFAULT_THRESHOLDS, Thresholds
from homeward.engines.linkage.fields import SOURCE, STANDARD_FIELDS, present_fields
from homeward.engines.linkage.model import LinkageModel, TrainingSummary
from homeward.engines.linkage.rules import LinkType, build_settings, deterministic_rules, training_rules

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    """Sizes and assumptions of training (see docs/linkage.md, "Training")."""

    #: Random record pairs sampled to estimate u (Splink suggests 1e7 to 1e9 for final models).
    #: The sample's size does not grow with the records: training u costs the same at any scale.
    u_max_pairs: float = 1e6
    #: Splink's chunks for u (1: one pass per comparison, no probe) and its early stop (None: off).
    u_num_chunks: int = 1
    u_min_count_per_level: int | None = None
    #: Cap on pairs per EM session (Splink samples records to stay near it); None: all blocked pairs.
    #: Fixed, so EM costs about the same at 100,000 or 1,000,000 records a side.
    em_max_pairs: float | None = 5e5
    #: EM stops after this many iterations or when no parameter moves more than em_convergence.
    em_max_iterations: int = 10
    em_convergence: float = 0.001
    #: Assumed share of true matches the deterministic rules find (an assumption, not a measurement).
    deterministic_recall: float = 0.8
    seed: int = 21


DEFAULT_OPTIONS = TrainingOptions()


def usable_fields(cleaned: pl.DataFrame, allowed: Sequence[str] | None) -> tuple[str, ...]:
    """Allowed fields that hold values in every source (a field one side never holds cannot link)."""
    allowed_set = set(STANDARD_FIELDS if allowed is None else allowed)
    present: set[str] | None = None
    for _, part in cleaned.partition_by(SOURCE, as_dict=True).items():
        here = set(present_fields(part))
        present = here if present is None else present & here
    return tuple(name for name in STANDARD_FIELDS if name in allowed_set and name in (present or set()))


def _linker(tables: Sequence[Any], settings: Any) -> Linker:
    return Linker(list(tables) if len(tables) > 1 else tables[0], settings, log_level=None)


def train_model(
    records: pl.DataFrame,
    *,
    fields: Sequence[str] | None = None,
    link_type: LinkType = "link_only",
    options: TrainingOptions = DEFAULT_OPTIONS,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    backend: Backend | None = None,
    is_clean: bool = False,
) -> LinkageModel:
    """Train a model on raw records (source, record_id, standard fields) using only `fields`."""
    started = time.perf_counter()
    cleaned = records if is_clean else clean_records(records)
    sources = cleaned[SOURCE].unique().to_list()
    if link_type == "link_only" and len(sources) < 2:
        raise ValueError("link_only needs records from at least two sources")
    used = usable_fields(cleaned, fields)
    settings = build_settings(
        used,
        link_type=link_type,
        max_iterations=options.em_max_iterations,
        em_convergence=options.em_convergence,
    )
    db_api = (backend or DuckDBBackend()).db_api()
    linker = _linker(register_sources(db_api, cleaned), settings)

    rules = deterministic_rules(used)
    if rules:
        try:
            linker.training.estimate_probability_two_random_records_match(
                [rule.creator() for rule in rules], recall=options.deterministic_recall
            )
        except ValueError as exc:  # more deterministic matches than the recall allows
            logger.warning("prior not estimated: %s", exc)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=options.u_max_pairs,
        seed=options.seed,
        num_chunks=options.u_num_chunks,
        min_count_per_level=options.u_min_count_per_level,
    )
    em_done: list[str] = []
    em_skipped: list[str] = []
    for rule in training_rules(used):
        name = rule.name
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule.creator(), max_pairs=options.em_max_pairs
            )
            em_done.append(name)
        except (SplinkException, ZeroDivisionError, ValueError) as exc:
            # Too few pairs for EM (tiny files): the levels keep Splink's starting m values.
            logger.warning("EM on %s skipped: %s", name, exc)
            em_skipped.append(name)
    trained = cast(dict[str, Any], linker.misc.save_model_to_json())
    counts = dict(cleaned.group_by(SOURCE).len().sort(SOURCE).iter_rows())
    return LinkageModel(
        fields=used,
        link_type=link_type,
        splink=trained,
        thresholds=thresholds,
        training=TrainingSummary(
            records={str(k): int(v) for k, v in counts.items()},
            prior=float(trained["probability_two_random_records_match"]),
            deterministic_rules=[rule.name for rule in rules],
            deterministic_recall=options.deterministic_recall,
            u_max_pairs=options.u_max_pairs,
            em_rules=em_done,
            em_skipped=em_skipped,
            seconds=time.perf_counter() - started,
        ),
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
