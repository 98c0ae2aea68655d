"""Evaluation: outcome labels, precision at k, and fairness of alerts by protected group.

Fairness follows the "four-fifths" convention widened symmetrically (EEOC Uniform Guidelines,
29 CFR 1607.4(D)): a group's alert rate or precision divided by the reference group's is flagged
when outside 0.8–1.25. The reference group is the largest recorded group for that attribute.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
from pydantic import BaseModel

PROTECTED_ATTRIBUTES = ("age_band", "disability", "ethnicity")
FAIR_RANGE = (0.8, 1.25)


def outcome_labels(
    tenancy_refs: pl.Series, outcomes: pl.DataFrame, *, as_of: date, horizon_days: int = 180
) -> np.ndarray:
    """1 where the tenancy had any recorded outcome in (as_of, as_of + horizon], else 0."""
    window = outcomes.filter(
        (pl.col("occurred_on") > as_of) & (pl.col("occurred_on") <= as_of + timedelta(days=horizon_days))
    )
    hit = set(window["tenancy_ref"].to_list())
    return np.fromiter((r in hit for r in tenancy_refs.to_list()), dtype=np.int64, count=tenancy_refs.len())


def rank(scores: pl.DataFrame, score_col: str, *, tiebreak: str | None = None) -> pl.DataFrame:
    """Highest score first; ties broken by `tiebreak` (descending) then tenancy reference (stable)."""
    by = [score_col] + ([tiebreak] if tiebreak else []) + ["tenancy_ref"]
    return scores.sort(by, descending=[True] * (len(by) - 1) + [False])


def precision_at_k(
    scores: pl.DataFrame, labels: pl.DataFrame, k: int, *, score_col: str, tiebreak: str | None = None
) -> float:
    """Share of the top-k tenancies (by `score_col`) whose label is 1. `labels`: tenancy_ref, label."""
    top = rank(scores, score_col, tiebreak=tiebreak).head(k).join(labels, on="tenancy_ref", how="left")
    return float(top["label"].fill_null(0).sum()) / max(1, top.height)


class MonthMetrics(BaseModel):
    month: str  # YYYY-MM
    alerts: int
    precision_at_k: float | None  # share of the month's top-k alerts judged useful (None: none decided)
    decided: int
    median_days_to_action: float | None


def worklist_metrics(alerts: pl.DataFrame, *, k: int) -> list[MonthMetrics]:
    """Per month: alert volume, precision at k and median days from alert to decision.

    `alerts`: tenancy_ref, raised_on (date), score (float), decided_on (date or null) and useful
    (bool or null: the team's decision was a visit or referral, or an outcome followed; null while
    undecided). Precision at k ranks the month's alerts by score and counts decided ones only.
    """
    monthly = alerts.with_columns(pl.col("raised_on").dt.strftime("%Y-%m").alias("_month"))
    out: list[MonthMetrics] = []
    for (month,), group in monthly.group_by("_month", maintain_order=False):
        top = group.sort(["score", "tenancy_ref"], descending=[True, False]).head(k)
        judged = top.filter(pl.col("useful").is_not_null())
        decided = group.filter(pl.col("decided_on").is_not_null())
        days = (decided["decided_on"] - decided["raised_on"]).dt.total_days()
        out.append(
            MonthMetrics(
                month=str(month),
                alerts=group.height,
                precision_at_k=float(judged["useful"].sum()) / judged.height if judged.height else None,
                decided=decided.height,
                median_days_to_action=float(days.median()) if decided.height else None,  # type: ignore[arg-type]
            )
        )
    return sorted(out, key=lambda m: m.month)


class GroupFairness(BaseModel):
    attribute: str
    group: str
    tenancies: int
    alerts: int
    alert_rate: float
    precision: float | None
    alert_rate_ratio: float | None
    precision_ratio: float | None
    is_reference: bool
    is_flagged: bool


def fairness_report(
    alerted: pl.DataFrame, tenancies: pl.DataFrame, *, attributes: tuple[str, ...] = PROTECTED_ATTRIBUTES
) -> list[GroupFairness]:
    """Alert rate and precision per group. `alerted`: tenancy_ref, alert (bool), label (0/1).

    Tenancies with the attribute not recorded are shown as 'not recorded' and never the reference.
    """
    rows: list[GroupFairness] = []
    joined = alerted.join(tenancies.select("tenancy_ref", *attributes), on="tenancy_ref", how="left")
    for attr in attributes:
        stats = (
            joined.with_columns(pl.col(attr).fill_null("not recorded").alias("_g"))
            .group_by("_g")
            .agg(
                pl.len().alias("n"),
                pl.col("alert").sum().alias("alerts"),
                (pl.col("alert") & (pl.col("label") == 1)).sum().alias("hits"),
            )
            .sort("_g")
        )
        recorded = stats.filter(pl.col("_g") != "not recorded")
        if recorded.is_empty():
            continue
        ref = recorded.sort(["n", "_g"], descending=[True, False]).row(0, named=True)
        ref_rate = ref["alerts"] / ref["n"]
        ref_prec = ref["hits"] / ref["alerts"] if ref["alerts"] else None
        for g in stats.iter_rows(named=True):
            rate = g["alerts"] / g["n"]
            prec = g["hits"] / g["alerts"] if g["alerts"] else None
            is_ref = g["_g"] == ref["_g"]
            rate_ratio = rate / ref_rate if ref_rate and g["_g"] != "not recorded" else None
            prec_ratio = (
                prec / ref_prec if prec is not None and ref_prec and g["_g"] != "not recorded" else None
            )
            flagged = any(
                r is not None and not FAIR_RANGE[0] <= r <= FAIR_RANGE[1] for r in (rate_ratio, prec_ratio)
            )
            rows.append(
                GroupFairness(
                    attribute=attr,
                    group=g["_g"],
                    tenancies=g["n"],
                    alerts=g["alerts"],
                    alert_rate=rate,
                    precision=prec,
                    alert_rate_ratio=rate_ratio,
                    precision_ratio=prec_ratio,
                    is_reference=is_ref,
                    is_flagged=flagged,
                )
            )
    return rows
