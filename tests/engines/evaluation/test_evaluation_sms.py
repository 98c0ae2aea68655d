"""The Maryland SMS level follows the documented rule, and the result serialises to JSON and back."""

from __future__ import annotations

import json

import pytest
from evaluation_cases import planted, spec_with

from homeward.engines.evaluation import EvaluationResult, evaluate


@pytest.fixture(scope="module")
def base():
    return planted(seed=61)


@pytest.fixture(scope="module")
def did(base):
    return evaluate(base.spec, base.data())


def test_matched_did_with_rationale_balance_and_parallel_trends_is_level_3(did):
    assert all(not row.flagged_after for row in did.balance if row.matched_on)
    assert did.event_study.pre_trend_p >= 0.05
    assert did.sms_level == 3
    assert did.sms_reason.startswith("Level 3") and "What Works Centre" in did.sms_reason


def test_without_a_recorded_rationale_the_same_design_is_level_2(base):
    spec = spec_with(base, comparison={"rationale": None})
    result = evaluate(spec, base.data(), robustness=False)
    assert result.sms_level == 2
    assert "comparison.rationale" in result.sms_reason
    assert any("No reason is recorded" in c for c in result.caveats)


def test_imbalance_left_after_matching_makes_it_level_2():
    # Strong selection, a small pool and no caliper: the matches are poor on age.
    data = planted(seed=62, selection=3.0, people=700, treated=200)
    spec = spec_with(data, matching={"caliper": None})
    result = evaluate(spec, data.data(), robustness=False)
    flagged = [row.variable for row in result.balance if row.flagged_after and row.matched_on]
    assert "age" in flagged
    assert result.sms_level == 2
    assert "still differ after matching" in result.sms_reason


def test_imbalance_only_in_an_outcome_level_not_matched_on_is_caveated_not_scored(base):
    spec = spec_with(base, matching={"method": "outcomes", "caliper": None, "covariates": ["age"]})
    result = evaluate(spec, base.data(), robustness=False)
    age = next(row for row in result.balance if row.variable == "age")
    assert not age.matched_on  # outcome matching does not use the covariates
    assert age.flagged_after
    assert any(c.startswith("age was not matched on") for c in result.caveats)
    assert "still differ after matching" not in result.sms_reason


def test_before_after_without_comparison_is_level_1(base):
    result = evaluate(spec_with(base, design="before_after"), base.data())
    assert result.sms_level == 1
    assert result.matching is None and result.event_study is None and result.balance == []
    assert result.estimate == result.naive_before_after
    assert any("no comparison group" in c for c in result.caveats)
    assert result.summary()["matched"] == 0


def test_effect_is_per_person_per_year_in_the_outcome_units(did):
    assert did.estimate.per == "person per year"
    assert did.estimate.effect == pytest.approx(12 * did.monthly.effect)
    assert did.estimate.ci95[0] == pytest.approx(12 * did.monthly.ci95[0])
    assert did.outcome_label == "A&E attendances"


def test_result_round_trips_through_json(did):
    text = json.dumps(did.model_dump(mode="json"))
    again = EvaluationResult.model_validate(json.loads(text))
    assert again == did
    assert again.summary() == did.summary()


def test_caveats_are_plain_english_sentences(did):
    assert did.caveats
    for caveat in did.caveats:
        assert (caveat[0].isupper() or caveat[0].isdigit()) and caveat.endswith(".")
    assert any("unmeasured differences are possible" in c for c in did.caveats)
