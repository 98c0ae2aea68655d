"""Matching: balance improves on every variable, unmatched treated are reported, the rules on who may be a
comparison hold (exact categories, start month, never an already-helped person, replacement)."""

from __future__ import annotations

import numpy as np
import pytest
from evaluation_cases import planted, spec_with

from homeward.engines.evaluation import evaluate, load_spec, match, prepare


@pytest.fixture(scope="module")
def strongly_selected():
    return planted(seed=31, selection=1.5, people=2_000, treated=200)


def test_propensity_matching_reduces_every_standardised_mean_difference(strongly_selected):
    # Every balance variable in the propensity model (with the pre-period outcomes), so every one
    # should end within 0.1.
    spec = spec_with(strongly_selected, matching={"pre_period_outcomes": True})
    result = evaluate(spec, strongly_selected.data(), robustness=False)
    assert len(result.balance) == 8  # age, sex, 3 needs, 2 pre-period outcome levels, the score
    for row in result.balance:
        assert abs(row.smd_before) > 0.02, row.variable  # the planted data differ before matching
        assert abs(row.smd_after) < abs(row.smd_before), row.variable
        assert not row.flagged_after, row.variable
    assert {"age", "propensity score (logit)"} <= {r.variable for r in result.balance if r.flagged_before}


def test_matching_on_pre_period_outcomes_reduces_their_differences(strongly_selected):
    spec = spec_with(strongly_selected, matching={"method": "outcomes", "caliper": 0.5, "covariates": []})
    result = evaluate(spec, strongly_selected.data(), robustness=False)
    outcome_rows = [r for r in result.balance if "pre-period" in r.variable]
    assert len(outcome_rows) == 2
    for row in outcome_rows:
        assert abs(row.smd_before) > 0.1
        assert abs(row.smd_after) < abs(row.smd_before) / 3


def test_balance_flags_are_the_0_1_threshold(strongly_selected):
    result = evaluate(strongly_selected.spec, strongly_selected.data(), robustness=False)
    for row in result.balance:
        assert row.flagged_before == (abs(row.smd_before) > 0.1)
        assert row.flagged_after == (abs(row.smd_after) > 0.1)


def test_unmatched_treated_are_reported_with_their_keys_not_dropped(strongly_selected):
    spec = spec_with(strongly_selected, matching={"caliper": 0.005})
    result = evaluate(spec, strongly_selected.data(), robustness=False)
    m = result.matching
    assert m.unmatched > 0
    assert m.matched + m.unmatched == m.treated
    assert len(m.unmatched_keys) == m.unmatched
    people = strongly_selected.people
    helped = set(people.filter(people["start_date"] != "")["key"].to_list())
    assert set(m.unmatched_keys) <= helped
    assert sum(result.cohorts.values()) == m.matched
    assert any("no comparable person" in c for c in result.caveats)


def test_exact_categories_and_start_month_are_matched_exactly(strongly_selected):
    spec = spec_with(strongly_selected, matching={"exact": ["need", "sex"]})
    design = prepare(load_spec(spec), strongly_selected.data())
    m = match(design)
    for s in np.unique(m.unit_set):
        members = m.unit_person[m.unit_set == s]
        stacks = m.unit_stack[m.unit_set == s]
        assert np.unique(design.exact[members]).size == 1
        assert np.unique(stacks).size == 1
        assert design.start[m.unit_person[(m.unit_set == s) & m.unit_treated]][0] == stacks[0]


def test_without_replacement_each_comparison_is_used_once_and_never_someone_helped(strongly_selected):
    design = prepare(load_spec(strongly_selected.spec), strongly_selected.data())
    m = match(design)
    controls = m.unit_person[~m.unit_treated]
    assert np.unique(controls).size == controls.size
    assert not design.ever_treated[controls].any()


def test_with_replacement_a_comparison_may_be_reused_and_ratio_is_respected(strongly_selected):
    spec = spec_with(strongly_selected, matching={"replacement": True, "ratio": 3, "caliper": None})
    design = prepare(load_spec(spec), strongly_selected.data())
    m = match(design)
    per_set = np.bincount(m.unit_set[~m.unit_treated])
    assert (per_set == 3).all()
    controls = m.unit_person[~m.unit_treated]
    assert np.unique(controls).size < controls.size


def test_people_helped_later_join_the_pool_only_after_the_window(strongly_selected):
    spec = spec_with(
        strongly_selected, comparison={"later_treated": True}, starts={"from": "2022-10", "to": "2023-03"}
    )
    design = prepare(load_spec(spec), strongly_selected.data())
    post = design.spec.post_months
    pool = design.pool({}, True)
    for stack in design.stacks:
        candidates = design.candidates(pool, True, int(stack))
        later = candidates & design.ever_treated
        assert (design.start[later] > stack + post - 1).all()
    first = int(design.stacks.min())
    assert (design.candidates(pool, True, first) & design.ever_treated).any(), (
        "later-helped people in the pool"
    )
    m = match(design, spec=design.spec.matching.model_copy(update={"replacement": True, "ratio": 5}))
    controls, stacks = m.unit_person[~m.unit_treated], m.unit_stack[~m.unit_treated]
    later = design.ever_treated[controls]
    assert (design.start[controls][later] > stacks[later] + post - 1).all()


def test_a_comparison_pool_restricted_by_area_uses_only_that_area(strongly_selected):
    spec = spec_with(strongly_selected, comparison={"where": {"area": ["North"]}})
    design = prepare(load_spec(spec), strongly_selected.data())
    m = match(design)
    areas = design.people["area"].to_numpy()[m.unit_person[~m.unit_treated]]
    assert set(areas) == {"North"}
