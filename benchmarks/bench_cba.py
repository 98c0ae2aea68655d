"""Benchmark: Monte Carlo of the cost–benefit engine (issue 7, "Performance").

Goals
1. 100,000 draws over a 10-outcome, 5-year model in < 1 s (this machine: see `cpus` in the result).
2. ≥ 100× faster than a per-draw Python loop of the same model, timed in the same run. The loop is
   timed on LOOP_DRAWS draws and scaled per draw to 100,000 (the loop's cost is linear in draws).
3. The two agree statistically on NPV: same mean (|z| < 4), same distribution (two-sample
   Kolmogorov–Smirnov at α = 0.001), and P5/P50/P95 within 4 standard errors of each other
   (asymptotic standard error of a sample quantile, sqrt(p(1 − p)/n) / density).

Run: .venv/bin/python benchmarks/bench_cba.py  → benchmarks/results/cba.json
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from homeward.engines.cba import load_model, model_inputs, simulate, simulate_metrics
from homeward.engines.cba.inputs import Input
from homeward.engines.cba.reference import reference_metrics
from homeward.engines.cba.schema import Beta, Model, Normal, Triangular, Uniform

DRAWS = 100_000
LOOP_DRAWS = 20_000
REPEATS = 5
SEED = 20251125
RESULTS = Path(__file__).parent / "results" / "cba.json"


def benchmark_model() -> dict[str, Any]:
    """10 outcomes × 5 years; every rate, value, cohort and cost is uncertain."""
    agencies = [("NHS", "fiscal", True), ("Council", "fiscal", False), ("DWP", "fiscal", True)]
    outcomes = []
    for i in range(10):
        payer, kind, cashable = agencies[i % 3]
        outcomes.append(
            {
                "name": f"Outcome {i + 1}",
                "engagement_rate": {"dist": "beta", "alpha": 8 + i, "beta": 2},
                "success_rate": {"dist": "triangular", "min": 0.2, "mode": 0.4 + i / 100, "max": 0.7},
                "deadweight": {"dist": "uniform", "min": 0.1, "max": 0.3},
                "attribution": {"dist": "triangular", "min": 0.6, "mode": 0.8, "max": 1.0},
                "unit_value": {"dist": "normal", "mean": 400 + 150 * i, "sd": 60 + 20 * i},
                "optimism_bias": {"dist": "triangular", "min": 0.1, "mode": 0.2, "max": 0.4},
                "duration_years": 1 + i % 4,
                "drop_off": {"dist": "uniform", "min": 0.0, "max": 0.5},
                "beneficiaries": [
                    {"agency": payer, "kind": kind, "share": 0.6, "cashable": cashable},
                    {"agency": "Economy", "kind": "economic", "share": 0.25, "cashable": False},
                    {"agency": "Residents", "kind": "social", "share": 0.15, "cashable": False},
                ],
            }
        )
    return {
        "name": "Benchmark: 10 outcomes, 5 years, all inputs uncertain",
        "discount_rate": {"dist": "uniform", "min": 0.03, "max": 0.04},
        "years": 5,
        "price_year": 2025,
        "costs": [
            {
                "year": t,
                "amount": {"dist": "triangular", "min": 150_000, "mode": 180_000, "max": 260_000},
                "optimism_bias": 0.1,
                "agency": "Housing provider",
            }
            for t in range(5)
        ],
        "cohorts": [
            {"year": t, "participants": {"dist": "normal", "mean": 200 + 20 * t, "sd": 30}} for t in range(5)
        ],
        "outcomes": outcomes,
    }


def draw_one(inp: Input, rng: random.Random) -> float:
    """One draw of one input with Python's `random`, matching `inputs.sample`."""
    d = inp.dist
    if d is None:
        x = inp.base
    elif isinstance(d, Triangular):
        x = rng.triangular(d.min, d.max, d.mode)
    elif isinstance(d, Normal):
        lo, hi = d.support()
        x = min(max(rng.gauss(d.mean_, d.sd), lo), hi)
    elif isinstance(d, Beta):
        x = d.min + (d.max - d.min) * rng.betavariate(d.alpha, d.beta)
    elif isinstance(d, Uniform):
        x = rng.uniform(d.min, d.max)
    else:  # pragma: no cover
        raise TypeError(d)
    return min(max(x, inp.lo), inp.hi)


def per_draw_loop(model: Model, draws: int, seed: int) -> list[dict[str, float]]:
    """The same Monte Carlo written the obvious way: sample, appraise, repeat."""
    inputs = model_inputs(model)
    rng = random.Random(seed)
    return [reference_metrics(model, {inp.path: draw_one(inp, rng) for inp in inputs}) for _ in range(draws)]


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def main() -> int:
    model = load_model(benchmark_model())
    n_inputs = len(model_inputs(model))

    simulate_metrics(model, 10_000, seed=1)  # warm-up (imports, allocator)
    timings = []
    for r in range(REPEATS):
        start = time.perf_counter()
        sample = simulate_metrics(model, DRAWS, seed=SEED + r)
        timings.append(time.perf_counter() - start)
    vector_s = statistics.median(timings)
    start = time.perf_counter()
    summary = simulate(model, DRAWS, seed=SEED)
    with_summary_s = time.perf_counter() - start

    start = time.perf_counter()
    loop = per_draw_loop(model, LOOP_DRAWS, SEED)
    loop_s = time.perf_counter() - start
    loop_per_draw = loop_s / LOOP_DRAWS
    loop_projected = loop_per_draw * DRAWS
    speedup = loop_projected / vector_s

    vec_npv = simulate_metrics(model, DRAWS, seed=SEED)["npv"]
    loop_npv = np.array([m["npv"] for m in loop])
    se = math.sqrt(vec_npv.var() / vec_npv.size + loop_npv.var() / loop_npv.size)
    z = abs(float(vec_npv.mean() - loop_npv.mean())) / se
    ks = ks_statistic(vec_npv, loop_npv)
    # Critical value of the two-sample KS statistic at α = 0.001: c(α) = sqrt(-ln(α/2) / 2).
    ks_critical = math.sqrt(-math.log(0.001 / 2) / 2) * math.sqrt(
        (vec_npv.size + loop_npv.size) / (vec_npv.size * loop_npv.size)
    )
    probs = np.array([0.05, 0.5, 0.95])
    pct_vec = np.quantile(vec_npv, probs)
    pct_loop = np.quantile(loop_npv, probs)
    # Density at each quantile from the large sample: 1% of probability over its width.
    density = 0.01 / (np.quantile(vec_npv, probs + 0.005) - np.quantile(vec_npv, probs - 0.005))
    q_se = np.sqrt(probs * (1 - probs) * (1 / vec_npv.size + 1 / loop_npv.size)) / density
    pct_z = np.abs(pct_vec - pct_loop) / q_se

    goals = {
        "vectorised_100k_draws_under_1s": vector_s < 1.0,
        "at_least_100x_per_draw_loop": speedup >= 100.0,
        "agree_mean_z_under_4": z < 4.0,
        "agree_ks_at_alpha_0.001": ks < ks_critical,
        "agree_p5_p50_p95_within_4_standard_errors": bool(np.all(pct_z < 4.0)),
    }
    result = {
        "benchmark": "cba Monte Carlo",
        "model": {"outcomes": len(model.outcomes), "years": model.years, "uncertain_inputs": n_inputs},
        "draws": DRAWS,
        "vectorised_seconds_median": round(vector_s, 4),
        "vectorised_seconds_all_repeats": [round(t, 4) for t in timings],
        "vectorised_with_percentile_summary_seconds": round(with_summary_s, 4),
        "loop_draws_timed": LOOP_DRAWS,
        "loop_seconds": round(loop_s, 3),
        "loop_seconds_per_draw": loop_per_draw,
        "loop_seconds_projected_to_100k_draws": round(loop_projected, 2),
        "loop_timing_note": f"per-draw Python loop timed on {LOOP_DRAWS:,} draws and scaled per draw to "
        f"{DRAWS:,} (its cost is linear in draws)",
        "speedup": round(speedup, 1),
        "agreement": {
            "npv_mean_vectorised": float(vec_npv.mean()),
            "npv_mean_loop": float(loop_npv.mean()),
            "npv_mean_z": round(z, 3),
            "ks_statistic": round(ks, 5),
            "ks_critical_alpha_0.001": round(ks_critical, 5),
            "npv_p5_p50_p95_vectorised": [float(x) for x in pct_vec],
            "npv_p5_p50_p95_loop": [float(x) for x in pct_loop],
            "npv_p5_p50_p95_gap_in_standard_errors": [round(float(x), 3) for x in pct_z],
        },
        "probability_npv_positive": summary.probability_npv_positive,
        "goals": {k: "pass" if v else "fail" for k, v in goals.items()},
        "all_pass": all(goals.values()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "platform": platform.platform(),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    del sample
    print(
        f"cba: {DRAWS:,} draws in {vector_s:.3f} s (median of {REPEATS}); per-draw loop "
        f"{loop_per_draw * 1e6:.0f} µs/draw → {loop_projected:.1f} s projected; speedup {speedup:.0f}×; "
        f"agreement z={z:.2f}, KS={ks:.4f} (crit {ks_critical:.4f}); "
        f"{'all goals pass' if result['all_pass'] else 'GOALS FAILED'} → {RESULTS}"
    )
    return 0 if result["all_pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
