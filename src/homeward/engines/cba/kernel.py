"""The appraisal arithmetic, vectorised over draws: every input is an array of shape (draws,).

The deterministic appraisal is the one-draw case, so the point estimate, Monte Carlo, tornado and
switching values all run exactly the same code.

Per outcome, a cohort of n entering in year c yields in year t (c ≤ t < c + duration):

    n × engagement × success × (1 − deadweight) × attribution × unit_value
      × (1 − optimism_bias) × (1 − drop_off)^(t − c)

Costs in year t are amount × (1 + uplift). Year t is discounted by (1 + r)^t.

Yearly arrays are laid out (years, draws) so that every operation runs along contiguous draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from homeward.engines.cba.schema import Model

Array = NDArray[np.float64]
KINDS = ("fiscal", "economic", "social")
UNASSIGNED = "Unassigned"

#: Payback compares cumulative sums; a hundredth of a penny absorbs float rounding only.
PAYBACK_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Flows:
    """Undiscounted yearly flows, each of shape (years, draws), and how benefits are shared out."""

    discount: Array
    costs: Array
    costs_by_agency: dict[str, Array]
    #: Benefit of each outcome, shape (outcomes, years, draws), before sharing between beneficiaries.
    benefits_by_outcome: Array
    #: Share of each outcome going to each kind (outcomes × 3), agency (outcomes × agencies), and
    #: to cashable beneficiaries (outcomes,).
    kind_shares: Array
    agencies: list[str]
    agency_shares: Array
    cashable_shares: Array

    def benefits_by_kind(self, kind: str) -> Array:
        return self._share(self.kind_shares[:, KINDS.index(kind)])

    def benefits_by_agency(self, agency: str) -> Array:
        return self._share(self.agency_shares[:, self.agencies.index(agency)])

    def cashable(self) -> Array:
        return self._share(self.cashable_shares)

    def _share(self, weights: Array) -> Array:
        result: Array = np.tensordot(weights, self.benefits_by_outcome, axes=(0, 0))
        return result


def flows(model: Model, values: Mapping[str, Array]) -> Flows:
    """Yearly cost and benefit flows for every draw in `values` (path → array of draws)."""
    years = model.years
    draws = len(values["discount_rate"])
    t = np.arange(years, dtype=np.float64)
    discount = (1.0 + values["discount_rate"])[None, :] ** -t[:, None]

    costs = np.zeros((years, draws))
    costs_by_agency: dict[str, Array] = {}
    for i, cost in enumerate(model.costs):
        amount = values[f"costs[{i}].amount"] * (1.0 + values[f"costs[{i}].optimism_bias"])
        costs[cost.year] += amount
        agency = costs_by_agency.setdefault(cost.agency or UNASSIGNED, np.zeros((years, draws)))
        agency[cost.year] += amount

    entering = np.zeros((years, draws))
    for i, cohort in enumerate(model.cohorts):
        entering[cohort.year] += values[f"cohorts[{i}].participants"]

    n_out = len(model.outcomes)
    benefit = np.zeros((n_out, years, draws))
    for i, outcome in enumerate(model.outcomes):
        p = f"outcomes[{i}]"
        factor = (
            values[f"{p}.engagement_rate"]
            * values[f"{p}.success_rate"]
            * (1.0 - values[f"{p}.deadweight"])
            * values[f"{p}.attribution"]
            * values[f"{p}.unit_value"]
            * (1.0 - values[f"{p}.optimism_bias"])
        )
        retained = 1.0 - values[f"{p}.drop_off"]
        for lag in range(min(outcome.duration_years, years)):
            # Participants who entered `lag` years earlier, after `lag` years of drop-off.
            benefit[i, lag:] += entering[: years - lag] * factor
            factor = factor * retained

    agencies = sorted({b.agency for o in model.outcomes for b in o.beneficiaries})
    kind_w = np.zeros((n_out, len(KINDS)))
    agency_w = np.zeros((n_out, len(agencies)))
    cash_w = np.zeros(n_out)
    for i, outcome in enumerate(model.outcomes):
        for b in outcome.beneficiaries:
            kind_w[i, KINDS.index(b.kind)] += b.share
            agency_w[i, agencies.index(b.agency)] += b.share
            if b.cashable:
                cash_w[i] += b.share
    return Flows(discount, costs, costs_by_agency, benefit, kind_w, agencies, agency_w, cash_w)


def _ratio(num: Array, den: Array) -> Array:
    out = np.full(num.shape, np.nan)
    with np.errstate(over="ignore"):  # a vanishing denominator gives ±inf, which is right
        np.divide(num, den, out=out, where=den != 0)
    return out


def metrics(f: Flows) -> dict[str, Array]:
    """Headline figures per draw, keyed by dotted output path (e.g. `pv_benefits.fiscal`).

    ROIs and the cashable share are NaN where their denominator is zero; `payback_year` is NaN
    where cumulative discounted fiscal benefit never reaches cumulative discounted cost.
    """
    pv_costs_by_year = f.costs * f.discount
    pv_costs = pv_costs_by_year.sum(axis=0)
    # Present value of each outcome (outcomes, draws), then shared out by kind and agency.
    pv_outcome = np.einsum("otd,td->od", f.benefits_by_outcome, f.discount)
    pv_kind = f.kind_shares.T @ pv_outcome
    pv_agency = f.agency_shares.T @ pv_outcome
    public_value = pv_kind.sum(axis=0)

    out: dict[str, Array] = {"pv_costs": pv_costs}
    for agency, v in sorted(f.costs_by_agency.items()):
        out[f"pv_costs_by_agency.{agency}"] = (v * f.discount).sum(axis=0)
    for j, k in enumerate(KINDS):
        out[f"pv_benefits.{k}"] = pv_kind[j]
    for j, agency in enumerate(f.agencies):
        out[f"pv_benefits_by_agency.{agency}"] = pv_agency[j]
    out["public_value"] = public_value
    out["npv"] = public_value - pv_costs
    out["financial_roi"] = _ratio(pv_kind[0], pv_costs)
    out["economic_roi"] = _ratio(pv_kind[0] + pv_kind[1], pv_costs)
    out["social_roi"] = _ratio(public_value, pv_costs)
    cum_fiscal = np.cumsum(f.benefits_by_kind("fiscal") * f.discount, axis=0)
    cum_costs = np.cumsum(pv_costs_by_year, axis=0)
    paid_back = cum_fiscal >= cum_costs - PAYBACK_TOLERANCE
    out["payback_year"] = np.where(paid_back.any(axis=0), paid_back.argmax(axis=0), np.nan)
    out["cashable_share"] = _ratio(f.cashable_shares @ pv_outcome, public_value)
    return out


def npv(model: Model, values: Mapping[str, Array]) -> Array:
    """Net present value per draw (the quantity sensitivity analysis works on)."""
    f = flows(model, values)
    benefits = f.benefits_by_outcome.sum(axis=0)
    result: Array = ((benefits - f.costs) * f.discount).sum(axis=0)
    return result
