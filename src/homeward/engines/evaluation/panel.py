"""The matched panel: each matched set's people over the same window of months around its start.

Every unit (a treated person, or one use of a comparison person) is observed for `pre` months before
its set's start and `post` from it, so the panel is balanced within each start month ("stack"). That is
what makes the fixed-effects transformation below exact in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from homeward.engines.evaluation.design import BoolArray, Design, FloatArray, IntArray
from homeward.engines.evaluation.matching import Matching


@dataclass(frozen=True)
class MatchedPanel:
    """Units sorted by stack. Column j of `y` is event month j − pre (month 0 is the start month)."""

    y: FloatArray  # units × (pre + post)
    treated: BoolArray
    stack: IntArray  # start column of the unit's set (non-decreasing)
    person: IntArray  # the person (row of the people data): the cluster
    pre: int
    first_month: int  # month number of design column 0, for calendar months

    @property
    def width(self) -> int:
        return int(self.y.shape[1])

    @property
    def post(self) -> IntArray:
        return (np.arange(self.width) >= self.pre).astype(np.int64)

    def stack_bounds(self) -> tuple[IntArray, IntArray]:
        """Start offsets of each stack's units and their counts."""
        _, first, counts = np.unique(self.stack, return_index=True, return_counts=True)
        return first.astype(np.int64), counts.astype(np.int64)

    def fe_rank(self) -> int:
        """Rank of unit + (stack × month) dummies: units + stacks × width − stacks."""
        return int(self.y.shape[0]) + self.counted_effects()

    def counted_effects(self) -> int:
        """Fixed effects the small-sample correction counts: the stack × month effects left once the unit
        effects, which are nested in the person clusters, are absorbed (stacks × width − stacks)."""
        stacks = int(np.unique(self.stack).size)
        return stacks * self.width - stacks

    def long(self) -> pl.DataFrame:
        """One row per unit and month: unit, person, stack, cell (stack × month), event_month,
        month (calendar, months since year 0), treated, post, did (treated × post) and y."""
        units, width = self.y.shape
        unit = np.repeat(np.arange(units), width)
        j = np.tile(np.arange(width), units)
        stack = self.stack[unit]
        return pl.DataFrame(
            {
                "unit": unit,
                "person": self.person[unit],
                "stack": stack,
                "cell": stack * width + j,
                "event_month": j - self.pre,
                "month": stack + j - self.pre + self.first_month,
                "treated": self.treated[unit].astype(np.int8),
                "post": (j >= self.pre).astype(np.int8),
                "did": (self.treated[unit] & (j >= self.pre)).astype(np.float64),
                "y": self.y.ravel(),
            }
        )


def build_panel(design: Design, matching: Matching, outcome: FloatArray | None = None) -> MatchedPanel:
    """The matched panel of `matching` (optionally over another outcome matrix, e.g. a capped one)."""
    values = design.outcome if outcome is None else outcome
    pre, post = design.spec.pre_months, design.spec.post_months
    cols = (matching.unit_stack - pre)[:, None] + np.arange(pre + post)[None, :]
    order = np.argsort(matching.unit_stack, kind="stable")
    return MatchedPanel(
        y=values[matching.unit_person[order][:, None], cols[order]],
        treated=matching.unit_treated[order],
        stack=matching.unit_stack[order],
        person=matching.unit_person[order],
        pre=pre,
        first_month=design.first_month,
    )


def treated_panel(design: Design, outcome: FloatArray | None = None) -> MatchedPanel:
    """All treated people over their windows, with no comparison (for before/after)."""
    values = design.outcome if outcome is None else outcome
    pre, post = design.spec.pre_months, design.spec.post_months
    people = np.flatnonzero(design.treated)
    starts = design.start[people]
    order = np.argsort(starts, kind="stable")
    people, starts = people[order], starts[order]
    cols = (starts - pre)[:, None] + np.arange(pre + post)[None, :]
    return MatchedPanel(
        y=values[people[:, None], cols],
        treated=np.ones(people.size, dtype=bool),
        stack=starts.astype(np.int64),
        person=people.astype(np.int64),
        pre=pre,
        first_month=design.first_month,
    )


def placebo_panel(panel: MatchedPanel, months: int) -> MatchedPanel:
    """The pre-period only, with a fake start `months` before the real one (an in-time placebo)."""
    return MatchedPanel(
        y=np.ascontiguousarray(panel.y[:, : panel.pre]),
        treated=panel.treated,
        stack=panel.stack,
        person=panel.person,
        pre=panel.pre - months,
        first_month=panel.first_month,
    )


def within(z: FloatArray, panel: MatchedPanel) -> FloatArray:
    """Remove unit and stack × month means from a units × months array: z − z̄_unit − z̄_cell + z̄_stack.

    By Frisch–Waugh–Lovell, OLS of the transformed outcome on transformed regressors gives the same
    coefficients and residuals as OLS with every unit and stack × month dummy, exactly, because the
    panel is balanced within each stack (units nested in stacks)."""
    first, counts = panel.stack_bounds()
    unit_mean = z.mean(axis=1, keepdims=True)
    cell_mean = np.add.reduceat(z, first, axis=0) / counts[:, None]
    stack_mean = cell_mean.mean(axis=1, keepdims=True)
    index = np.repeat(np.arange(first.size), counts)
    out: FloatArray = z - unit_mean - cell_mean[index] + stack_mean[index]
    return out


def within_unit(z: FloatArray) -> FloatArray:
    """Remove unit means only (person fixed effects, no month effects): the before/after model."""
    out: FloatArray = z - z.mean(axis=1, keepdims=True)
    return out
