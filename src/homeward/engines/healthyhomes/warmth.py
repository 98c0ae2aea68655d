"""The warm-homes check: is the household likely to be fuel poor, by England's official definition?

England measures fuel poverty by Low Income Low Energy Efficiency (LILEE): a household is fuel poor if it
lives in a home with a fuel poverty energy efficiency rating (FPEER) of band D or below, and, after spending
the required amount to heat its home, is left with a residual income below the official poverty line (DESNZ,
"Fuel poverty statistics"; the fuel poverty strategy for England, "Sustainable warmth", 2021). A home visit
rarely has the FPEER or a modelled energy bill, so this check says "likely":

- low energy efficiency: the EPC band is D, E, F or G (the EPC band stands in for the FPEER band);
- low income: residual income (annual income after housing costs − required energy costs) below the poverty
  line the organisation gives for this household; failing those figures, the household's income band as
  recorded (residual income below the poverty line or not); failing that, receipt of a means-tested benefit
  is taken as a sign of low income (a proxy the check names as such); failing all, unknown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

LILEE_SOURCE = (
    "Low Income Low Energy Efficiency (LILEE), the official fuel poverty measure for England: FPEER band D "
    "or below and a residual income below the official poverty line after required energy costs (DESNZ, "
    "Fuel poverty statistics; Sustainable warmth: protecting vulnerable households in England, 2021)"
)

Money = Annotated[
    Decimal,
    Field(ge=0, le=10_000_000, max_digits=10, decimal_places=2),
    PlainSerializer(float, when_used="json"),
]


class EpcBand(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


LOW_EFFICIENCY_BANDS = frozenset({EpcBand.D, EpcBand.E, EpcBand.F, EpcBand.G})


class HouseholdTenure(StrEnum):
    OWNER_OCCUPIER = "owner_occupier"
    PRIVATE_TENANT = "private_tenant"
    SOCIAL_TENANT = "social_tenant"


class MainHeating(StrEnum):
    GAS_BOILER = "gas_boiler"
    OIL_BOILER = "oil_boiler"
    LPG = "lpg"
    ELECTRIC_STORAGE = "electric_storage"
    ELECTRIC_ROOM_HEATERS = "electric_room_heaters"
    HEAT_PUMP = "heat_pump"
    SOLID_FUEL = "solid_fuel"
    DISTRICT_HEATING = "district_heating"
    NONE = "none"
    OTHER = "other"


class WarmHomesCheck(BaseModel):
    """What a warm-homes visit records. Unknown answers stay None."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check_date: dt.date
    epc_band: EpcBand | None = None
    main_heating: MainHeating | None = None
    tenure: HouseholdTenure | None = None
    #: Annual household income after tax and housing costs.
    income_after_housing_costs: Money | None = None
    #: Annual cost of the energy the home needs (modelled or estimated).
    required_energy_costs: Money | None = None
    #: The official poverty line for this household (annual, after housing costs), from the organisation.
    poverty_line: Money | None = None
    #: The household income band as recorded when the figures are not to hand: is the residual income (after
    #: housing costs and required energy costs) below the poverty line for this household?
    residual_income_below_poverty_line: bool | None = None
    receives_means_tested_benefit: bool | None = None
    annual_household_income: Money | None = None
    oldest_occupant_age: int | None = Field(default=None, ge=0, le=130)
    health_condition_worsened_by_cold: bool | None = None


class FuelPovertyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: True: both LILEE conditions are likely met; False: at least one is not; None: not enough to say.
    likely_fuel_poor: bool | None
    low_energy_efficiency: bool | None
    low_income: bool | None
    reasons: list[str]
    source: str = LILEE_SOURCE


def _money(x: Decimal) -> str:
    return f"£{x:,.0f}"


def assess_fuel_poverty(check: WarmHomesCheck) -> FuelPovertyResult:
    """Whether the household is likely fuel poor (LILEE), with the reason for each condition."""
    reasons = []
    if check.epc_band is None:
        efficiency = None
        reasons.append("Energy efficiency unknown: no EPC band recorded.")
    else:
        efficiency = check.epc_band in LOW_EFFICIENCY_BANDS
        reasons.append(
            f"EPC band {check.epc_band.value} is "
            + (
                "in D–G: low energy efficiency."
                if efficiency
                else "A–C: not low energy efficiency, so not fuel poor."
            )
        )
    figures = (check.income_after_housing_costs, check.required_energy_costs, check.poverty_line)
    low_income: bool | None
    if all(x is not None for x in figures):
        income, costs, line = (x for x in figures if x is not None)
        residual = income - costs
        low_income = residual < line
        reasons.append(
            f"Residual income {_money(residual)} (income after housing costs {_money(income)} − required "
            f"energy costs {_money(costs)}) is {'below' if low_income else 'not below'} the poverty line "
            f"{_money(line)}."
        )
    elif check.residual_income_below_poverty_line is not None:
        low_income = check.residual_income_below_poverty_line
        reasons.append(
            "Income band as recorded: residual income (after housing and required energy costs) "
            + ("below the poverty line: low income." if low_income else "not below the poverty line.")
        )
    elif check.receives_means_tested_benefit:
        low_income = True
        reasons.append(
            "Likely low income: the household receives a means-tested benefit (a proxy, not the "
            "residual-income test)."
        )
    else:
        low_income = None
        reasons.append(
            "Income unknown: give income after housing costs, required energy costs and the poverty line "
            "for the residual-income test."
        )
    if efficiency is False or low_income is False:
        likely: bool | None = False
    elif efficiency and low_income:
        likely = True
    else:
        likely = None
    return FuelPovertyResult(
        likely_fuel_poor=likely, low_energy_efficiency=efficiency, low_income=low_income, reasons=reasons
    )
