"""Properties of the trained model's match weights (hypothesis over many record pairs):
adding a field on which the two records agree never lowers the weight; a disagreeing NHS number
lowers it."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.engines.linkage import PairScorer, clean_records, records_frame
from homeward.engines.linkage.synth import reserved_nhs_numbers

OPTIONAL = (
    "given_name",
    "family_name",
    "previous_family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address_line",
    "uprn",
    "nhs_number",
    "phone",
    "email",
)


@pytest.fixture(scope="module")
def scorer(model):
    return PairScorer(model)


@pytest.fixture(scope="module")
def pools(planted):
    """Realistic values per field, drawn from the planted records."""
    frame = planted.left.vstack(planted.right)
    out = {name: sorted(frame[name].drop_nulls().unique().to_list())[:300] for name in OPTIONAL}
    out["nhs_number"] = list(reserved_nhs_numbers(np.random.default_rng(7), 300))
    out["date_of_birth"] = None
    return out


def _weights(scorer, frequencies, *pairs: tuple[dict, dict]) -> list[float]:
    """Match weight of each (left, right) pair (one scoring call for all of them)."""
    lefts = [{"source": "housing", "record_id": f"a{i}", **left} for i, (left, _) in enumerate(pairs)]
    rights = [{"source": "hospital", "record_id": f"b{i}", **right} for i, (_, right) in enumerate(pairs)]
    frames = [scorer.prepare(clean_records(records_frame(side)), frequencies) for side in (lefts, rights)]
    scored = scorer.score(frames[0], frames[1])
    weight = dict(
        zip(
            zip(scored["record_id_l"], scored["record_id_r"], strict=True),
            scored["match_weight"],
            strict=True,
        )
    )
    return [float(weight[(f"a{i}", f"b{i}")]) for i in range(len(pairs))]


def _value(data, pools, name: str):
    if name == "date_of_birth":
        return data.draw(st.dates(date(1930, 1, 1), date(2008, 12, 31))).isoformat()
    return data.draw(st.sampled_from(pools[name]))


def _record(data, pools) -> dict:
    present = data.draw(st.sets(st.sampled_from(OPTIONAL)))
    return {name: _value(data, pools, name) for name in present}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_an_agreeing_field_never_lowers_the_match_weight(scorer, pools, planted_run, data):
    left, right = _record(data, pools), _record(data, pools)
    missing = [name for name in OPTIONAL if name not in left or name not in right]
    if not missing:
        return
    name = data.draw(st.sampled_from(missing))
    # Held by one record: the other now holds the same value; held by neither: both get one.
    value = left.get(name, right.get(name)) if name in left or name in right else _value(data, pools, name)
    before, after = _weights(
        scorer, planted_run.frequencies, (left, right), ({**left, name: value}, {**right, name: value})
    )
    assert after >= before - 1e-9, (name, value, left, right, before, after)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_disagreeing_nhs_number_lowers_the_match_weight(scorer, pools, planted_run, data):
    left, right = _record(data, pools), _record(data, pools)
    left.pop("nhs_number", None)
    right.pop("nhs_number", None)
    first, second = data.draw(
        st.lists(st.sampled_from(pools["nhs_number"]), min_size=2, max_size=2, unique=True)
    )
    before, after = _weights(
        scorer,
        planted_run.frequencies,
        (left, right),
        ({**left, "nhs_number": first}, {**right, "nhs_number": second}),
    )
    assert after < before


def test_an_agreeing_nhs_number_is_strong_evidence(model):
    weights = {p.level: p.match_weight for p in model.parameters() if p.comparison == "nhs_number"}
    assert weights["Same NHS number"] > 10 and weights["Different NHS number"] < -5
