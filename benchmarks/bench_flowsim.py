"""Benchmark: vectorised flowsim vs a straightforward SimPy model; Dask LocalCluster run.

Run: .venv/bin/python benchmarks/bench_flowsim.py  → benchmarks/results/flowsim.json
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from flowsim_simpy import run_one  # noqa: E402
from homeward.engines.flowsim import concat, parse_scenario, run, run_batch, summarise  # noqa: E402
from homeward.engines.flowsim.runner import seeds_for  # noqa: E402

SCENARIO = {
    "horizon_days": 395,
    "warmup_days": 30,
    "arrivals": {"rate_per_day": 12},
    "length_of_stay": {"dist": "lognormal", "mean_days": 6.5, "sd_days": 6.0},
    "housing_need": {"probability": 0.08},
    "housing_officers": {
        "count": 2,
        "service": {"dist": "gamma", "mean_days": 1.4, "sd_days": 1.0},
        "start": "at_discharge_ready",
    },
    "blockers": [
        {
            "name": "care_package",
            "probability": 0.15,
            "clearance": {"dist": "gamma", "mean_days": 4, "sd_days": 3},
        },
        {"name": "equipment", "probability": 0.06, "clearance": {"dist": "exponential", "mean_days": 2}},
        {"name": "transport", "probability": 0.10, "clearance": {"dist": "fixed", "value": 0.5}},
    ],
}
REPS, SIMPY_REPS, SEED = 1000, int(os.environ.get("SIMPY_REPS", "1000")), 2026


def main() -> None:
    sc = parse_scenario(SCENARIO)
    t = time.perf_counter()
    ours = run(sc, replications=REPS, seed=SEED, workers=2, chunk=100)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    run(sc, replications=REPS, seed=SEED, workers=1, chunk=100)
    t_ours1 = time.perf_counter() - t

    t = time.perf_counter()
    simpy_rows = [run_one(sc, s) for s in seeds_for(SEED + 1, SIMPY_REPS)]
    t_simpy = time.perf_counter() - t
    t_simpy_extrap = t_simpy / SIMPY_REPS * REPS

    from dask.distributed import Client, LocalCluster

    seeds = seeds_for(SEED, REPS)
    chunks = [seeds[i : i + 100] for i in range(0, REPS, 100)]
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        t = time.perf_counter()
        futures = client.map(run_batch, [sc] * len(chunks), chunks)
        dask_batch = concat(client.gather(futures))
        t_dask = time.perf_counter() - t
    dask_identical = all(
        np.array_equal(dask_batch.values[k], ours.values[k], equal_nan=True) for k in ours.values
    )

    table, all_equal = {}, True
    for k in simpy_rows[0]:
        a = summarise(ours.values[k])
        b = summarise(np.array([r[k] for r in simpy_rows]))
        ok = bool(a["ci95"][0] <= b["mean"] <= a["ci95"][1] and b["ci95"][0] <= a["mean"] <= b["ci95"][1])
        se = np.hypot((a["ci95"][1] - a["mean"]) / 1.96, (b["ci95"][1] - b["mean"]) / 1.96)
        diff_ok = bool(abs(a["mean"] - b["mean"]) <= 1.96 * se)  # Welch: 95% CI of the difference holds 0
        all_equal &= ok
        table[k] = {
            "flowsim": a,
            "simpy": b,
            "means_within_each_others_ci": ok,
            "difference_ci_contains_0": diff_ok,
        }
    speedup = t_simpy_extrap / t_ours
    result = {
        "scenario": SCENARIO,
        "replications": REPS,
        "timings_s": {
            "flowsim_2_workers": t_ours,
            "flowsim_1_worker": t_ours1,
            "dask_localcluster_2_workers": t_dask,
            "simpy_measured": t_simpy,
            "simpy_replications_run": SIMPY_REPS,
            "simpy_extrapolated_to_1000": t_simpy_extrap,
        },
        "note": f"SimPy ran {SIMPY_REPS} replications; its time is extrapolated linearly to {REPS}.",
        "speedup_vs_simpy": speedup,
        "metrics": table,
        "goals": {
            "speedup_ge_50x": speedup >= 50,
            "under_10s_on_2_cores": t_ours < 10,
            "statistically_equal": all_equal,
            "dask_identical_to_local": dask_identical,
        },
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "numpy": np.__version__,
        },
    }
    out = Path(__file__).parent / "results" / "flowsim.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: result[k] for k in ("timings_s", "speedup_vs_simpy", "goals")}, indent=2))


if __name__ == "__main__":
    main()
