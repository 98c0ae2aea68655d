"""`evaluate`: spec + data in, `EvaluationResult` out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from homeward.engines.evaluation.data import EvaluationData
from homeward.engines.evaluation.design import Design, prepare
from homeward.engines.evaluation.errors import EvaluationError, Issue
from homeward.engines.evaluation.estimation import event_study, fit_before_after, fit_did, per_month, per_year
from homeward.engines.evaluation.matching import Matching, match
from homeward.engines.evaluation.panel import build_panel, placebo_panel, treated_panel
from homeward.engines.evaluation.results import EvaluationResult, MatchingSummary, RobustnessRun
from homeward.engines.evaluation.robustness import placebo_months, robustness_runs
from homeward.engines.evaluation.sms import caveats, sms_level
from homeward.engines.evaluation.spec import EvaluationSpec, load_spec, month_label

STACKED_DID = (
    "Stacked difference-in-differences on matched sets (Cengiz et al. 2019; Wing, Freedman & "
    "Hollingsworth 2024): person and start-month × month fixed effects, OLS (statsmodels), standard "
    "errors clustered by person (CRV1), 95% intervals from t with people − 1 degrees of freedom"
)
BEFORE_AFTER = "Before and after, treated only: person fixed effects, standard errors clustered by person"


def summarise_matching(design: Design, matching: Matching) -> MatchingSummary:
    spec = design.spec.matching
    controls = matching.unit_person[~matching.unit_treated]
    unmatched = matching.unmatched
    return MatchingSummary(
        method=spec.method,
        exact=list(spec.exact),
        covariates=list(design.covariate_names),
        ratio=spec.ratio,
        replacement=spec.replacement,
        caliper=spec.caliper,
        caliper_distance=matching.caliper_distance,
        treated=matching.treated,
        matched=matching.treated - int(unmatched.size),
        unmatched=int(unmatched.size),
        unmatched_keys=[str(k) for k in design.keys.gather(unmatched).to_list()],
        comparison_people=int(np.unique(controls).size),
        comparison_units=int(controls.size),
        pool=matching.pool_size,
    )


def _cohorts(
    design: Design, people: np.ndarray[Any, np.dtype[np.int64]], stacks: np.ndarray[Any, np.dtype[np.int64]]
) -> dict[str, int]:
    del people
    values, counts = np.unique(stacks, return_counts=True)
    return {month_label(int(v) + design.first_month): int(c) for v, c in zip(values, counts, strict=True)}


def evaluate_design(design: Design, *, robustness: bool | None = None) -> EvaluationResult:
    """Run a prepared design: match, estimate, event study, robustness, SMS level and caveats."""
    spec = design.spec
    run_robustness = spec.robustness.enabled if robustness is None else robustness
    everyone = treated_panel(design)
    naive_fit = fit_before_after(everyone)
    naive = per_year(naive_fit)
    period = (month_label(design.first_month), month_label(design.first_month + design.n_months - 1))
    if spec.design == "before_after":
        runs: list[RobustnessRun] = []
        months = placebo_months(design)
        if run_robustness and spec.pre_months - months >= 2:
            fake = per_year(fit_before_after(placebo_panel(everyone, months)))
            runs.append(
                RobustnessRun(
                    name="placebo",
                    description=f"Before/after around a pretend start {months} months before the real one.",
                    estimate=fake,
                    treated=int(design.treated.sum()),
                    matched=0,
                )
            )
        level, reason = sms_level(spec, [], None)
        return EvaluationResult(
            intervention=spec.intervention,
            outcome=spec.outcome,
            outcome_label=spec.label,
            design=spec.design,
            estimator=BEFORE_AFTER,
            pre_months=spec.pre_months,
            post_months=spec.post_months,
            period=period,
            cohorts=_cohorts(design, everyone.person, everyone.stack),
            estimate=naive,
            monthly=per_month(naive_fit),
            naive_before_after=naive,
            matching=None,
            balance=[],
            event_study=None,
            robustness=runs,
            sms_level=level,
            sms_reason=reason,
            caveats=caveats(spec, naive, naive, None, [], None, runs),
        )
    matching = match(design)
    if not matching.unit_treated.any():
        raise EvaluationError(
            [Issue("matching.caliper", "no treated person has a comparison within the caliper: widen it")]
        )
    panel = build_panel(design, matching)
    fit = fit_did(panel)
    estimate = per_year(fit)
    events = event_study(panel)
    runs = robustness_runs(design, matching, panel) if run_robustness else []
    summary = summarise_matching(design, matching)
    level, reason = sms_level(spec, matching.balance, events)
    return EvaluationResult(
        intervention=spec.intervention,
        outcome=spec.outcome,
        outcome_label=spec.label,
        design=spec.design,
        estimator=STACKED_DID,
        pre_months=spec.pre_months,
        post_months=spec.post_months,
        period=period,
        cohorts=_cohorts(design, panel.person[panel.treated], panel.stack[panel.treated]),
        estimate=estimate,
        monthly=per_month(fit),
        naive_before_after=naive,
        matching=summary,
        balance=matching.balance,
        event_study=events,
        robustness=runs,
        sms_level=level,
        sms_reason=reason,
        caveats=caveats(spec, estimate, naive, summary, matching.balance, events, runs),
    )


def evaluate(
    spec: EvaluationSpec | Mapping[str, Any] | str | Path,
    data: EvaluationData,
    *,
    robustness: bool | None = None,
) -> EvaluationResult:
    """Validate everything, then run the evaluation. Raises `EvaluationError` (naming each field) before
    anything is run if the spec or the data cannot support it. `robustness` overrides
    ``spec.robustness.enabled``."""
    return evaluate_design(prepare(load_spec(spec), data), robustness=robustness)
