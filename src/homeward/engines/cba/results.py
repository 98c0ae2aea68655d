"""Result types. All are pydantic models: `result.model_dump(mode="json")` gives plain JSON.

Money is in £ at the model's price year, unrounded (round only for display).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


class ByKind(_Result):
    fiscal: float
    economic: float
    social: float


class YearRow(_Result):
    """One appraisal year (index from 0): undiscounted flows, discount factor and present values."""

    year: int
    discount_factor: float
    costs: float
    benefits_fiscal: float
    benefits_economic: float
    benefits_social: float
    benefits_total: float
    benefits_cashable: float
    benefits_by_agency: dict[str, float]
    costs_by_agency: dict[str, float]
    pv_costs: float
    pv_benefits: float
    pv_fiscal: float
    net_pv: float
    cumulative_pv_costs: float
    cumulative_pv_fiscal: float
    cumulative_pv_benefits: float
    cumulative_npv: float


class OutcomeResult(_Result):
    name: str
    #: Reduction applied to the outcome's benefits and where it came from ("explicit" or "grade N").
    optimism_bias: float
    optimism_bias_origin: str
    confidence_grade: int | None
    pv_benefits: float


class Appraisal(_Result):
    """The point estimate of a model (every distribution at its central value)."""

    name: str | None
    price_year: int
    years: int
    discount_rate: float
    pv_costs: float
    pv_costs_by_agency: dict[str, float]
    pv_benefits: ByKind
    pv_benefits_by_agency: dict[str, float]
    public_value: float
    npv: float
    financial_roi: float | None
    economic_roi: float | None
    social_roi: float | None
    payback_year: int | None
    cashable_share: float | None
    outcomes: list[OutcomeResult]
    year_by_year: list[YearRow]


class Percentiles(_Result):
    """Summary of one output over the draws; None where undefined (e.g. ROI with zero cost)."""

    p5: float | None
    p50: float | None
    p95: float | None
    mean: float | None


class MonteCarloResult(_Result):
    draws: int
    seed: int | None
    probability_npv_positive: float
    #: Share of draws in which the service pays back (fiscally) within the horizon.
    probability_payback: float
    #: Output path (as in `Appraisal`, dotted: `pv_benefits.fiscal`, `pv_benefits_by_agency.NHS`)
    #: → percentiles over the draws.
    outputs: dict[str, Percentiles]


class TornadoBar(_Result):
    """NPV with one input moved down and up by the swing (±20% by default), all else central."""

    path: str
    label: str
    base_value: float
    low_value: float
    high_value: float
    npv_low: float
    npv_high: float
    swing: float


class Tornado(_Result):
    base_npv: float
    change: float
    bars: list[TornadoBar]


class SwitchingValue(_Result):
    """The value of one input at which NPV = 0, others central; None if none in its valid range."""

    path: str
    label: str
    base_value: float
    switching_value: float | None
    change_from_base: float | None
    note: str | None = None


class Sensitivity(_Result):
    tornado: Tornado
    switching_values: list[SwitchingValue]
