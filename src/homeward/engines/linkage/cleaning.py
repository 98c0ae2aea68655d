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


def _text(column: str) -> pl.Expr:
    """Lower case ASCII letters and digits with single spaces; empty → null."""
    cleaned = (
        pl.col(column)
        .cast(pl.String)
        .str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        .str.replace_all(r"['`]", "")
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
    )
    return pl.when(cleaned.str.len_chars() > 0).then(cleaned)


def _name(column: str) -> pl.Expr:
    cleaned = _text(column).str.replace_all(r"[0-9]+", " ").str.replace_all(r" +", " ").str.strip_chars()
    return pl.when(cleaned.str.len_chars() > 0).then(cleaned)


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


def _postcode_parts() -> tuple[pl.Expr, pl.Expr]:
    compact = pl.col("postcode").cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    compact = pl.when(compact.str.len_chars() > 0).then(compact)
    return (
        compact.str.extract(POSTCODE_PATTERN, 1),
        compact.str.extract(POSTCODE_PATTERN, 2),
    )


def nhs_number_is_valid(digits: pl.Expr) -> pl.Expr:
    """Modulus 11 on 10-digit text (NHS Data Dictionary, "NHS Number"): the first nine digits
    weighted 10 down to 2, check digit = 11 - (sum mod 11), 11 meaning 0 and 10 never valid."""
    weighted = pl.sum_horizontal(
        [digits.str.slice(i, 1).cast(pl.Int32, strict=False) * (10 - i) for i in range(9)]
    )
    check = 11 - weighted % 11
    check = pl.when(check == 11).then(0).otherwise(check)
    given = digits.str.slice(9, 1).cast(pl.Int32, strict=False)
    valid = digits.str.contains(r"^[0-9]{10}$") & (check != 10) & (check == given)
    # Scottish CHI numbers begin with the date of birth (DDMMYY): one that does not is not valid
    # (the rule the nhs-number package applies; its ranges are used here).
    number = digits.cast(pl.Int64, strict=False)
    in_chi = pl.any_horizontal([number.is_between(r.start, r.end) for r in nhs_number.REGION_SCOTLAND.ranges])
    chi_date = digits.str.slice(0, 6).str.to_date("%d%m%y", strict=False).is_not_null()
    return valid & (~in_chi | chi_date)


def _digits(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.replace_all(r"[^0-9]", "")


def _phone() -> pl.Expr:
    # "+44 (0)7700 900123": the (0) is written for callers within the UK.
    digits = pl.col("phone").cast(pl.String).str.replace_all(r"\(0\)", "").str.replace_all(r"[^0-9+]", "")
    national = (
        digits.str.replace(r"^\+44", "0").str.replace(r"^0044", "0").str.replace(r"^44(\d{10})$", "0$1")
    ).str.replace_all(r"[^0-9]", "")
    return pl.when(national.str.contains(r"^0[0-9]{9,10}$")).then(national)


def _address() -> pl.Expr:
    expr = _text("address_line")
    for short, full in ADDRESS_ABBREVIATIONS.items():
        expr = expr.str.replace_all(rf"\b{short}\b", full)
    # "st" is "street" at the end of a line, "saint" elsewhere ("st johns road").
    expr = expr.str.replace(r"\bst$", "street").str.replace_all(r"\bst\b", "saint")
    return expr


def clean_records(raw: pl.DataFrame) -> pl.DataFrame:
    """Raw records (source, record_id, any standard fields) → the cleaned columns in CLEAN_COLUMNS.

    Values that cannot be read (a date that is not a date, an NHS number failing Modulus 11, a
    phone number of the wrong length) become missing; use `validation.validate_records` first to
    refuse them instead.
    """
    frame = raw.with_columns(
        *(pl.lit(None, pl.String).alias(name) for name in STANDARD_FIELDS if name not in raw.columns)
    )
    outward, inward = _postcode_parts()
    compact_postcode = pl.col("postcode").cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    dob = parse_dates(pl.col("date_of_birth"))
    nhs = _digits("nhs_number")
    other = pl.col("other_identifier").cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    uprn = _digits("uprn").str.replace(r"^0+", "")
    email = pl.col("email").cast(pl.String).str.strip_chars().str.to_lowercase()
    sex = (
        pl.col("sex")
        .cast(pl.String)
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(SEX_CODES, default=None)
    )
    cleaned = frame.select(
        pl.col(SOURCE).cast(pl.String),
        pl.col(RECORD_ID).cast(pl.String).str.strip_chars(),
        _name("given_name").alias("given_name"),
        _name("family_name").alias("family_name"),
        _name("previous_family_name").alias("previous_family_name"),
        pl.when(dob.is_between(EARLIEST_BIRTH, date.today()))
        .then(dob.dt.to_string("%Y-%m-%d"))
        .alias("date_of_birth"),
        sex.alias("sex"),
        pl.when(outward.is_not_null())
        .then(pl.concat_str([outward, pl.lit(" "), inward]))
        .otherwise(pl.when(compact_postcode.str.len_chars() > 0).then(compact_postcode))
        .alias("postcode"),
        pl.when(outward.is_not_null())
        .then(pl.concat_str([outward, pl.lit(" "), inward.str.slice(0, 1)]))
        .alias("postcode_sector"),
        outward.alias("postcode_district"),
        _address().alias("address_line"),
        pl.when(uprn.str.contains(r"^[0-9]{1,12}$")).then(uprn).alias("uprn"),
        pl.when(nhs_number_is_valid(nhs)).then(nhs).alias("nhs_number"),
        pl.when(other.str.len_chars().is_between(1, 40)).then(other).alias("other_identifier"),
        _phone().alias("phone"),
        pl.when(email.str.contains(r"^[^@\s]+@[^@\s]+$")).then(email).alias("email"),
    )
    first_given = pl.col("given_name").str.split(" ").list.first()
    aliases = alias_table()
    cleaned = (
        cleaned.with_columns(
            _first_given=first_given,
            birth_year=pl.col("date_of_birth").str.slice(0, 4),
            family_name_all=pl.concat_list(
                [
                    _name_parts("family_name").fill_null(pl.lit([], pl.List(pl.String))),
                    _name_parts("previous_family_name").fill_null(pl.lit([], pl.List(pl.String))),
                ]
            ).list.unique(maintain_order=True),
        )
        .join(aliases, left_on="_first_given", right_on="name", how="left", maintain_order="left")
        .with_columns(
            given_name_aliases=pl.when(pl.col("_first_given").is_not_null()).then(
                pl.coalesce(pl.col("groups"), pl.concat_list(pl.col("_first_given")))
            ),
            family_name_all=pl.when(pl.col("family_name_all").list.len() > 0).then(pl.col("family_name_all")),
        )
    )
    return cleaned.select(CLEAN_COLUMNS)
