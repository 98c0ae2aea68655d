"""The versioned tables of the DFG test of resources, as the organisation loads them (JSON or YAML).

Each table is a list of versions, each with its `source`, the date it came into force (`valid_from`,
optionally `valid_to`) and its `values`; the version in force on the assessment date is used. Homeward ships
only the figures it can cite (`data/statutory.json`: the grant maximum, the housing allowance and the
land-charge terms); the personal allowances, premiums, capital tariff, loan factors and passporting benefits
are the organisation's to load. The format is documented in docs/adaptations.md. Problems name the table
and field, e.g. ``tables.loan_factors[0].values.owner_occupier[1].up_to: bands must rise``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    model_validator,
)

from homeward.engines.dfg.errors import DfgInputError, Issue, TablesMissing, issues_from

FORMAT = "homeward-dfg-tables/1"

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
#: Pounds and pence, at most £100,000,000.
Money = Annotated[
    Decimal,
    Field(ge=0, le=100_000_000, max_digits=11, decimal_places=2),
    PlainSerializer(float, when_used="json"),
]
WeeklyMoney = Annotated[
    Decimal, Field(ge=0, le=10_000, max_digits=7, decimal_places=2), PlainSerializer(float, when_used="json")
]
Factor = Annotated[
    Decimal,
    Field(ge=0, le=100_000, max_digits=12, decimal_places=6),
    PlainSerializer(float, when_used="json"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Version(_Strict):
    source: str = Field(min_length=1, max_length=1000)
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _dates(self) -> _Version:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class AmountsVersion(_Version):
    """Weekly amounts by code (personal allowances, premiums)."""

    values: dict[Code, WeeklyMoney] = Field(min_length=1, max_length=200)


class HousingAllowance(_Strict):
    per_application: WeeklyMoney


class HousingAllowanceVersion(_Version):
    values: HousingAllowance


class CapitalRule(_Strict):
    """Tariff income from capital: `tariff_per_step` a week for each `step` (or part of one, when
    `part_step_counts`) above `disregarded`."""

    disregarded: Money
    step: Annotated[Money, Field(gt=0)]
    tariff_per_step: WeeklyMoney
    part_step_counts: bool = True


class CapitalVersion(_Version):
    values: dict[Code, CapitalRule] = Field(min_length=1, max_length=20)


class LoanBand(_Strict):
    """The part of the weekly surplus up to `up_to` (the rest of it, when None) times `factor`."""

    up_to: WeeklyMoney | None = None
    factor: Factor


def _check_bands(bands: list[LoanBand]) -> list[LoanBand]:
    previous = Decimal(0)
    for i, band in enumerate(bands):
        last = i == len(bands) - 1
        if band.up_to is None and not last:
            raise ValueError(f"[{i}].up_to: only the last band may be open-ended")
        if band.up_to is not None:
            if last:
                raise ValueError(f"[{i}].up_to: the last band must be open-ended (no up_to)")
            if band.up_to <= previous:
                raise ValueError(f"[{i}].up_to: bands must rise (got {band.up_to:.2f} after {previous:.2f})")
            previous = band.up_to
    return bands


class LoanFactors(_Strict):
    """The loan-generating factors: bands of weekly surplus and the factor for each, per tenure."""

    owner_occupier: list[LoanBand] = Field(min_length=1, max_length=20)
    tenant: list[LoanBand] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _bands(self) -> LoanFactors:
        for name in ("owner_occupier", "tenant"):
            try:
                _check_bands(getattr(self, name))
            except ValueError as exc:
                raise ValueError(f"{name}{exc}") from None
        return self


class LoanFactorsVersion(_Version):
    values: LoanFactors


class PassportingVersion(_Version):
    """Means-tested benefits that passport the applicant to a full grant: code → name."""

    values: dict[Code, Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=100
    )


class GrantMaximumVersion(_Version):
    values: dict[Literal["england", "wales"], Money] = Field(min_length=1)


class LandChargeRule(_Strict):
    threshold: Money
    cap: Money
    years: int = Field(ge=1, le=100)


class LandChargeVersion(_Version):
    values: LandChargeRule


V = TypeVar("V", bound=_Version)


def _versions() -> Any:
    return Field(default=None, min_length=1, max_length=50)


class TableSet(_Strict):
    personal_allowances: list[AmountsVersion] | None = _versions()
    premiums: list[AmountsVersion] | None = _versions()
    housing_allowance: list[HousingAllowanceVersion] | None = _versions()
    capital: list[CapitalVersion] | None = _versions()
    loan_factors: list[LoanFactorsVersion] | None = _versions()
    passporting_benefits: list[PassportingVersion] | None = _versions()
    grant_maximum: list[GrantMaximumVersion] | None = _versions()
    land_charge: list[LandChargeVersion] | None = _versions()

    @model_validator(mode="after")
    def _distinct_dates(self) -> TableSet:
        for name in TABLE_NAMES:
            versions = getattr(self, name) or []
            dates = [v.valid_from for v in versions]
            if len(dates) != len(set(dates)):
                raise ValueError(f"{name}: two versions share a valid_from date")
        return self


#: Every table the engine knows, in the order the test uses them.
TABLE_NAMES: tuple[str, ...] = tuple(TableSet.model_fields)


class TablesFile(_Strict):
    format: Literal["homeward-dfg-tables/1"]
    name: str = Field(min_length=1, max_length=200)
    #: True for example tables (never statutory figures): every assessment using them says so.
    illustrative: bool = False
    tables: TableSet


@dataclass(frozen=True)
class TableUse:
    """Which version of a table an assessment used."""

    table: str
    source: str
    valid_from: dt.date


@dataclass(frozen=True)
class Tables:
    """The tables an organisation uses: the shipped statutory figures plus its own file."""

    names: tuple[str, ...]
    tables: TableSet
    illustrative: bool = False

    def version(self, name: str, on: dt.date, kind: type[V]) -> V:
        """The version of table `name` in force on `on`; raises `TablesMissing` naming the table."""
        versions: Sequence[_Version] | None = getattr(self.tables, name)
        if not versions:
            raise TablesMissing(
                name,
                f"tables.{name}: missing — the test of resources needs it; load the organisation's tables "
                "(format in docs/adaptations.md)",
            )
        in_force = [v for v in versions if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to)]
        if not in_force:
            starts = ", ".join(
                f"{v.valid_from:%-d %b %Y}" for v in sorted(versions, key=lambda v: v.valid_from)
            )
            raise TablesMissing(
                name, f"tables.{name}: no version in force on {on:%-d %b %Y} (versions from {starts})"
            )
        chosen = max(in_force, key=lambda v: v.valid_from)
        if not isinstance(chosen, kind):  # pragma: no cover - a programming error, not bad input
            raise TypeError(f"tables.{name} holds {type(chosen).__name__}, not {kind.__name__}")
        return chosen


def _parse(raw: Any, where: str) -> TablesFile:
    if not isinstance(raw, Mapping):
        raise DfgInputError(
            [Issue("", f"{where} must be a tables file (a mapping with format, name, tables)")]
        )
    try:
        return TablesFile.model_validate(raw)
    except ValidationError as exc:
        raise DfgInputError(issues_from(exc)) from None


def _merge(base: TableSet, extra: TableSet) -> TableSet:
    """`extra`'s versions added to `base`'s; a version with the same valid_from replaces the base one."""
    merged: dict[str, list[_Version]] = {}
    for name in TABLE_NAMES:
        versions = {v.valid_from: v for v in getattr(base, name) or []}
        versions.update({v.valid_from: v for v in getattr(extra, name) or []})
        if versions:
            merged[name] = sorted(versions.values(), key=lambda v: v.valid_from)
    return TableSet.model_validate({k: [v.model_dump() for v in vs] for k, vs in merged.items()})


def statutory_tables() -> Tables:
    """The figures Homeward ships with their citations (grant maximum, housing allowance, land charge)."""
    text = resources.files("homeward.engines.dfg").joinpath("data/statutory.json").read_text(encoding="utf-8")
    parsed = _parse(json.loads(text), "data/statutory.json")
    return Tables(names=(parsed.name,), tables=parsed.tables, illustrative=parsed.illustrative)


def parse_tables(raw: Any, *, base: Tables | None = None, where: str = "the tables") -> Tables:
    """Validate decoded tables and merge them over `base` (default: the shipped statutory figures)."""
    parsed = _parse(raw, where)
    base = statutory_tables() if base is None else base
    return Tables(
        names=(*base.names, parsed.name),
        tables=_merge(base.tables, parsed.tables),
        illustrative=base.illustrative or parsed.illustrative,
    )


def load_tables(path: Path, *, base: Tables | None = None) -> Tables:
    """Read a tables file (JSON, or YAML for .yaml/.yml) and merge it over `base`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DfgInputError([Issue("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    try:
        raw = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DfgInputError(
            [Issue("", f"{path} cannot be read as {path.suffix[1:].upper()}: {exc}")]
        ) from None
    return parse_tables(raw, base=base, where=str(path))
