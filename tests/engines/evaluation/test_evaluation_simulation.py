"""Simulation: the estimator recovers a planted effect with honest intervals, flags planted pre-trends and
is not fooled by a secular trend that fools a naive before/after."""

from __future__ import annotations

import numpy as np
import pytest
from evaluation_cases import planted, spec_with

from homeward.engines.evaluation import evaluate, generate

SIMULATIONS = 400


@pytest.mark.slow
def test_95_percent_interval_covers_the_planted_effect_93_to_97_percent_of_the_time():
    # ~150 helped people a data set, starting over 9 months, 8 months either side. The CRV1 factor
    # counts the 9 × 15 start-month × month effects; in panels much smaller than this they are a sizeable
    # share of the observations and make the interval conservative (as fixest's and Stata's would be).
    covered, pre_trend_rejections, z = 0, 0, []
    for seed in range(SIMULATIONS):
        data = generate(1_000, 150, months=24, pre_months=8, post_months=8, seed=10_000 + seed)
        result = evaluate(data.spec, data.data(), robustness=False)
        lo, hi = result.estimate.ci95
        covered += lo <= data.effect_per_year <= hi
        pre_trend_rejections += result.event_study.pre_trend_p < 0.05
        z.append((result.estimate.effect - data.effect_per_year) / result.estimate.se)
    coverage = covered / SIMULATIONS
    assert 0.93 <= coverage <= 0.97, coverage
    # No planted pre-trend: the pre-trend test rejects at about its nominal 5%.
    assert 0.01 <= pre_trend_rejections / SIMULATIONS <= 0.09
    # Unbiased: the mean standardised error is near zero (its own SE is 1/sqrt(400) = 0.05), and the
    # standard error is the estimate's spread across data sets.
    assert abs(float(np.mean(z))) < 0.15
    assert 0.9 < float(np.std(z)) < 1.1


def test_pre_trend_test_flags_a_planted_pre_trend():
    # The treated's use climbs 0.05 a month faster than the pool's over the year before the start.
    data = planted(seed=3, pre_trend=0.05, people=2_000, treated=250)
    result = evaluate(data.spec, data.data(), robustness=False)
    assert result.event_study.pre_trend_p < 0.01
    assert result.sms_level == 2
    assert "moving apart before the start" in " ".join(result.caveats)


def test_pre_trend_test_rarely_flags_parallel_trends():
    # Its size is checked over 400 data sets in the coverage test; here: 20 data sets, at most 3 flagged
    # (P(≥ 4 of 20) is under 2% at a true 5% rate).
    flagged = sum(
        evaluate(d.spec, d.data(), robustness=False).event_study.pre_trend_p < 0.05
        for d in (planted(seed=100 + i, people=600, treated=80) for i in range(20))
    )
    assert flagged <= 3


def test_naive_before_after_is_fooled_by_a_secular_trend_and_the_did_is_not():
    data = planted(seed=5, trend=0.02)  # everyone's rate rises 0.02 a month: 0.24 a year
    result = evaluate(data.spec, data.data(), robustness=False)
    truth = data.effect_per_year
    naive, did = result.naive_before_after, result.estimate
    assert not naive.ci95[0] <= truth <= naive.ci95[1]
    assert naive.effect - truth > 1.0  # the trend adds about 0.02 × 9 months × 12 ≈ 2.2 a year
    assert did.ci95[0] <= truth <= did.ci95[1]
    assert abs(did.effect - truth) < abs(naive.effect - truth) / 3


def test_event_study_shows_the_effect_after_the_start_and_none_before():
    # One data set's month points each have a standard error of about 0.09 and all share the month -1
    # reference's noise, so a single set's after-average missed -0.3 by 0.08 by chance (on another CPU's
    # rounding of the matching). Over 20 sets: the after-minus-before step (free of the reference's noise)
    # has a standard error of about 0.007, the before-average about 0.016.
    after_means, before_means, covered, points = [], [], 0, 0
    for seed in range(20):
        data = planted(seed=1_100 + seed, effect=-0.3, people=2_000, treated=250)
        events = evaluate(data.spec, data.data(), robustness=False).event_study
        after = [p for p in events.points if p.month >= 0]
        before = [p for p in events.points if p.month < -1]
        after_means.append(np.mean([p.effect for p in after]))
        before_means.append(np.mean([p.effect for p in before]))
        covered += sum(p.ci95[0] <= -0.3 <= p.ci95[1] for p in after)
        points += len(after)
        assert [p.month for p in events.points] == list(range(-9, 9))
        assert next(p for p in events.points if p.month == -1).reference
    assert np.mean(after_means) - np.mean(before_means) == pytest.approx(-0.3, abs=0.03)
    assert abs(np.mean(before_means)) < 0.06
    # Each month's 95% interval holds the planted effect about 95% of the time (180 intervals).
    assert 0.88 <= covered / points <= 0.99, covered / points


def test_placebo_finds_nothing_when_nothing_was_planted_before_the_start():
    data = planted(seed=13)
    result = evaluate(data.spec, data.data())
    placebo = next(r for r in result.robustness if r.name == "placebo")
    assert placebo.estimate.ci95[0] <= 0 <= placebo.estimate.ci95[1]


def test_robustness_runs_cover_placebo_calipers_pools_pre_period_outcomes_and_cap():
    data = planted(seed=17)
    spec = spec_with(
        data,
        robustness={"calipers": [0.1, 0.5], "pools": [{"name": "North only", "where": {"area": ["North"]}}]},
    )
    runs = {r.name: r for r in evaluate(spec, data.data()).robustness}
    assert set(runs) == {
        "placebo",
        "caliper 0.1",
        "caliper 0.5",
        "North only",
        "with pre-period outcomes",
        "capped at P99",
    }
    assert all(r.estimate is not None for r in runs.values())
    # A narrower caliper can only leave more treated people unmatched.
    assert runs["caliper 0.1"].matched <= runs["caliper 0.5"].matched
    truth = data.effect_per_year
    for name in ("caliper 0.1", "caliper 0.5", "North only", "capped at P99"):
        lo, hi = runs[name].estimate.ci95
        assert lo <= truth <= hi, name
