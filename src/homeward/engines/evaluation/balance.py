"""The balance table: standardised mean differences (SMD) of each matching variable between the treated
and the comparison pool before matching and the matched comparison after, flagged above 0.1.

SMD = (mean treated − mean comparison) / sqrt((var treated + var pool) / 2), with the variances of the
sample *before* matching in both columns (Stuart 2010; cobalt's default), so a fall in the SMD is a fall
in the difference of means, not a change of scale. Before matching each start month's pool is weighted by
the share of treated people starting that month; after matching each comparison is weighted by 1 / the
number of comparisons of its treated person (Stuart 2010, "Matching methods for causal inference").
"""

from __future__ import annotations

import numpy as np

from homeward.engines.evaluation.design import BoolArray, Design, FloatArray, IntArray, pre_period_features
from homeward.engines.evaluation.results import SMD_FLAG, BalanceRow


def _stack_variables(design: Design, stack: int, distance: FloatArray | None) -> tuple[list[str], FloatArray]:
    """The balance variables that depend on the start month: pre-period outcomes and the score."""
    pre = pre_period_features(design, stack)
    names, columns = list(pre), list(pre.values())
    if distance is not None:
        names.append("propensity score (logit)")
        columns.append(distance)
    return names, np.column_stack(columns)


def _moments(x: FloatArray, weights: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of each column (weighted if `weights`, which sum to 1)."""
    if x.shape[0] == 0:
        nan = np.full(x.shape[1], np.nan)
        return nan, nan
    if weights is None:
        mean: FloatArray = x.mean(axis=0)
        return mean, x.var(axis=0)
    mean = weights @ x
    var: FloatArray = weights @ (x * x) - mean**2
    return mean, var


def balance_table(
    design: Design,
    pool_mask: BoolArray,
    later_treated: bool,
    distance: dict[int, FloatArray] | None,
    unit_person: IntArray,
    unit_stack: IntArray,
    unit_treated: BoolArray,
    unit_set: IntArray,
    outcomes_matched: bool = False,
) -> list[BalanceRow]:
    people = design.outcome.shape[0]
    n_treated = int(design.treated.sum())
    controls_per_set = np.bincount(unit_set[~unit_treated], minlength=int(unit_set.max(initial=-1)) + 1)
    control_weight = np.zeros(unit_person.size)
    control_weight[~unit_treated] = 1.0 / controls_per_set[unit_set[~unit_treated]]
    control_weight /= max(control_weight.sum(), 1e-300)
    # Person-level variables: the pool's before-matching mean is one weighted mean over people, each
    # weighted by the share of treated starting in the months they are a candidate for.
    static_names = list(design.covariate_names) + list(design.category_names)
    static = np.hstack([design.covariates, design.category_dummies])
    omega = np.zeros(people)
    dyn_names: list[str] = []
    dyn_t: list[FloatArray] = []
    dyn_c_mean: FloatArray | None = None
    dyn_c_sq: FloatArray | None = None
    dyn_after = np.zeros((unit_person.size, 0))
    for s in design.stacks:
        s = int(s)
        cand = design.candidates(pool_mask, later_treated, s)
        share = float((design.treated & (design.start == s)).sum()) / n_treated
        if cand.any():
            omega[cand] += share / cand.sum()
        dyn_names, values = _stack_variables(design, s, None if distance is None else distance[s])
        dyn_t.append(values[design.treated & (design.start == s)])
        n_cand = max(int(cand.sum()), 1)
        in_pool = cand.astype(np.float64)
        mean = share * (in_pool @ values) / n_cand
        sq = share * (in_pool @ (values * values)) / n_cand
        dyn_c_mean = mean if dyn_c_mean is None else dyn_c_mean + mean
        dyn_c_sq = sq if dyn_c_sq is None else dyn_c_sq + sq
        if dyn_after.shape[1] == 0:
            dyn_after = np.zeros((unit_person.size, values.shape[1]))
        in_stack = unit_stack == s
        dyn_after[in_stack] = values[unit_person[in_stack]]
    assert dyn_c_mean is not None and dyn_c_sq is not None
    names = static_names + dyn_names
    covariates_matched = distance is not None  # propensity covariates; exact categories always
    matched_on = (
        [covariates_matched] * len(design.covariate_names)
        + [True] * len(design.category_names)
        + [outcomes_matched if "pre-period" in n else True for n in dyn_names]
    )
    mt_b = np.concatenate([_moments(static[design.treated])[0], _moments(np.vstack(dyn_t))[0]])
    vt_b = np.concatenate([_moments(static[design.treated])[1], _moments(np.vstack(dyn_t))[1]])
    omega /= max(omega.sum(), 1e-300)
    sc_mean, sc_var = _moments(static, omega)
    mc_b = np.concatenate([sc_mean, dyn_c_mean])
    vc_b = np.concatenate([sc_var, dyn_c_sq - dyn_c_mean**2])
    after = np.hstack([static[unit_person], dyn_after])
    mt_a = _moments(after[unit_treated])[0]
    mc_a = _moments(after, control_weight)[0] if (~unit_treated).any() else np.full(len(names), np.nan)
    sd = np.sqrt(np.maximum((vt_b + vc_b) / 2, 0.0))
    rows = []
    for i, name in enumerate(names):
        scale = sd[i] if sd[i] > 1e-12 else 1.0
        before = float((mt_b[i] - mc_b[i]) / scale)
        after_smd = float((mt_a[i] - mc_a[i]) / scale)
        rows.append(
            BalanceRow(
                variable=name,
                treated_mean_before=float(mt_b[i]),
                comparison_mean_before=float(mc_b[i]),
                treated_mean_after=float(mt_a[i]),
                comparison_mean_after=float(mc_a[i]),
                smd_before=before,
                smd_after=after_smd,
                flagged_before=abs(before) > SMD_FLAG,
                flagged_after=bool(np.isnan(after_smd)) or abs(after_smd) > SMD_FLAG,
                matched_on=matched_on[i],
            )
        )
    return rows
