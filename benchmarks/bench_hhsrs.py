"""Benchmark: scoring a landlord's whole stock with the HHSRS engine (issue 17, "Performance").

Goals
1. Scoring 1,000,000 assessed hazards (validation, score, band, category) and listing every Category 1 hazard
   takes < 2 s (median of REPEATS runs; `homeward.engines.hhsrs.score_stock` + `category_1_hazards`).
2. The vectorised scorer agrees exactly with the per-hazard scorer (same score, band and category) on every
   hazard the baseline scored.

Baseline, timed in the same run: the per-hazard pure-Python scorer (`HazardAssessment` validation then
`score_hazard`, with its explanation), on BASELINE_ROWS hazards and scaled per hazard to 1,000,000 (its cost
is linear in hazards); the bare arithmetic (`rate`) in a Python loop is timed too, for reference.

Run: .venv/bin/python benchmarks/bench_hhsrs.py [--rows N]  → benchmarks/results/hhsrs.json
The data are synthetic (seeded): codes uniform over the 29 hazards, L from a fixed list (weighted towards
rarer harm), spreads of whole percentages weighted towards the less extreme Classes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "2")

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from homeward.engines.hhsrs import (  # noqa: E402
    HAZARD_CODES,
    HazardAssessment,
    category_1_hazards,
    rate,
    score_hazard,
    score_stock,
)

RESULTS = Path(__file__).parent / "results" / "hhsrs.json"
ROWS = 1_000_000
BASELINE_ROWS = 100_000
REPEATS = 5
SEED = 20251027
TIME_GOAL_S = 2.0
LIKELIHOODS = np.array([1, 2, 3, 6, 10, 18, 32, 56, 100, 180, 320, 560, 1000, 1800, 3200, 5600], dtype=float)
# Rarer harm is commoner in a stock: weights rising with L put about 2% of hazards in Category 1.
LIKELIHOOD_WEIGHTS = LIKELIHOODS**0.75 / (LIKELIHOODS**0.75).sum()


def synthetic_stock(rows: int, seed: int) -> pl.DataFrame:
    """`rows` assessed hazards over rows // 8 properties; spreads are whole percentages summing to 100."""
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet([0.3, 0.8, 2.0, 6.0], size=rows) * 100
    spread = np.floor(shares).astype(np.int64)
    spread[:, 3] += 100 - spread.sum(axis=1)  # the rounding remainder goes to Class IV
    return pl.DataFrame(
        {
            "property_ref": rng.integers(0, max(rows // 8, 1), size=rows),
            "hazard": rng.choice(np.array(HAZARD_CODES), size=rows),
            "likelihood": rng.choice(LIKELIHOODS, size=rows, p=LIKELIHOOD_WEIGHTS),
            "class_i": spread[:, 0],
            "class_ii": spread[:, 1],
            "class_iii": spread[:, 2],
            "class_iv": spread[:, 3],
        }
    )


def vectorised(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    scored = score_stock(frame)
    return scored, category_1_hazards(scored)


def per_hazard(frame: pl.DataFrame) -> list[tuple[float, str, int]]:
    """The obvious way: validate and score one hazard at a time."""
    out = []
    for hazard, likelihood, i, ii, iii, iv in frame.select(
        "hazard", "likelihood", "class_i", "class_ii", "class_iii", "class_iv"
    ).iter_rows():
        result = score_hazard(HazardAssessment(hazard=hazard, likelihood=likelihood, spread=(i, ii, iii, iv)))
        out.append((result.score, result.band.value, result.category))
    return out


def bare_loop(frame: pl.DataFrame) -> list[tuple[float, str, int]]:
    out = []
    for likelihood, i, ii, iii, iv in frame.select(
        "likelihood", "class_i", "class_ii", "class_iii", "class_iv"
    ).iter_rows():
        score, band, category = rate(likelihood, (i, ii, iii, iv))
        out.append((score, band.value, category))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="assessed hazards (default 1,000,000)")
    args = parser.parse_args()
    rows = args.rows
    load_before = os.getloadavg()

    frame = synthetic_stock(rows, SEED)
    vectorised(frame.head(10_000))  # warm-up (imports, thread pool)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        scored, category_1 = vectorised(frame)
        timings.append(time.perf_counter() - start)
    vector_s = statistics.median(timings)

    sample = frame.head(min(BASELINE_ROWS, rows))
    start = time.perf_counter()
    reference = per_hazard(sample)
    baseline_s = time.perf_counter() - start
    start = time.perf_counter()
    bare = bare_loop(sample)
    bare_s = time.perf_counter() - start
    per_row = baseline_s / sample.height
    projected = per_row * rows

    ours = scored.head(sample.height).select("score", "band", "category").rows()
    mismatches = sum(
        1
        for (s, b, c), (rs, rb, rc), bare_row in zip(ours, reference, bare, strict=True)
        if (s, b, c) != (rs, rb, rc) or bare_row != (rs, rb, rc)
    )
    goals = {
        f"score_and_list_category_1_{rows}_under_{TIME_GOAL_S:g}s": vector_s < TIME_GOAL_S,
        "agrees_exactly_with_the_per_hazard_scorer": mismatches == 0,
    }
    result = {
        "benchmark": "hhsrs stock scoring",
        "rows": rows,
        "category_1_hazards": category_1.height,
        "vectorised_seconds_median": round(vector_s, 4),
        "vectorised_seconds_all_repeats": [round(t, 4) for t in timings],
        "baseline": "per-hazard pure-Python scorer (HazardAssessment validation, score_hazard, explanation)",
        "baseline_rows_timed": sample.height,
        "baseline_seconds": round(baseline_s, 3),
        "baseline_seconds_per_hazard": per_row,
        "baseline_seconds_projected": round(projected, 2),
        "baseline_timing_note": f"timed on {sample.height:,} hazards and scaled per hazard to {rows:,}",
        "bare_python_loop_seconds_projected": round(bare_s / sample.height * rows, 2),
        "speedup_vs_baseline": round(projected / vector_s, 1),
        "mismatches_with_per_hazard_scorer": mismatches,
        "goals": {k: "pass" if v else "fail" for k, v in goals.items()},
        "all_pass": all(goals.values()),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": sys.version.split()[0],
            "polars": pl.__version__,
            "numpy": np.__version__,
            "polars_max_threads": os.environ.get("POLARS_MAX_THREADS"),
            "platform": platform.platform(),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    verdict = (
        "all goals pass"
        if result["all_pass"]
        else "GOALS FAILED: " + ", ".join(k for k, v in goals.items() if not v)
    )
    print(
        f"hhsrs: {rows:,} hazards scored and {category_1.height:,} Category 1 listed in {vector_s:.3f} s "
        f"(median of {REPEATS}; goal < {TIME_GOAL_S:g} s); per-hazard scorer {per_row * 1e6:.1f} µs/hazard → "
        f"{projected:.1f} s projected ({projected / vector_s:.0f}× slower); {mismatches} mismatches; "
        f"load {load_before[0]:.2f}; {verdict} → {RESULTS}"
    )
    return 0 if result["all_pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
