"""From a spec and checked data to a design ready to match: everything is validated here, before any
matching or fitting, so a bad spec or data set runs nothing and gets every problem named by its field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import polars as pl

from homeward.engines.evaluation.data import EvaluationData
from homeward.engines.evaluation.errors import EvaluationError, Issue
from homeward.engines.evaluation.spec import EvaluationSpec, Where, month_label, month_number

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
BLANK = "(blank)"
RECENT_MONTHS = 3


@dataclass(frozen=True)
class Design:
    """A validated evaluation, in arrays indexed by person (rows of the people data) and month."""

    spec: EvaluationSpec
    keys: pl.Series  # pseudonymised key of each person
    first_month: int  # month number of column 0 of `outcome`
    outcome: FloatArray  # people × months, the outcome per person per month (0 where no row)
    start: IntArray  # start column of each person (-1 if never helped; may lie outside the data)
    ever_treated: BoolArray  # has any start date
    treated: BoolArray  # in the treated cohort of this evaluation
    eligible: BoolArray  # passes spec.eligible
    exact: IntArray  # one code per combination of the exact-matching categories
    covariates: FloatArray  # people × q, the propensity-model covariates (categories as indicators)
    covariate_names: list[str]
    category_names: list[str]  # labels of `category_dummies` columns, for the balance table
    category_dummies: FloatArray  # people × r, indicators of the exact-matching categories
    people: pl.DataFrame  # the checked people data (for the `where` filters)

    @cached_property
    def cumulative(self) -> FloatArray:
        """Running totals of the outcome along months (people × months + 1), for window sums in O(1)."""
        people, months = self.outcome.shape
        # Column-major, so each month's totals are contiguous: window means read two columns.
        out: FloatArray = np.zeros((people, months + 1), order="F")
        for month in range(months):
            np.add(out[:, month], self.outcome[:, month], out=out[:, month + 1])
        return out

    def window_mean(self, first: int, last: int) -> FloatArray:
        """Each person's mean outcome over columns first..last-1."""
        out: FloatArray = (self.cumulative[:, last] - self.cumulative[:, first]) / (last - first)
        return out

    @property
    def n_months(self) -> int:
        return int(self.outcome.shape[1])

    @property
    def stacks(self) -> IntArray:
        """The start months (columns) of the treated cohort: one sub-experiment each."""
        return np.unique(self.start[self.treated])

    def pool(self, where: Where, later_treated: bool) -> BoolArray:
        """People who may be compared with someone (before the start-month rule of `candidates`)."""
        return self.eligible & self.where_mask(where) & (~self.ever_treated | later_treated)

    def where_mask(self, where: Where) -> BoolArray:
        mask = np.ones(self.people.height, dtype=bool)
        for column, values in where.items():
            mask &= self.people.get_column(column).fill_null(BLANK).is_in(values).to_numpy()
        return mask

    def candidates(self, pool: BoolArray, later_treated: bool, stack: int) -> BoolArray:
        """Comparison candidates for treated people starting in column `stack`: never helped, or (if
        allowed) helped only after this stack's post-period ends. Never someone already helped."""
        clean = ~self.ever_treated
        if later_treated:
            clean = clean | (self.start > stack + self.spec.post_months - 1)
        return pool & clean


def _check_where(where: Where, field: str, people: pl.DataFrame, issues: list[Issue]) -> None:
    for column, values in where.items():
        if column not in people.columns or column in ("key", "start_month"):
            issues.append(Issue(f"{field}.{column}", f"no column {column!r} in the people data"))
            continue
        if people.schema[column] != pl.String:
            issues.append(Issue(f"{field}.{column}", f"{column} holds numbers, not categories"))
            continue
        present = set(people.get_column(column).fill_null(BLANK).unique().to_list())
        absent = [v for v in values if v not in present]
        if absent:
            issues.append(Issue(f"{field}.{column}", f"no one has {column} {', '.join(map(repr, absent))}"))


def _dense_outcome(data: EvaluationData, outcome: str, first: int, n_months: int) -> FloatArray:
    rows = data.activity.filter(
        (pl.col("measure") == outcome) & pl.col("month").is_between(first, first + n_months - 1)
    ).select(pl.col("person").cast(pl.Int64) * n_months + (pl.col("month") - first), "count")
    cells = rows.get_column("person").to_numpy()
    counts = rows.get_column("count").to_numpy().astype(np.float64)
    dense = np.bincount(cells, weights=counts, minlength=data.people.height * n_months).astype(np.float64)
    out: FloatArray = dense.reshape(data.people.height, n_months)
    return out


def _first_keys(keys: pl.Series, starts: IntArray, mask: BoolArray, first: int) -> str:
    idx = np.flatnonzero(mask)[:5]
    shown = ", ".join(f"{keys[int(i)]} ({month_label(int(starts[i]) + first)})" for i in idx)
    more = f" and {int(mask.sum()) - len(idx)} more" if mask.sum() > len(idx) else ""
    return shown + more


def _covariates(
    spec: EvaluationSpec, people: pl.DataFrame, issues: list[Issue]
) -> tuple[FloatArray, list[str]]:
    blocks: list[FloatArray] = []
    names: list[str] = []
    for i, column in enumerate(spec.matching.covariates):
        field = f"matching.covariates[{i}]"
        if column not in people.columns or column in ("key", "start_month"):
            issues.append(Issue(field, f"no column {column!r} in the people data"))
            continue
        series = people.get_column(column)
        if series.dtype == pl.Float64:
            if series.null_count():
                issues.append(Issue(field, f"{series.null_count()} people have no {column}"))
                continue
            blocks.append(series.to_numpy().reshape(-1, 1))
            names.append(column)
            continue
        levels = sorted(series.fill_null(BLANK).unique().to_list())
        values = series.fill_null(BLANK).to_numpy()
        for level in levels[1:]:
            blocks.append((values == level).astype(np.float64).reshape(-1, 1))
            names.append(f"{column} = {level}")
    if not blocks:
        return np.zeros((people.height, 0)), names
    return np.hstack(blocks), names


def _exact(
    spec: EvaluationSpec, people: pl.DataFrame, issues: list[Issue]
) -> tuple[IntArray, FloatArray, list[str]]:
    codes = np.zeros(people.height, dtype=np.int64)
    dummies: list[FloatArray] = []
    names: list[str] = []
    for i, column in enumerate(spec.matching.exact):
        field = f"matching.exact[{i}]"
        if column not in people.columns or column in ("key", "start_month"):
            issues.append(Issue(field, f"no column {column!r} in the people data"))
            continue
        if people.schema[column] != pl.String:
            issues.append(Issue(field, f"{column} holds numbers; exact matching needs categories"))
            continue
        values = people.get_column(column).fill_null(BLANK)
        levels = sorted(values.unique().to_list())
        code = values.replace_strict(levels, list(range(len(levels))), return_dtype=pl.Int64).to_numpy()
        codes = codes * len(levels) + code
        raw = values.to_numpy()
        for level in levels:
            dummies.append((raw == level).astype(np.float64).reshape(-1, 1))
            names.append(f"{column} = {level}")
    matrix = np.hstack(dummies) if dummies else np.zeros((people.height, 0))
    return codes, matrix, names


def prepare(spec: EvaluationSpec, data: EvaluationData) -> Design:
    """Validate `spec` against `data` and build the design; raises `EvaluationError` naming each field."""
    issues: list[Issue] = []
    people = data.people
    measures = data.measures
    if spec.outcome not in measures:
        shown = ", ".join(measures[:20]) or "none"
        raise EvaluationError(
            [Issue("outcome", f"unknown outcome {spec.outcome!r}; the activity data hold: {shown}")]
        )
    _check_where(spec.eligible, "eligible", people, issues)
    _check_where(spec.comparison.where, "comparison.where", people, issues)
    for i, pool in enumerate(spec.robustness.pools):
        _check_where(pool.where, f"robustness.pools[{i}].where", people, issues)
    covariates, covariate_names = _covariates(spec, people, issues)
    exact, dummies, category_names = _exact(spec, people, issues)
    if spec.matching.method == "outcomes" and spec.matching.outcome_blocks > spec.pre_months:
        issues.append(Issue("matching.outcome_blocks", f"at most pre_months ({spec.pre_months})"))
    if issues:
        raise EvaluationError(issues)

    rows = data.activity.filter(pl.col("measure") == spec.outcome).get_column("month")
    if spec.period is not None:
        first, last = month_number(spec.period.first), month_number(spec.period.last)
    else:
        months = rows.to_numpy()
        first, last = int(months.min()), int(months.max())
    n_months = last - first + 1
    start_month = people.get_column("start_month")
    ever = start_month.is_not_null().to_numpy()
    start = start_month.fill_null(first - 1).to_numpy().astype(np.int64) - first
    start[~ever] = -1
    eligible = np.ones(people.height, dtype=bool)
    for column, values in spec.eligible.items():
        eligible &= people.get_column(column).fill_null(BLANK).is_in(values).to_numpy()
    cohort = ever & eligible
    if spec.starts is not None:
        lo, hi = month_number(spec.starts.first) - first, month_number(spec.starts.last) - first
        cohort &= (start >= lo) & (start <= hi)
    if not cohort.any():
        field = "starts" if spec.starts is not None else "people.start_date"
        raise EvaluationError(
            [Issue(field, "no treated people: no eligible person has a start date in range")]
        )
    starts = start[cohort]
    latest = int(starts.max()) + first
    in_period = rows.filter(rows.is_between(first, last))
    if in_period.filter(in_period < latest).len() == 0:
        seen = (
            "it has no rows"
            if in_period.len() == 0
            else f"its first month is {month_label(int(in_period.to_numpy().min()))}"
        )
        raise EvaluationError(
            [
                Issue(
                    "outcome",
                    f"{spec.outcome!r} has no pre-period data: {seen}, not before any start date "
                    f"(the latest is {month_label(latest)})",
                )
            ]
        )
    keys = people.get_column("key")
    outside = cohort & ((start < 0) | (start >= n_months))
    if outside.any():
        raise EvaluationError(
            [
                Issue(
                    "people.start_date",
                    f"{int(outside.sum())} start date(s) fall outside the {spec.outcome} data "
                    f"({month_label(first)} to {month_label(last)}): "
                    f"{_first_keys(keys, start, outside, first)}; narrow `starts` to the treated cohort "
                    "or extend `period`",
                )
            ]
        )
    short_pre = cohort & (start - spec.pre_months < 0)
    if short_pre.any():
        issues.append(
            Issue(
                "pre_months",
                f"{int(short_pre.sum())} treated start(s) have fewer than {spec.pre_months} months of "
                f"{spec.outcome} data before them (data from {month_label(first)}): "
                f"{_first_keys(keys, start, short_pre, first)}; set `starts` to begin at "
                f"{month_label(first + spec.pre_months)} or later",
            )
        )
    short_post = cohort & (start + spec.post_months - 1 > n_months - 1)
    if short_post.any():
        issues.append(
            Issue(
                "post_months",
                f"{int(short_post.sum())} treated start(s) have fewer than {spec.post_months} months of "
                f"{spec.outcome} data from their start (data to {month_label(last)}): "
                f"{_first_keys(keys, start, short_post, first)}; set `starts` to end by "
                f"{month_label(last - spec.post_months + 1)}",
            )
        )
    if issues:
        raise EvaluationError(issues)
    design = Design(
        spec=spec,
        keys=keys,
        first_month=first,
        outcome=_dense_outcome(data, spec.outcome, first, n_months),
        start=start,
        ever_treated=ever,
        treated=cohort,
        eligible=eligible,
        exact=exact,
        covariates=covariates,
        covariate_names=covariate_names,
        category_names=category_names,
        category_dummies=dummies,
        people=people,
    )
    if spec.design == "did":
        _check_pools(design, issues)
    if issues:
        raise EvaluationError(issues)
    return design


def _check_pools(design: Design, issues: list[Issue]) -> None:
    """The comparison pool (and each alternative pool) must exist, and under matching without
    replacement must hold at least `ratio` people per treated person."""
    spec = design.spec
    treated = int(design.treated.sum())
    pools = [("comparison", spec.comparison.where, spec.comparison.later_treated)]
    pools += [
        (f"robustness.pools[{i}]", p.where, p.later_treated) for i, p in enumerate(spec.robustness.pools)
    ]
    last_stack = int(design.stacks.max())
    for field, where, later in pools:
        pool = design.pool(where, later)
        usable = design.candidates(pool, later, int(design.stacks.min())) | design.candidates(
            pool, later, last_stack
        )
        size = int(usable.sum())
        needed = treated * spec.matching.ratio
        if size == 0:
            issues.append(Issue(field, "the comparison pool is empty: no eligible person who was not helped"))
        elif not spec.matching.replacement and size < needed:
            per = f" × ratio {spec.matching.ratio}" if spec.matching.ratio > 1 else ""
            issues.append(
                Issue(
                    field,
                    f"the comparison pool has {size:,} people, fewer than the {treated:,} treated{per}; "
                    "matching without replacement (matching.replacement: false) needs at least "
                    f"{needed:,}: widen the pool or match with replacement",
                )
            )


def pre_period_features(design: Design, stack: int) -> dict[str, FloatArray]:
    """Pre-period outcome level and its last months, per person, for a start in column `stack`."""
    pre = design.spec.pre_months
    recent = min(RECENT_MONTHS, pre)
    return {
        f"{design.spec.label}, pre-period monthly mean": design.window_mean(stack - pre, stack),
        f"{design.spec.label}, last {recent} pre-period months": design.window_mean(stack - recent, stack),
    }
