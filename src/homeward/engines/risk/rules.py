"""Trigger rules with points: the transparent scoring mode an organisation edits (YAML).

A rule fires when all its conditions on features hold; the score is the sum of fired rules'
points, and the reasons are the fired rules' signals in order of points (highest first).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from homeward.engines.risk.features import FEATURES
from homeward.engines.risk.signals import SIGNALS

_CONDITION = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
TOP_REASONS = 3

DEFAULT_RULES_YAML = """\
# Default tenancy-trigger rules. Points are a starting point for an organisation to tune.
- {id: contact_surge, signal: contact_surge, points: 25,
   when: {contacts_30d: ">= 3", contact_rate_ratio: ">= 3"}}
- {id: repeat_contacts, signal: repeat_contacts, points: 10, when: {repeat_contacts_48h_90d: ">= 3"}}
- {id: out_of_hours, signal: out_of_hours, points: 10, when: {out_of_hours_90d: ">= 3"}}
- {id: gone_quiet, signal: gone_quiet, points: 25,
   when: {contacts_90d: "== 0", prior_contacts_per_month: ">= 2"}}
- {id: no_access, signal: no_access, points: 15, when: {no_access_90d: ">= 2"}}
- {id: damp_mould, signal: damp_mould, points: 10, when: {damp_mould_365d: ">= 1"}}
- {id: first_arrears, signal: first_arrears, points: 25,
   when: {weeks_in_arrears_90d: ">= 2", clean_days_before_arrears: ">= 730"}}
- {id: rising_arrears, signal: rising_arrears, points: 10, when: {arrears_change_28d: ">= 100"}}
- {id: high_arrears, signal: arrears, points: 10, when: {arrears_balance: ">= 500"}}
- {id: asb, signal: asb, points: 10, when: {asb_90d: ">= 1"}}
- {id: safeguarding_concern, signal: safeguarding_concern, points: 40,
   when: {safeguarding_concerns_90d: ">= 1"}}
- {id: concern, signal: concern, points: 20, when: {concerns_90d: ">= 1"}}
- {id: note_self_harm, signal: note_self_harm, points: 40, when: {note_self_harm_90d: ">= 1"}}
- {id: note_bereavement, signal: note_bereavement, points: 20, when: {note_bereavement_90d: ">= 1"}}
- {id: note_fall, signal: note_fall, points: 20, when: {note_fall_90d: ">= 1"}}
- {id: note_confusion, signal: note_confusion, points: 20, when: {note_confusion_90d: ">= 1"}}
- {id: note_cant_cope, signal: note_cant_cope, points: 20, when: {note_cant_cope_90d: ">= 1"}}
- {id: note_hospital, signal: note_hospital, points: 15, when: {note_hospital_90d: ">= 1"}}
"""


class Rule(BaseModel):
    id: str
    signal: str
    points: int = Field(ge=0, le=1000)
    when: dict[str, str]

    @field_validator("signal")
    @classmethod
    def _known_signal(cls, v: str) -> str:
        if v not in SIGNALS:
            raise ValueError(f"unknown signal {v!r}; one of: {', '.join(SIGNALS)}")
        return v

    @field_validator("when")
    @classmethod
    def _valid_conditions(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("a rule needs at least one condition")
        for feature, cond in v.items():
            if feature not in FEATURES:
                raise ValueError(f"unknown feature {feature!r}")
            if not _CONDITION.match(str(cond)):
                raise ValueError(f"{feature}: condition {cond!r} must look like '>= 3'")
        return v

    def condition(self) -> pl.Expr:
        exprs = []
        for feature, cond in self.when.items():
            m = _CONDITION.match(str(cond))
            assert m is not None
            op, value = m.group(1), float(m.group(2))
            col = pl.col(feature)
            exprs.append(
                {
                    ">=": col >= value,
                    "<=": col <= value,
                    ">": col > value,
                    "<": col < value,
                    "==": col == value,
                    "!=": col != value,
                }[op]
            )
        return pl.all_horizontal(exprs)


class RuleSet(BaseModel):
    rules: list[Rule]


def parse_rules(text: str) -> list[Rule]:
    """Rules from YAML text (a list of rules); raises ValueError with the rule and field at fault."""
    try:
        raw = yaml.safe_load(text)
        rules = RuleSet.model_validate({"rules": raw}).rules
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"invalid rules: {exc}") from None
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValueError("invalid rules: rule ids must be unique")
    return rules


def load_rules(path: Path | None = None) -> list[Rule]:
    """The organisation's rules from a YAML file, or the defaults."""
    return parse_rules(DEFAULT_RULES_YAML if path is None else path.read_text(encoding="utf-8"))


DEFAULT_RULES = load_rules()


def score_rules(features: pl.DataFrame | pl.LazyFrame, rules: list[Rule] | None = None) -> pl.LazyFrame:
    """`tenancy_ref`, `rule_score` (sum of points) and `rule_reasons` (top reasons, highest points first)."""
    rules = DEFAULT_RULES if rules is None else rules
    ordered = sorted(rules, key=lambda r: -r.points)  # stable: ties keep file order
    lf = features.lazy()
    if not ordered:
        return lf.select(
            "tenancy_ref",
            pl.lit(0).alias("rule_score"),
            pl.lit([], dtype=pl.List(pl.String)).alias("rule_reasons"),
        )
    fired = lf.with_columns(rule.condition().alias(f"_fired_{i}") for i, rule in enumerate(ordered))
    score = pl.sum_horizontal(
        pl.when(pl.col(f"_fired_{i}")).then(rule.points).otherwise(0) for i, rule in enumerate(ordered)
    ).cast(pl.Int64)
    reasons = pl.concat_list(
        pl.when(pl.col(f"_fired_{i}")).then(SIGNALS[rule.signal].phrase).otherwise(None)
        for i, rule in enumerate(ordered)
    ).list.drop_nulls()
    return fired.select(
        "tenancy_ref",
        score.alias("rule_score"),
        reasons.list.unique(maintain_order=True).list.head(TOP_REASONS).alias("rule_reasons"),
    )
