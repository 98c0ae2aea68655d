"""Local warm-homes grant schemes as data: each scheme's eligibility rules with its source and dates.

Homeward ships no scheme (it can cite none); an organisation loads the rules of the scheme it runs, e.g.

    format: homeward-grant-scheme/1
    name: Anytown Warm Homes Grant
    source: Anytown Council Housing Assistance Policy 2025, section 6
    valid_from: 2025-04-01
    valid_to: 2026-03-31
    rules:                       # every rule must hold
      - fact: epc_band
        in: [D, E, F, G]
      - any:
          - fact: receives_means_tested_benefit
            equals: true
          - fact: annual_household_income
            at_most: 31000

A fact the check has not recorded makes a rule unknown, and the result says which facts are missing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from homeward.engines.healthyhomes.errors import HealthyHomesInputError, Issue, issues_from
from homeward.engines.healthyhomes.warmth import WarmHomesCheck, assess_fuel_poverty

Fact = Literal[
    "epc_band",
    "main_heating",
    "tenure",
    "receives_means_tested_benefit",
    "annual_household_income",
    "oldest_occupant_age",
    "health_condition_worsened_by_cold",
    "likely_fuel_poor",
]
Value = str | bool | int | float
MAX_DEPTH, MAX_CONDITIONS = 4, 100


class Condition(BaseModel):
    """One test of one fact: exactly one of `equals`, `in`, `at_most`, `at_least`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    fact: Fact
    equals: Value | None = None
    one_of: list[Value] | None = Field(default=None, alias="in", min_length=1, max_length=50)
    at_most: float | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        given = [x for x in (self.equals, self.one_of, self.at_most, self.at_least) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of equals, in, at_most, at_least")
        return self


class AnyOf(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    any: list[Rule] = Field(min_length=1, max_length=20)


class AllOf(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    all: list[Rule] = Field(min_length=1, max_length=20)


Rule = Union[Condition, AnyOf, AllOf]  # noqa: UP007 - a recursive alias pydantic resolves by name
AnyOf.model_rebuild()
AllOf.model_rebuild()


def _count(rule: Rule, depth: int = 1) -> int:
    if depth > MAX_DEPTH:
        raise ValueError(f"rules nest more than {MAX_DEPTH} deep")
    if isinstance(rule, Condition):
        return 1
    children = rule.any if isinstance(rule, AnyOf) else rule.all
    return sum(_count(child, depth + 1) for child in children)


class GrantScheme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["homeward-grant-scheme/1"]
    name: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=1000)
    valid_from: dt.date
    valid_to: dt.date | None = None
    #: True for an example that is not a real scheme's rules: every result says so.
    illustrative: bool = False
    rules: list[Rule] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _bounded(self) -> GrantScheme:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to: is before valid_from")
        if sum(_count(rule) for rule in self.rules) > MAX_CONDITIONS:
            raise ValueError(f"rules: more than {MAX_CONDITIONS} conditions")
        return self


class SchemeEligibility(BaseModel):
    model_config = ConfigDict(frozen=True)

    scheme: str
    source: str
    in_force: bool
    #: True: every rule holds; False: a rule fails (or the scheme is not in force); None: facts missing.
    eligible: bool | None
    reasons: list[str]
    missing_facts: list[str]
    illustrative: bool


def _facts(check: WarmHomesCheck) -> dict[str, Any]:
    facts: dict[str, Any] = check.model_dump(mode="json")
    facts["likely_fuel_poor"] = assess_fuel_poverty(check).likely_fuel_poor
    return facts


def _test(rule: Condition, value: Any) -> bool:
    if rule.equals is not None:
        return bool(value == rule.equals)
    if rule.one_of is not None:
        return any(value == option for option in rule.one_of)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if rule.at_most is not None:
        return bool(value <= rule.at_most)
    return rule.at_least is not None and bool(value >= rule.at_least)


def _describe(rule: Condition) -> str:
    if rule.equals is not None:
        return f"{rule.fact} is {rule.equals}"
    if rule.one_of is not None:
        return f"{rule.fact} is one of {', '.join(map(str, rule.one_of))}"
    if rule.at_most is not None:
        return f"{rule.fact} is at most {rule.at_most:g}"
    return f"{rule.fact} is at least {rule.at_least:g}"


def _evaluate(rule: Rule, facts: dict[str, Any], reasons: list[str], missing: set[str]) -> bool | None:
    if isinstance(rule, Condition):
        value = facts.get(rule.fact)
        if value is None:
            missing.add(rule.fact)
            reasons.append(f"Unknown: {_describe(rule)} ({rule.fact} not recorded).")
            return None
        held = _test(rule, value)
        reasons.append(f"{'Met' if held else 'Not met'}: {_describe(rule)} (recorded: {value}).")
        return held
    children = rule.any if isinstance(rule, AnyOf) else rule.all
    results = [_evaluate(child, facts, reasons, missing) for child in children]
    if isinstance(rule, AnyOf):
        return (
            True if any(r is True for r in results) else (False if all(r is False for r in results) else None)
        )
    return False if any(r is False for r in results) else (True if all(r is True for r in results) else None)


def check_eligibility(scheme: GrantScheme, check: WarmHomesCheck) -> SchemeEligibility:
    """Whether the household in `check` is eligible for `scheme` on the check date, rule by rule."""
    on = check.check_date
    in_force = scheme.valid_from <= on and (scheme.valid_to is None or on <= scheme.valid_to)
    reasons: list[str] = []
    if scheme.illustrative:
        reasons.append("This scheme is marked illustrative: it is an example, not a real scheme's rules.")
    if not in_force:
        until = f" to {scheme.valid_to:%-d %b %Y}" if scheme.valid_to else ""
        reasons.append(f"Not in force on {on:%-d %b %Y} (runs from {scheme.valid_from:%-d %b %Y}{until}).")
        return SchemeEligibility(
            scheme=scheme.name,
            source=scheme.source,
            in_force=False,
            eligible=False,
            reasons=reasons,
            missing_facts=[],
            illustrative=scheme.illustrative,
        )
    missing: set[str] = set()
    eligible = _evaluate(AllOf(all=scheme.rules), _facts(check), reasons, missing)
    return SchemeEligibility(
        scheme=scheme.name,
        source=scheme.source,
        in_force=True,
        eligible=eligible,
        reasons=reasons,
        missing_facts=sorted(missing),
        illustrative=scheme.illustrative,
    )


def parse_scheme(raw: Any) -> GrantScheme:
    if not isinstance(raw, Mapping):
        raise HealthyHomesInputError(
            [Issue("", "a grant scheme must be a mapping (see docs/adaptations.md)")]
        )
    try:
        return GrantScheme.model_validate(raw)
    except ValidationError as exc:
        raise HealthyHomesInputError(issues_from(exc)) from None


def load_scheme(path: Path) -> GrantScheme:
    """Read a grant scheme file (YAML or JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise HealthyHomesInputError([Issue("", f"cannot read {path}: {exc}")]) from None
    return parse_scheme(raw)
