"""Healthy homes as pure rules: the warm-homes check (likely fuel poor by England's Low Income Low Energy
Efficiency definition), local grant-scheme eligibility rules as data with their source and dates, and the
falls-prevention home hazard check. Pure Python, no Django; sources in docs/adaptations.md.

    from homeward.engines.healthyhomes import WarmHomesCheck, assess_fuel_poverty, falls_check

    assess_fuel_poverty(WarmHomesCheck(check_date=date(2026, 1, 12), epc_band="E",
                                       receives_means_tested_benefit=True)).likely_fuel_poor   # True
    check_eligibility(load_scheme(Path("warm-homes-grant.yaml")), check).eligible
    falls_check({"stair_rail_missing": "yes", "loose_rugs": "no"}).actions                    # by kind
"""

from homeward.engines.healthyhomes.errors import HealthyHomesInputError, Issue
from homeward.engines.healthyhomes.falls import (
    ActionKind,
    Answer,
    Checklist,
    ChecklistItem,
    FallsCheckResult,
    Finding,
    default_checklist,
    falls_check,
    parse_checklist,
)
from homeward.engines.healthyhomes.schemes import (
    AllOf,
    AnyOf,
    Condition,
    GrantScheme,
    SchemeEligibility,
    check_eligibility,
    load_scheme,
    parse_scheme,
)
from homeward.engines.healthyhomes.warmth import (
    LILEE_SOURCE,
    LOW_EFFICIENCY_BANDS,
    EpcBand,
    FuelPovertyResult,
    HouseholdTenure,
    MainHeating,
    WarmHomesCheck,
    assess_fuel_poverty,
)

__all__ = [
    "LILEE_SOURCE",
    "LOW_EFFICIENCY_BANDS",
    "ActionKind",
    "AllOf",
    "Answer",
    "AnyOf",
    "Checklist",
    "ChecklistItem",
    "Condition",
    "EpcBand",
    "FallsCheckResult",
    "Finding",
    "FuelPovertyResult",
    "GrantScheme",
    "HealthyHomesInputError",
    "HouseholdTenure",
    "Issue",
    "MainHeating",
    "SchemeEligibility",
    "WarmHomesCheck",
    "assess_fuel_poverty",
    "check_eligibility",
    "default_checklist",
    "falls_check",
    "load_scheme",
    "parse_checklist",
    "parse_scheme",
]
