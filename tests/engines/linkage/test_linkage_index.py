"""The incremental linker's long-lived candidate index: saved, loaded, updated in place."""

from __future__ import annotations

import copy

import polars as pl
import pytest

from homeward.engines.linkage import IncrementalLinker, LinkageModel

KEY = ["source_l", "record_id_l", "source_r", "record_id_r"]
RECORD = {
    "source": "housing",
    "record_id": "NEW-1",
    "given_name": "Zebedee",
    "family_name": "Quirke",
    "date_of_birth": "1961-04-05",
    "postcode": "ZE1 0AA",
    "address_line": "1 Lerwick Road",
}
PATIENT = {**RECORD, "source": "hospital", "record_id": "RX-NEW", "given_name": "Zeb"}


@pytest.fixture(scope="module")
def saved(model, planted_records, tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    linker = IncrementalLinker(model, planted_records, duplicate_free_sources=[], index_path=folder)
    return linker, folder


def _scores(linker: IncrementalLinker, records: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([linker.score(row) for row in records.iter_rows(named=True)]).sort(KEY)


def test_a_saved_index_loads_and_scores_the_same(model, planted_records, saved):
    built, folder = saved
    assert {p.name for p in folder.iterdir()} >= {"index.json", "records.parquet", "keys.npz"}
    loaded = IncrementalLinker.open(model, folder, duplicate_free_sources=[])
    assert len(loaded.index) == len(built.index) == planted_records.height
    new = planted_records.filter(pl.col("source") == "hospital").head(40)
    ours, theirs = _scores(built, new), _scores(loaded, new)
    assert ours.height > 20
    assert ours.equals(theirs)


def test_an_added_record_is_kept_when_the_index_is_saved_again(model, planted_records, tmp_path):
    linker = IncrementalLinker(
        model, planted_records.head(500), duplicate_free_sources=[], index_path=tmp_path
    )
    assert linker.score(PATIENT).is_empty()
    linker.add([RECORD])
    linker.save()
    loaded = IncrementalLinker.open(model, tmp_path)
    found = loaded.score(PATIENT)
    assert found.height == 1 and found["record_id_r"][0] == "NEW-1"
    assert len(loaded.index) == 501


def test_a_record_added_again_replaces_its_earlier_version(model, planted_records):
    linker = IncrementalLinker(model, planted_records.head(500), duplicate_free_sources=[])
    linker.add([RECORD])
    moved = {**RECORD, "given_name": "Yolanda", "date_of_birth": "1990-01-02", "postcode": "KW15 1AA"}
    linker.add([moved])
    assert len(linker.index) == 501
    assert linker.score(PATIENT).filter(pl.col("match_probability") > 0.5).is_empty()
    found = linker.score({**moved, "source": "hospital", "record_id": "RX-2"})
    assert found["record_id_r"].to_list().count("NEW-1") == 1
    # an existing (indexed) record replaced by a new version is found only as the new version
    first = planted_records.filter(pl.col("source") == "housing").row(0, named=True)
    linker.add(
        [{**first, "given_name": "Xanthe", "family_name": "Ormsby-Gore", "date_of_birth": "1933-03-03"}]
    )
    assert len(linker.index) == 501
    probe = {**first, "source": "hospital", "record_id": "RX-3"}
    assert (
        first["record_id"]
        not in linker.score(probe).filter(pl.col("match_probability") > 0.99)["record_id_r"]
    )


def test_an_index_made_for_another_model_is_not_used(model, saved):
    _, folder = saved
    splink = copy.deepcopy(model.splink)
    level = next(lv for lv in splink["comparisons"][0]["comparison_levels"] if lv.get("m_probability"))
    level["m_probability"] = level["m_probability"] / 2
    other = LinkageModel.from_dict({**model.as_dict(), "splink": splink})
    with pytest.raises(ValueError, match="existing records are needed"):
        IncrementalLinker.open(other, folder)
