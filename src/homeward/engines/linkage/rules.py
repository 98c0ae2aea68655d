"""Blocking rules (which pairs are scored), deterministic rules (the prior), EM training rules,
and the Splink settings that put them together with the comparisons.

A pair is scored when any prediction rule finds it. Each rule joins on columns of the cleaned
frame and is used only when the fields it reads are allowed. Rules are chosen so that at a
million records a side each finds at most a few million pairs (see docs/linkage.md, "Blocking").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.blocking_rule_creator_utils import to_blocking_rule_creator

from homeward.engines.linkage.comparisons import COMPARISON_OF_FIELD, comparison, comparisons_for
from homeward.engines.linkage.fields import RECORD_ID, SOURCE

LinkType = Literal["link_only", "link_and_dedupe", "dedupe_only"]

# The standard field each derived column of the cleaned frame comes from.
_FIELD_OF_COLUMN = {
    "birth_year": "date_of_birth",
    "postcode_district": "postcode",
    "postcode_sector": "postcode",
}


@dataclass(frozen=True, slots=True)
class Rule:
    """Equal values on `columns` (or a custom SQL condition over l. and r. columns)."""

    columns: tuple[str, ...]
    sql: str | None = None
    #: For a custom rule: the columns of the other record whose values must equal `columns`.
    lookup: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        return self.sql or " & ".join(self.columns)

    @property
    def fields(self) -> set[str]:
        return {_FIELD_OF_COLUMN.get(column, column) for column in self.columns}

    def allowed(self, fields: Sequence[str]) -> bool:
        return self.fields <= set(fields)

    def creator(self) -> BlockingRuleCreator:
        if self.sql is not None:
            return to_blocking_rule_creator(self.sql)
        return block_on(*self.columns)


PREDICTION_RULES: tuple[Rule, ...] = (
    Rule(("nhs_number",)),
    Rule(("other_identifier",)),
    Rule(("family_name", "date_of_birth")),
    Rule(("given_name", "date_of_birth")),
    Rule(("date_of_birth", "postcode")),
    Rule(("date_of_birth", "address_line")),
    Rule(("given_name", "family_name", "birth_year")),
    Rule(("family_name", "postcode")),
    Rule(("given_name", "postcode")),
    Rule(("given_name", "family_name", "postcode_district")),
    Rule(
        ("given_name", "family_name"),
        sql="l.given_name = r.family_name AND l.family_name = r.given_name",
        lookup=("family_name", "given_name"),
    ),
)
# Deterministic rules (very few false positives) for the prior, with an assumed recall.
DETERMINISTIC_RULES: tuple[Rule, ...] = (
    Rule(("nhs_number",)),
    Rule(("given_name", "family_name", "date_of_birth")),
    Rule(("family_name", "date_of_birth", "postcode")),
)
# EM training rules: each blocks on some fields, so m is estimated for the other comparisons.
TRAINING_RULES: tuple[Rule, ...] = (
    Rule(("date_of_birth",)),
    Rule(("given_name", "family_name")),
    Rule(("postcode",)),
)


def prediction_rules(fields: Sequence[str]) -> list[Rule]:
    return [rule for rule in PREDICTION_RULES if rule.allowed(fields)]


def deterministic_rules(fields: Sequence[str]) -> list[Rule]:
    return [rule for rule in DETERMINISTIC_RULES if rule.allowed(fields)]


def training_rules(fields: Sequence[str]) -> list[Rule]:
    """EM rules such that every comparison is estimated by at least one session."""
    chosen: list[Rule] = []
    needed = {spec.name for spec in comparisons_for(fields)}
    for rule in TRAINING_RULES:
        if not rule.allowed(fields):
            continue
        blocked = {COMPARISON_OF_FIELD[field] for field in rule.fields}
        if needed - blocked:
            chosen.append(rule)
            needed &= blocked
        if not needed:
            break
    return chosen


def build_settings(
    fields: Sequence[str],
    *,
    link_type: LinkType = "link_only",
    max_iterations: int = 20,
    em_convergence: float = 0.001,
) -> SettingsCreator:
    """Splink settings (untrained) for linking records over `fields` (EM limits for training)."""
    specs = comparisons_for(fields)
    if not specs:
        raise ValueError("no comparison can be made from these fields")
    rules = prediction_rules(fields)
    if not rules:
        raise ValueError("no blocking rule can be made from these fields")
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name=RECORD_ID,
        source_dataset_column_name=SOURCE,
        comparisons=[comparison(spec.name, fields) for spec in specs],
        blocking_rules_to_generate_predictions=[rule.creator() for rule in rules],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=max_iterations,
        em_convergence=em_convergence,
    )
