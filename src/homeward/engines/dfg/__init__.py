"""The Disabled Facilities Grant as a pure engine: the test of resources (children not means tested,
passported applicants at 100%, otherwise the affordable loan from the weekly surplus), the grant-amount rule
with the DFG maximum and the owner-occupier's land charge, and the statutory clocks. Each step in words.

Pure Python, no Django. The tables are versioned data the organisation loads; Homeward ships only the
figures it can cite (docs/adaptations.md lists what is missing).

    from homeward.engines.dfg import Application, load_tables, decide, dfg_clocks, DfgDates

    tables = load_tables(Path("council-tables.json"))    # merged over the shipped statutory figures
    decision = decide(Application.model_validate(raw), tables)
    decision.assessment.contribution, decision.grant.grant, decision.steps
    dfg_clocks(DfgDates(application_date=date(2025, 8, 31)), today=date(2026, 1, 5))  # decision due 28 Feb
"""

from homeward.engines.dfg.clocks import (
    DfgClock,
    DfgClockKind,
    DfgClockStatus,
    DfgDates,
    add_months,
    dfg_clocks,
)
from homeward.engines.dfg.errors import DfgInputError, GrantAboveMaximum, Issue, TablesMissing
from homeward.engines.dfg.grant import (
    Decision,
    GrantDecision,
    LandCharge,
    decide,
    decide_grant,
    grant_amount,
    land_charge,
    land_charge_amount,
)
from homeward.engines.dfg.resources import (
    LOAN_YEARS,
    Application,
    Assessment,
    Capital,
    DisabledOccupant,
    Household,
    IncomeItem,
    Nation,
    Tenure,
    TopUp,
    affordable_loan,
    assess_contribution,
    is_child_or_young_person,
    tariff_income,
)
from homeward.engines.dfg.schema import load_application, parse_application
from homeward.engines.dfg.tables import (
    FORMAT,
    TABLE_NAMES,
    CapitalRule,
    LandChargeRule,
    LoanBand,
    LoanFactors,
    Tables,
    TableUse,
    load_tables,
    parse_tables,
    statutory_tables,
)

__all__ = [
    "FORMAT",
    "LOAN_YEARS",
    "TABLE_NAMES",
    "Application",
    "Assessment",
    "Capital",
    "CapitalRule",
    "Decision",
    "DfgClock",
    "DfgClockKind",
    "DfgClockStatus",
    "DfgDates",
    "DfgInputError",
    "DisabledOccupant",
    "GrantAboveMaximum",
    "GrantDecision",
    "Household",
    "IncomeItem",
    "Issue",
    "LandCharge",
    "LandChargeRule",
    "LoanBand",
    "LoanFactors",
    "Nation",
    "Tables",
    "TableUse",
    "TablesMissing",
    "Tenure",
    "TopUp",
    "add_months",
    "affordable_loan",
    "assess_contribution",
    "decide",
    "decide_grant",
    "dfg_clocks",
    "grant_amount",
    "is_child_or_young_person",
    "land_charge",
    "land_charge_amount",
    "load_application",
    "load_tables",
    "parse_application",
    "parse_tables",
    "statutory_tables",
    "tariff_income",
]
