"""The DFG test of resources: who is means tested, and the contribution the applicant is assessed to make.

1. An application for a disabled occupant who is a child (under 16) or a young person (16–18, treated as a
   child for child benefit) is not means tested: the relevant person is the disabled occupant or their
   partner "and is not a young person or child" (Housing Renewal Grants Regulations 1996, SI 1996/2890,
   reg. 5 as substituted for England by SI 2008/1190 reg. 4(1); "child" and "young person" defined in reg.
   2(1)). The contribution is nil.
2. A relevant person in receipt of a means-tested benefit in the organisation's `passporting_benefits` table
   is passported to a full grant (reg. 10 as substituted by SI 2008/1190 reg. 4(2)): contribution nil.
3. Otherwise the weekly income (after the disregards the officer records) plus tariff income from capital is
   compared with the allowances (personal allowances, allowances for dependants, premiums and the housing
   allowance); the surplus is turned into the loan the applicant could afford, over 10 years for an
   owner-occupier or 5 for a tenant, by the loan-generating factors (reg. 12); that loan is the
   contribution. Every figure comes from the versioned tables in force on the assessment date.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from homeward.engines.dfg.errors import DfgInputError, Issue
from homeward.engines.dfg.tables import (
    AmountsVersion,
    CapitalVersion,
    Code,
    HousingAllowanceVersion,
    LoanBand,
    LoanFactorsVersion,
    Money,
    PassportingVersion,
    Tables,
    TableUse,
    WeeklyMoney,
)

#: Loan periods of the affordable loan (House of Commons Library briefing 03011, "Disabled facilities
#: grants (DFGs) for home adaptations", 2021: "a loan period of 10 years for owner-occupiers and 5 years for
#: tenants").
LOAN_YEARS = {"owner_occupier": 10, "tenant": 5}
PENNY = Decimal("0.01")
Pounds = Annotated[Decimal, PlainSerializer(float, when_used="json")]


class Tenure(StrEnum):
    OWNER_OCCUPIER = "owner_occupier"
    TENANT = "tenant"


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DisabledOccupant(_Input):
    age: int = Field(ge=0, le=130)
    #: For a 16–18 year old: is child benefit payable for them (so they are a "young person")?
    child_benefit_payable: bool = False


class IncomeItem(_Input):
    description: str = Field(min_length=1, max_length=200)
    weekly_amount: WeeklyMoney
    #: The part disregarded under Schedules 2–3 of the 1996 Regulations, as the officer assesses it.
    disregard: WeeklyMoney = Decimal(0)
    disregard_reason: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _disregard(self) -> IncomeItem:
        if self.disregard > self.weekly_amount:
            raise ValueError("disregard: is more than the weekly amount")
        if self.disregard and not self.disregard_reason.strip():
            raise ValueError("disregard_reason: is required when part of the income is disregarded")
        return self


class Capital(_Input):
    amount: Money
    #: Which capital rule of the `capital` table applies (e.g. "standard" or "pension_age").
    rule: Code = "standard"


class Household(_Input):
    """Which allowances apply: codes of the organisation's `personal_allowances` and `premiums` tables."""

    personal_allowance: Code
    dependants: list[Code] = Field(default_factory=list, max_length=20)
    premiums: list[Code] = Field(default_factory=list, max_length=20)


class TopUp(_Input):
    """Discretionary assistance recorded under the council's Housing Assistance Policy (Regulatory Reform
    (Housing Assistance) (England and Wales) Order 2002, art. 3), above the DFG maximum."""

    amount: Annotated[Money, Field(gt=0)]
    reference: str = Field(min_length=1, max_length=200)


class Application(_Input):
    """One DFG application, as the test of resources needs it (format in docs/adaptations.md)."""

    #: The date the tables are read for: the date the application falls to be approved.
    assessment_date: dt.date
    nation: Nation = Nation.ENGLAND
    tenure: Tenure
    disabled_occupant: DisabledOccupant
    #: Means-tested benefits the relevant person (or partner) receives, as codes of `passporting_benefits`.
    benefits: list[Code] = Field(default_factory=list, max_length=20)
    household: Household | None = None
    income: list[IncomeItem] = Field(default_factory=list, max_length=50)
    capital: Capital | None = None
    #: The estimated expense: eligible works plus preliminary and ancillary services and charges (HGCRA 1996
    #: s.34(2)). Optional: without it only the contribution is assessed.
    cost_of_works: Annotated[Money, Field(le=1_000_000)] | None = None
    top_up: TopUp | None = None


class Assessment(BaseModel):
    """The outcome of the test of resources, with each step in words."""

    model_config = ConfigDict(frozen=True)

    basis: Literal["child_or_young_person", "passported", "test_of_resources"]
    means_tested: bool
    weekly_income: Pounds | None = None
    tariff_income: Pounds | None = None
    allowances: Pounds | None = None
    surplus: Pounds | None = None
    loan_years: int | None = None
    affordable_loan: Pounds | None = None
    contribution: Pounds
    steps: list[str]
    warnings: list[str]
    tables_used: list[TableUse]


def money(x: Decimal) -> str:
    return f"£{x:,.2f}"


def pennies(x: Decimal) -> Decimal:
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def is_child_or_young_person(occupant: DisabledOccupant) -> bool:
    """Under 16, or 16–18 and treated as a child for child benefit (SI 1996/2890 reg. 2(1))."""
    return occupant.age < 16 or (occupant.age < 19 and occupant.child_benefit_payable)


def _use(
    table: str,
    version: AmountsVersion
    | CapitalVersion
    | HousingAllowanceVersion
    | LoanFactorsVersion
    | PassportingVersion,
) -> TableUse:
    return TableUse(table=table, source=version.source, valid_from=version.valid_from)


def _amount(version: AmountsVersion, table: str, code: str, path: str) -> Decimal:
    if code not in version.values:
        known = ", ".join(sorted(version.values))
        raise DfgInputError([Issue(path, f"{code!r} is not in the {table} table (known: {known})")])
    return version.values[code]


def tariff_income(capital: Capital, version: CapitalVersion) -> tuple[Decimal, str]:
    """Weekly tariff income from capital and the step in words."""
    if capital.rule not in version.values:
        known = ", ".join(sorted(version.values))
        raise DfgInputError(
            [Issue("capital.rule", f"{capital.rule!r} is not in the capital table (known: {known})")]
        )
    rule = version.values[capital.rule]
    above = capital.amount - rule.disregarded
    if above <= 0:
        return Decimal(0), (
            f"Tariff income £0.00: capital {money(capital.amount)} is not above the "
            f"{money(rule.disregarded)} disregarded ({capital.rule} rule)"
        )
    ratio = above / rule.step
    steps = math.ceil(ratio) if rule.part_step_counts else math.floor(ratio)
    tariff = pennies(rule.tariff_per_step * steps)
    part = " or part" if rule.part_step_counts else ""
    return tariff, (
        f"Tariff income {money(tariff)} a week: capital {money(capital.amount)} is {money(above)} above the "
        f"{money(rule.disregarded)} disregarded; {money(rule.tariff_per_step)} for each "
        f"{money(rule.step)}{part} ({steps} × {money(rule.tariff_per_step)}; {capital.rule} rule)"
    )


def affordable_loan(surplus: Decimal, bands: list[LoanBand]) -> tuple[Decimal, list[str]]:
    """The surplus split into the bands, each part times its factor; the sum, and each part in words."""
    total, lower, parts = Decimal(0), Decimal(0), []
    for band in bands:
        top = surplus if band.up_to is None else min(surplus, band.up_to)
        portion = top - lower
        if portion <= 0:
            break
        total += portion * band.factor
        parts.append(f"{money(portion)} × {band.factor.normalize():f}")
        if band.up_to is None or surplus <= band.up_to:
            break
        lower = band.up_to
    return pennies(total), parts


def assess_contribution(application: Application, tables: Tables) -> Assessment:
    """Run the test of resources on `application` with the tables in force on its assessment date."""
    on = application.assessment_date
    steps: list[str] = []
    warnings = (
        ["These tables are marked illustrative: the figures are examples, not statutory amounts."]
        if tables.illustrative
        else []
    )
    occupant = application.disabled_occupant
    if is_child_or_young_person(occupant):
        who = "a child (under 16)" if occupant.age < 16 else "a young person (16–18, child benefit payable)"
        steps.append(
            f"No test of resources: the disabled occupant is {who}, so there is no relevant person to assess "
            "(SI 1996/2890 reg. 5 as substituted by SI 2008/1190 reg. 4(1)). Contribution £0.00."
        )
        return Assessment(
            basis="child_or_young_person",
            means_tested=False,
            contribution=Decimal(0),
            steps=steps,
            warnings=warnings,
            tables_used=[],
        )
    passporting = tables.version("passporting_benefits", on, PassportingVersion)
    used = [_use("passporting_benefits", passporting)]
    passported = [code for code in application.benefits if code in passporting.values]
    if passported:
        names = ", ".join(passporting.values[code] for code in passported)
        steps.append(
            f"Passported: the relevant person receives {names}, a means-tested benefit in the passporting "
            "table, so the contribution is £0.00 and the grant covers the eligible cost (SI 1996/2890 "
            "reg. 10 as substituted by SI 2008/1190 reg. 4(2))."
        )
        return Assessment(
            basis="passported",
            means_tested=False,
            contribution=Decimal(0),
            steps=steps,
            warnings=warnings,
            tables_used=used,
        )
    if application.benefits:
        steps.append(f"Not passported: {', '.join(application.benefits)} is not in the passporting table.")
    if application.household is None:
        raise DfgInputError([Issue("household", "is required for the test of resources (not passported)")])
    household = application.household
    allowances_table = tables.version("personal_allowances", on, AmountsVersion)
    premiums_table = tables.version("premiums", on, AmountsVersion)
    housing = tables.version("housing_allowance", on, HousingAllowanceVersion)
    capital_table = tables.version("capital", on, CapitalVersion)
    factors = tables.version("loan_factors", on, LoanFactorsVersion)
    used += [
        _use("personal_allowances", allowances_table),
        _use("premiums", premiums_table),
        _use("housing_allowance", housing),
        _use("capital", capital_table),
        _use("loan_factors", factors),
    ]

    gross = sum((item.weekly_amount for item in application.income), Decimal(0))
    disregarded = sum((item.disregard for item in application.income), Decimal(0))
    income = gross - disregarded
    sources = "; ".join(
        f"{item.description} {money(item.weekly_amount)}"
        + (f" less {money(item.disregard)} disregarded ({item.disregard_reason})" if item.disregard else "")
        for item in application.income
    )
    steps.append(f"Weekly income {money(income)} (from {sources or 'no income recorded'})")
    tariff = Decimal(0)
    if application.capital is not None:
        tariff, text = tariff_income(application.capital, capital_table)
        steps.append(text)

    parts = [
        (
            f"personal allowance {household.personal_allowance}",
            _amount(
                allowances_table,
                "personal_allowances",
                household.personal_allowance,
                "household.personal_allowance",
            ),
        )
    ]
    for i, code in enumerate(household.dependants):
        parts.append(
            (
                f"dependant {code}",
                _amount(allowances_table, "personal_allowances", code, f"household.dependants[{i}]"),
            )
        )
    for i, code in enumerate(household.premiums):
        parts.append(
            (f"{code} premium", _amount(premiums_table, "premiums", code, f"household.premiums[{i}]"))
        )
    parts.append(("housing allowance", housing.values.per_application))
    allowances = sum((amount for _, amount in parts), Decimal(0))
    steps.append(
        f"Allowances {money(allowances)} ({', '.join(f'{name} {money(amount)}' for name, amount in parts)})"
    )
    surplus = income + tariff - allowances
    years = LOAN_YEARS[application.tenure.value]
    if surplus <= 0:
        steps.append(
            f"Surplus £0.00: income {money(income + tariff)} is not above the allowances {money(allowances)}"
        )
        steps.append("Contribution £0.00")
        return Assessment(
            basis="test_of_resources",
            means_tested=True,
            weekly_income=income,
            tariff_income=tariff,
            allowances=allowances,
            surplus=Decimal(0),
            loan_years=years,
            affordable_loan=Decimal(0),
            contribution=Decimal(0),
            steps=steps,
            warnings=warnings,
            tables_used=used,
        )
    steps.append(
        f"Surplus {money(surplus)} a week (income {money(income)} + tariff income {money(tariff)} − "
        f"allowances {money(allowances)})"
    )
    bands = getattr(factors.values, application.tenure.value)
    loan, worked = affordable_loan(surplus, bands)
    who = "an owner-occupier" if application.tenure is Tenure.OWNER_OCCUPIER else "a tenant"
    steps.append(
        f"Affordable loan over {years} years at the loan factors for {who}: {' + '.join(worked)} = "
        f"{money(loan)}"
    )
    steps.append(f"Contribution {money(loan)}")
    return Assessment(
        basis="test_of_resources",
        means_tested=True,
        weekly_income=income,
        tariff_income=tariff,
        allowances=allowances,
        surplus=surplus,
        loan_years=years,
        affordable_loan=loan,
        contribution=loan,
        steps=steps,
        warnings=warnings,
        tables_used=used,
    )
