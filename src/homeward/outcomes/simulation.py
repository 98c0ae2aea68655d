"""Run the discharge-flow simulator for an organisation and keep what came out; compare two runs."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.flowsim import Batch, Scenario, ScenarioError, compare, parse_scenario, run, summarise
from homeward.engines.flowsim.engine import DELAY_BINS
from homeward.engines.flowsim.stats import t975
from homeward.governance.access import Actor
from homeward.jobs import limits
from homeward.jobs.models import Job
from homeward.jobs.services import start_job
from homeward.outcomes.models import SimulationRun

if TYPE_CHECKING:
    from homeward.jobs.runner import JobContext

METRIC_LABELS = {
    "delayed_bed_days_per_patient": "Delayed bed-days per patient (discharge-ready to discharge)",
    "wait_for_officer_days": "Wait for a housing officer (days, patients with a housing need)",
    "prob_wait_for_officer": "Share of patients with a housing need who wait for an officer",
    "officer_utilisation": "Housing officer utilisation",
    "bed_occupancy_mean": "Beds occupied (mean)",
    "length_of_stay_days": "Length of stay (days)",
    "turned_away_fraction": "Share turned away (beds full)",
    "readmission_rate": "Readmitted within the window",
    "wait_for_step_down_days": "Wait for a reablement bed (days, patients who need one)",
    "prob_wait_for_step_down": "Share of patients needing a reablement bed who wait for one",
    "step_down_occupancy_mean": "Reablement beds occupied (mean)",
}

#: Measures that are shares (0 to 1): shown as percentages, their differences in percentage points.
SHARE_METRICS = frozenset(
    {
        "prob_wait_for_officer",
        "officer_utilisation",
        "turned_away_fraction",
        "readmission_rate",
        "prob_wait_for_step_down",
    }
)
#: How each measure reads in a sentence, and whether a fall is good news.
SENTENCE = {
    "delayed_bed_days_per_patient": ("delayed bed-days per patient", "days"),
    "wait_for_officer_days": ("the wait for a housing officer", "days"),
    "prob_wait_for_officer": ("the share of patients with a housing need who wait for an officer", "share"),
    "officer_utilisation": ("housing officer utilisation", "share"),
    "turned_away_fraction": ("the share turned away because beds were full", "share"),
    "readmission_rate": ("the share readmitted", "share"),
    "wait_for_step_down_days": ("the wait for a reablement bed", "days"),
    "prob_wait_for_step_down": ("the share of patients needing a reablement bed who wait for one", "share"),
}


def _figure(value: float | None, unit: str) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.1f}%" if unit == "share" else f"{value:.1f} days"


def plain_summary(cmp: dict[str, Any], base_name: str, other_name: str) -> list[str]:
    """What changed, in plain English: one sentence per measure whose 95% interval excludes no change,
    then one saying which measures did not clearly change."""
    sentences, unclear = [], []
    for row in cmp["rows"]:
        if row["key"] not in SENTENCE:
            continue
        words, unit = SENTENCE[row["key"]]
        before, after = row["base"].get("mean"), row["other"].get("mean")
        low, high = row["difference"]["ci95"]
        if before is None or after is None or low is None or high is None:
            continue
        if low <= 0 <= high:
            unclear.append(words)
            continue
        direction = "falls" if after < before else "rises"
        sentences.append(
            f"With {other_name}, {words} {direction} from {_figure(before, unit)} to {_figure(after, unit)}."
        )
    saved = cmp["bed_days_saved_per_year"]
    if math.isfinite(saved) and sentences:
        verb = "saves" if saved >= 0 else "costs"
        sentences.insert(
            0, f"{other_name} {verb} about {abs(saved):,.0f} bed-days a year compared with {base_name}."
        )
    if unclear:
        sentences.append("No clear change (the 95% interval includes none) in " + "; ".join(unclear) + ".")
    return sentences


def can_simulate(actor: Actor) -> bool:
    return actor.can(Permission.VIEW_PSEUDONYMISED) or actor.can(Permission.VIEW_PERSON)


def scenario_errors(exc: ScenarioError) -> dict[str, str]:
    """'path: message' lines from the engine as field errors keyed by the scenario's key path."""
    out = {}
    for line in str(exc).splitlines():
        path, _, message = line.partition(": ")
        out[path] = message or line
    return out


def period_errors(scenario: dict[str, Any]) -> dict[str, str]:
    """A warm-up at least as long as the period simulated leaves nothing to measure (blank cells, an empty
    chart). The longest period allowed is a limit (docs/limits.md), checked in check_request."""
    horizon, warmup = scenario.get("horizon_days"), scenario.get("warmup_days", 0) or 0
    if not isinstance(horizon, int | float) or not isinstance(warmup, int | float):
        return {}
    if warmup >= horizon:
        return {"warmup_days": "The warm-up must be shorter than the days simulated, or nothing is measured"}
    return {}


def check_request(
    *, actor: Actor, name: str, scenario: dict[str, Any], replications: int, seed: int
) -> Scenario:
    """The scenario parsed, or ValidationFailed naming each bad field, the limits included: days
    simulated, replications, and their product (the work of one run; docs/limits.md)."""
    if not can_simulate(actor):
        raise NotFound("No simulator for your role")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Name the scenario so you can find it again"
    most = limits.limit("simulation_replications")
    if not 10 <= replications <= most:
        errors["replications"] = (
            f"Replications must be from 10 to {most:,} (setting {limits.variable('simulation_replications')})"
        )
    if not 0 <= seed < 2**32:
        errors["seed"] = "Seed must be a whole number from 0 to 4294967295"
    horizon = scenario.get("horizon_days") if isinstance(scenario, dict) else None
    if isinstance(horizon, int | float) and not isinstance(horizon, bool):
        errors |= limits.over("horizon_days", int(horizon), "simulation_horizon_days", what="Days simulated")
        if "horizon_days" not in errors and "replications" not in errors:
            errors |= limits.over(
                "replications",
                int(horizon) * replications,
                "simulation_day_replications",
                what="Days simulated (horizon_days) × replications",
            )
    over_limit = any("the limit is" in message for message in errors.values())
    parsed = None
    if not over_limit:  # an over-limit scenario is never built
        try:
            parsed = parse_scenario(scenario)
        except ScenarioError as exc:
            errors |= scenario_errors(exc)
    if isinstance(scenario, dict) and not over_limit:
        errors |= period_errors(scenario)
    if errors or parsed is None:
        raise ValidationFailed(errors)
    return parsed


def compute_run(
    *,
    actor: Actor,
    name: str,
    scenario: dict[str, Any],
    replications: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[Scenario, Batch, float]:
    """Check the request and run the engine; writes nothing."""
    parsed = check_request(actor=actor, name=name, scenario=scenario, replications=replications, seed=seed)
    started = time.perf_counter()
    batch = run(parsed, replications=replications, seed=seed, progress=progress)
    return parsed, batch, time.perf_counter() - started


def save_run(
    *, actor: Actor, name: str, parsed: Scenario, replications: int, seed: int, batch: Batch, seconds: float
) -> SimulationRun:
    return SimulationRun.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor.user,
        created_at=timezone.now(),
        name=name.strip()[:120],
        scenario=parsed.model_dump(mode="json", exclude_none=True),
        replications=replications,
        seed=seed,
        summary={k: summarise(v) for k, v in batch.values.items()},
        values={k: [None if not math.isfinite(x) else float(x) for x in v] for k, v in batch.values.items()},
        series=_series(batch, parsed.warmup_days),
        seconds=round(seconds, 3),
    )


def simulate(
    *,
    actor: Actor,
    name: str,
    scenario: dict[str, Any],
    replications: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> SimulationRun:
    """Run a scenario now and keep the run (computed first; then one write)."""
    parsed, batch, seconds = compute_run(
        actor=actor, name=name, scenario=scenario, replications=replications, seed=seed, progress=progress
    )
    return save_run(
        actor=actor,
        name=name,
        parsed=parsed,
        replications=replications,
        seed=seed,
        batch=batch,
        seconds=seconds,
    )


JOB_KIND = "outcomes.simulation"


def start_simulation(
    *, actor: Actor, name: str, scenario: dict[str, Any], replications: int, seed: int
) -> Job:
    """Check the request (limits included) and queue it as a background job; the Jobs page follows it."""
    parsed = check_request(actor=actor, name=name, scenario=scenario, replications=replications, seed=seed)
    params = {
        "name": name.strip()[:120],
        "scenario": parsed.model_dump(mode="json", exclude_none=True),
        "replications": replications,
        "seed": seed,
    }
    return start_job(
        kind=JOB_KIND,
        organisation=actor.organisation,
        actor=actor,
        params=params,
        label=f"Simulation: {params['name']}",
        estimate=int(parsed.horizon_days) * replications,
    )


def prepare_simulation_job(job: Job, context: JobContext) -> tuple[Scenario, Batch, float]:
    """The job's computing, outside any transaction: the engine's replications, with progress."""
    actor = context.actor
    if actor is None:
        raise NotFound("A simulation job needs the member of staff who started it")
    p = job.params
    total, done = int(p["replications"]), 0
    context.progress(0, total, "Starting the simulation", force=True)

    def tick(n: int) -> None:
        nonlocal done
        done += n
        context.progress(done, total, f"{done:,} of {total:,} replications run")

    return compute_run(
        actor=actor,
        name=p["name"],
        scenario=p["scenario"],
        replications=total,
        seed=int(p["seed"]),
        progress=tick,
    )


def run_simulation_job(job: Job, context: JobContext) -> dict[str, Any]:
    """The job's one write: the run, in the transaction that marks the job succeeded."""
    actor = context.actor
    assert actor is not None  # prepare_simulation_job refused a job without one
    parsed, batch, seconds = context.prepared
    p = job.params
    context.progress(int(p["replications"]), int(p["replications"]), "Saving the results", force=True)
    sim = save_run(
        actor=actor,
        name=p["name"],
        parsed=parsed,
        replications=int(p["replications"]),
        seed=int(p["seed"]),
        batch=batch,
        seconds=seconds,
    )
    return {
        "summary": f"Simulated {sim.name}: {sim.replications:,} replications in {sim.seconds:,.1f} s",
        "url": reverse("outcomes:simulation", kwargs={"run_id": sim.pk}),
        "link_text": "See the results",
        "run_id": sim.pk,
    }


def _series(batch: Batch, warmup: float) -> dict[str, Any]:
    census = batch.series["occupancy_by_day"]
    reps = census.shape[0]
    mean = census.mean(axis=0)
    half = t975(reps - 1) * census.std(axis=0, ddof=1) / math.sqrt(reps) if reps > 1 else np.zeros_like(mean)
    first = math.ceil(warmup)
    histogram = batch.series["delay_histogram"].sum(axis=0)
    share = histogram / max(histogram.sum(), 1)
    return {
        "occupancy": [
            {
                "day": first + i,
                "mean": round(float(m), 2),
                "lo": round(float(m - h), 2),
                "hi": round(float(m + h), 2),
            }
            for i, (m, h) in enumerate(zip(mean, half, strict=True))
        ],
        "delay": [
            {"days": f"{b}+" if b == DELAY_BINS else str(b), "share": round(float(s), 4)}
            for b, s in enumerate(share)
        ],
    }


def visible_runs(actor: Actor) -> Any:
    if not can_simulate(actor):
        return SimulationRun.objects.none()
    return SimulationRun.objects.filter(organisation_id=actor.organisation_id)


def get_run(actor: Actor, run_id: int) -> SimulationRun:
    found = visible_runs(actor).filter(pk=run_id).first()
    if found is None:
        raise NotFound("No simulation with that id")
    return found


def _batch(sim: SimulationRun) -> Batch:
    return Batch(
        tuple(range(sim.replications)),
        {k: np.asarray([np.nan if x is None else x for x in v], dtype=float) for k, v in sim.values.items()},
    )


def comparison(base: SimulationRun, other: SimulationRun) -> dict[str, Any]:
    """Per metric: both summaries and the difference (other − base) with its 95% CI. Runs with the same seed
    and replications share random numbers, so the difference is paired and its CI narrow."""
    paired = base.seed == other.seed and base.replications == other.replications
    base_batch, other_batch = _batch(base), _batch(other)
    if paired:
        differences = compare(base_batch, other_batch)
    else:
        differences = {}
        for key in base.summary:
            a, b = base_batch.values[key], other_batch.values[key]
            a, b = a[np.isfinite(a)], b[np.isfinite(b)]
            diff = float(b.mean() - a.mean()) if a.size and b.size else None
            se = (
                math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
                if a.size > 1 and b.size > 1
                else 0.0
            )
            differences[key] = {
                "mean": diff,
                "ci95": [None, None] if diff is None else [diff - 1.96 * se, diff + 1.96 * se],
            }
    rows = [
        {
            "key": key,
            "label": METRIC_LABELS.get(key, key),
            "is_share": key in SHARE_METRICS,
            "base": base.summary[key],
            "other": other.summary[key],
            "difference": differences[key],
        }
        for key in METRIC_LABELS
        if key in base.summary
    ]
    rate = float(
        base.scenario["arrivals"].get("rate_per_day")
        or len(base.scenario["arrivals"].get("times_days", [])) / 365
    )
    saved_per_patient = -(differences["delayed_bed_days_per_patient"]["mean"] or 0.0)
    ci = differences["delayed_bed_days_per_patient"]["ci95"]
    return {
        "rows": rows,
        "paired": paired,
        "patients_per_year": round(rate * 365, 1),
        "bed_days_saved_per_patient": saved_per_patient,
        "bed_days_saved_per_year": saved_per_patient * rate * 365,
        "bed_days_saved_per_year_ci": sorted(-(x or 0.0) * rate * 365 for x in ci),
    }


def chart_specs(sim: SimulationRun) -> dict[str, dict[str, Any]]:
    occupancy = alt.Data(values=sim.series["occupancy"])
    band = (
        alt.Chart(occupancy)
        .mark_area(opacity=0.3, color="#005eb8")
        .encode(x=alt.X("day:Q", title="Day"), y=alt.Y("lo:Q", title="Beds occupied at midnight"), y2="hi:Q")
    )
    line = alt.Chart(occupancy).mark_line(color="#003087").encode(x="day:Q", y="mean:Q")
    delay = (
        alt.Chart(alt.Data(values=sim.series["delay"]))
        .mark_bar(color="#d5281b")
        .encode(
            x=alt.X("days:N", sort=None, title="Days from discharge-ready to discharge"),
            y=alt.Y("share:Q", title="Share of patients", axis=alt.Axis(format="%")),
        )
    )
    return {
        "occupancy": (band + line).properties(width="container", height=240).to_dict(),
        "delay": delay.properties(width="container", height=220).to_dict(),
    }
