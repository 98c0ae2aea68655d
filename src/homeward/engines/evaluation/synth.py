"""Synthetic activity and people data with a planted effect, for tests, benchmarks and the demo.

Each person has a base monthly rate of the outcome that depends on age and need; who is helped depends
on the same things (so the treated differ from the pool before matching); helped people start in a
range of months (staggered); counts are Poisson around

    rate[i] + season[t] + trend · t + effect · helped-and-started[i, t] + pre_trend · climb[i, t]

(climb: months into the pre-period, 0 at its first month up to `pre_months` at the start, then flat)

so the true effect is `effect` per person per month (12 × effect per year) and parallel trends hold
unless `pre_trend` is non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from homeward.engines.evaluation.data import EvaluationData, check_data
from homeward.engines.evaluation.spec import month_label

FIRST_MONTH = 2022 * 12  # January 2022


@dataclass(frozen=True)
class SyntheticSet:
    activity: pl.DataFrame  # key, month (YYYY-MM), measure, count: only months with a count
    people: pl.DataFrame  # key, start_date, sex, need, area, age
    effect_per_year: float  # the planted truth, per person per year
    spec: dict[str, Any]  # a spec that evaluates it

    def data(self) -> EvaluationData:
        return check_data(self.activity, self.people)

    def write(self, directory: Any, fmt: str = "csv") -> None:
        from pathlib import Path

        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        for name, frame in (("activity", self.activity), ("people", self.people)):
            if fmt == "csv":
                frame.write_csv(path / f"{name}.csv")
            else:
                frame.write_parquet(path / f"{name}.parquet")


def generate(
    people: int = 2_000,
    treated: int = 200,
    months: int = 36,
    *,
    pre_months: int = 12,
    post_months: int = 12,
    effect: float = -0.1,
    trend: float = 0.0,
    pre_trend: float = 0.0,
    base_rate: float = 0.4,
    selection: float = 1.0,
    latent_selection: float = 0.0,
    seed: int = 0,
    measure: str = "ae_attendances",
    dense: bool = False,
) -> SyntheticSet:
    """`people` people over `months` months, about `treated` of them helped (selected on age and need,
    more strongly with larger `selection`, and on their lasting rate with `latent_selection`), starting
    between month `pre_months` and
    `months − post_months`. `effect`, `trend` and `pre_trend` are per person per month."""
    rng = np.random.default_rng(seed)
    age = np.round(rng.normal(72, 9, people)).clip(18, 105)
    need_codes = rng.choice(3, size=people, p=[0.4, 0.35, 0.25])
    sex_codes = rng.integers(0, 2, people)
    area_codes = rng.integers(0, 2, people)
    age_z = (age - 72) / 9
    rate = base_rate * np.exp(0.25 * age_z + 0.3 * (need_codes == 0) + rng.normal(0, 0.3, people))
    rate = np.maximum(rate, 0.06 + max(0.0, -effect))  # no rate may go below 0 (Poisson means)
    # Selection on recorded characteristics (age, need) and, with `latent_selection`, on the person's
    # lasting rate itself, which matching on pre-period outcomes only partly recovers (regression to
    # the mean: Daw & Hatfield 2018).
    score = selection * (0.8 * age_z + 0.7 * (need_codes == 0)) + latent_selection * np.log(rate / base_rate)
    share = treated / people
    intercept = np.log(share / (1 - share))
    for _ in range(50):  # set the intercept so the expected number helped is `treated`
        p = 1 / (1 + np.exp(-(intercept + score)))
        intercept += np.log(share / max(p.mean(), 1e-9)) * 0.8
    helped = rng.random(people) < 1 / (1 + np.exp(-(intercept + score)))
    start = np.where(helped, rng.integers(pre_months, months - post_months + 1, people), -1)
    t = np.arange(months)
    season = 0.05 * np.sin(2 * np.pi * t / 12)
    since = np.where(helped[:, None], t[None, :] - start[:, None], -(10**6))
    lam = rate[:, None] + season[None, :] + trend * t[None, :]
    # The planted pre-trend: the treated's rate climbs `pre_trend` a month over the pre-period, then stays.
    climb = np.where(since >= -pre_months, np.minimum(since, 0) + pre_months, 0)
    lam = lam + effect * (since >= 0) + pre_trend * climb
    if (lam < 0).any():
        raise ValueError("the planted effect and trends take some rates below zero: raise base_rate")
    counts = rng.poisson(lam)
    keys = np.array([f"P{i:07d}" for i in range(people)])
    rows, cols = np.nonzero(counts) if not dense else np.indices(counts.shape).reshape(2, -1)
    month_labels = np.array([month_label(FIRST_MONTH + m) for m in range(months)])
    activity = pl.DataFrame(
        {
            "key": keys[rows],
            "month": month_labels[cols],
            "measure": np.full(rows.size, measure),
            "count": counts[rows, cols].astype(np.int64),
        }
    )
    starts = [
        date((FIRST_MONTH + int(s)) // 12, (FIRST_MONTH + int(s)) % 12 + 1, 1 + int(d)).isoformat()
        if s >= 0
        else ""
        for s, d in zip(start, rng.integers(0, 28, people), strict=True)
    ]
    frame = pl.DataFrame(
        {
            "key": keys,
            "start_date": starts,
            "sex": np.array(["female", "male"])[sex_codes],
            "need": np.array(["frailty", "falls", "other"])[need_codes],
            "area": np.array(["North", "South"])[area_codes],
            "age": age,
        }
    )
    spec = {
        "intervention": "Synthetic service",
        "outcome": measure,
        "outcome_label": "A&E attendances",
        "pre_months": pre_months,
        "post_months": post_months,
        "period": {"from": month_label(FIRST_MONTH), "to": month_label(FIRST_MONTH + months - 1)},
        "comparison": {"rationale": "Synthetic: people with the same needs who were not helped."},
        "matching": {"exact": ["need"], "covariates": ["age", "sex"], "caliper": 0.2},
    }
    return SyntheticSet(activity=activity, people=frame, effect_per_year=12 * effect, spec=spec)
