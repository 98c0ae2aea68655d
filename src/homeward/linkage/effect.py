"""What thresholds would do to a run's pairs, from its histogram of match weights (no truth needed)."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The histogram's bins (as in `runs`): 100 bins of match weight, 0.5 wide, from -20.
WEIGHT_FROM, WEIGHT_STEP = -20.0, 0.5


@dataclass(frozen=True)
class Effect:
    upper: float
    lower: float
    linked: int
    review: int
    dropped: int
    expected_precision: float | None  # the model's own: mean probability of the pairs it would link


def weight_of(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def effect_of(histogram: list[list[float]], upper: float, lower: float) -> Effect:
    """Counts per decision at these thresholds, to the nearest half unit of match weight (the bins)."""
    upper_w, lower_w = weight_of(upper), weight_of(lower)
    linked = review = dropped = 0
    mass = 0.0
    for index, (count, total) in enumerate(histogram):
        start = WEIGHT_FROM + index * WEIGHT_STEP
        n = int(count)
        if start >= upper_w - 1e-9:
            linked += n
            mass += total
        elif start >= lower_w - 1e-9:
            review += n
        else:
            dropped += n
    return Effect(upper, lower, linked, review, dropped, mass / linked if linked else None)


def comparison(histogram: list[list[float]], upper: float, lower: float) -> list[Effect]:
    """The chosen thresholds beside stricter and looser ones, for the agreement's threshold page."""
    options = {(upper, lower), (0.999, lower), (0.99, lower), (0.95, lower), (upper, 0.3), (upper, 0.8)}
    valid = [(u, lo) for u, lo in options if lo < u]
    return [effect_of(histogram, u, lo) for u, lo in sorted(valid, key=lambda t: (-t[0], -t[1]))]
