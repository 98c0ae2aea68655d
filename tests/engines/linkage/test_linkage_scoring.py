"""Incremental scoring equals Splink's batch and pair scoring; explanations add up; models round-trip."""

from __future__ import annotations

import json

import polars as pl
import pytest
from splink import Linker

from homeward.engines.linkage import (
    LinkageModel,
    ModelError,
    PairExplainer,
    PairScorer,
    clean_records,
    predict_pairs,
)
from homeward.engines.linkage.backend import DuckDBBackend, to_polars
from homeward.engines.linkage.cleaning import CLEAN_COLUMNS

KEY = ["source_l", "record_id_l", "source_r", "record_id_r"]


def _oriented(pairs: pl.DataFrame, source: str) -> pl.DataFrame:
    """Pairs with the `source` record on the left."""
    flip = pl.col("source_l") != source
    return pairs.select(
        pl.when(flip).then(pl.col("source_r")).otherwise(pl.col("source_l")).alias("source_l"),
        pl.when(flip).then(pl.col("record_id_r")).otherwise(pl.col("record_id_l")).alias("record_id_l"),
        pl.when(flip).then(pl.col("source_l")).otherwise(pl.col("source_r")).alias("source_r"),
        pl.when(flip).then(pl.col("record_id_l")).otherwise(pl.col("record_id_r")).alias("record_id_r"),
        "match_weight",
    )


def test_incremental_scoring_finds_the_batch_pairs_with_the_batch_weights(
    model, planted_records, incremental
):
    batch = predict_pairs(model, planted_records, duplicate_free_sources=[])
    new = planted_records.filter(pl.col("source") == "hospital").head(60)
    scored = pl.concat([incremental.score(row) for row in new.iter_rows(named=True)])
    expected = _oriented(batch, "hospital").filter(pl.col("record_id_l").is_in(new["record_id"].implode()))
    joined = expected.join(scored, on=KEY, how="full", coalesce=True, suffix="_incremental")
    assert joined.height == expected.height == scored.height > 40
    assert (joined["match_weight"] - joined["match_weight_incremental"]).abs().max() < 1e-9


def test_pair_scorer_equals_splinks_score_pairs(model, planted_records, planted_run):
    scorer = PairScorer(model)
    cleaned = clean_records(planted_records)
    left = scorer.prepare(cleaned.filter(pl.col("source") == "housing").head(3), planted_run.frequencies)
    right = scorer.prepare(cleaned.filter(pl.col("source") == "hospital").head(40), planted_run.frequencies)
    pair = ["record_id_l", "record_id_r"]  # Splink's one-table linker drops the source columns
    ours = scorer.score(left, right).select(*pair, "match_weight", "match_probability")
    db_api = DuckDBBackend().db_api()
    linker = Linker(
        db_api.register(cleaned.select(CLEAN_COLUMNS).to_arrow()),
        model.splink_settings() | {"link_type": "dedupe_only"},
        log_level=None,
    )
    splinks = to_polars(linker.inference.score_pairs(left.to_dicts(), right.to_dicts()))
    joined = ours.join(splinks.select(*pair, "match_weight", "match_probability"), on=pair, suffix="_splink")
    assert joined.height == ours.height == 120
    assert (joined["match_weight"] - joined["match_weight_splink"]).abs().max() < 1e-9
    assert (joined["match_probability"] - joined["match_probability_splink"]).abs().max() < 1e-12


def test_a_new_record_is_found_once_added(model, incremental):
    record = {
        "source": "housing",
        "record_id": "NEW-1",
        "given_name": "Zebedee",
        "family_name": "Quirke",
        "date_of_birth": "1961-04-05",
        "postcode": "ZE1 0AA",
        "address_line": "1 Lerwick Road",
    }
    patient = {**record, "source": "hospital", "record_id": "RX-NEW", "given_name": "Zeb"}
    assert incremental.score(patient).is_empty()
    incremental.add([record])
    found = incremental.score(patient)
    assert found.height == 1 and found["record_id_r"][0] == "NEW-1"
    assert found["match_probability"][0] > 0.9


def test_explanations_add_up_to_the_runs_weight_and_can_hide_values(
    model, planted, planted_records, planted_run
):
    explainer = PairExplainer(model, planted_run.frequencies)
    left_id, right_id = planted.truth.row(0)
    left = planted_records.filter(pl.col("record_id") == left_id).row(0, named=True)
    right = planted_records.filter(pl.col("record_id") == right_id).row(0, named=True)
    explanation = explainer.explain(left, right)
    total = explanation.prior_weight + sum(c.match_weight for c in explanation.contributions)
    assert explanation.match_weight == pytest.approx(total, abs=1e-9)
    pair = _oriented(planted_run.pairs, "housing").filter(
        (pl.col("record_id_l") == left_id) & (pl.col("record_id_r") == right_id)
    )
    if pair.height:
        assert explanation.match_weight == pytest.approx(pair["match_weight"][0], abs=1e-9)
    assert all(c.sentence.startswith(c.label) for c in explanation.contributions)
    assert {c.comparison for c in explanation.contributions} >= {"given_name", "family_name", "date_of_birth"}

    hidden = explanation.without_values()
    assert hidden.match_weight == explanation.match_weight
    assert all(c.left is None and c.right is None for c in hidden.contributions)
    spec = json.dumps(hidden.vega_lite())
    for value in (left["family_name"], right["date_of_birth"], left["given_name"]):
        assert value and value.lower() not in spec.lower()
    shown = explanation.vega_lite()
    assert shown["data"]["values"] and left["family_name"].lower() in json.dumps(shown).lower()

    partly = explanation.with_visible_fields({"date_of_birth"})
    by_name = {c.comparison: c for c in partly.contributions}
    assert by_name["date_of_birth"].left is not None and by_name["family_name"].left is None


def test_a_saved_model_loads_and_scores_the_same(model, planted_records, tmp_path):
    path = tmp_path / "agreement-7.json"
    model.with_version(3).save(path)
    loaded = LinkageModel.load(path)
    assert loaded.version == 3 and loaded.fields == model.fields and loaded.splink == model.splink
    sample = planted_records.head(600)
    a, b = predict_pairs(model, sample), predict_pairs(loaded, sample)
    assert a.equals(b)
    spark = loaded.splink_settings("spark")
    assert spark["sql_dialect"] == "spark" and spark["probability_two_random_records_match"] == model.prior
    level = spark["comparisons"][0]["comparison_levels"][2]
    assert "`given_name_l`" in level["sql_condition"]  # Spark SQL, with the trained parameters
    assert level["m_probability"] == model.splink["comparisons"][0]["comparison_levels"][2]["m_probability"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(format="something/2"), "not a homeward.linkage.model/1"),
        (lambda d: d.update(fields=[*d["fields"], "shoe_size"]), "unknown fields"),
        (
            lambda d: d["splink"]["comparisons"][0]["comparison_levels"][1].update(m_probability=3.0),
            "not in (0, 1]",
        ),
        (lambda d: d["splink"].pop("comparisons"), "damaged model"),
    ],
)
def test_a_damaged_or_foreign_model_is_refused(model, change, words):
    data = json.loads(model.to_json())
    change(data)
    with pytest.raises(ModelError, match=words.replace("(", r"\(").replace("]", r"\]")):
        LinkageModel.from_dict(data)
