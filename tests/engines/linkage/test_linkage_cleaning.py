"""Cleaning: names, aliases, married and double-barrelled names, postcodes, dates, NHS numbers."""

from __future__ import annotations

import subprocess
import sys

import nhs_number
import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.engines.linkage import LinkageRecord, clean_records, generate_uk, records_frame
from homeward.engines.linkage.cleaning import alias_table, nhs_number_is_valid
from homeward.engines.linkage.synth import reserved_nhs_numbers


def _clean(**fields) -> dict:
    return clean_records(records_frame([LinkageRecord("housing", "1", **fields)])).row(0, named=True)


def test_names_lose_case_accents_and_punctuation():
    row = _clean(given_name="  José-María ", family_name="O'Brien")
    assert row["given_name"] == "jose maria" and row["family_name"] == "obrien"


def test_bill_and_william_share_an_alias_group_and_alex_belongs_to_two():
    assert "william" in _clean(given_name="Bill")["given_name_aliases"]
    assert set(_clean(given_name="Alex")["given_name_aliases"]) == {"alexander", "alexandra"}
    assert _clean(given_name="Zebedee")["given_name_aliases"] == ["zebedee"]
    table = alias_table()
    assert table.height > 200 and table["name"].is_unique().all()


def test_double_barrelled_and_previous_family_names_keep_every_part():
    row = _clean(family_name="Smith-Jones", previous_family_name="Brown")
    assert row["family_name"] == "smith jones"
    assert row["family_name_all"] == ["smith", "jones", "brown"]
    assert _clean(family_name="van der Berg")["family_name_all"] == ["berg"]


def test_postcodes_are_normalised_with_sector_and_district():
    row = _clean(postcode="ls14ap")
    assert (row["postcode"], row["postcode_sector"], row["postcode_district"]) == ("LS1 4AP", "LS1 4", "LS1")
    row = _clean(postcode=" sw1a  1aa")
    assert (row["postcode"], row["postcode_sector"], row["postcode_district"]) == (
        "SW1A 1AA",
        "SW1A 1",
        "SW1A",
    )
    foreign = _clean(postcode="4011")
    assert foreign["postcode"] == "4011" and foreign["postcode_sector"] is None


def test_dates_of_birth_in_iso_uk_and_compact_forms():
    for text in ("1980-05-12", "12/05/1980", "12-05-1980", "19800512", "12.05.1980"):
        assert _clean(date_of_birth=text)["date_of_birth"] == "1980-05-12", text
    assert _clean(date_of_birth="31/02/1980")["date_of_birth"] is None
    assert _clean(date_of_birth="1850-01-01")["date_of_birth"] is None


def test_identifiers_phone_email_and_sex():
    row = _clean(
        nhs_number="943 476 5919", uprn="00010023", phone="+44 (0)7700 900123", email=" Bill@Example.COM"
    )
    assert row["nhs_number"] == "9434765919" and row["uprn"] == "10023"
    assert row["phone"] == "07700900123" and row["email"] == "bill@example.com"
    assert _clean(nhs_number="9434765918")["nhs_number"] is None  # fails Modulus 11
    assert [_clean(sex=s)["sex"] for s in ("Male", "F", "2", "unknown")] == ["m", "f", "f", None]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_vectorised_modulus_11_agrees_with_the_nhs_number_package(digits):
    ours = pl.select(nhs_number_is_valid(pl.lit(digits))).item()
    assert ours == nhs_number.is_valid(digits)


def test_synthetic_nhs_numbers_are_distinct_valid_and_in_the_test_range():
    numbers = reserved_nhs_numbers(np.random.default_rng(1), 5000)
    assert len(set(numbers)) == 5000
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)


def test_synthetic_records_carry_the_planted_errors():
    data = generate_uk(4000, 4000, seed=3)
    both = data.truth.join(data.left, left_on="left_record_id", right_on="record_id").join(
        data.right, left_on="right_record_id", right_on="record_id", suffix="_r"
    )
    differs = {
        name: both.filter(pl.col(name).str.to_lowercase() != pl.col(f"{name}_r").str.to_lowercase()).height
        for name in ("given_name", "family_name", "date_of_birth", "uprn")
    }
    assert all(n > 0 for n in differs.values()), differs
    assert data.left["previous_family_name"].drop_nulls().len() > 0
    assert data.left["nhs_number"].null_count() > data.left.height / 2  # housing rarely holds it
    swapped = both.filter(
        (pl.col("date_of_birth").str.slice(5, 2) == pl.col("date_of_birth_r").str.slice(8, 2))
        & (pl.col("date_of_birth").str.slice(8, 2) == pl.col("date_of_birth_r").str.slice(5, 2))
        & (pl.col("date_of_birth") != pl.col("date_of_birth_r"))
    )
    assert swapped.height > 0


def test_the_engine_imports_no_django():
    code = (
        "import sys, homeward.engines.linkage, homeward.cli.linkage; "
        "assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
