"""Cleaning: raw person fields → the normalised columns the comparisons read (vectorised, Polars).

- names: lower case, accents and punctuation removed; a hyphenated or double-barrelled family name
  keeps each part (`family_name_all`, with any previous family name's parts) so that "Smith-Jones"
  agrees with "Smith" and a married name agrees with the maiden name when either record holds it;
- given names: alias groups (Bill ~ William) from `aliases.csv`;
- dates of birth: ISO text `YYYY-MM-DD` from ISO, UK `DD/MM/YYYY`, `DD-MM-YYYY` or `YYYYMMDD`;
- postcodes: UK format `AA9A 9AA` with sector (`AA9A 9`) and district (`AA9A`) derived; a value that
  is not a UK postcode is kept upper-case without spaces (it can still agree exactly);
- NHS numbers: 10 digits passing Modulus 11 (NHS Data Dictionary), otherwise treated as missing;
- another identifier both parties hold (National Insurance number, a shared client reference, or
  a foreign social-security number as in FEBRL): upper-case letters and digits, compared exactly;
- phone, email, UPRN, sex: digits / lower case / digits / one of m, f, x.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import nhs_number
import numpy as np
import polars as pl

from homeward.engines.linkage.fields import RECORD_ID, SOURCE, STANDARD_FIELDS

#: UK postcode: outward code (area letters, district digit, optional letter/digit), inward code.
POSTCODE_PATTERN = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$"
#: Particles that are not on their own evidence of the same family name ("van der Berg").
NAME_PARTICLES = ("de", "da", "di", "du", "del", "der", "den", "la", "le", "van", "von", "st", "ap", "ben")
#: Street-type abbreviations spelt out before comparing addresses.
ADDRESS_ABBREVIATIONS = {
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "dr": "drive",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "gdns": "gardens",
    "gro": "grove",
    "tce": "terrace",
    "terr": "terrace",
    "pde": "parade",
    "hse": "house",
    "apt": "flat",
}
EARLIEST_BIRTH = date(1880, 1, 1)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d", "%d.%m.%Y")
SEX_CODES = {
    "m": "m",
    "male": "m",
    "man": "m",
    "1": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "2": "f",
    "x": "x",
    "i": "x",
    "indeterminate": "x",
    "other": "x",
}

#: Columns of a cleaned frame (the input Splink reads), in order.
CLEAN_COLUMNS: tuple[str, ...] = (
    SOURCE,
    RECORD_ID,
    "given_name",
    "given_name_aliases",
    "family_name",
    "family_name_all",
    "previous_family_name",
    "date_of_birth",
    "birth_year",
    "sex",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "address_line",
    "uprn",
    "nhs_number",
    "other_identifier",
    "phone",
    "email",
)


@cache
def alias_table() -> pl.DataFrame:
    """Given name → the alias groups it belongs to (`aliases.csv`, shipped with the engine)."""
    text = resources.files("homeward.engines.linkage").joinpath("aliases.csv").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")][1:]
    pairs = [(name, group) for group, names in (row.split(",", 1) for row in rows) for name in names.split()]
    return (
        pl.DataFrame(pairs, schema={"name": pl.String, "group": pl.String}, orient="row")
        .group_by("name")
        .agg(pl.col("group").unique().sort().alias("groups"))
    )


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr != "").then(expr)


def _text(expr: pl.Expr) -> pl.Expr:
    """Lower-case ASCII letters and digits with single spaces ("" when nothing is left)."""
    return (
        expr.cast(pl.String)
        .str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        .str.replace_all(r"['`]", "")
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
    )


def _name(column: str) -> pl.Expr:
    return _text(pl.col(column)).str.replace_all(r"[^a-z]+", " ").str.strip_chars()


def _name_parts(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .str.split(" ")
        .list.eval(pl.element().filter(~pl.element().is_in(NAME_PARTICLES) & (pl.element() != "")))
    )


def parse_dates(column: pl.Expr) -> pl.Expr:
    """Text in any accepted format (or a Date) → Date; unparseable → null."""
    text = column.cast(pl.String).str.strip_chars()
    return pl.coalesce([text.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS])


def _nhs_numbers_valid(values: pl.Series) -> pl.Series:
    text = values.cast(pl.String)
    shaped = text.str.contains(r"^[0-9]{10}$").fill_null(False).to_numpy()
    number = text.cast(pl.Int64, strict=False).fill_null(0).to_numpy()
    digits = (number[:, None] // 10 ** np.arange(9, -1, -1, dtype=np.int64)) % 10
    check = 11 - (digits[:, :9] * np.arange(10, 1, -1)).sum(axis=1) % 11
    check[check == 11] = 0
    valid = shaped & (check != 10) & (check == digits[:, 9])
    # Scottish CHI numbers begin with the date of birth (DDMMYY): one that does not is not valid
    # (the rule the nhs-number package applies; its ranges are used here).
    in_chi = np.zeros(len(number), dtype=bool)
    for r in nhs_number.REGION_SCOTLAND.ranges:
        in_chi |= (number >= r.start) & (number <= r.end)
    chi = np.flatnonzero(valid & in_chi)
    if len(chi):
        dated = text.gather(chi).str.slice(0, 6).str.to_date("%d%m%y", strict=False).is_not_null().to_numpy()
        valid[chi[~dated]] = False
    return pl.Series(values.name, valid)


def nhs_number_is_valid(digits: pl.Expr) -> pl.Expr:
    """Modulus 11 on 10-digit text (NHS Data Dictionary, "NHS Number"): the first nine digits
    weighted 10 down to 2, check digit = 11 - (sum mod 11), 11 meaning 0 and 10 never valid."""
    return digits.map_batches(_nhs_numbers_valid, return_dtype=pl.Boolean)


def _digits(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.replace_all(r"[^0-9]", "")


def _phone() -> pl.Expr:
    # "+44 (0)7700 900123": the (0) is written for callers within the UK.
    digits = pl.col("phone").cast(pl.String).str.replace_all(r"\(0\)", "").str.replace_all(r"[^0-9+]", "")
    return (
        digits.str.replace(r"^\+44", "0").str.replace(r"^0044", "0").str.replace(r"^44(\d{10})$", "0$1")
    ).str.replace_all(r"[^0-9]", "")


def _address() -> pl.Expr:
    """Lower case, punctuation gone, street-type abbreviations spelt out ("st" is "street" at the
    end of a line and "saint" elsewhere, as in "st johns road")."""
    words = (
        _text(pl.col("address_line"))
        .str.replace(r"\bst$", "street")
        .str.split(" ")
        .list.eval(pl.element().replace({**ADDRESS_ABBREVIATIONS, "st": "saint"}))
        .list.join(" ")
    )
    return words


def clean_records(raw: pl.DataFrame) -> pl.DataFrame:
    """Raw records (source, record_id, any standard fields) → the cleaned columns in CLEAN_COLUMNS.

    Values that cannot be read (a date that is not a date, an NHS number failing Modulus 11, a
    phone number of the wrong length) become missing; use `validation.validate_records` first to
    refuse them instead. Built in stages so that each expression is computed once.
    """
    frame = raw.with_columns(
        *(pl.lit(None, pl.String).alias(name) for name in STANDARD_FIELDS if name not in raw.columns)
    )
    first = frame.select(
        pl.col(SOURCE).cast(pl.String),
        pl.col(RECORD_ID).cast(pl.String).str.strip_chars(),
        _name("given_name").alias("given_name"),
        _name("family_name").alias("family_name"),
        _name("previous_family_name").alias("previous_family_name"),
        parse_dates(pl.col("date_of_birth")).alias("_dob"),
        pl.col("sex")
        .cast(pl.String)
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(SEX_CODES, default=None),
        pl.col("postcode")
        .cast(pl.String)
        .str.to_uppercase()
        .str.replace_all(r"[^A-Z0-9]", "")
        .alias("_compact"),
        _address().alias("address_line"),
        _digits("uprn").str.replace(r"^0+", "").alias("uprn"),
        _digits("nhs_number").alias("nhs_number"),
        pl.col("other_identifier")
        .cast(pl.String)
        .str.to_uppercase()
        .str.replace_all(r"[^A-Z0-9]", "")
        .alias("other_identifier"),
        _phone().alias("phone"),
        pl.col("email").cast(pl.String).str.strip_chars().str.to_lowercase().alias("email"),
    )
    second = first.with_columns(
        *(_blank_to_null(pl.col(c)).alias(c) for c in ("given_name", "family_name", "previous_family_name")),
        _blank_to_null(pl.col("address_line")).alias("address_line"),
        pl.col("_compact")
        .str.extract_groups(POSTCODE_PATTERN)
        .struct.rename_fields(["_outward", "_inward"])
        .alias("_groups"),
        pl.when(pl.col("_dob").is_between(EARLIEST_BIRTH, date.today()))
        .then(pl.col("_dob").dt.to_string("%Y-%m-%d"))
        .alias("date_of_birth"),
        pl.when(pl.col("uprn").str.contains(r"^[0-9]{1,12}$")).then(pl.col("uprn")).alias("uprn"),
        pl.when(nhs_number_is_valid(pl.col("nhs_number"))).then(pl.col("nhs_number")).alias("nhs_number"),
        pl.when(pl.col("other_identifier").str.len_chars().is_between(1, 40))
        .then(pl.col("other_identifier"))
        .alias("other_identifier"),
        pl.when(pl.col("phone").str.contains(r"^0[0-9]{9,10}$")).then(pl.col("phone")).alias("phone"),
        pl.when(pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+$")).then(pl.col("email")).alias("email"),
    ).unnest("_groups")
    outward, inward = pl.col("_outward"), pl.col("_inward")
    third = second.with_columns(
        pl.when(outward.is_not_null())
        .then(pl.concat_str([outward, pl.lit(" "), inward]))
        .otherwise(_blank_to_null(pl.col("_compact")))
        .alias("postcode"),
        pl.when(outward.is_not_null())
        .then(pl.concat_str([outward, pl.lit(" "), inward.str.slice(0, 1)]))
        .alias("postcode_sector"),
        outward.alias("postcode_district"),
        pl.col("date_of_birth").str.slice(0, 4).alias("birth_year"),
        pl.col("given_name").str.split(" ").list.first().alias("_first_given"),
        pl.concat_list(
            [
                _name_parts("family_name").fill_null(pl.lit([], pl.List(pl.String))),
                _name_parts("previous_family_name").fill_null(pl.lit([], pl.List(pl.String))),
            ]
        )
        .list.unique(maintain_order=True)
        .alias("family_name_all"),
    )
    cleaned = third.join(
        alias_table(), left_on="_first_given", right_on="name", how="left", maintain_order="left"
    ).with_columns(
        given_name_aliases=pl.when(pl.col("_first_given").is_not_null()).then(
            pl.coalesce(pl.col("groups"), pl.concat_list(pl.col("_first_given")))
        ),
        family_name_all=pl.when(pl.col("family_name_all").list.len() > 0).then(pl.col("family_name_all")),
    )
    return cleaned.select(CLEAN_COLUMNS)
