"""HHSRS scoring of one hazard: hand-computed band edges, refusals naming the field, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.engines.hhsrs import (
    HAZARD_CODES,
    HAZARDS,
    Band,
    HazardAssessment,
    HazardGroup,
    HhsrsInputError,
    parse_assessments,
    score_hazard,
)

# (band expected, likelihood L, spread I/II/III/IV, score worked by hand as
#  (10,000 × I + 1,000 × II + 300 × III + 10 × IV) / L)
BAND_EDGES = [
    (Band.A, 3, (1, 2, 7, 90), 5000),  # (10,000 + 2,000 + 2,100 + 900) / 3 = 15,000 / 3
    (Band.B, 10, (1, 35, 15, 49), 4999),  # (10,000 + 35,000 + 4,500 + 490) / 10 = 49,990 / 10
    (Band.B, 3, (0, 3, 7, 90), 2000),  # (3,000 + 2,100 + 900) / 3 = 6,000 / 3
    (Band.C, 10, (0, 6, 45, 49), 1999),  # (6,000 + 13,500 + 490) / 10 = 19,990 / 10
    (Band.C, 1, (0, 0, 0, 100), 1000),  # 1,000 / 1
    (Band.D, 10, (0, 0, 31, 69), 999),  # (9,300 + 690) / 10 = 9,990 / 10
    (Band.D, 2, (0, 0, 0, 100), 500),  # 1,000 / 2
    (Band.E, 100, (0, 45, 15, 40), 499),  # (45,000 + 4,500 + 400) / 100 = 49,900 / 100
    (Band.E, 5, (0, 0, 0, 100), 200),  # 1,000 / 5
    (Band.F, 10, (0, 1, 0, 99), 199),  # (1,000 + 990) / 10 = 1,990 / 10
    (Band.F, 10, (0, 0, 0, 100), 100),  # 1,000 / 10
    (Band.G, 180, (0, 0, 58, 42), 99),  # (17,400 + 420) / 180 = 17,820 / 180
    (Band.G, 320, (0, 9, 21, 70), 50),  # (9,000 + 6,300 + 700) / 320 = 16,000 / 320
    (Band.H, 560, (1, 9, 26, 64), 49),  # (10,000 + 9,000 + 7,800 + 640) / 560 = 27,440 / 560
    (Band.H, 1000, (1, 5, 14, 80), 20),  # (10,000 + 5,000 + 4,200 + 800) / 1,000 = 20,000 / 1,000
    (Band.I, 560, (0, 3, 23, 74), 19),  # (3,000 + 6,900 + 740) / 560 = 10,640 / 560
    (Band.I, 100, (0, 0, 0, 100), 10),  # 1,000 / 100
    (Band.J, 1800, (0, 1, 49, 50), 9),  # (1,000 + 14,700 + 500) / 1,800 = 16,200 / 1,800
]


@pytest.mark.parametrize(("band", "likelihood", "spread", "score"), BAND_EDGES)
def test_each_band_edge_scores_as_worked_by_hand(band, likelihood, spread, score):
    result = score_hazard(HazardAssessment(hazard="fire", likelihood=likelihood, spread=spread))
    assert result.score == score
    assert result.band is band
    assert result.category == (1 if band in (Band.A, Band.B, Band.C) else 2)


def test_a_score_between_published_whole_number_bands_takes_the_lower_band():
    # The published bands are whole numbers (C 1,000–1,999, B 2,000–4,999; I 10–19, J ≤ 9); no rounding rule
    # is cited, so each band starts at its lower bound and 1,999.95 is still C, 9.95 still J.
    c = score_hazard(HazardAssessment(hazard="fire", likelihood=200, spread=(38, 14, 19, 29)))
    assert c.score == 1999.95  # (380,000 + 14,000 + 5,700 + 290) / 200 = 399,990 / 200
    assert c.band is Band.C and c.category == 1
    j = score_hazard(HazardAssessment(hazard="lead", likelihood=200, spread=(0, 1, 0, 99)))
    assert j.score == 9.95  # (1,000 + 990) / 200 = 1,990 / 200
    assert j.band is Band.J


def test_the_explanation_gives_the_working_band_and_category():
    result = score_hazard(HazardAssessment(hazard="damp_and_mould", likelihood=180, spread=(0, 4, 22, 74)))
    assert result.score == 63.0  # (4,000 + 6,600 + 740) / 180 = 11,340 / 180
    assert result.explanation == (
        "Damp and mould growth (hazard 1, Physiological): likelihood 1 in 180; spread of harm Class I 0%, "
        "Class II 4%, Class III 22%, Class IV 74%. Score = (10,000 × 0 + 1,000 × 4 + 300 × 22 + 10 × 74) "
        "÷ 180 = 11,340 ÷ 180 = 63.00. That is band G (50–99), so Category 2 (bands D–J; Category 1 is A–C)."
    )
    cat1 = score_hazard(HazardAssessment(hazard="excess_cold", likelihood=10, spread=(10, 20, 30, 40)))
    assert cat1.score == 12_940 and cat1.band is Band.A  # (100,000 + 20,000 + 9,000 + 400) / 10
    assert "Category 1 (bands A–C)" in cat1.explanation


def test_the_29_hazards_are_in_their_four_groups():
    assert len(HAZARD_CODES) == 29
    groups = {group: [h.number for h in HAZARDS.values() if h.group is group] for group in HazardGroup}
    assert groups[HazardGroup.PHYSIOLOGICAL] == list(range(1, 11))
    assert groups[HazardGroup.PSYCHOLOGICAL] == list(range(11, 15))
    assert groups[HazardGroup.PROTECTION_AGAINST_INFECTION] == list(range(15, 19))
    assert groups[HazardGroup.PROTECTION_AGAINST_ACCIDENTS] == list(range(19, 30))
    assert HAZARDS["falls_stairs"].name == "Falling on stairs etc."


def _issues(raw):
    with pytest.raises(HhsrsInputError) as caught:
        parse_assessments(raw)
    return [str(issue) for issue in caught.value.issues]


def _file(*hazards):
    return {"hazards": list(hazards)}


GOOD = {"hazard": "fire", "likelihood": 100, "spread": [0, 10, 30, 60]}


def test_a_spread_not_summing_to_100_is_refused_with_its_path():
    issues = _issues(_file(GOOD, GOOD, GOOD, {**GOOD, "spread": [0, 10, 30, 55]}))
    assert issues == ["hazards[3].spread: must sum to 100 (got 95)"]


@pytest.mark.parametrize("likelihood", [0, -5, -0.1])
def test_a_likelihood_of_zero_or_less_is_refused(likelihood):
    issues = _issues(_file({**GOOD, "likelihood": likelihood}))
    assert issues == [
        f"hazards[0].likelihood: must be more than 0: a likelihood is '1 in L' (got {likelihood:g})"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"likelihood": 0.5}, "hazards[0].likelihood: must be at least 1: '1 in 0.5' is more than certain"),
        ({"likelihood": 2_000_000}, "hazards[0].likelihood: must be at most 1,000,000 (got 2e+06)"),
        ({"likelihood": "10"}, "hazards[0].likelihood: Input should be a valid number"),
        (
            {"spread": [0, 10, 30.5, 59.5]},
            "hazards[0].spread: each percentage must be a whole number (got 30.5)",
        ),
        (
            {"spread": [0, 10, 90]},
            "hazards[0].spread: must list four percentages, for Classes I, II, III and IV",
        ),
        (
            {"spread": [0, -10, 50, 60]},
            "hazards[0].spread: each percentage must be between 0 and 100 (got -10)",
        ),
        (
            {"hazard": "damp"},
            "hazards[0].hazard: unknown hazard code 'damp' (the 29 codes are listed in docs/adaptations.md)",
        ),
        ({"extra": 1}, "hazards[0].extra: is not a field of this format"),
    ],
)
def test_bad_fields_are_refused_with_their_path(change, expected):
    assert _issues(_file({**GOOD, **change})) == [expected]


def test_an_empty_or_misshapen_file_is_refused():
    assert _issues({"hazards": []}) == ["hazards: List should have at least 1 item after validation, not 0"]
    assert _issues([GOOD]) == ['the file must be a JSON object {"hazards": [...]}']
    assert _issues({}) == ["hazards: is required"]


# Three cut points in 0–100 split 100 into four whole percentages.
spreads = st.lists(st.integers(0, 100), min_size=3, max_size=3).map(
    lambda cuts: (lambda a, b, c: (a, b - a, c - b, 100 - c))(*sorted(cuts))
)
likelihoods = st.floats(min_value=1, max_value=1_000_000, allow_nan=False)


@given(spread=spreads, low=likelihoods, high=likelihoods)
def test_the_score_rises_strictly_as_the_likelihood_1_in_l_falls(spread, low, high):
    if low == high:
        return
    low, high = sorted((low, high))  # 1 in `low` is more likely than 1 in `high`
    more_likely = score_hazard(HazardAssessment(hazard="fire", likelihood=low, spread=spread))
    less_likely = score_hazard(HazardAssessment(hazard="fire", likelihood=high, spread=spread))
    assert more_likely.score > less_likely.score  # every spread sums to 100, so there is always some harm
    assert more_likely.band <= less_likely.band  # "A" < "B": a higher score is never a lower band


def test_docs_list_every_hazard_code():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "adaptations.md").read_text()
    for hazard in HAZARDS.values():
        assert f"| {hazard.number} | `{hazard.code}` | {hazard.name} | {hazard.group.value} |" in docs
