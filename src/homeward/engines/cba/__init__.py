"""Cost–benefit analysis as UK public bodies do it (GMCA / HM Treasury method): fiscal, economic
and social value; optimism bias by confidence grade; deadweight, attribution and drop-off;
discounting; ROI per kind of value and by agency; Monte Carlo ranges; tornado and switching values.

Pure Python + NumPy, no Django. The method and its sources are in docs/cba.md.

    from homeward.engines.cba import load_model, appraise, simulate, tornado, switching_values

    model = load_model("examples/cba/hospital_at_home.yaml")
    result = appraise(model)             # Appraisal: npv, ROIs, payback, year-by-year table
    mc = simulate(model, 10_000, seed=1)  # MonteCarloResult: P5/P50/P95 of every output
    result.model_dump(mode="json")       # every result is a pydantic model
"""

from homeward.engines.cba.appraisal import appraise
from homeward.engines.cba.grades import DEFAULT_GRADE_TABLE, GRADE_TABLE_SOURCE
from homeward.engines.cba.inputs import Input, model_inputs
from homeward.engines.cba.montecarlo import simulate, simulate_metrics, summarise_draws
from homeward.engines.cba.results import (
    Appraisal,
    ByKind,
    MonteCarloResult,
    OutcomeResult,
    Percentiles,
    Sensitivity,
    SwitchingValue,
    Tornado,
    TornadoBar,
    YearRow,
)
from homeward.engines.cba.schema import (
    Beneficiary,
    Cohort,
    Cost,
    Issue,
    Model,
    ModelError,
    Outcome,
    load_model,
)
from homeward.engines.cba.sensitivity import sensitivity, switching_values, tornado

__all__ = [
    "DEFAULT_GRADE_TABLE",
    "GRADE_TABLE_SOURCE",
    "Appraisal",
    "Beneficiary",
    "ByKind",
    "Cohort",
    "Cost",
    "Input",
    "Issue",
    "Model",
    "ModelError",
    "MonteCarloResult",
    "Outcome",
    "OutcomeResult",
    "Percentiles",
    "Sensitivity",
    "SwitchingValue",
    "Tornado",
    "TornadoBar",
    "YearRow",
    "appraise",
    "load_model",
    "model_inputs",
    "sensitivity",
    "simulate",
    "simulate_metrics",
    "summarise_draws",
    "switching_values",
    "tornado",
]
