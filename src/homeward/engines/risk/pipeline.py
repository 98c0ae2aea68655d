"""Features → scores with reasons, for a whole set of extracts or one partition of tenancies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from homeward.engines.risk.extracts import Extracts, scan_extracts
from homeward.engines.risk.features import compute_features
from homeward.engines.risk.model import RiskModel, predict
from homeward.engines.risk.rules import Rule, score_rules
from homeward.engines.risk.schema import find_extract

SCORE_COLUMNS = ("tenancy_ref", "rule_score", "rule_reasons", "probability", "model_reasons")


def score_features(
    features: pl.DataFrame, *, rules: list[Rule] | None = None, model: RiskModel | None = None
) -> pl.DataFrame:
    """Rule points and reasons for every tenancy; calibrated probability and reasons too with a model."""
    scored = score_rules(features, rules).collect()
    if model is None:
        return scored.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("probability"),
            pl.lit(None, dtype=pl.List(pl.String)).alias("model_reasons"),
        ).select(SCORE_COLUMNS)
    learned = predict(model, features).select("tenancy_ref", "probability", "model_reasons")
    return scored.join(learned, on="tenancy_ref", how="left", maintain_order="left").select(SCORE_COLUMNS)


def score_tenancies(
    extracts: Extracts, *, as_of: date, rules: list[Rule] | None = None, model: RiskModel | None = None
) -> pl.DataFrame:
    """Features and scores for every live tenancy in `extracts` (any partition of tenancies)."""
    return score_features(compute_features(extracts, as_of=as_of), rules=rules, model=model)


def latest_event_date(directory: Path) -> date:
    """The default `as_of`: the day of the latest contact, repair, rent week, ASB report or concern."""
    ex = scan_extracts(directory)
    found = [
        lf.select(pl.col(c).max().cast(pl.Date)).collect().item()
        for lf, c in (
            (ex.contacts, "contacted_at"),
            (ex.repairs, "reported_on"),
            (ex.rent, "week_start"),
            (ex.asb, "reported_on"),
            (ex.concerns, "raised_at"),
        )
    ]
    dates = [d for d in found if d is not None]
    if not dates:
        raise ValueError(f"no events in {directory}")
    latest: date = max(dates)
    return latest


def score_partition(
    directory: Path, *, lo: str, hi: str | None, as_of: date, model_json: str | None = None
) -> pl.DataFrame:
    """Score tenancies with lo <= tenancy_ref < hi (hi None = no upper bound): one unit of distributed work.

    Extracts sorted by tenancy_ref let Parquet row-group statistics skip the other partitions.
    """
    pred = pl.col("tenancy_ref") >= lo
    if hi is not None:
        pred = pred & (pl.col("tenancy_ref") < hi)
    model = RiskModel.model_validate_json(model_json) if model_json else None
    return score_tenancies(scan_extracts(directory).where_tenancy(pred), as_of=as_of, model=model)


def partition_bounds(directory: Path, parts: int) -> list[tuple[str, str | None]]:
    """Split the tenancies file into `parts` contiguous ranges of tenancy_ref."""
    path = find_extract(directory, "tenancies")
    if path is None:
        raise FileNotFoundError(f"no tenancies extract in {directory}")
    refs = (
        scan_extracts(directory).tenancies.select("tenancy_ref").sort("tenancy_ref").collect()["tenancy_ref"]
    )
    cuts = [refs[int(i * refs.len() / parts)] for i in range(parts)]
    return [(lo, cuts[i + 1] if i + 1 < parts else None) for i, lo in enumerate(cuts)]
