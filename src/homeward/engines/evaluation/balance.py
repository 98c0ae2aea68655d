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


def person_variables(design: Design, stack: int, distance: FloatArray | None) -> tuple[list[str], FloatArray]:
    """The balance variables of every person for a start in column `stack` (people × variables)."""
    names = list(design.covariate_names) + list(design.category_names)
    columns = [design.covariates, design.category_dummies]
    pre = pre_period_features(design, stack)
    names += list(pre)
    columns.append(np.column_stack(list(pre.values())))
    if distance is not None:
        names.append("propensity score (logit)")
        columns.append(distance.reshape(-1, 1))
    return names, np.hstack(columns)


def balance_table(
    design: Design,
    pool_mask: BoolArray,
    later_treated: bool,
    distance: dict[int, FloatArray] | None,
    unit_person: IntArray,
    unit_stack: IntArray,
    unit_treated: BoolArray,
    unit_set: IntArray,
) -> list[BalanceRow]:
    stacks = design.stacks
    n_treated = int(design.treated.sum())
    names: list[str] = []
    t_sum = t_sq = c_sum = c_sq = None
    after_t: list[FloatArray] = []
    after_c: list[FloatArray] = []
    after_w: list[FloatArray] = []
    controls_per_set = np.bincount(unit_set[~unit_treated], minlength=int(unit_set.max(initial=-1)) + 1)
    for s in stacks:
        s = int(s)
        names, values = person_variables(design, s, None if distance is None else distance[s])
        treated = values[design.treated & (design.start == s)]
        cand = values[design.candidates(pool_mask, later_treated, s)]
        weight = treated.shape[0] / n_treated
        parts = (
            treated.sum(axis=0),
            (treated**2).sum(axis=0),
            weight * cand.mean(axis=0) if cand.shape[0] else np.zeros(values.shape[1]),
            weight * (cand**2).mean(axis=0) if cand.shape[0] else np.zeros(values.shape[1]),
        )
        if t_sum is None or t_sq is None or c_sum is None or c_sq is None:
            t_sum, t_sq, c_sum, c_sq = parts
        else:
            t_sum, t_sq, c_sum, c_sq = t_sum + parts[0], t_sq + parts[1], c_sum + parts[2], c_sq + parts[3]
        in_stack = unit_stack == s
        tu, cu = in_stack & unit_treated, in_stack & ~unit_treated
        after_t.append(values[unit_person[tu]])
        after_c.append(values[unit_person[cu]])
        after_w.append(1.0 / controls_per_set[unit_set[cu]])
    assert t_sum is not None and t_sq is not None and c_sum is not None and c_sq is not None
    mt_b, mc_b = t_sum / n_treated, c_sum
    var_t, var_c = t_sq / n_treated - mt_b**2, c_sq - mc_b**2
    sd = np.sqrt(np.maximum((var_t + var_c) / 2, 0.0))
    xt, xc, wc = np.vstack(after_t), np.vstack(after_c), np.concatenate(after_w)
    mt_a = xt.mean(axis=0) if xt.shape[0] else np.full(len(names), np.nan)
    mc_a = (wc @ xc) / wc.sum() if xc.shape[0] else np.full(len(names), np.nan)
    rows = []
    for i, name in enumerate(names):
        scale = sd[i] if sd[i] > 1e-12 else 1.0
        before = float((mt_b[i] - mc_b[i]) / scale)
        after = float((mt_a[i] - mc_a[i]) / scale)
        rows.append(
            BalanceRow(
                variable=name,
                treated_mean_before=float(mt_b[i]),
                comparison_mean_before=float(mc_b[i]),
                treated_mean_after=float(mt_a[i]),
                comparison_mean_after=float(mc_a[i]),
                smd_before=before,
                smd_after=after,
                flagged_before=abs(before) > SMD_FLAG,
                flagged_after=bool(np.isnan(after)) or abs(after) > SMD_FLAG,
            )
        )
    return rows
