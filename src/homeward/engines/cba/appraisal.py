"""The point-estimate appraisal: present values, ROIs, payback and the year-by-year table."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from homeward.engines.cba.inputs import Array, central_values, model_inputs
from homeward.engines.cba.kernel import KINDS, flows, metrics
from homeward.engines.cba.results import Appraisal, ByKind, OutcomeResult, YearRow
from homeward.engines.cba.schema import Model, load_model


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _row(v: Array) -> list[float]:
    """The one draw of a (years, draws) array, as a list by year."""
    return [float(x) for x in v[:, 0]]


def appraise(
    model: Model | str | Path | Mapping[str, Any], grade_table: Mapping[int, float] | None = None
) -> Appraisal:
    """Appraise `model` with every distribution at its central value.

    `grade_table` overrides the confidence grade → optimism-bias table (see `grades`).
    """
    model = load_model(model)
    inputs = model_inputs(model, grade_table)
    f = flows(model, central_values(inputs))
    m = {k: float(v[0]) for k, v in metrics(f).items()}

    discount = _row(f.discount)
    costs = _row(f.costs)
    kind_rows = {k: _row(f.benefits_by_kind(k)) for k in KINDS}
    agency_rows = {a: _row(f.benefits_by_agency(a)) for a in f.agencies}
    cost_agency_rows = {a: _row(v) for a, v in sorted(f.costs_by_agency.items())}
    cashable = _row(f.cashable())
    rows = []
    cum_costs = cum_fiscal = cum_benefits = 0.0
    for t in range(model.years):
        benefits = kind_rows["fiscal"][t] + kind_rows["economic"][t] + kind_rows["social"][t]
        pv_c, pv_b, pv_f = (
            costs[t] * discount[t],
            benefits * discount[t],
            kind_rows["fiscal"][t] * discount[t],
        )
        cum_costs += pv_c
        cum_fiscal += pv_f
        cum_benefits += pv_b
        rows.append(
            YearRow(
                year=t,
                discount_factor=discount[t],
                costs=costs[t],
                benefits_fiscal=kind_rows["fiscal"][t],
                benefits_economic=kind_rows["economic"][t],
                benefits_social=kind_rows["social"][t],
                benefits_total=benefits,
                benefits_cashable=cashable[t],
                benefits_by_agency={a: r[t] for a, r in agency_rows.items()},
                costs_by_agency={a: r[t] for a, r in cost_agency_rows.items()},
                pv_costs=pv_c,
                pv_benefits=pv_b,
                pv_fiscal=pv_f,
                net_pv=pv_b - pv_c,
                cumulative_pv_costs=cum_costs,
                cumulative_pv_fiscal=cum_fiscal,
                cumulative_pv_benefits=cum_benefits,
                cumulative_npv=cum_benefits - cum_costs,
            )
        )

    by_path = {inp.path: inp for inp in inputs}
    outcomes = []
    for i, o in enumerate(model.outcomes):
        ob = by_path[f"outcomes[{i}].optimism_bias"]
        outcomes.append(
            OutcomeResult(
                name=o.name,
                optimism_bias=ob.base,
                optimism_bias_origin=ob.origin or "explicit",
                confidence_grade=o.confidence_grade,
                pv_benefits=float((f.benefits_by_outcome[i, :, 0] * f.discount[:, 0]).sum()),
            )
        )
    payback = m["payback_year"]
    return Appraisal(
        name=model.name,
        price_year=model.price_year,
        years=model.years,
        discount_rate=by_path["discount_rate"].base,
        pv_costs=m["pv_costs"],
        pv_costs_by_agency={
            k.split(".", 1)[1]: v for k, v in m.items() if k.startswith("pv_costs_by_agency.")
        },
        pv_benefits=ByKind(**{k: m[f"pv_benefits.{k}"] for k in KINDS}),
        pv_benefits_by_agency={
            k.split(".", 1)[1]: v for k, v in m.items() if k.startswith("pv_benefits_by_agency.")
        },
        public_value=m["public_value"],
        npv=m["npv"],
        financial_roi=_opt(m["financial_roi"]),
        economic_roi=_opt(m["economic_roi"]),
        social_roi=_opt(m["social_roi"]),
        payback_year=None if np.isnan(payback) else int(payback),
        cashable_share=_opt(m["cashable_share"]),
        outcomes=outcomes,
        year_by_year=rows,
    )
