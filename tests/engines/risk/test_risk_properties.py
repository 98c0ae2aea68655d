"""Properties (hypothesis): validation pinpoints any bad cell; features ignore row order and partitioning."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.engines.risk import (
    ExtractError,
    Extracts,
    compute_features,
    generate,
    score_tenancies,
    validate_extract,
)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

rent_rows = st.lists(
    st.tuples(
        st.integers(1, 5),  # tenancy
        st.integers(0, 150),  # weeks ago
        st.decimals(min_value=-500, max_value=5000, places=2),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda r: (r[0], r[1]),
)
BAD_VALUES = {"tenancy_ref": "", "week_start": "2026-02-30", "balance": "ten pounds"}


def _rent_frame(rows) -> pl.DataFrame:
    monday = date(2026, 9, 28)
    return pl.DataFrame(
        {
            "tenancy_ref": [f"T{t}" for t, _, _ in rows],
            "week_start": [(monday - timedelta(weeks=w)).isoformat() for _, w, _ in rows],
            "balance": [str(b) for _, _, b in rows],
        }
    )


@FAST
@given(rows=rent_rows, data=st.data())
def test_any_single_bad_cell_rejects_the_file_and_is_named_exactly(rows, data):
    frame = _rent_frame(rows)
    row = data.draw(st.integers(0, frame.height - 1))
    column = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    values = frame[column].to_list()
    values[row] = BAD_VALUES[column]
    with pytest.raises(ExtractError) as err:
        validate_extract("rent", frame.with_columns(pl.Series(column, values)))
    assert [(i.row, i.column) for i in err.value.issues] == [(row + 1, column)]


@FAST
@given(rows=rent_rows, seed=st.integers(0, 1000))
def test_event_ids_do_not_depend_on_row_order(rows, seed):
    frame = _rent_frame(rows)
    a = validate_extract("rent", frame).frame
    b = validate_extract("rent", frame.sample(fraction=1.0, shuffle=True, seed=seed)).frame
    assert a.sort("event_id").equals(b.sort("event_id"))


@pytest.fixture(scope="module")
def small_set():
    return generate(600, 15_000, seed=11)


@FAST
@given(seed=st.integers(0, 10_000))
def test_features_do_not_depend_on_the_order_of_rows_in_the_extracts(small_set, seed):
    tables = {k: v for k, v in small_set.tables.items() if k != "outcomes"}
    shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=seed) for k, v in tables.items()}
    a = compute_features(Extracts.from_frames(**tables), as_of=small_set.as_of)
    b = compute_features(Extracts.from_frames(**shuffled), as_of=small_set.as_of)
    assert a.equals(b)


@FAST
@given(cuts=st.lists(st.integers(1, 599), max_size=5, unique=True))
def test_scores_are_the_same_however_tenancies_are_partitioned(small_set, cuts):
    tables = {k: v for k, v in small_set.tables.items() if k != "outcomes"}
    ex = Extracts.from_frames(**tables)
    whole = score_tenancies(ex, as_of=small_set.as_of)
    bounds = [f"T{c:07d}" for c in sorted(cuts)]
    edges = [None, *bounds, None]
    parts = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        pred = pl.lit(True)
        if lo is not None:
            pred = pred & (pl.col("tenancy_ref") >= pl.lit(lo))
        if hi is not None:
            pred = pred & (pl.col("tenancy_ref") < pl.lit(hi))
        parts.append(score_tenancies(ex.where_tenancy(pred), as_of=small_set.as_of))
    assert pl.concat(parts).sort("tenancy_ref").equals(whole)
