"""Monte Carlo over the model's distributions, vectorised over draws with NumPy."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from homeward.engines.cba.inputs import Array, model_inputs, sample
from homeward.engines.cba.kernel import flows, metrics
from homeward.engines.cba.results import MonteCarloResult, Percentiles
from homeward.engines.cba.schema import Model, load_model

#: Most draws evaluated per batch; fewer for big models, so that the (outcomes × years × draws)
#: benefit array stays near 200 MB.
BATCH = 250_000
BATCH_CELLS = 25_000_000


def batch_size(model: Model) -> int:
    return max(1_000, min(BATCH, BATCH_CELLS // ((len(model.outcomes) + 8) * model.years)))


def simulate_metrics(
    model: Model, draws: int, seed: int | None = None, grade_table: Mapping[int, float] | None = None
) -> dict[str, Array]:
    """Every output per draw (arrays of length `draws`), for callers who want the raw sample."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    inputs = model_inputs(model, grade_table)
    rng = np.random.default_rng(seed)
    parts: list[dict[str, Array]] = []
    done = 0
    batch = batch_size(model)
    while done < draws:
        n = min(batch, draws - done)
        parts.append(metrics(flows(model, sample(inputs, n, rng))))
        done += n
    if len(parts) == 1:
        return parts[0]
    keys = sorted({k for p in parts for k in p})
    return {k: np.concatenate([p.get(k, np.zeros(len(p["npv"]))) for p in parts]) for k in keys}


def _summary(x: Array, integer: bool = False) -> Percentiles:
    if integer:
        # Payback: NaN means "never within the horizon", i.e. later than any year.
        y = np.where(np.isnan(x), np.inf, x)
        p5, p50, p95 = (float(v) for v in np.percentile(y, [5, 50, 95], method="inverted_cdf"))
        finite = x[~np.isnan(x)]
        return Percentiles(
            p5=None if np.isinf(p5) else p5,
            p50=None if np.isinf(p50) else p50,
            p95=None if np.isinf(p95) else p95,
            mean=float(finite.mean()) if finite.size else None,
        )
    ok = x[~np.isnan(x)]
    if ok.size == 0:
        return Percentiles(p5=None, p50=None, p95=None, mean=None)
    p5, p50, p95 = (float(v) for v in np.percentile(ok, [5, 50, 95]))
    return Percentiles(p5=p5, p50=p50, p95=p95, mean=float(ok.mean()))


def simulate(
    model: Model | str | Path | Mapping[str, Any],
    draws: int,
    seed: int | None = None,
    grade_table: Mapping[int, float] | None = None,
) -> MonteCarloResult:
    """Draw every distribution `draws` times (independently) and summarise every output.

    Inputs without a distribution stay fixed. The same `seed` gives the same result.
    """
    model = load_model(model)
    return summarise_draws(simulate_metrics(model, draws, seed, grade_table), seed)


def summarise_draws(m: Mapping[str, Array], seed: int | None = None) -> MonteCarloResult:
    """Summarise the per-draw outputs of `simulate_metrics` (so a caller that keeps the raw draws does not
    draw them twice)."""
    outputs = {k: _summary(v, integer=(k == "payback_year")) for k, v in m.items()}
    return MonteCarloResult(
        draws=len(m["npv"]),
        seed=seed,
        probability_npv_positive=float((m["npv"] > 0).mean()),
        probability_payback=float((~np.isnan(m["payback_year"])).mean()),
        outputs=outputs,
    )
