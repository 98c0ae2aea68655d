"""Summaries across replications: mean, t-interval 95% CI, p50, p95; paired differences."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from homeward.engines.flowsim.engine import Batch

# Two-sided 97.5% Student t quantiles; beyond 30 df the normal value is within 0.5%.
_T975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    15: 2.131,
    20: 2.086,
    25: 2.060,
    30: 2.042,
    60: 2.000,
    120: 1.980,
}


def t975(df: int) -> float:
    """Student t 0.975 quantile (table lookup, conservative between entries)."""
    if df > 120:
        return 1.960
    return _T975[min(k for k in _T975 if k >= df)] if df not in _T975 else _T975[df]


def summarise(values: npt.ArrayLike) -> dict[str, Any]:
    """Mean, 95% t-interval, median and 95th percentile of per-replication values."""
    arr = np.asarray(values, dtype=float)
    x = arr[np.isfinite(arr)]
    if x.size == 0:
        return {"mean": None, "ci95": [None, None], "p50": None, "p95": None}
    mean = float(x.mean())
    half = t975(x.size - 1) * float(x.std(ddof=1)) / math.sqrt(x.size) if x.size > 1 else 0.0
    return {
        "mean": mean,
        "ci95": [mean - half, mean + half],
        "p50": float(np.percentile(x, 50)),
        "p95": float(np.percentile(x, 95)),
    }


def summarise_batch(batch: Batch) -> dict[str, Any]:
    """The `--json` object: replications and per-metric summaries."""
    return {"replications": len(batch.seeds), "metrics": {k: summarise(v) for k, v in batch.values.items()}}


def compare(base: Batch, other: Batch) -> dict[str, Any]:
    """Per-metric difference (other − base), paired by seed (common random numbers)."""
    return {k: summarise(other.values[k] - base.values[k]) for k in base.values}
