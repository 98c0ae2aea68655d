"""The comparisons of the model: Splink comparison levels chosen per field (nothing hand-scored).

A comparison is included only when the fields it reads are among the fields the caller allows (an
agreement may leave fields out), so a model never reads a field it was not given. Levels are in
order of decreasing agreement; Splink gives each its m and u, and so its match weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.comparison_creator import ComparisonCreator

from homeward.engines.linkage.fields import STANDARD_FIELDS

_SWAPPED_DAY_MONTH = (
    "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4)"
    " AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2)"
    " AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
)
_EMAIL_NAME = "regexp_extract(email_l, '^([^@]+)', 1) = regexp_extract(email_r, '^([^@]+)', 1)"


@dataclass(frozen=True, slots=True)
class ComparisonSpec:
    """One comparison and the standard fields it needs (all of `requires`, or one with `any_of`)."""

    name: str
    requires: tuple[str, ...]
    label: str
    any_of: bool = False

    def allowed(self, fields: Sequence[str]) -> bool:
        test = any if self.any_of else all
        return test(name in fields for name in self.requires)


COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec("given_name", ("given_name",), "Given name"),
    ComparisonSpec("family_name", ("family_name",), "Family name"),
    ComparisonSpec("date_of_birth", ("date_of_birth",), "Date of birth"),
    ComparisonSpec("sex", ("sex",), "Sex"),
    ComparisonSpec("address", ("postcode", "uprn"), "Address", any_of=True),
    ComparisonSpec("nhs_number", ("nhs_number",), "NHS number"),
    ComparisonSpec("other_identifier", ("other_identifier",), "Other identifier"),
    ComparisonSpec("phone", ("phone",), "Phone"),
    ComparisonSpec("email", ("email",), "Email"),
)
#: The comparison each standard field feeds (the review page groups fields by it).
COMPARISON_OF_FIELD: dict[str, str] = {
    "given_name": "given_name",
    "family_name": "family_name",
    "previous_family_name": "family_name",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "postcode": "address",
    "address_line": "address",
    "uprn": "address",
    "nhs_number": "nhs_number",
    "other_identifier": "other_identifier",
    "phone": "phone",
    "email": "email",
}


def comparisons_for(fields: Sequence[str]) -> list[ComparisonSpec]:
    """The comparisons the given standard fields allow, in model order."""
    unknown = sorted(set(fields) - set(STANDARD_FIELDS))
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(unknown)}")
    return [spec for spec in COMPARISONS if spec.allowed(fields)]


def _custom(name: str, label: str, levels: list[Any]) -> ComparisonCreator:
    return cl.CustomComparison(
        output_column_name=name, comparison_description=label, comparison_levels=levels
    )


def _given_name(fields: Sequence[str]) -> ComparisonCreator:
    # Names written the wrong way round count once, here (the family-name comparison is unchanged).
    swapped: list[Any] = []
    if "family_name" in fields:
        swapped = [
            cll.ColumnsReversedLevel("given_name", "family_name", symmetrical=True).configure(
                label_for_charts="Given and family names swapped"
            ),
            cll.Or(
                cll.ColumnsReversedLevel("given_name", "family_name"),
                cll.ColumnsReversedLevel("family_name", "given_name"),
            ).configure(label_for_charts="Given name is the other record's family name"),
        ]
    return _custom(
        "given_name",
        "Given name",
        [
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name", term_frequency_adjustments=True).configure(
                label_for_charts="Same given name"
            ),
            cll.JaroWinklerLevel("given_name", 0.92).configure(label_for_charts="Given name nearly the same"),
            cll.ArrayIntersectLevel("given_name_aliases", 1).configure(
                label_for_charts="Given names are aliases (e.g. Bill and William) or share the first name"
            ),
            *swapped,
            cll.JaroWinklerLevel("given_name", 0.8).configure(label_for_charts="Given name similar"),
            cll.ElseLevel().configure(label_for_charts="Different given name"),
        ],
    )


def _family_name(fields: Sequence[str]) -> ComparisonCreator:
    parts = "One part of the family name agrees (double-barrelled"
    parts += " or a previous family name)" if "previous_family_name" in fields else ")"
    return _custom(
        "family_name",
        "Family name",
        [
            cll.NullLevel("family_name"),
            cll.ExactMatchLevel("family_name", term_frequency_adjustments=True).configure(
                label_for_charts="Same family name"
            ),
            cll.JaroWinklerLevel("family_name", 0.92).configure(
                label_for_charts="Family name nearly the same"
            ),
            cll.ArrayIntersectLevel("family_name_all", 1).configure(label_for_charts=parts),
            cll.JaroWinklerLevel("family_name", 0.8).configure(label_for_charts="Family name similar"),
            cll.ElseLevel().configure(label_for_charts="Different family name"),
        ],
    )


def _date_of_birth() -> ComparisonCreator:
    return _custom(
        "date_of_birth",
        "Date of birth",
        [
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth").configure(label_for_charts="Same date of birth"),
            cll.CustomLevel(_SWAPPED_DAY_MONTH, base_dialect_str="duckdb").configure(
                label_for_charts="Day and month swapped"
            ),
            cll.DamerauLevenshteinLevel("date_of_birth", 1).configure(
                label_for_charts="One digit wrong or two digits transposed"
            ),
            cll.ElseLevel().configure(label_for_charts="Different date of birth"),
        ],
    )


def _address(fields: Sequence[str]) -> ComparisonCreator:
    """Where the person lives, as one comparison: UPRN, postcode and address line agree together
    when people share a home, so scoring them apart would count one piece of evidence three times
    (and link members of a household to each other)."""
    uprn, line, postcode = ("uprn" in fields), ("address_line" in fields), ("postcode" in fields)
    nulls = [cll.NullLevel(name) for name, held in (("uprn", uprn), ("postcode", postcode)) if held]
    levels: list[Any] = [nulls[0] if len(nulls) == 1 else cll.And(*nulls)]
    same_home: list[Any] = [cll.ExactMatchLevel("uprn")] if uprn else []
    if postcode and line:
        same_home.append(cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("address_line")))
    if same_home:
        home = same_home[0] if len(same_home) == 1 else cll.Or(*same_home)
        label = "Same home (" + ("same UPRN" if uprn else "") + (" or " if len(same_home) > 1 else "")
        label += ("same postcode and address" if postcode and line else "") + ")"
        levels.append(home.configure(label_for_charts=label))
    if postcode:
        if line:
            levels += [
                cll.And(
                    cll.ExactMatchLevel("postcode"), cll.JaroWinklerLevel("address_line", 0.88)
                ).configure(label_for_charts="Same postcode, address nearly the same"),
                cll.And(
                    cll.DamerauLevenshteinLevel("postcode", 1), cll.JaroWinklerLevel("address_line", 0.88)
                ).configure(label_for_charts="Address nearly the same, postcode one character different"),
            ]
        levels += [
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.ExactMatchLevel("postcode_sector").configure(label_for_charts="Same postcode sector"),
            cll.DamerauLevenshteinLevel("postcode", 1).configure(
                label_for_charts="Postcode one character different"
            ),
            cll.ExactMatchLevel("postcode_district").configure(label_for_charts="Same postcode district"),
        ]
    levels.append(cll.ElseLevel().configure(label_for_charts="Different address"))
    return _custom("address", "Address", levels)


def _email() -> ComparisonCreator:
    return _custom(
        "email",
        "Email",
        [
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email").configure(label_for_charts="Same email"),
            cll.CustomLevel(_EMAIL_NAME, base_dialect_str="duckdb").configure(
                label_for_charts="Same email name, different domain"
            ),
            cll.ElseLevel().configure(label_for_charts="Different email"),
        ],
    )


def _exact(name: str, label: str) -> ComparisonCreator:
    return _custom(
        name,
        label,
        [
            cll.NullLevel(name),
            cll.ExactMatchLevel(name).configure(label_for_charts=f"Same {label}"),
            cll.ElseLevel().configure(label_for_charts=f"Different {label}"),
        ],
    )


def comparison(name: str, fields: Sequence[str]) -> ComparisonCreator:
    """The Splink comparison `name`, built for the allowed `fields`."""
    if name == "given_name":
        return _given_name(fields)
    if name == "family_name":
        return _family_name(fields)
    if name == "date_of_birth":
        return _date_of_birth()
    if name == "address":
        return _address(fields)
    if name == "email":
        return _email()
    if name == "other_identifier":
        return _custom(
            name,
            "Other identifier",
            [
                cll.NullLevel(name),
                cll.ExactMatchLevel(name).configure(label_for_charts="Same other identifier"),
                cll.DamerauLevenshteinLevel(name, 1).configure(
                    label_for_charts="Other identifier one character wrong or two transposed"
                ),
                cll.ElseLevel().configure(label_for_charts="Different other identifier"),
            ],
        )
    labels = {"sex": "sex", "nhs_number": "NHS number", "phone": "phone"}
    return _exact(name, labels[name])
