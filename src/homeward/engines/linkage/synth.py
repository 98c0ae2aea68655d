"""Synthetic UK person records for two organisations (housing tenants and hospital patients), with
planted errors and a planted truth kept apart from the records (vectorised: NumPy + Polars).

People get names drawn from Faker's name lists (en_GB most often), dates of birth, households at
synthetic addresses (UPRN, postcode, address line), test-range NHS numbers (999 range, valid
Modulus 11), Ofcom drama-range phone numbers and example.com/org/net emails. Each source then holds
its own record of some of them, with independent errors: typos, nicknames (Bill for William),
married-name changes (sometimes with the previous name recorded), one part of a double-barrelled
name, house moves, day and month swapped, other date typos, missing NHS numbers. Record ids are
random, so nothing in the records reveals who is who: the truth is returned separately.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import polars as pl
from numpy.typing import NDArray

from homeward.engines.linkage.cleaning import alias_table
from homeward.engines.linkage.fields import RECORD_ID, STANDARD_FIELDS

# Ofcom numbers reserved for drama (never allocated): 1,000 numbers in each of these blocks.
DRAMA_PHONE_BLOCKS = (
    "01134960", "01144960", "01154960", "01164960", "01174960", "01184960", "01214960", "01314960",
    "01414960", "01514960", "01614960", "01914980", "02079460", "02920180", "02896496", "01632960",
    "07700900",
)  # fmt: skip
STREET_TYPES = ("Road", "Street", "Close", "Avenue", "Lane", "Drive", "Way", "Gardens", "Crescent", "Court")
UNIT_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
FIRST_BIRTH, LAST_BIRTH = date(1930, 1, 1), date(2008, 12, 31)


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """Probability of each planted error in one source's record of a person."""

    given_name_typo: float = 0.04
    nickname: float = 0.06
    family_name_typo: float = 0.04
    married_name_change: float = 0.05  # of women, in one source only
    previous_name_recorded: float = 0.5  # when the name changed, the record keeps the old one
    one_part_of_double_name: float = 0.5  # of double-barrelled names, per record
    house_move: float = 0.08  # one source has an older address
    day_month_swapped: float = 0.02
    date_of_birth_typo: float = 0.015
    date_of_birth_missing: float = 0.01
    address_typo: float = 0.03
    address_variant: float = 0.05  # the same home written another way


@dataclass(frozen=True, slots=True)
class SyntheticLinkage:
    """Two sources' raw records and the truth: which left record is which right record."""

    left: pl.DataFrame
    right: pl.DataFrame
    truth: pl.DataFrame  # left_record_id, right_record_id


@cache
def _pool(kind: str) -> tuple[NDArray[np.str_], NDArray[np.float64]]:
    """Names and weights pooled from Faker locales (share per locale; within, listed weights or Zipf)."""
    shares = {"en_GB": 0.55, "en_US": 0.15, "en_NZ": 0.1, "en_IE": 0.1, "en_IN": 0.1}
    weights: dict[str, float] = {}
    for locale, share in shares.items():
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names = getattr(provider, kind)
        if hasattr(names, "items"):
            items = [(str(k), float(v)) for k, v in names.items()]
        else:
            items = [(str(k), 1.0 / (rank + 8)) for rank, k in enumerate(names)]
        total = sum(w for _, w in items)
        for name, w in items:
            if name.isalpha():
                weights[name] = weights.get(name, 0.0) + share * w / total
    names_arr = np.array(sorted(weights))
    shares_arr = np.array([weights[n] for n in names_arr])
    return names_arr, shares_arr / shares_arr.sum()


def _choice(rng: np.random.Generator, kind: str, n: int) -> NDArray[np.str_]:
    names, weights = _pool(kind)
    return names[rng.choice(len(names), size=n, p=weights)]


def reserved_nhs_numbers(rng: np.random.Generator, n: int) -> NDArray[np.str_]:
    """`n` distinct NHS numbers from the 999 range reserved for testing, valid Modulus 11."""
    bases = np.arange(999_000_000, 1_000_000_000, dtype=np.int64)
    digits = (bases[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    check = 11 - (digits * np.arange(10, 1, -1)).sum(axis=1) % 11
    check[check == 11] = 0
    valid = check != 10
    if n > valid.sum():
        raise ValueError(f"the 999 test range holds only {int(valid.sum()):,} valid NHS numbers")
    chosen = rng.permutation(np.flatnonzero(valid))[:n]
    return np.char.add(bases[chosen].astype(str), check[chosen].astype(str))


def _people(rng: np.random.Generator, n: int, with_nhs: NDArray[np.bool_]) -> pl.DataFrame:
    female = rng.random(n) < 0.51
    given = np.where(female, _choice(rng, "first_names_female", n), _choice(rng, "first_names_male", n))
    family = _choice(rng, "last_names", n)
    double = rng.random(n) < 0.03
    family = np.where(double, np.char.add(np.char.add(family, "-"), _choice(rng, "last_names", n)), family)
    span = (LAST_BIRTH - FIRST_BIRTH).days
    dob = np.datetime64(FIRST_BIRTH.isoformat()) + rng.integers(0, span, n).astype("timedelta64[D]")
    nhs = np.full(n, "", dtype="<U10")
    nhs[with_nhs] = reserved_nhs_numbers(rng, int(with_nhs.sum()))
    blocks = np.array(DRAMA_PHONE_BLOCKS)[rng.integers(0, len(DRAMA_PHONE_BLOCKS), n)]
    phone = np.char.add(blocks, np.char.zfill(rng.integers(0, 1000, n).astype(str), 3))
    domain = np.array(["example.com", "example.org", "example.net"])[rng.integers(0, 3, n)]
    email_user = np.char.add(np.char.add(np.char.lower(given), "."), np.char.lower(family))
    email = np.char.add(np.char.add(np.char.add(email_user, rng.integers(1, 99, n).astype(str)), "@"), domain)
    return pl.DataFrame(
        {
            "person": np.arange(n),
            "given_name": given,
            "family_name": family,
            "sex": np.where(female, "F", "M"),
            "date_of_birth": dob,
            "nhs_number": nhs,
            "phone": np.where(rng.random(n) < 0.6, phone, ""),
            "email": np.where(rng.random(n) < 0.4, email, ""),
            "female": female,
            "double": double,
        },
    ).with_columns(pl.col(c).replace("", None) for c in ("nhs_number", "phone", "email"))


def _addresses(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """`n` addresses on streets of ~15 addresses, each street in one postcode unit."""
    from faker.providers.address.en_GB import Provider

    streets = max(1, n // 15)
    zones = np.array(Provider.POSTAL_ZONES)
    outward = np.char.add(
        zones[rng.integers(0, len(zones), streets)], rng.integers(1, 30, streets).astype(str)
    )
    letters = UNIT_LETTERS[rng.integers(0, len(UNIT_LETTERS), (streets, 2))]
    inward = np.char.add(rng.integers(0, 10, streets).astype(str), np.char.add(letters[:, 0], letters[:, 1]))
    street_name = np.char.add(
        np.char.add(_choice(rng, "last_names", streets), " "),
        np.array(STREET_TYPES)[rng.integers(0, len(STREET_TYPES), streets)],
    )
    street = rng.integers(0, streets, n)
    number = rng.integers(1, 250, n).astype(str)
    uprn = rng.choice(np.arange(10_000_000_000, 10_000_000_000 + 20 * n, dtype=np.int64), n, replace=False)
    return pl.DataFrame(
        {
            "address": np.arange(n),
            "address_line": np.char.add(np.char.add(number, " "), street_name[street]),
            "postcode": np.char.add(np.char.add(outward[street], " "), inward[street]),
            "uprn": uprn.astype(str),
        }
    )


def _typo(column: str, mask: pl.Expr, seed_col: str) -> pl.Expr:
    """One random substitution, deletion, insertion or transposition where `mask` holds."""
    s = pl.col(column)
    n = s.str.len_chars()
    u = pl.col(seed_col)
    pos = (u * (n - 1).clip(lower_bound=1)).floor().cast(pl.Int64)
    op = (u * 1000).floor().cast(pl.Int64) % 4
    letter = pl.lit("abcdefghijklmnopqrstuvwxyz").str.slice((u * 26_000).floor().cast(pl.Int64) % 26, 1)
    head, rest = s.str.slice(0, pos), s.str.slice(pos + 1)
    changed = (
        pl.when(op == 0)
        .then(pl.concat_str([head, letter, rest]))
        .when(op == 1)
        .then(pl.concat_str([head, rest]))
        .when(op == 2)
        .then(pl.concat_str([head, letter, s.str.slice(pos)]))
        .otherwise(pl.concat_str([head, s.str.slice(pos + 1, 1), s.str.slice(pos, 1), s.str.slice(pos + 2)]))
    )
    return pl.when(mask & (n > 2)).then(changed).otherwise(s)


def _nicknames() -> pl.DataFrame:
    """Formal given name (title case) → its other names in the alias table (short forms)."""
    table = alias_table().explode("groups").rename({"groups": "group"})
    members = table.group_by("group").agg(pl.col("name").alias("nicknames"))
    return (
        table.filter(pl.col("name") == pl.col("group"))
        .join(members, on="group")
        .with_columns(pl.col("nicknames").list.set_difference(pl.concat_list(pl.col("name"))))
        .select(pl.col("name").str.to_titlecase().alias("given_name"), "nicknames")
    )


def _record_view(
    people: pl.DataFrame,
    rng: np.random.Generator,
    *,
    rates: ErrorRates,
    nhs_present: float,
    sex_present: float,
    uprn_present: float,
    moved: NDArray[np.bool_],
    renamed: NDArray[np.bool_],
    spare_addresses: pl.DataFrame,
) -> pl.DataFrame:
    """One source's records of `people` (joined to their addresses), with its own errors."""
    n = people.height
    purposes = (
        "nickname", "nickname_pick", "double_part", "double_side", "previous", "swap", "dob", "dob_digit",
        "given_typo", "given_typo_at", "family_typo", "family_typo_at", "address_typo", "address_typo_at",
        "address_variant", "local_move", "same_sector", "nhs", "sex", "uprn", "postcode_format", "phone",
        "email", "email_domain",
    )  # fmt: skip
    u = {name: pl.Series(f"_u_{name}", rng.random(n)) for name in purposes}
    frame = people.with_columns(
        *u.values(),
        _new_family=pl.Series(_choice(rng, "last_names", n)),
        _moved=pl.Series(moved),
        _renamed=pl.Series(renamed),
        _flat=pl.Series(rng.integers(1, 20, n)).cast(pl.String),
    )

    def uniform(name: str) -> pl.Expr:
        return pl.col(f"_u_{name}")

    frame = frame.join(_nicknames(), on="given_name", how="left", maintain_order="left")
    pick = (uniform("nickname_pick") * pl.col("nicknames").list.len()).floor().cast(pl.Int64)
    nickname = pl.col("nicknames").list.get(pick, null_on_oob=True).str.to_titlecase()
    # A house move: this source holds an address the person no longer (or not yet) lives at; half
    # of moves stay in the same postcode district, some in the same sector.
    spare = spare_addresses.sample(n, with_replacement=True, seed=int(rng.integers(2**31)))
    outward = pl.col("postcode").str.split(" ").list.first()
    inward = spare["postcode"].str.split(" ").list.last()
    local = pl.concat_str([outward, pl.lit(" "), pl.lit(inward)])
    same_sector = pl.concat_str(
        [pl.col("postcode").str.slice(0, pl.col("postcode").str.len_chars() - 2), pl.lit(inward).str.slice(1)]
    )
    moved_postcode = (
        pl.when(uniform("local_move") >= 0.5)
        .then(pl.lit(spare["postcode"]))
        .when(uniform("same_sector") < 0.3)
        .then(same_sector)
        .otherwise(local)
    )
    frame = frame.with_columns(
        address_line=pl.when(pl.col("_moved"))
        .then(pl.lit(spare["address_line"]))
        .otherwise(pl.col("address_line")),
        uprn=pl.when(pl.col("_moved")).then(pl.lit(spare["uprn"])).otherwise(pl.col("uprn")),
        postcode=pl.when(pl.col("_moved")).then(moved_postcode).otherwise(pl.col("postcode")),
    )
    family = pl.col("family_name")
    double_part = (
        pl.when(uniform("double_side") < 0.5)
        .then(family.str.split("-").list.first())
        .otherwise(family.str.split("-").list.last())
    )
    family = (
        pl.when(pl.col("double") & (uniform("double_part") < rates.one_part_of_double_name))
        .then(double_part)
        .otherwise(family)
    )
    family_now = pl.when(pl.col("_renamed")).then(pl.col("_new_family")).otherwise(family)
    previous = pl.when(pl.col("_renamed") & (uniform("previous") < rates.previous_name_recorded)).then(family)
    dob = pl.col("date_of_birth")
    day, month = dob.dt.day(), dob.dt.month()
    swapped = pl.date(dob.dt.year(), day, month)
    can_swap = (day <= 12) & (day != month)
    dob_text = (
        pl.when((uniform("swap") < rates.day_month_swapped) & can_swap)
        .then(swapped)
        .otherwise(dob)
        .dt.to_string("%Y-%m-%d")
    )
    typo_digit = (uniform("dob_digit") * 10).floor().cast(pl.Int64).cast(pl.String)
    dob_typo = pl.concat_str([dob_text.str.slice(0, 9), typo_digit])  # last digit of the day
    dob_final = (
        pl.when(uniform("dob") < rates.date_of_birth_missing)
        .then(None)
        .when(
            (uniform("dob") > 1 - rates.date_of_birth_typo)
            & dob_typo.str.to_date("%Y-%m-%d", strict=False).is_not_null()
        )
        .then(dob_typo)
        .otherwise(dob_text)
    )
    domains = pl.lit("example.com example.org example.net").str.split(" ")
    other_domain = domains.list.get((uniform("email_domain") * 30).floor().cast(pl.Int64) % 3)
    frame = frame.with_columns(
        given_name=pl.when((uniform("nickname") < rates.nickname) & nickname.is_not_null())
        .then(nickname)
        .otherwise(pl.col("given_name")),
        family_name=family_now,
        previous_family_name=previous,
        date_of_birth=dob_final,
        # The same home written another way ("Flat 3, 12 Oak Road").
        address_line=pl.when(uniform("address_variant") < rates.address_variant)
        .then(pl.concat_str([pl.lit("Flat "), pl.col("_flat"), pl.lit(", "), pl.col("address_line")]))
        .otherwise(pl.col("address_line")),
        email=pl.when(uniform("email_domain") < 0.1)
        .then(pl.concat_str([pl.col("email").str.split("@").list.first(), pl.lit("@"), other_domain]))
        .otherwise(pl.col("email")),
    )
    frame = frame.with_columns(
        _typo("given_name", uniform("given_typo") < rates.given_name_typo, "_u_given_typo_at"),
        _typo("family_name", uniform("family_typo") < rates.family_name_typo, "_u_family_typo_at"),
        _typo("address_line", uniform("address_typo") < rates.address_typo, "_u_address_typo_at"),
        nhs_number=pl.when(uniform("nhs") < nhs_present).then(pl.col("nhs_number")),
        sex=pl.when(uniform("sex") < sex_present).then(pl.col("sex")),
        uprn=pl.when(uniform("uprn") < uprn_present).then(pl.col("uprn")),
        postcode=pl.when(uniform("postcode_format") < 0.1)
        .then(pl.col("postcode").str.replace(" ", "").str.to_lowercase())
        .otherwise(pl.col("postcode")),
        phone=pl.when(uniform("phone") < 0.7).then(pl.col("phone")),
        email=pl.when(uniform("email") < 0.7).then(pl.col("email")),
    )
    return frame.with_columns(other_identifier=pl.lit(None, pl.String)).select("person", *STANDARD_FIELDS)


def _with_record_ids(frame: pl.DataFrame, rng: np.random.Generator, prefix: str) -> pl.DataFrame:
    ids = rng.choice(np.arange(10**7, 10**7 + 10 * frame.height, dtype=np.int64), frame.height, replace=False)
    shuffled = frame.with_columns(pl.Series(RECORD_ID, np.char.add(prefix, ids.astype(str))))
    return shuffled.sample(fraction=1.0, shuffle=True, seed=int(rng.integers(2**31)))


def generate_uk(
    n_left: int, n_right: int, *, overlap: float = 0.5, seed: int = 21, rates: ErrorRates | None = None
) -> SyntheticLinkage:
    """Housing (left) and hospital (right) records; `overlap` of the smaller side appear in both."""
    if n_left < 1 or n_right < 1 or not 0 <= overlap <= 1:
        raise ValueError("need at least one record per side and 0 <= overlap <= 1")
    rates = rates or ErrorRates()
    rng = np.random.default_rng(seed)
    both = round(overlap * min(n_left, n_right))
    n_people = n_left + n_right - both
    # People 0..both-1 are in both sources, then left-only, then right-only.
    in_right = np.zeros(n_people, dtype=bool)
    in_right[:both] = True
    in_right[n_left:] = True
    # NHS numbers (a finite test range) for hospital patients; housing holds one only when shared.
    with_nhs = in_right & (rng.random(n_people) < 0.9)
    people = _people(rng, n_people, with_nhs)
    homes = _addresses(rng, max(1, int(n_people / 2.2)))
    household = rng.integers(0, homes.height, n_people)
    # Household members often share a family name (and sometimes a date of birth: twins).
    head = (
        pl.DataFrame({"address": household, "person": np.arange(n_people)})
        .group_by("address")
        .agg(pl.col("person").min().alias("head"))
    )
    people = (
        people.with_columns(address=pl.Series(household))
        .join(head, on="address", how="left", maintain_order="left")
        .join(
            people.select(
                pl.col("person").alias("head"),
                pl.col("family_name").alias("_head_family"),
                pl.col("date_of_birth").alias("_head_dob"),
            ),
            on="head",
            maintain_order="left",
        )
        .with_columns(
            family_name=pl.when(pl.Series(rng.random(n_people) < 0.5) & ~pl.col("double"))
            .then(pl.col("_head_family"))
            .otherwise(pl.col("family_name")),
            date_of_birth=pl.when(pl.Series(rng.random(n_people) < 0.01))
            .then(pl.col("_head_dob"))
            .otherwise(pl.col("date_of_birth")),
        )
        .join(homes, on="address", maintain_order="left")
    )
    spare = _addresses(rng, max(1, n_people // 10))
    renamed = people["female"].to_numpy() & (rng.random(n_people) < rates.married_name_change)
    moved = rng.random(n_people) < rates.house_move
    side = rng.random(n_people) < 0.5  # which source holds the older name / address
    left_people = np.r_[np.arange(both), np.arange(both, n_left)]
    right_people = np.r_[np.arange(both), np.arange(n_left, n_people)]
    left = _record_view(
        people[left_people], rng, rates=rates, nhs_present=0.3, sex_present=0.7, uprn_present=1.0,
        moved=(moved & side)[left_people], renamed=(renamed & side)[left_people], spare_addresses=spare,
    )  # fmt: skip
    right = _record_view(
        people[right_people], rng, rates=rates, nhs_present=0.92, sex_present=0.99, uprn_present=0.4,
        moved=(moved & ~side)[right_people], renamed=(renamed & ~side)[right_people], spare_addresses=spare,
    )  # fmt: skip
    left = _with_record_ids(left, rng, "T")
    right = _with_record_ids(right, rng, "RX")
    truth = (
        left.select("person", pl.col(RECORD_ID).alias("left_record_id"))
        .join(right.select("person", pl.col(RECORD_ID).alias("right_record_id")), on="person")
        .select("left_record_id", "right_record_id")
        .sort("left_record_id")
    )
    columns = [RECORD_ID, *STANDARD_FIELDS]
    return SyntheticLinkage(left=left.select(columns), right=right.select(columns), truth=truth)
