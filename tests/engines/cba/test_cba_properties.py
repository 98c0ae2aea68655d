"""Properties of the method over many generated models (hypothesis)."""

from __future__ import annotations

import math

from cba_models import model, outcome
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.engines.cba import appraise, load_model, model_inputs
from homeward.engines.cba.inputs import central_values, sample
from homeward.engines.cba.kernel import npv
from homeward.engines.cba.reference import reference_npv_and_public_value

# Realistic inputs: rates to 6 decimal places, money to the penny (no subnormal floats, whose
# products underflow differently depending on the order of multiplication).
rate = st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 6))
money = st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 2))
KINDS = ["fiscal", "economic", "social"]


@st.composite
def models(draw):
    years = draw(st.integers(1, 8))
    n_outcomes = draw(st.integers(1, 4))
    outcomes = []
    for i in range(n_outcomes):
        n_b = draw(st.integers(1, 3))
        weights = draw(st.lists(st.integers(1, 10), min_size=n_b, max_size=n_b))
        shares = [w / sum(weights) for w in weights]
        shares[-1] = 1 - sum(shares[:-1])
        outcomes.append(
            outcome(
                name=f"O{i}",
                engagement_rate=draw(rate),
                success_rate=draw(rate),
                deadweight=draw(rate),
                attribution=draw(rate),
                unit_value=draw(money),
                optimism_bias=draw(rate),
                duration_years=draw(st.integers(1, 10)),
                drop_off=draw(rate),
                beneficiaries=[
                    {
                        "agency": f"A{j}",
                        "kind": draw(st.sampled_from(KINDS)),
                        "share": s,
                        "cashable": draw(st.booleans()),
                    }
                    for j, s in enumerate(shares)
                ],
            )
        )
    costs = [
        {"year": draw(st.integers(0, years - 1)), "amount": draw(money), "optimism_bias": draw(rate)}
        for _ in range(draw(st.integers(0, 4)))
    ]
    cohorts = [
        {"year": draw(st.integers(0, years - 1)), "participants": draw(st.integers(0, 10_000))}
        for _ in range(draw(st.integers(0, 4)))
    ]
    return model(
        years=years,
        discount_rate=round(draw(st.floats(0, 0.2)), 4),
        costs=costs,
        cohorts=cohorts,
        outcomes=outcomes,
    )


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(models(), st.integers(0, 3), rate, rate)
def test_npv_never_rises_as_deadweight_rises(m, which, d1, d2):
    which = which % len(m["outcomes"])
    lo, hi = sorted((d1, d2))
    m["outcomes"][which]["deadweight"] = lo
    npv_lo = appraise(m).npv
    m["outcomes"][which]["deadweight"] = hi
    assert appraise(m).npv <= npv_lo + 1e-6 * max(1.0, abs(npv_lo))


@settings(max_examples=60, deadline=None)
@given(models(), st.integers(0, 3), rate, rate)
def test_npv_never_rises_as_optimism_bias_rises(m, which, b1, b2):
    which = which % len(m["outcomes"])
    lo, hi = sorted((b1, b2))
    m["outcomes"][which]["optimism_bias"] = lo
    npv_lo = appraise(m).npv
    m["outcomes"][which]["optimism_bias"] = hi
    assert appraise(m).npv <= npv_lo + 1e-6 * max(1.0, abs(npv_lo))


@settings(max_examples=60, deadline=None)
@given(models(), rate, rate)
def test_npv_never_rises_as_cost_optimism_bias_rises(m, u1, u2):
    lo, hi = sorted((u1, u2))
    for c in m["costs"]:
        c["optimism_bias"] = lo
    npv_lo = appraise(m).npv
    for c in m["costs"]:
        c["optimism_bias"] = hi
    assert appraise(m).npv <= npv_lo + 1e-6 * max(1.0, abs(npv_lo))


@settings(max_examples=80, deadline=None)
@given(models())
def test_vectorised_kernel_matches_the_per_draw_reference(m):
    loaded = load_model(m)
    a = appraise(loaded)
    ref_npv, ref_pv, ref_costs = reference_npv_and_public_value(
        loaded, {k: float(v[0]) for k, v in central_values(model_inputs(loaded)).items()}
    )
    assert close(a.npv, ref_npv)
    assert close(a.public_value, ref_pv)
    assert close(a.pv_costs, ref_costs)


@settings(max_examples=60, deadline=None)
@given(models())
def test_totals_add_up(m):
    a = appraise(m)
    kinds = a.pv_benefits.fiscal + a.pv_benefits.economic + a.pv_benefits.social
    assert close(kinds, a.public_value)
    assert close(sum(a.pv_benefits_by_agency.values()), a.public_value)
    assert close(sum(o.pv_benefits for o in a.outcomes), a.public_value)
    assert close(sum(r.pv_benefits - r.pv_costs for r in a.year_by_year), a.npv)
    assert close(a.public_value - a.pv_costs, a.npv)
    if a.cashable_share is not None:
        assert -1e-9 <= a.cashable_share <= 1 + 1e-9


def test_kernel_matches_reference_on_sampled_draws():
    """Each vectorised draw equals the per-draw Python loop on the same sampled inputs."""
    import numpy as np

    m = load_model(
        model(
            years=5,
            cohorts=[{"year": 0, "participants": {"dist": "normal", "mean": 100, "sd": 20}}],
            outcomes=[
                outcome(
                    duration_years=3,
                    success_rate={"dist": "beta", "alpha": 2, "beta": 3},
                    drop_off={"dist": "uniform", "min": 0.1, "max": 0.4},
                    unit_value={"dist": "triangular", "min": 50, "mode": 80, "max": 200},
                )
            ],
        )
    )
    inputs = model_inputs(m)
    values = sample(inputs, 200, np.random.default_rng(7))
    vectorised = npv(m, values)
    for d in range(200):
        ref, _, _ = reference_npv_and_public_value(m, {k: float(v[d]) for k, v in values.items()})
        assert close(float(vectorised[d]), ref)


@settings(max_examples=60, deadline=None)
@given(models())
def test_every_output_matches_the_per_draw_reference(m):
    from homeward.engines.cba.kernel import flows, metrics
    from homeward.engines.cba.reference import reference_metrics

    loaded = load_model(m)
    values = central_values(model_inputs(loaded))
    vectorised = {k: float(v[0]) for k, v in metrics(flows(loaded, values)).items()}
    ref = reference_metrics(loaded, {k: float(v[0]) for k, v in values.items()})
    # The kernel reports every agency that appears in the model, even with zero value.
    for key, value in vectorised.items():
        expected = ref.get(key, 0.0)
        if math.isnan(value) or math.isnan(expected):
            assert math.isnan(value) and math.isnan(expected), key
        elif math.isinf(value) or math.isinf(expected):
            assert value == expected, key
        else:
            assert close(value, expected), key
