""" "What if we open five more beds?": the unit's bed pool as a first-come-first-served queue in the
existing flow simulator (`homeward.engines.flowsim`), calibrated from the unit's own history.

The simulator's `step_down` block is the unit's beds: a finite pool, first come first served, validated
against Erlang C. Patients arrive at the unit's own referral rate (accepted or admitted referrals over the
history window); every one of them needs a bed (probability 1) from the moment of referral (acute length of
stay 0: the figures are the bed queue alone), for a stay drawn from the unit's own lengths of stay
(empirical). The wait for a bed is delayed days, in hospital for a step-down referral (or at home for a
step-up one); the time-averaged beds occupied over the beds is occupancy. Paired seeds (common random
numbers) make the difference between bed counts a fair comparison, and the two runs can be kept and sent to
the cost–benefit module (`outcomes.services.keep_simulation_run`), which values the delayed bed-days saved.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.engines.flowsim import compare, parse_scenario, run, summarise
from homeward.reablement.codes import BedStatus
from homeward.reablement.models import Referral, Stay, Unit

MIN_STAYS = 10
MAX_SAMPLES = 5000
HORIZON_DAYS = 365.0
WARMUP_DAYS = 90.0


@dataclass(frozen=True)
class Calibration:
    beds: int
    arrivals_per_day: float
    stays: int
    mean_stay_days: float
    history_days: int

    def utilisation(self, beds: int) -> float:
        """Offered load per bed (λ·E[S]/c): at 1 or more the queue grows without bound."""
        return self.arrivals_per_day * self.mean_stay_days / beds


def calibrate(unit: Unit, history_days: int, today: dt.date | None = None) -> tuple[Calibration, list[float]]:
    """Today's open beds, the referral rate and the lengths of stay (days) of discharges in the window."""
    today = today or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=history_days), dt.time.min))
    arrivals = Referral.objects.filter(
        unit=unit, referred_at__gte=since, status__in=("accepted", "admitted")
    ).count()
    stays = list(
        Stay.objects.filter(unit=unit, discharged_at__gte=since)
        .annotate(span=F("discharged_at") - F("admitted_at"))
        .values_list("span", flat=True)[:MAX_SAMPLES]
    )
    if len(stays) < MIN_STAYS:
        raise ValidationFailed.single(
            "history_days",
            f"The unit has {len(stays)} discharges in that window: at least {MIN_STAYS} are needed to "
            "calibrate the simulation",
        )
    beds = unit.beds.exclude(status=BedStatus.CLOSED).count()
    days = [max(0.0, s.total_seconds() / 86400) for s in stays]
    return Calibration(
        beds=beds,
        arrivals_per_day=arrivals / history_days,
        stays=len(days),
        mean_stay_days=sum(days) / len(days),
        history_days=history_days,
    ), days


def bed_scenario(
    beds: int,
    arrivals_per_day: float,
    stay: dict[str, Any],
    *,
    horizon_days: float = HORIZON_DAYS,
    warmup_days: float = WARMUP_DAYS,
) -> dict[str, Any]:
    """The flowsim scenario of a pool of `beds` with stays drawn from `stay` (a flowsim distribution block;
    the unit's own stays as `{"dist": "empirical", "samples": [...]}`); see the module docstring."""
    return {
        "horizon_days": horizon_days + warmup_days,
        "warmup_days": warmup_days,
        "arrivals": {"rate_per_day": arrivals_per_day},
        "length_of_stay": {"dist": "fixed", "value": 0},
        "housing_need": {"probability": 0.0},
        "housing_officers": {"count": 1, "service": {"dist": "fixed", "value": 0}},
        "step_down": {"probability": 1.0, "beds": beds, "length_of_stay": stay},
    }


@dataclass(frozen=True)
class WhatIf:
    calibration: Calibration
    extra_beds: int
    results: list[dict[str, Any]]  # one per bed count: beds, wait, prob_wait, occupancy
    difference: dict[str, Any]  # (more beds) minus (today's beds), paired by seed
    bed_days_saved_per_year: float | None
    runs: list[tuple[Any, Any, float]]  # (scenario, batch, seconds) per bed count, to keep the runs
    replications: int
    seed: int


def what_if(
    unit: Unit, *, extra_beds: int, history_days: int = 365, replications: int = 40, seed: int = 2026
) -> WhatIf:
    errors: dict[str, str] = {}
    if not 1 <= extra_beds <= 50:
        errors["extra_beds"] = "Add between 1 and 50 beds"
    if not 30 <= history_days <= 3650:
        errors["history_days"] = "Calibrate from 30 to 3650 days of history"
    if errors:
        raise ValidationFailed(errors)
    calibration, stay_days = calibrate(unit, history_days)
    if calibration.beds < 1:
        raise ValidationFailed.single("extra_beds", "The unit has no open beds to start from")
    if calibration.arrivals_per_day <= 0:
        raise ValidationFailed.single("history_days", "No accepted referrals in that window")
    batches, results, runs = [], [], []
    for beds in (calibration.beds, calibration.beds + extra_beds):
        scenario = parse_scenario(
            bed_scenario(beds, calibration.arrivals_per_day, {"dist": "empirical", "samples": stay_days})
        )
        started = time.perf_counter()
        batch = run(scenario, replications=replications, seed=seed)
        runs.append((scenario, batch, time.perf_counter() - started))
        batches.append(batch)
        results.append(
            {
                "beds": beds,
                "wait_for_bed_days": summarise(batch.values["wait_for_step_down_days"]),
                "prob_wait_for_bed": summarise(batch.values["prob_wait_for_step_down"]),
                "bed_occupancy": summarise(batch.values["step_down_occupancy_mean"] / beds),
            }
        )
    diff = compare(batches[0], batches[1])["wait_for_step_down_days"]
    saved = -diff["mean"] * calibration.arrivals_per_day * 365 if diff["mean"] is not None else None
    return WhatIf(calibration, extra_beds, results, diff, saved, runs, replications, seed)


def keep_runs(actor: Any, unit: Unit, result: WhatIf) -> tuple[int, int]:
    """Keep both runs (today's beds, more beds) as simulation runs of the What if? pages, so that their
    comparison can be valued by the cost–benefit module. Returns (today's run id, more beds' run id)."""
    from homeward.outcomes.services import keep_simulation_run

    ids = []
    for (scenario, batch, seconds), row in zip(result.runs, result.results, strict=True):
        kept = keep_simulation_run(
            actor=actor,
            name=f"{unit.name}: {row['beds']} reablement beds",
            scenario=scenario,
            replications=result.replications,
            seed=result.seed,
            batch=batch,
            seconds=seconds,
        )
        ids.append(kept.pk)
    return ids[0], ids[1]
