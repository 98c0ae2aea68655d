"""Benchmark: measured impact at scale (issue 22, "Performance").

Goals (at --scale 1: 1,000,000 people × 36 months of activity, 20,000 of them helped)
1. Matching and the difference-in-differences with clustered errors (validated design → matched sets →
   matched panel → DiD fit, the spec's exact + propensity matching without replacement) in ≤ 60 s on
   2 cores. Reading, data checks, the event study and the balance table are timed and reported beside
   it, and the whole `evaluate` without robustness runs is reported too.
2. Peak memory of that run ≤ 6 GiB (RUSAGE_CHILDREN ru_maxrss, read by a small launcher process).
3. ≥ 5× faster than linearmodels.PanelOLS with entity and time effects and clustered errors on the same
   matched panel, both timed in one child process side by side (median of REPEATS), with the estimate
   and the standard error equal to 1e-8 (PanelOLS's raw clustered sandwich scaled by the engine's
   documented CRV1 factor G/(G−1)·(N−1)/(N−K)).

PanelOLS is given the panel the engine fits: entity = unit (a treated person, or one use of a
comparison), time = start month × event month (the stacked design's time effects), clusters = person.

Run: .venv/bin/python benchmarks/bench_evaluation.py [--scale 0.05]  → benchmarks/results/evaluation.json
Data are generated once into benchmarks/data/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "evaluation.json"
PEOPLE, TREATED, MONTHS = 1_000_000, 20_000, 36
REPEATS = 3
SEED = 20251201
TIME_GOAL_S, MEMORY_GOAL_GIB, SPEEDUP_GOAL, TOLERANCE = 60.0, 6.0, 5.0, 1e-8
SPEC: dict[str, Any] = {
    "intervention": "Benchmark service",
    "outcome": "ae_attendances",
    "outcome_label": "A&E attendances",
    "pre_months": 12,
    "post_months": 12,
    "comparison": {"rationale": "Synthetic: the same needs, not helped."},
    "matching": {"exact": ["need", "sex"], "covariates": ["age", "area"], "caliper": 0.2},
}


def _status_gib(field: str) -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith(field)) / 2**20


def generate(directory: Path, scale: float) -> dict[str, Any]:
    from homeward.engines.evaluation import generate as synth

    people, treated = int(PEOPLE * scale), int(TREATED * scale)
    t0 = time.perf_counter()
    data = synth(people, treated, MONTHS, base_rate=0.2, seed=SEED, pre_months=12, post_months=12)
    directory.mkdir(parents=True, exist_ok=True)
    data.write(directory, "parquet")
    info = {
        "people": people,
        "helped": int((data.people["start_date"] != "").sum()),
        "months": MONTHS,
        "activity_rows": data.activity.height,
        "effect_per_year": data.effect_per_year,
        "generate_s": time.perf_counter() - t0,
    }
    (directory / "info.json").write_text(json.dumps(info))
    return info


def child_analysis(directory: Path, panel_out: Path) -> None:
    """One timed run of the engine, from Parquet files to the DiD, then the rest of `evaluate`."""
    import numpy as np
    import polars as pl

    from homeward.engines.evaluation import (
        build_panel,
        check_data,
        evaluate_design,
        event_study,
        fit_did,
        load_spec,
        match,
        per_year,
        prepare,
    )

    t = [time.perf_counter()]
    activity, people = (
        pl.read_parquet(directory / "activity.parquet"),
        pl.read_parquet(directory / "people.parquet"),
    )
    t.append(time.perf_counter())
    data = check_data(activity, people)
    del activity, people
    t.append(time.perf_counter())
    design = prepare(load_spec(SPEC), data)
    t.append(time.perf_counter())
    matching = match(design)
    t.append(time.perf_counter())
    panel = build_panel(design, matching)
    fit = fit_did(panel)
    t.append(time.perf_counter())
    events = event_study(panel)
    t.append(time.perf_counter())
    result = evaluate_design(design, robustness=False)
    t.append(time.perf_counter())
    estimate = per_year(fit)
    assert result.estimate == estimate
    np.savez(
        panel_out, y=panel.y, treated=panel.treated, stack=panel.stack, person=panel.person, pre=panel.pre
    )
    print(
        json.dumps(
            {
                "read_s": t[1] - t[0],
                "check_s": t[2] - t[1],
                "prepare_s": t[3] - t[2],
                "match_s": t[4] - t[3],
                "did_s": t[5] - t[4],
                "matching_and_did_s": t[5] - t[2],
                "event_study_s": t[6] - t[5],
                "evaluate_without_robustness_s": t[7] - t[6],
                "effect_per_year": estimate.effect,
                "ci95": list(estimate.ci95),
                "se_per_year": estimate.se,
                "pre_trend_p": events.pre_trend_p,
                "treated": matching.treated,
                "matched": matching.treated - int(matching.unmatched.size),
                "units": int(panel.y.shape[0]),
                "rows": int(panel.y.size),
                "sms_level": result.sms_level,
                "vm_hwm_gib": _status_gib("VmHWM"),
            }
        )
    )


def child_baseline(panel_path: Path) -> None:
    """Engine DiD and linearmodels PanelOLS on the same matched panel, side by side."""
    import numpy as np
    import pandas as pd
    from linearmodels import PanelOLS

    from homeward.engines.evaluation import MatchedPanel, fit_did

    saved = np.load(panel_path)
    panel = MatchedPanel(
        y=saved["y"],
        treated=saved["treated"],
        stack=saved["stack"],
        person=saved["person"],
        pre=int(saved["pre"]),
        first_month=0,
    )
    long = panel.long()
    frame = pd.DataFrame({c: long.get_column(c).to_numpy() for c in ("unit", "cell", "person", "did", "y")})
    frame = frame.set_index(["unit", "cell"])
    ours_s, theirs_s = [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fit = fit_did(panel)
        ours_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model = PanelOLS(frame["y"], frame[["did"]], entity_effects=True, time_effects=True)
        raw = model.fit(
            cov_type="clustered", clusters=frame["person"], debiased=False, auto_df=False, count_effects=False
        )
        theirs_s.append(time.perf_counter() - t0)
    n, g = panel.y.size, int(np.unique(panel.person).size)
    factor = g / (g - 1) * (n - 1) / (n - 1 - panel.counted_effects())
    beta, se = float(fit.params[0]), float(np.sqrt(fit.cov[0, 0]))
    lm_beta, lm_se = float(raw.params["did"]), float(raw.std_errors["did"]) * float(np.sqrt(factor))
    print(
        json.dumps(
            {
                "engine_did_s": ours_s,
                "panelols_s": theirs_s,
                "engine_did_median_s": statistics.median(ours_s),
                "panelols_median_s": statistics.median(theirs_s),
                "beta_engine": beta,
                "beta_panelols": lm_beta,
                "se_engine": se,
                "se_panelols_crv1": lm_se,
                "beta_rel_diff": abs(beta - lm_beta) / max(abs(lm_beta), 1e-300),
                "se_rel_diff": abs(se - lm_se) / lm_se,
                "rows": int(n),
                "entities": int(panel.y.shape[0]),
                "time_periods": int(frame.index.get_level_values(1).nunique()),
                "clusters": g,
            }
        )
    )


def measure(cmd: list[str]) -> None:
    """Run `cmd` and report its peak RSS (this launcher imports nothing heavy; see bench_risk.py)."""
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    print(json.dumps(result))


def _run(*args: str) -> dict[str, Any]:
    env = {**os.environ, "POLARS_MAX_THREADS": "2"}
    cmd = [sys.executable, __file__, *args]
    done = subprocess.run(
        [sys.executable, __file__, "--measure", *cmd], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark child failed: {' '.join(args)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    directory = HERE / "data" / f"evaluation-{args.scale:g}"
    info_path = directory / "info.json"
    info = json.loads(info_path.read_text()) if info_path.exists() else generate(directory, args.scale)
    load_before = os.getloadavg()
    analysis = _run("--child-analysis", str(directory), str(directory / "panel.npz"))
    print(
        f"analysis: matching + DiD {analysis['matching_and_did_s']:.1f} s "
        f"(prepare {analysis['prepare_s']:.1f}, match {analysis['match_s']:.1f}, "
        f"DiD {analysis['did_s']:.1f}); "
        f"checks {analysis['check_s']:.1f} s, event study {analysis['event_study_s']:.1f} s; "
        f"peak {analysis['peak_rss_gib']:.2f} GiB"
    )
    baseline = _run("--child-baseline", str(directory / "panel.npz"))
    speedup = baseline["panelols_median_s"] / baseline["engine_did_median_s"]
    print(
        f"same panel ({baseline['rows']:,} rows): engine DiD {baseline['engine_did_median_s']:.2f} s, "
        f"PanelOLS {baseline['panelols_median_s']:.2f} s: {speedup:.1f}×; "
        f"Δβ {baseline['beta_rel_diff']:.1e}, ΔSE {baseline['se_rel_diff']:.1e}"
    )
    load_after = os.getloadavg()
    goals = {
        "matching_and_did_le_60s": {
            "goal": TIME_GOAL_S,
            "value": analysis["matching_and_did_s"],
            "pass": analysis["matching_and_did_s"] <= TIME_GOAL_S,
        },
        "peak_memory_le_6gib": {
            "goal": MEMORY_GOAL_GIB,
            "value": analysis["peak_rss_gib"],
            "pass": analysis["peak_rss_gib"] <= MEMORY_GOAL_GIB,
        },
        "speedup_vs_panelols_ge_5x": {
            "goal": SPEEDUP_GOAL,
            "value": speedup,
            "pass": speedup >= SPEEDUP_GOAL,
        },
        "estimates_equal_1e-8": {
            "goal": TOLERANCE,
            "value": max(baseline["beta_rel_diff"], baseline["se_rel_diff"]),
            "pass": baseline["beta_rel_diff"] <= TOLERANCE and baseline["se_rel_diff"] <= TOLERANCE,
        },
    }
    import linearmodels
    import polars
    import statsmodels

    result = {
        "benchmark": "evaluation: matching + stacked DiD vs linearmodels.PanelOLS",
        "scale": args.scale,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "versions": {
            "polars": polars.__version__,
            "statsmodels": statsmodels.__version__,
            "linearmodels": linearmodels.__version__,
        },
        "load_average_before": load_before,
        "load_average_after": load_after,
        "data": info,
        "spec": SPEC,
        "analysis": analysis,
        "baseline": baseline,
        "speedup": speedup,
        "goals": goals,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    failed = [name for name, g in goals.items() if not g["pass"]]
    if failed:
        print(f"\n*** GOAL MISSED: {', '.join(failed)} ***  (see {RESULTS})", file=sys.stderr)
        return 1
    print(f"all goals met → {RESULTS}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-analysis":
        child_analysis(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-baseline":
        child_baseline(Path(sys.argv[2]))
    else:
        sys.exit(main())
