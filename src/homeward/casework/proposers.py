"""Business-case proposers: a registry each module that can evidence outcomes adds to, and the confidence
grades and distributions proposals use. `outcomes.business_case` builds a case from a proposal.

A proposer takes (actor, period start, period end, price year) and returns a `Proposal`: yearly
participants, outcomes with observed volumes and rates, unit values from the unit-cost database and, for
each input, what the figure rests on. Counts and rates only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Share of an observed figure's evidence needed for each grade; Homeward's rule, see docs/business-cases.md.
MIN_SAMPLE = 30
LARGE_SAMPLE = 100


@dataclass
class Proposal:
    """What a module proposes for a business case: yearly participants, outcomes, and the evidence."""

    participants_per_year: float
    participants_note: str
    outcomes: list[dict[str, Any]]
    #: input path (as in the model) → {"text": what it rests on, "kind": observed|unit cost|assumption}
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)


Proposer = Callable[[Any, dt.date, dt.date, int], Proposal]
_PROPOSERS: dict[str, tuple[str, Proposer]] = {}


def register_proposer(key: str, title: str, proposer: Proposer) -> None:
    _PROPOSERS[key] = (title, proposer)


def services() -> list[tuple[str, str]]:
    """(key, title) of every registered proposer, by title."""
    return sorted(((key, title) for key, (title, _) in _PROPOSERS.items()), key=lambda kv: kv[1])


def proposer(key: str) -> tuple[str, Proposer] | None:
    """The title and proposer registered under `key`, or None."""
    return _PROPOSERS.get(key)


def grade_for_difference(n_before: int, n_after: int, low: float, high: float) -> int:
    """Confidence grade of a before/after difference in local monitoring data (no control group)."""
    if min(n_before, n_after) < MIN_SAMPLE:
        return 6
    return 4 if low > 0 or high < 0 else 5


def grade_for_rate(n: int) -> int:
    """Confidence grade of a rate observed in local monitoring data."""
    return 3 if n >= LARGE_SAMPLE else 4 if n >= MIN_SAMPLE else 6


def spread(point: float, low: float, high: float, floor: float = 0.0, ceiling: float = math.inf) -> Any:
    """A triangular distribution over a 95% interval (clipped to the valid range), or the point if flat."""
    lo, hi = max(floor, min(low, point)), min(ceiling, max(high, point))
    point = min(max(point, floor), ceiling)
    if hi - lo < 1e-12:
        return point
    return {"dist": "triangular", "min": lo, "mode": point, "max": hi, "value": point}
