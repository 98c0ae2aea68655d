"""A plain-Python, one-draw-at-a-time implementation of the method, written straight from the
formulas. It is the oracle the vectorised kernel is tested against and the baseline the benchmark
compares with; it is not used for real appraisals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from homeward.engines.cba.kernel import PAYBACK_TOLERANCE, UNASSIGNED
from homeward.engines.cba.schema import Model


def reference_metrics(model: Model, values: Mapping[str, float]) -> dict[str, float]:
    """Every headline output for one draw; `values` maps input path → number.

    Keys as in `kernel.metrics`; NaN where a ratio is undefined or payback never comes.
    """
    r = values["discount_rate"]
    years = model.years
    costs = [0.0] * years
    pv_costs_by_agency: dict[str, float] = {}
    for i, cost in enumerate(model.costs):
        amount = values[f"costs[{i}].amount"] * (1.0 + values[f"costs[{i}].optimism_bias"])
        costs[cost.year] += amount
        agency = cost.agency or UNASSIGNED
        pv_costs_by_agency[agency] = pv_costs_by_agency.get(agency, 0.0) + amount / (1.0 + r) ** cost.year
    pv_kind = {"fiscal": 0.0, "economic": 0.0, "social": 0.0}
    pv_agency: dict[str, float] = {}
    fiscal_by_year = [0.0] * years
    pv_cashable = 0.0
    for i, outcome in enumerate(model.outcomes):
        p = f"outcomes[{i}]"
        for j, cohort in enumerate(model.cohorts):
            n = values[f"cohorts[{j}].participants"]
            c = cohort.year
            for t in range(c, min(c + outcome.duration_years, years)):
                value = (
                    n
                    * values[f"{p}.engagement_rate"]
                    * values[f"{p}.success_rate"]
                    * (1.0 - values[f"{p}.deadweight"])
                    * values[f"{p}.attribution"]
                    * values[f"{p}.unit_value"]
                    * (1.0 - values[f"{p}.optimism_bias"])
                    * (1.0 - values[f"{p}.drop_off"]) ** (t - c)
                )
                for b in outcome.beneficiaries:
                    pv = value * b.share / (1.0 + r) ** t
                    pv_kind[b.kind] += pv
                    pv_agency[b.agency] = pv_agency.get(b.agency, 0.0) + pv
                    if b.cashable:
                        pv_cashable += pv
                    if b.kind == "fiscal":
                        fiscal_by_year[t] += value * b.share
    pv_costs = sum(costs[t] / (1.0 + r) ** t for t in range(years))
    public_value = pv_kind["fiscal"] + pv_kind["economic"] + pv_kind["social"]

    def ratio(a: float, b: float) -> float:
        return a / b if b != 0 else math.nan

    payback = math.nan
    cum_fiscal = cum_costs = 0.0
    for t in range(years):
        cum_fiscal += fiscal_by_year[t] / (1.0 + r) ** t
        cum_costs += costs[t] / (1.0 + r) ** t
        if cum_fiscal >= cum_costs - PAYBACK_TOLERANCE:
            payback = float(t)
            break
    out = {"pv_costs": pv_costs}
    out.update({f"pv_costs_by_agency.{a}": v for a, v in pv_costs_by_agency.items()})
    out.update({f"pv_benefits.{k}": v for k, v in pv_kind.items()})
    out.update({f"pv_benefits_by_agency.{a}": v for a, v in pv_agency.items()})
    out["public_value"] = public_value
    out["npv"] = public_value - pv_costs
    out["financial_roi"] = ratio(pv_kind["fiscal"], pv_costs)
    out["economic_roi"] = ratio(pv_kind["fiscal"] + pv_kind["economic"], pv_costs)
    out["social_roi"] = ratio(public_value, pv_costs)
    out["payback_year"] = payback
    out["cashable_share"] = ratio(pv_cashable, public_value)
    return out


def reference_npv_and_public_value(model: Model, values: Mapping[str, float]) -> tuple[float, float, float]:
    """(npv, public_value, pv_costs) for one draw."""
    m = reference_metrics(model, values)
    return m["npv"], m["public_value"], m["pv_costs"]
