"""Measured impact: did a service change A&E visits, admissions or tenancies? Matched comparison groups
and difference-in-differences over pseudonymised activity per person per month.

Pure Python + NumPy/Polars, statsmodels for every regression, scikit-learn for the propensity model,
scipy's k-d tree for nearest neighbours; no Django. Method, spec format and figures: docs/evaluation.md.

    from homeward.engines.evaluation import evaluate, load_spec, read_data

    result = evaluate(load_spec("spec.yaml"), read_data("data/"))
    result.estimate            # effect per person per year, 95% CI, SE, p-value
    result.sms_level           # Maryland Scientific Methods Scale level (1-3) and result.sms_reason
    result.model_dump(mode="json")
"""

from homeward.engines.evaluation.data import (
    EvaluationData,
    check_activity,
    check_data,
    check_people,
    read_data,
)
from homeward.engines.evaluation.design import Design, prepare
from homeward.engines.evaluation.errors import DataError, EvaluationError, Issue, SpecError
from homeward.engines.evaluation.estimation import (
    Fit,
    event_study,
    fit_before_after,
    fit_did,
    fit_event_study,
    per_month,
    per_year,
)
from homeward.engines.evaluation.matching import Matching, Pool, match
from homeward.engines.evaluation.panel import MatchedPanel, build_panel, placebo_panel, treated_panel
from homeward.engines.evaluation.results import (
    SMD_FLAG,
    BalanceRow,
    Estimate,
    EvaluationResult,
    EventStudy,
    EventStudyPoint,
    MatchingSummary,
    RobustnessRun,
)
from homeward.engines.evaluation.run import evaluate, evaluate_design
from homeward.engines.evaluation.sms import caveats, sms_level
from homeward.engines.evaluation.spec import (
    ComparisonSpec,
    EvaluationSpec,
    MatchingSpec,
    Period,
    PoolSpec,
    RobustnessSpec,
    load_spec,
    month_label,
    month_number,
)
from homeward.engines.evaluation.synth import SyntheticSet, generate

__all__ = [
    "SMD_FLAG",
    "BalanceRow",
    "ComparisonSpec",
    "DataError",
    "Design",
    "Estimate",
    "EvaluationData",
    "EvaluationError",
    "EvaluationResult",
    "EvaluationSpec",
    "EventStudy",
    "EventStudyPoint",
    "Fit",
    "Issue",
    "MatchedPanel",
    "Matching",
    "MatchingSpec",
    "MatchingSummary",
    "Period",
    "Pool",
    "PoolSpec",
    "RobustnessRun",
    "RobustnessSpec",
    "SpecError",
    "SyntheticSet",
    "build_panel",
    "caveats",
    "check_activity",
    "check_data",
    "check_people",
    "evaluate",
    "evaluate_design",
    "event_study",
    "fit_before_after",
    "fit_did",
    "fit_event_study",
    "generate",
    "load_spec",
    "match",
    "month_label",
    "month_number",
    "per_month",
    "per_year",
    "placebo_panel",
    "prepare",
    "read_data",
    "sms_level",
    "treated_panel",
]
