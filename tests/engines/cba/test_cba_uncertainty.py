"""Monte Carlo ranges, tornado and switching values."""

from __future__ import annotations

import numpy as np
import pytest
from cba_models import minimal, model, outcome

from homeward.engines.cba import appraise, simulate, simulate_metrics, switching_values, tornado
from homeward.engines.cba.schema import load_model


def uncertain_model() -> dict:
    m = minimal()
    o = m["outcomes"][0]
    o["optimism_bias"] = 0.2
    o["success_rate"] = {"dist": "triangular", "min": 0.3, "mode": 0.5, "max": 0.7}
    o["unit_value"] = {"dist": "normal", "mean": 2000, "sd": 300}
    o["deadweight"] = {"dist": "beta", "alpha": 2, "beta": 8}
    m["cohorts"][1]["participants"] = {"dist": "uniform", "min": 80, "max": 160}
    m["costs"][0]["amount"] = {"dist": "triangular", "min": 35000, "mode": 40000, "max": 60000}
    return m


def test_same_seed_same_result_and_other_seed_differs():
    m = uncertain_model()
    a, b, c = simulate(m, 2000, seed=1), simulate(m, 2000, seed=1), simulate(m, 2000, seed=2)
    assert a == b
    assert a.outputs["npv"].p50 != c.outputs["npv"].p50


def test_percentiles_cover_every_output_and_are_ordered():
    m = uncertain_model()
    mc = simulate(m, 5000, seed=3)
    point = appraise(m)
    expected = {
        "pv_costs",
        "pv_costs_by_agency.Unassigned",
        "pv_benefits.fiscal",
        "pv_benefits.economic",
        "pv_benefits.social",
        "pv_benefits_by_agency.NHS",
        "pv_benefits_by_agency.Patient",
        "public_value",
        "npv",
        "financial_roi",
        "economic_roi",
        "social_roi",
        "payback_year",
        "cashable_share",
    }
    assert set(mc.outputs) == expected
    for key, p in mc.outputs.items():
        if key != "payback_year":  # payback percentiles may be None: "never within the horizon"
            assert p.p5 <= p.p50 <= p.p95, key
    assert mc.outputs["npv"].p5 < point.npv < mc.outputs["npv"].p95
    assert 0.0 <= mc.probability_npv_positive <= 1.0
    assert mc.draws == 5000 and mc.seed == 3


def test_without_distributions_every_draw_is_the_point_estimate():
    m = minimal()
    m["outcomes"][0]["optimism_bias"] = 0.2
    point = appraise(m)
    mc = simulate(m, 100, seed=0)
    npv = mc.outputs["npv"]
    assert npv.p5 == npv.p50 == npv.p95 == pytest.approx(point.npv)
    assert mc.outputs["payback_year"].p50 == point.payback_year
    assert mc.probability_npv_positive == 1.0


def test_monte_carlo_mean_agrees_with_the_expected_npv():
    # NPV is linear in each independent input here, so E[NPV] = NPV at the means.
    m = model(
        years=3,
        costs=[{"year": 0, "amount": {"dist": "uniform", "min": 500, "max": 1500}}],
        outcomes=[
            outcome(
                duration_years=3,
                unit_value={"dist": "triangular", "min": 20, "mode": 40, "max": 90},
                success_rate={"dist": "beta", "alpha": 3, "beta": 2},
            )
        ],
    )
    sample = simulate_metrics(load_model(m), 200_000, seed=11)["npv"]
    se = sample.std() / np.sqrt(sample.size)
    assert abs(sample.mean() - appraise(m).npv) < 4 * se


def test_probability_and_payback_never():
    m = model(
        costs=[{"year": 0, "amount": 1000}],
        outcomes=[outcome(unit_value={"dist": "uniform", "min": 0, "max": 200})],
    )
    mc = simulate(m, 20_000, seed=5)
    # NPV > 0 iff unit value > £100: half the draws.
    assert mc.probability_npv_positive == pytest.approx(0.5, abs=0.02)
    assert mc.probability_payback == pytest.approx(0.5, abs=0.02)
    assert mc.outputs["payback_year"].p5 == 0
    assert mc.outputs["payback_year"].p95 is None  # never, in the top 5% of draws


def test_roi_percentiles_are_undefined_without_costs():
    mc = simulate(model(costs=[]), 50, seed=1)
    assert mc.outputs["financial_roi"].p50 is None


def test_large_draw_counts_run_in_batches():
    m = uncertain_model()
    out = simulate_metrics(load_model(m), 260_000, seed=4)
    assert out["npv"].shape == (260_000,)
    assert not np.isnan(out["npv"]).any()


def test_tornado_moves_each_input_twenty_percent():
    m = minimal()
    m["outcomes"][0]["optimism_bias"] = 0.2
    t = tornado(m)
    point = appraise(m)
    assert t.base_npv == pytest.approx(point.npv)
    assert [b.swing for b in t.bars] == sorted((b.swing for b in t.bars), reverse=True)
    uv = next(b for b in t.bars if b.path == "outcomes[0].unit_value")
    assert (uv.low_value, uv.high_value) == (1600.0, 2400.0)
    # NPV is linear in the unit value: ±20% of it moves NPV by ±20% of public value.
    assert uv.npv_high - point.npv == pytest.approx(0.2 * point.public_value)
    assert point.npv - uv.npv_low == pytest.approx(0.2 * point.public_value)
    attribution = next(b for b in t.bars if b.path == "outcomes[0].attribution")
    assert attribution.high_value == 1.0  # clipped to the valid range
    assert "costs[1].optimism_bias" not in {b.path for b in t.bars}  # central value 0: no swing


def test_switching_values_make_npv_zero():
    m = minimal()
    m["outcomes"][0]["optimism_bias"] = 0.2
    point = appraise(m)
    values = {v.path: v for v in switching_values(m)}
    # Linear case by hand: unit value × (PV costs ÷ public value).
    uv = values["outcomes[0].unit_value"]
    assert uv.switching_value == pytest.approx(2000 * point.pv_costs / point.public_value)
    assert uv.change_from_base == pytest.approx(point.pv_costs / point.public_value - 1)
    for path in ("outcomes[0].deadweight", "costs[0].amount", "outcomes[0].success_rate"):
        sv = values[path].switching_value
        assert sv is not None
        changed = minimal()
        changed["outcomes"][0]["optimism_bias"] = 0.2
        section, field = path.split(".")
        name, idx = section.rstrip("]").split("[")
        changed[name][int(idx)][field] = sv
        assert appraise(changed).npv == pytest.approx(0.0, abs=1e-6)
    assert values["discount_rate"].switching_value is None
    assert values["discount_rate"].note == "NPV stays positive for every value from 0 to 1"


def test_switching_value_for_a_loss_making_model():
    m = model(costs=[{"year": 0, "amount": 5000}])
    values = {v.path: v for v in switching_values(m)}
    assert values["outcomes[0].unit_value"].switching_value == pytest.approx(500.0)
    assert values["costs[0].amount"].switching_value == pytest.approx(1000.0)
    assert values["outcomes[0].success_rate"].switching_value is None
