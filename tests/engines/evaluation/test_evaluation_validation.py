"""Bad input gets a clear error naming the field, and nothing is run (every check is in `prepare`,
before matching; `evaluate` raises the same error)."""

from __future__ import annotations

import polars as pl
import pytest
from evaluation_cases import planted, spec_with

from homeward.engines.evaluation import (
    DataError,
    EvaluationError,
    SpecError,
    check_data,
    evaluate,
    load_spec,
    prepare,
    read_data,
)


@pytest.fixture(scope="module")
def base():
    return planted(seed=41, people=400, treated=40)


def _fields(exc: EvaluationError) -> set[str]:
    return {issue.field for issue in exc.issues}


def _refused(spec, data) -> EvaluationError:
    with pytest.raises(EvaluationError) as prepared:
        prepare(load_spec(spec), data)
    with pytest.raises(EvaluationError) as evaluated:
        evaluate(spec, data)
    assert str(prepared.value) == str(evaluated.value)
    return prepared.value


def test_unknown_outcome_names_the_outcome_field_and_lists_the_measures(base):
    error = _refused(spec_with(base, outcome="ae_atendances"), base.data())
    assert _fields(error) == {"outcome"}
    assert "unknown outcome 'ae_atendances'" in str(error)
    assert "ae_attendances" in str(error)


def test_outcome_with_no_pre_period_data_names_the_outcome(base):
    # GP contacts recorded only from the latest start onwards: nobody has a month before their start.
    latest = base.people.filter(pl.col("start_date") != "")["start_date"].max()[:7]
    gp = base.activity.filter(pl.col("month") >= latest).with_columns(measure=pl.lit("gp_contacts"))
    data = check_data(pl.concat([base.activity, gp]), base.people)
    spec = spec_with(base, outcome="gp_contacts")
    spec.pop("period")
    error = _refused(spec, data)
    assert _fields(error) == {"outcome"}
    assert "no pre-period data" in str(error)


def test_start_date_outside_the_data_names_start_date_and_the_key(base):
    people = base.people.with_columns(
        start_date=pl.when(pl.col("key") == "P0000003")
        .then(pl.lit("2031-05-14"))
        .otherwise(pl.col("start_date"))
    )
    error = _refused(base.spec, check_data(base.activity, people))
    assert _fields(error) == {"people.start_date"}
    assert "P0000003 (2031-05)" in str(error)


def test_start_too_close_to_the_edge_of_the_data_names_the_period_length(base):
    error = _refused(spec_with(base, pre_months=14), base.data())
    assert "pre_months" in _fields(error)
    assert "set `starts`" in str(error)


def test_comparison_pool_smaller_than_treated_without_replacement_names_comparison(base):
    # Only the people aged over 95 may be comparisons: far fewer than the treated.
    people = base.people.with_columns(
        band=pl.when(pl.col("age") > 95).then(pl.lit("oldest")).otherwise(pl.lit("rest"))
    )
    spec = spec_with(base, comparison={"where": {"band": ["oldest"]}})
    error = _refused(spec, check_data(base.activity, people))
    assert _fields(error) == {"comparison"}
    assert "fewer than the" in str(error) and "matching.replacement" in str(error)
    # With replacement the same pool is allowed.
    with_replacement = spec_with(spec, matching={"replacement": True, "caliper": None})
    result = evaluate(with_replacement, check_data(base.activity, people), robustness=False)
    assert 0 < result.matching.matched <= result.matching.treated


def test_unknown_columns_and_values_in_filters_name_their_path(base):
    spec = spec_with(
        base,
        eligible={"need": ["frailty", "flying"]},
        comparison={"where": {"ward": ["A"]}},
        matching={"exact": ["needs"], "covariates": ["height"]},
    )
    error = _refused(spec, base.data())
    assert _fields(error) == {
        "eligible.need",
        "comparison.where.ward",
        "matching.exact[0]",
        "matching.covariates[0]",
    }
    assert "no one has need 'flying'" in str(error)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"matching": {"caliper": 0}}, "matching.caliper"),
        ({"matching": {"method": "mahalanobis"}}, "matching.method"),
        ({"matching": {"ratio": 50}}, "matching.ratio"),
        ({"pre_months": 1}, "pre_months"),
        ({"post_months": 100}, "post_months"),
        ({"starts": {"from": "2023-13", "to": "2024-01"}}, "starts.from"),
        ({"colour": "blue"}, "colour"),
        ({"robustness": {"placebo_months": 8}}, "robustness.placebo_months"),
        ({"robustness": {"cap_percentile": 100}}, "robustness.cap_percentile"),
    ],
)
def test_spec_errors_name_the_field(base, change, field):
    with pytest.raises(SpecError) as error:
        load_spec(spec_with(base, **change))
    assert field in _fields(error.value), error.value


def test_missing_intervention_is_required(base):
    spec = dict(base.spec)
    spec.pop("intervention")
    with pytest.raises(SpecError, match="intervention: is required"):
        load_spec(spec)


def test_bad_data_rows_name_file_row_and_column(tmp_path, base):
    base.write(tmp_path)
    text = (tmp_path / "activity.csv").read_text().splitlines()
    text[2] = "P0000001,2024-13,ae_attendances,1"
    text[3] = "P0000001,2023-02,ae_attendances,-2"
    text.append("NOBODY,2023-02,ae_attendances,1")
    (tmp_path / "activity.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(DataError) as error:
        read_data(tmp_path)
    assert {"activity.csv, row 3, month", "activity.csv, row 4, count"} <= _fields(error.value)
    people = (tmp_path / "people.csv").read_text().splitlines()
    people[1] = (
        people[1].replace(people[1].split(",")[1], "14/03/2023") if people[1].split(",")[1] else people[1]
    )
    people[5] = people[5].split(",", 1)[0] + ",2023-02-30," + people[5].split(",", 2)[2]
    (tmp_path / "people.csv").write_text("\n".join(people) + "\n")
    (tmp_path / "activity.csv").write_text("\n".join(text[:2] + text[4:-1]) + "\n")
    with pytest.raises(DataError) as error:
        read_data(tmp_path)
    assert "people.csv, row 6, start_date" in _fields(error.value)


def test_an_activity_key_not_in_the_people_file_is_refused(base):
    extra = pl.DataFrame(
        {"key": ["NOBODY"], "month": ["2023-01"], "measure": ["ae_attendances"], "count": [1]}
    )
    with pytest.raises(DataError, match="NOBODY is not in the people data"):
        check_data(pl.concat([base.activity, extra]), base.people)


def test_duplicate_rows_are_refused_not_summed(base):
    with pytest.raises(DataError, match="a second row for key"):
        check_data(pl.concat([base.activity, base.activity.head(1)]), base.people)


def test_missing_files_and_columns_are_named(tmp_path, base):
    with pytest.raises(DataError, match="no activity.parquet or activity.csv"):
        read_data(tmp_path)
    with pytest.raises(DataError) as error:
        check_data(base.activity.drop("count"), base.people.drop("start_date"))
    assert _fields(error.value) == {"activity, count", "people, start_date"}


def test_parquet_with_dates_reads_like_csv(tmp_path, base):
    base.write(tmp_path / "csv", "csv")
    people = base.people.with_columns(pl.col("start_date").replace("", None).str.to_date())
    activity = base.activity.with_columns((pl.col("month") + "-01").str.to_date())
    (tmp_path / "pq").mkdir()
    people.write_parquet(tmp_path / "pq" / "people.parquet")
    activity.write_parquet(tmp_path / "pq" / "activity.parquet")
    a = evaluate(base.spec, read_data(tmp_path / "csv"), robustness=False)
    b = evaluate(base.spec, read_data(tmp_path / "pq"), robustness=False)
    assert a.summary() == b.summary()
