"""The numeric inputs of a model, by key path: central values, distributions, valid ranges, draws."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from homeward.engines.cba.grades import grade_table
from homeward.engines.cba.schema import (
    Beta,
    Issue,
    Model,
    ModelError,
    Normal,
    Triangular,
    Uniform,
    _Dist,
)

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Input:
    """One numeric input: `path` as in the model file, e.g. `outcomes[0].unit_value`."""

    path: str
    label: str
    base: float
    lo: float
    hi: float
    dist: _Dist | None = None
    #: Where an outcome's optimism bias came from: "explicit" or "grade N".
    origin: str | None = None


def _value(q: float | _Dist) -> tuple[float, _Dist | None]:
    if isinstance(q, float | int):
        return float(q), None
    return q.central(), q


def resolve_optimism_bias(
    model: Model, overrides: Mapping[int, float] | None = None
) -> list[tuple[float | _Dist, str]]:
    """Each outcome's optimism bias (value or distribution) and its origin, or `ModelError`."""
    table = grade_table(model.confidence_grade_table or None)
    if overrides:
        table.update(overrides)
    resolved: list[tuple[float | _Dist, str]] = []
    issues = []
    for i, outcome in enumerate(model.outcomes):
        if outcome.optimism_bias is not None:
            resolved.append((outcome.optimism_bias, "explicit"))
        elif outcome.confidence_grade is not None and outcome.confidence_grade in table:
            resolved.append((float(table[outcome.confidence_grade]), f"grade {outcome.confidence_grade}"))
        else:
            issues.append(
                Issue(
                    f"outcomes[{i}].confidence_grade",
                    f"no sourced optimism-bias default for grade {outcome.confidence_grade}; give "
                    f"outcomes[{i}].optimism_bias or a confidence_grade_table entry for it",
                )
            )
    if issues:
        raise ModelError(issues)
    return resolved


def model_inputs(model: Model, grade_overrides: Mapping[int, float] | None = None) -> list[Input]:
    """Every numeric input of `model` that appraisal, Monte Carlo and sensitivity vary."""
    inputs: list[Input] = []

    def add(path: str, label: str, q: float | _Dist, lo: float, hi: float, origin: str | None = None) -> None:
        base, dist = _value(q)
        inputs.append(Input(path, label, base, lo, hi, dist, origin))

    add("discount_rate", "Discount rate", model.discount_rate, 0.0, 1.0)
    for i, c in enumerate(model.costs):
        name = f"{c.name} (year {c.year})" if c.name else f"cost in year {c.year}"
        add(f"costs[{i}].amount", f"{name}: amount", c.amount, 0.0, math.inf)
        add(f"costs[{i}].optimism_bias", f"{name}: optimism bias uplift", c.optimism_bias, 0.0, 10.0)
    for i, h in enumerate(model.cohorts):
        add(
            f"cohorts[{i}].participants", f"Cohort year {h.year}: participants", h.participants, 0.0, math.inf
        )
    biases = resolve_optimism_bias(model, grade_overrides)
    for i, o in enumerate(model.outcomes):
        p = f"outcomes[{i}]"
        add(f"{p}.engagement_rate", f"{o.name}: engagement rate", o.engagement_rate, 0.0, 1.0)
        add(f"{p}.success_rate", f"{o.name}: success rate", o.success_rate, 0.0, 1.0)
        add(f"{p}.deadweight", f"{o.name}: deadweight", o.deadweight, 0.0, 1.0)
        add(f"{p}.attribution", f"{o.name}: attribution", o.attribution, 0.0, 1.0)
        add(f"{p}.unit_value", f"{o.name}: unit value", o.unit_value, 0.0, math.inf)
        ob, origin = biases[i]
        add(f"{p}.optimism_bias", f"{o.name}: optimism bias", ob, 0.0, 1.0, origin)
        add(f"{p}.drop_off", f"{o.name}: drop-off", o.drop_off, 0.0, 1.0)
    return inputs


def central_values(inputs: list[Input], draws: int = 1) -> dict[str, Array]:
    """Each input's central value repeated `draws` times."""
    return {inp.path: np.full(draws, inp.base) for inp in inputs}


def sample(inputs: list[Input], draws: int, rng: np.random.Generator) -> dict[str, Array]:
    """`draws` joint draws (independent across inputs); fixed inputs are repeated."""
    out: dict[str, Array] = {}
    for inp in inputs:
        d = inp.dist
        if d is None:
            out[inp.path] = np.full(draws, inp.base)
            continue
        if isinstance(d, Triangular):
            x = np.full(draws, d.min) if d.min == d.max else rng.triangular(d.min, d.mode, d.max, draws)
        elif isinstance(d, Normal):
            # The only unbounded family: clip to its own min/max, then to the input's valid range.
            lo, hi = d.support()
            x = np.clip(rng.normal(d.mean_, d.sd, draws), max(lo, inp.lo), min(hi, inp.hi))
        elif isinstance(d, Beta):
            x = d.min + (d.max - d.min) * rng.beta(d.alpha, d.beta, draws)
        elif isinstance(d, Uniform):
            x = rng.uniform(d.min, d.max, draws)
        else:  # pragma: no cover - the schema admits only the four above
            raise TypeError(f"unknown distribution {d!r}")
        # Bounded families were checked at load to lie within the input's valid range.
        out[inp.path] = np.asarray(x, dtype=np.float64)
    return out
