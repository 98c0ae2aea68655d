"""Matching: exact on start month and chosen categories, then nearest neighbour on the logit of a
propensity score or on standardised pre-period outcomes, within a caliper, with or without replacement.

Nearest neighbours come from scipy's cKDTree. Without replacement the matching is greedy by distance:
in each round every treated person still short of matches proposes its nearest unused candidate, the
closest proposal for each candidate wins, and the rest try again (the k-d tree is queried for more
neighbours when the near ones are taken). Treated people with no candidate inside the caliper are kept
in `Matching.unmatched` and reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree
from sklearn.linear_model import LogisticRegression

from homeward.engines.evaluation.balance import balance_table
from homeward.engines.evaluation.design import BoolArray, Design, FloatArray, IntArray, pre_period_features
from homeward.engines.evaluation.results import BalanceRow
from homeward.engines.evaluation.spec import MatchingSpec, Where

FIT_CONTROLS = 50_000
# Trees are built once per exact cell and queried by a few hundred treated people: a sliding-midpoint
# tree with big leaves builds about 3× faster than scipy's default and answers such queries as fast.
TREE_OPTIONS: dict[str, Any] = {
    "leafsize": 128,
    "balanced_tree": False,
    "compact_nodes": False,
}  # comparison rows sampled to fit the propensity model (all of them if fewer)


@dataclass(frozen=True)
class Pool:
    """The people comparisons are drawn from, before the start-month rule."""

    where: Where
    later_treated: bool


@dataclass(frozen=True)
class Matching:
    """Matched sets in units: one unit per treated person and one per comparison use (a comparison
    person matched twice, with replacement, is two units; both carry the same `person`)."""

    unit_person: IntArray
    unit_stack: IntArray  # start column of the matched set
    unit_treated: BoolArray
    unit_set: IntArray  # matched-set number, one per matched treated person
    unmatched: IntArray  # treated people (row numbers) with no comparison inside the caliper
    treated: int  # treated people in the cohort
    pool_size: int  # people in the comparison pool
    method: str
    ratio: int
    replacement: bool
    caliper: float | None  # as given, in standard deviations
    caliper_distance: float | None  # in the distance's own units
    distance_sd: float  # standard deviation the caliper is scaled by
    balance: list[BalanceRow]


def _outcome_blocks(design: Design, stack: int, blocks: int) -> FloatArray:
    start = stack - design.spec.pre_months
    parts = np.array_split(np.arange(design.spec.pre_months), blocks)
    return np.column_stack([design.window_mean(start + int(p[0]), start + int(p[-1]) + 1) for p in parts])


def _pre_outcomes(design: Design, spec: MatchingSpec, stack: int) -> FloatArray:
    """The pre-period outcome columns of the propensity model (none unless asked for)."""
    if not spec.pre_period_outcomes:
        return np.zeros((design.outcome.shape[0], 0))
    return np.column_stack(list(pre_period_features(design, stack).values()))


def _greedy(points: FloatArray, queries: FloatArray, ratio: int, bound: float) -> tuple[IntArray, IntArray]:
    """Greedy nearest-neighbour matching without replacement: (query index, point index) pairs."""
    n = points.shape[0]
    tree = cKDTree(points, **TREE_OPTIONS)
    need = np.full(queries.shape[0], ratio)
    used = np.zeros(n, dtype=bool)
    k = min(n, ratio + 4)
    active = np.arange(queries.shape[0])
    out_q: list[IntArray] = []
    out_p: list[IntArray] = []
    while active.size:
        dist, idx = tree.query(
            queries[active], k=k, distance_upper_bound=bound * (1 + 1e-12) if np.isfinite(bound) else np.inf
        )
        dist, idx = dist.reshape(active.size, k), idx.reshape(active.size, k)
        ok = (idx < n) & (dist <= bound)
        ok[ok] = ~used[idx[ok]]
        has = ok.any(axis=1)
        full = (idx[:, -1] < n) & (dist[:, -1] <= bound)
        retry = ~has & full & (k < n)
        first = ok.argmax(axis=1)
        prop_q, prop_p, prop_d = active[has], idx[has, first[has]], dist[has, first[has]]
        order = np.lexsort((prop_q, prop_d))
        _, firsts = np.unique(prop_p[order], return_index=True)
        win = order[firsts]
        used[prop_p[win]] = True
        need[prop_q[win]] -= 1
        out_q.append(prop_q[win])
        out_p.append(prop_p[win])
        if retry.any():
            k = min(n, 2 * k)
        keep = (has | retry) & (need[active] > 0)
        active = active[keep]
    if not out_q:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_q).astype(np.int64), np.concatenate(out_p).astype(np.int64)


def _nearest(points: FloatArray, queries: FloatArray, ratio: int, bound: float) -> tuple[IntArray, IntArray]:
    """Nearest neighbours with replacement: (query index, point index) pairs inside the caliper."""
    n = points.shape[0]
    k = min(n, ratio)
    dist, idx = cKDTree(points, **TREE_OPTIONS).query(queries, k=k)
    dist, idx = dist.reshape(queries.shape[0], k), idx.reshape(queries.shape[0], k)
    ok = dist <= bound
    q = np.repeat(np.arange(queries.shape[0]), k).reshape(-1, k)
    return q[ok].astype(np.int64), idx[ok].astype(np.int64)


def _propensity(
    design: Design, spec: MatchingSpec, pool: BoolArray, later: bool, stacks: IntArray
) -> tuple[dict[int, FloatArray], float]:
    """Logit of the propensity score per stack (for every person) and the pooled SD of the logit.

    Fitted once on all treated (features at their own start) and a random sample of comparison rows
    drawn across start months in proportion to the treated in each. Sampling comparison rows changes
    only the intercept of a logistic model (case-control sampling), which cancels in logit distances.
    """
    rng = np.random.default_rng(spec.seed)
    treated_rows: list[FloatArray] = []
    control_rows: list[FloatArray] = []
    n_treated = int(design.treated.sum())
    for s in stacks:
        s = int(s)
        pre = _pre_outcomes(design, spec, s)
        treated = np.flatnonzero(design.treated & (design.start == s))
        cand = np.flatnonzero(design.candidates(pool, later, s))
        take = min(cand.size, max(1, int(np.ceil(FIT_CONTROLS * treated.size / n_treated))))
        sample = np.sort(rng.choice(cand, size=take, replace=False))
        treated_rows.append(np.hstack([design.covariates[treated], pre[treated]]))
        control_rows.append(np.hstack([design.covariates[sample], pre[sample]]))
    xt, xc = np.vstack(treated_rows), np.vstack(control_rows)
    if xt.shape[1] == 0:
        return {int(s): np.zeros(design.outcome.shape[0]) for s in stacks}, 1.0
    x_fit = np.vstack([xt, xc])
    y_fit = np.concatenate([np.ones(xt.shape[0]), np.zeros(xc.shape[0])])
    centre, scale = x_fit.mean(axis=0), x_fit.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit((x_fit - centre) / scale, y_fit)
    coef = model.coef_.ravel() / scale
    intercept = float(model.intercept_[0]) - float(centre @ coef)
    q = design.covariates.shape[1]
    base = design.covariates @ coef[:q] + intercept
    logits = {int(s): base + _pre_outcomes(design, spec, int(s)) @ coef[q:] for s in stacks}
    lt, lc = xt @ coef + intercept, xc @ coef + intercept
    sd = float(np.sqrt((lt.var() + lc.var()) / 2)) or 1.0
    return logits, sd


def _outcome_points(
    design: Design, spec: MatchingSpec, pool: BoolArray, later: bool, stacks: IntArray
) -> tuple[dict[int, FloatArray], float]:
    """Standardised pre-period outcome blocks per stack; distances are then in pooled-SD units."""
    raw = {int(s): _outcome_blocks(design, int(s), spec.outcome_blocks) for s in stacks}
    both = np.vstack(
        [raw[int(s)][design.treated & (design.start == s)] for s in stacks]
        + [raw[int(s)][design.candidates(pool, later, int(s))] for s in stacks[:1]]
    )
    sd = both.std(axis=0)
    sd[sd == 0] = 1.0
    return {s: x / sd for s, x in raw.items()}, 1.0


def match(design: Design, spec: MatchingSpec | None = None, pool: Pool | None = None) -> Matching:
    """Match every treated person of `design` (defaults: the spec's matching and comparison pool)."""
    spec = spec or design.spec.matching
    pool = pool or Pool(design.spec.comparison.where, design.spec.comparison.later_treated)
    pool_mask = design.pool(pool.where, pool.later_treated)
    stacks = design.stacks
    if spec.method == "propensity":
        points, sd = _propensity(design, spec, pool_mask, pool.later_treated, stacks)
    else:
        points, sd = _outcome_points(design, spec, pool_mask, pool.later_treated, stacks)
    bound = np.inf if spec.caliper is None else spec.caliper * sd
    used = np.zeros(design.outcome.shape[0], dtype=bool)
    persons: list[IntArray] = []
    sets: list[IntArray] = []
    stack_of: list[IntArray] = []
    is_treated: list[BoolArray] = []
    matched_treated: list[IntArray] = []
    for s in stacks:
        s = int(s)
        x = points[s].reshape(design.outcome.shape[0], -1)
        treated = np.flatnonzero(design.treated & (design.start == s))
        cand_mask = design.candidates(pool_mask, pool.later_treated, s)
        if not spec.replacement:
            cand_mask &= ~used
        cand = np.flatnonzero(cand_mask)
        cand = cand[np.argsort(design.exact[cand], kind="stable")]
        cand_codes = design.exact[cand]
        for code in np.unique(design.exact[treated]):
            t = treated[design.exact[treated] == code]
            lo, hi = np.searchsorted(cand_codes, [code, code + 1])
            c = cand[lo:hi]
            if c.size == 0:
                continue
            pick = _nearest if spec.replacement else _greedy
            qi, pi = pick(x[c], x[t], spec.ratio, float(bound))
            if qi.size == 0:
                continue
            used[c[pi]] = True
            got = np.unique(qi)
            matched_treated.append(t[got])
            persons += [t[got], c[pi]]
            sets += [t[got], t[qi]]
            stack_of += [np.full(got.size + qi.size, s)]
            is_treated += [np.ones(got.size, dtype=bool), np.zeros(qi.size, dtype=bool)]
    done = np.concatenate(matched_treated) if matched_treated else np.zeros(0, dtype=np.int64)
    unmatched = np.setdiff1d(np.flatnonzero(design.treated), done)
    unit_person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    unit_set_person = np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64)
    unit_stack = np.concatenate(stack_of) if stack_of else np.zeros(0, dtype=np.int64)
    unit_treated = np.concatenate(is_treated) if is_treated else np.zeros(0, dtype=bool)
    order = np.lexsort((~unit_treated, unit_set_person, unit_stack))
    _, unit_set = np.unique(unit_set_person[order], return_inverse=True)
    unit_person, unit_stack, unit_treated = unit_person[order], unit_stack[order], unit_treated[order]
    unit_set = unit_set.astype(np.int64)
    distance = points if spec.method == "propensity" else None
    balance = balance_table(
        design,
        pool_mask,
        pool.later_treated,
        distance,
        unit_person,
        unit_stack,
        unit_treated,
        unit_set,
        outcomes_matched=spec.method == "outcomes" or spec.pre_period_outcomes,
    )
    return Matching(
        unit_person=unit_person,
        unit_stack=unit_stack,
        unit_treated=unit_treated,
        unit_set=unit_set,
        unmatched=unmatched,
        treated=int(design.treated.sum()),
        pool_size=int(design.candidates(pool_mask, pool.later_treated, int(stacks.min())).sum()),
        method=spec.method,
        ratio=spec.ratio,
        replacement=spec.replacement,
        caliper=spec.caliper,
        caliper_distance=None if spec.caliper is None else float(bound),
        distance_sd=sd,
        balance=balance,
    )
