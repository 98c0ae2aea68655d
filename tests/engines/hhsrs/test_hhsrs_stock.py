"""The vectorised stock scorer gives exactly the per-hazard scorer's results, and refuses bad rows by name."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.engines.hhsrs import (
    HAZARD_CODES,
    HazardAssessment,
    HhsrsInputError,
    category_1_hazards,
    score_hazard,
    score_stock,
)

# Three cut points in 0–100 split 100 into four whole percentages (I, II, III; IV is the rest).
first_three = st.lists(st.integers(0, 100), min_size=3, max_size=3).map(
    lambda cuts: (lambda a, b, c: [a, b - a, c - b])(*sorted(cuts))
)
row = st.tuples(
    st.sampled_from(HAZARD_CODES),
    st.one_of(st.integers(1, 1_000_000).map(float), st.floats(1, 1_000_000, allow_nan=False)),
    first_three,
)


def _frame(rows) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "property_ref": [f"P{i}" for i in range(len(rows))],
            "hazard": [r[0] for r in rows],
            "likelihood": [r[1] for r in rows],
            "class_i": [r[2][0] for r in rows],
            "class_ii": [r[2][1] for r in rows],
            "class_iii": [r[2][2] for r in rows],
            "class_iv": [100 - sum(r[2]) for r in rows],
        },
        schema_overrides={"likelihood": pl.Float64},
    )


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=200))
def test_the_vectorised_scorer_equals_the_per_hazard_scorer(rows):
    scored = score_stock(_frame(rows))
    for out, (hazard, likelihood, spread) in zip(scored.iter_rows(named=True), rows, strict=True):
        one = score_hazard(
            HazardAssessment(hazard=hazard, likelihood=likelihood, spread=(*spread, 100 - sum(spread)))
        )
        assert out["score"] == one.score  # exactly: the same integer numerator and one division
        assert out["band"] == one.band.value
        assert out["category"] == one.category


def test_other_columns_pass_through_and_category_1_lists_every_a_to_c_hazard_highest_first():
    frame = _frame(
        [
            ("damp_and_mould", 2.0, [10, 20, 30]),  # 64,700: A
            ("falls_stairs", 100.0, [0, 10, 30]),  # 196: F
            ("fire", 1.0, [0, 0, 0]),  # 1,000: C
            ("lead", 1000.0, [0, 0, 0]),  # 1: J
        ]
    )
    scored = score_stock(frame)
    assert scored["property_ref"].to_list() == ["P0", "P1", "P2", "P3"]
    assert scored["band"].to_list() == ["A", "F", "C", "J"]
    worst = category_1_hazards(scored)
    assert worst.select("property_ref", "hazard", "score").rows() == [
        ("P0", "damp_and_mould", 64_700.0),
        ("P2", "fire", 1_000.0),
    ]


def test_bad_rows_are_refused_by_row_and_field_before_anything_is_scored():
    frame = pl.DataFrame(
        {
            "hazard": ["fire", "mould", "fire", "fire"],
            "likelihood": [10.0, 10.0, 0.0, None],
            "class_i": [0, 0, 0, 0],
            "class_ii": [0, 0, 0, 0],
            "class_iii": [50, 0, 0, 0],
            "class_iv": [45, 100, 100, 100],
        }
    )
    with pytest.raises(HhsrsInputError) as caught:
        score_stock(frame)
    assert [str(i) for i in caught.value.issues] == [
        "rows[0].spread: class_i … class_iv must sum to 100",
        "rows[1].hazard: unknown hazard code (got 'mould')",
        "rows[2].likelihood: must be at least 1 (a likelihood is '1 in L') (got 0.0)",
        "rows[3].likelihood: is required (a number) (got None)",
    ]


def test_fractional_percentages_and_missing_columns_are_refused():
    frame = pl.DataFrame(
        {
            "hazard": ["fire"],
            "likelihood": [10.0],
            "class_i": [0.5],
            "class_ii": [0.0],
            "class_iii": [0.0],
            "class_iv": [99.5],
        }
    )
    with pytest.raises(HhsrsInputError) as caught:
        score_stock(frame)
    assert [str(i) for i in caught.value.issues] == [
        "rows[0].class_i: must be a whole number (got 0.5)",
        "rows[0].class_iv: must be a whole number (got 99.5)",
    ]
    with pytest.raises(HhsrsInputError, match="columns: missing class_iv"):
        score_stock(frame.drop("class_iv"))
