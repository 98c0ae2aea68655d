"""Robustness runs: an in-time placebo, other calipers, other comparison pools, the propensity model with
or without pre-period outcomes, and outcomes capped at a high percentile."""

from __future__ import annotations

import numpy as np

from homeward.engines.evaluation.design import Design
from homeward.engines.evaluation.errors import EvaluationError
from homeward.engines.evaluation.estimation import fit_did, per_year
from homeward.engines.evaluation.matching import Matching, Pool, match
from homeward.engines.evaluation.panel import MatchedPanel, build_panel, placebo_panel
from homeward.engines.evaluation.results import RobustnessRun
from homeward.engines.evaluation.spec import MatchingSpec


def _run(name: str, description: str, panel: MatchedPanel, matching: Matching) -> RobustnessRun:
    matched = matching.treated - int(matching.unmatched.size)
    try:
        estimate = per_year(fit_did(panel))
    except ValueError as exc:
        return RobustnessRun(
            name=name,
            description=description,
            estimate=None,
            treated=matching.treated,
            matched=matched,
            note=str(exc),
        )
    return RobustnessRun(
        name=name, description=description, estimate=estimate, treated=matching.treated, matched=matched
    )


def _rematch(
    name: str, description: str, design: Design, spec: MatchingSpec, pool: Pool | None
) -> RobustnessRun:
    try:
        matching = match(design, spec, pool)
    except (EvaluationError, ValueError) as exc:
        return RobustnessRun(
            name=name, description=description, estimate=None, treated=0, matched=0, note=str(exc)
        )
    if matching.unit_treated.sum() == 0:
        return RobustnessRun(
            name=name,
            description=description,
            estimate=None,
            treated=matching.treated,
            matched=0,
            note="no treated person found a comparison",
        )
    return _run(name, description, build_panel(design, matching), matching)


def placebo_months(design: Design) -> int:
    return design.spec.robustness.placebo_months or max(1, design.spec.pre_months // 2)


def robustness_runs(design: Design, matching: Matching, panel: MatchedPanel) -> list[RobustnessRun]:
    spec = design.spec
    robust = spec.robustness
    runs: list[RobustnessRun] = []
    months = placebo_months(design)
    if spec.pre_months - months >= 2:
        runs.append(
            _run(
                "placebo",
                f"Placebo: a pretend start {months} months before the real one, using only months before "
                "the real start; an effect here points to differences in trend, not the service.",
                placebo_panel(panel, months),
                matching,
            )
        )
    calipers = robust.calipers
    if calipers is None and spec.matching.caliper is not None:
        calipers = [round(spec.matching.caliper / 2, 6), min(10.0, round(spec.matching.caliper * 2, 6))]
    for caliper in calipers or []:
        runs.append(
            _rematch(
                f"caliper {caliper:g}",
                f"Matching again with a caliper of {caliper:g} standard deviations "
                f"(main analysis: {spec.matching.caliper if spec.matching.caliper is not None else 'none'}).",
                design,
                spec.matching.model_copy(update={"caliper": caliper}),
                None,
            )
        )
    pools = [(p.name, Pool(p.where, p.later_treated)) for p in robust.pools]
    if not pools:
        later = not spec.comparison.later_treated
        label = "also people helped later" if later else "only people never helped"
        pools = [(f"pool: {label}", Pool(spec.comparison.where, later))]
    for name, pool in pools:
        where = ", ".join(f"{k} in {v}" for k, v in pool.where.items()) or "everyone eligible"
        runs.append(
            _rematch(
                name,
                f"Another comparison pool: {where}; "
                f"{'including' if pool.later_treated else 'excluding'} people helped after the window.",
                design,
                spec.matching,
                pool,
            )
        )
    if spec.matching.method == "propensity":
        flip = not spec.matching.pre_period_outcomes
        runs.append(
            _rematch(
                "with pre-period outcomes" if flip else "without pre-period outcomes",
                "The propensity model "
                + ("with" if flip else "without")
                + " the pre-period outcome: if the two results differ, regression to the mean may be at "
                "work.",
                design,
                spec.matching.model_copy(update={"pre_period_outcomes": flip}),
                None,
            )
        )
    active = panel.y[panel.y > 0]
    if active.size:
        cap = float(np.percentile(active, robust.cap_percentile, method="higher"))
        capped = MatchedPanel(
            y=np.minimum(panel.y, cap),
            treated=panel.treated,
            stack=panel.stack,
            person=panel.person,
            pre=panel.pre,
            first_month=panel.first_month,
        )
        runs.append(
            _run(
                f"capped at P{robust.cap_percentile:g}",
                f"Each person-month capped at {cap:g} (the {robust.cap_percentile:g}th percentile of months "
                "with any activity), so a few very high users cannot drive the result.",
                capped,
                matching,
            )
        )
    return runs
