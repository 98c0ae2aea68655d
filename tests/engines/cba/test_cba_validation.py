"""Bad models are refused with a clear message naming the key path of every problem."""

from __future__ import annotations

import pytest
from cba_models import minimal, model, outcome
from hypothesis import given
from hypothesis import strategies as st

from homeward.engines.cba import ModelError, load_model

RATES = ["engagement_rate", "success_rate", "deadweight", "attribution", "drop_off", "optimism_bias"]


def errors_of(data) -> list[str]:
    with pytest.raises(ModelError) as err:
        load_model(data)
    return [str(i) for i in err.value.issues]


def test_minimal_model_from_the_issue_loads_as_is():
    m = load_model(minimal())
    assert m.years == 5 and m.outcomes[0].confidence_grade == 3
    assert m.outcomes[0].beneficiaries[0].agency == "NHS"


def test_defaults():
    raw = model()
    del raw["discount_rate"]
    for key in ("attribution", "duration_years", "drop_off"):
        del raw["outcomes"][0][key]
    m = load_model(raw)
    assert m.discount_rate == 0.035
    assert m.costs[0].optimism_bias == 0.0
    o = m.outcomes[0]
    assert (o.attribution, o.duration_years, o.drop_off) == (1.0, 1, 0.0)


def test_shares_not_summing_to_one():
    m = minimal()
    m["outcomes"][0]["beneficiaries"][1]["share"] = 0.1
    assert errors_of(m) == ["outcomes[0].beneficiaries: shares must sum to 1 (got 0.9)"]


@given(
    shares=st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=5).filter(
        lambda s: abs(sum(s) - 1) > 1e-6
    ),
    index=st.integers(0, 3),
)
def test_any_shares_not_summing_to_one_name_the_outcome(shares, index):
    outcomes = [outcome() for _ in range(index + 1)]
    outcomes[index]["beneficiaries"] = [
        {"agency": f"A{i}", "kind": "fiscal", "share": s, "cashable": False} for i, s in enumerate(shares)
    ]
    errs = errors_of(model(outcomes=outcomes))
    assert len(errs) == 1
    assert errs[0].startswith(f"outcomes[{index}].beneficiaries: shares must sum to 1 (got ")


@given(field=st.sampled_from(RATES), value=st.floats(-1e6, -1e-9) | st.floats(1.000001, 1e6))
def test_rates_outside_zero_to_one_name_the_path(field, value):
    errs = errors_of(model(outcomes=[outcome(), outcome(**{field: value})]))
    assert len(errs) == 1
    assert errs[0].startswith(f"outcomes[1].{field}: must be between 0 and 1 (got ")


def test_negative_rate_message():
    assert errors_of(model(outcomes=[outcome(success_rate=-0.5)])) == [
        "outcomes[0].success_rate: must be between 0 and 1 (got -0.5)"
    ]


@given(grade=st.integers().filter(lambda g: not 1 <= g <= 6))
def test_confidence_grade_outside_one_to_six(grade):
    o = outcome(confidence_grade=grade)
    del o["optimism_bias"]
    assert errors_of(model(outcomes=[o])) == [f"outcomes[0].confidence_grade: must be 1–6 (got {grade})"]


def test_grade_must_be_a_whole_number():
    assert errors_of(model(outcomes=[outcome(confidence_grade=2.5)])) == [
        "outcomes[0].confidence_grade: must be 1–6 (got 2.5)"
    ]


def test_neither_grade_nor_optimism_bias():
    o = outcome()
    del o["optimism_bias"]
    assert errors_of(model(outcomes=[o])) == [
        "outcomes[0]: give confidence_grade (1–6) or an explicit optimism_bias"
    ]


def test_negative_money_and_participants():
    errs = errors_of(model(costs=[{"year": 0, "amount": -5}], cohorts=[{"year": 0, "participants": -1}]))
    assert errs == ["costs[0].amount: must be ≥ 0 (got -5)", "cohorts[0].participants: must be ≥ 0 (got -1)"]


def test_years_outside_the_horizon():
    errs = errors_of(
        model(years=2, costs=[{"year": 2, "amount": 1}], cohorts=[{"year": 5, "participants": 1}])
    )
    assert errs == [
        "costs[0].year: must be within the horizon 0–1 (got 2)",
        "cohorts[0].year: must be within the horizon 0–1 (got 5)",
    ]


def test_missing_and_unknown_keys_are_named():
    raw = model()
    del raw["years"]
    raw["outcomes"][0]["unit_valu"] = 5
    errs = errors_of(raw)
    assert "years: Field required" in errs
    assert "outcomes[0].unit_valu: Extra inputs are not permitted" in errs


def test_bad_kind_names_the_beneficiary():
    o = outcome(beneficiaries=[{"agency": "NHS", "kind": "fiscl", "share": 1.0}])
    errs = errors_of(model(outcomes=[o]))
    assert len(errs) == 1 and errs[0].startswith("outcomes[0].beneficiaries[0].kind:")


def test_distributions_are_checked():
    bad_tri = {"dist": "triangular", "min": 0.5, "mode": 0.2, "max": 0.9}
    assert errors_of(model(outcomes=[outcome(success_rate=bad_tri)])) == [
        "outcomes[0].success_rate: triangular needs min ≤ mode ≤ max"
    ]
    too_wide = {"dist": "uniform", "min": 0.5, "max": 1.5}
    assert errors_of(model(outcomes=[outcome(success_rate=too_wide)])) == [
        "outcomes[0].success_rate: must be between 0 and 1 (distribution range 0.5–1.5)"
    ]
    unknown = {"dist": "lognormal", "mu": 1}
    errs = errors_of(model(outcomes=[outcome(unit_value=unknown)]))
    assert errs[0].startswith("outcomes[0].unit_value: unknown distribution 'lognormal'")
    missing = {"dist": "normal", "mean": 100}
    errs = errors_of(model(outcomes=[outcome(unit_value=missing)]))
    assert errs[0].startswith("outcomes[0].unit_value: bad normal distribution (sd: Field required")


def test_every_problem_is_reported_at_once():
    raw = model(outcomes=[outcome(success_rate=2, deadweight=-1)], discount_rate=1.5)
    assert len(errors_of(raw)) == 3


def test_files_yaml_and_json(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("years: 1\nprice_year: 2025\n")
    assert load_model(p).years == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert errors_of(bad)[0].startswith(f"{bad} is not valid JSON")
    assert errors_of(tmp_path / "missing.yaml")[0].startswith("cannot read")
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n")
    assert errors_of(listy) == [f"{listy} must hold a mapping of model keys"]
