"""Deterministic sensitivity: a tornado of NPV swings and switching values (NPV = 0).

Both move one input at a time with every other input at its central value, as in the sensitivity
analysis and switching values of the HM Treasury Green Book.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from homeward.engines.cba.inputs import Array, Input, central_values, model_inputs
from homeward.engines.cba.kernel import npv
from homeward.engines.cba.results import Sensitivity, SwitchingValue, Tornado, TornadoBar
from homeward.engines.cba.schema import Model, load_model

#: Search range for inputs with no upper bound (money, participants): up to this multiple of base.
UNBOUNDED_SEARCH_MULTIPLE = 1000.0
BISECTION_STEPS = 200


def _npv_one_at_a_time(model: Model, inputs: list[Input], moved: list[tuple[int, Array]]) -> Array:
    """NPV for rows where input `idx` takes `values[row]` and every other input is central."""
    rows = sum(len(v) for _, v in moved)
    values = central_values(inputs, rows)
    start = 0
    for idx, v in moved:
        values[inputs[idx].path][start : start + len(v)] = v
        start += len(v)
    return npv(model, values)


def tornado(
    model: Model | str | Path | Mapping[str, Any],
    change: float = 0.2,
    grade_table: Mapping[int, float] | None = None,
) -> Tornado:
    """NPV with each input at (1 − change) and (1 + change) × its central value, clipped to its
    valid range; bars sorted by swing, largest first. Inputs whose central value is 0 are left out.
    """
    model = load_model(model)
    inputs = model_inputs(model, grade_table)
    base_npv = float(npv(model, central_values(inputs))[0])
    chosen = [i for i, inp in enumerate(inputs) if inp.base != 0.0]
    moved = []
    for i in chosen:
        inp = inputs[i]
        lo = min(max(inp.base * (1 - change), inp.lo), inp.hi)
        hi = min(max(inp.base * (1 + change), inp.lo), inp.hi)
        moved.append((i, np.array([lo, hi])))
    result = _npv_one_at_a_time(model, inputs, moved) if moved else np.zeros(0)
    bars = []
    for k, (i, v) in enumerate(moved):
        low, high = float(result[2 * k]), float(result[2 * k + 1])
        bars.append(
            TornadoBar(
                path=inputs[i].path,
                label=inputs[i].label,
                base_value=inputs[i].base,
                low_value=float(v[0]),
                high_value=float(v[1]),
                npv_low=low,
                npv_high=high,
                swing=abs(high - low),
            )
        )
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Tornado(base_npv=base_npv, change=change, bars=bars)


def switching_values(
    model: Model | str | Path | Mapping[str, Any], grade_table: Mapping[int, float] | None = None
) -> list[SwitchingValue]:
    """For each input, the value at which NPV = 0 with all others central (bisection, towards the
    end of the input's valid range where NPV changes sign). None where NPV keeps its sign.
    """
    model = load_model(model)
    inputs = model_inputs(model, grade_table)
    base_npv = float(npv(model, central_values(inputs))[0])
    ends = []
    for inp in inputs:
        hi = inp.hi
        if math.isinf(hi):
            hi = max(inp.base, 1.0) * UNBOUNDED_SEARCH_MULTIPLE
        ends.append((inp.lo, hi))
    idx = list(range(len(inputs)))
    f_ends = _npv_one_at_a_time(model, inputs, [(i, np.array(ends[i])) for i in idx])
    out: list[SwitchingValue] = []
    brackets: list[tuple[int, float, float]] = []  # (input, a, b) with sign change between a and b
    notes: dict[int, str] = {}
    for i in idx:
        inp, (lo, hi) = inputs[i], ends[i]
        f_lo, f_hi = float(f_ends[2 * i]), float(f_ends[2 * i + 1])
        if base_npv == 0.0:
            brackets.append((i, inp.base, inp.base))
        elif (f_lo < 0) != (base_npv < 0) or f_lo == 0.0:
            brackets.append((i, lo, inp.base))
        elif (f_hi < 0) != (base_npv < 0) or f_hi == 0.0:
            brackets.append((i, inp.base, hi))
        else:
            sign = "positive" if base_npv > 0 else "negative"
            notes[i] = f"NPV stays {sign} for every value from {lo:g} to {hi:g}"
    found: dict[int, float] = {}
    if brackets:
        a = np.array([b[1] for b in brackets])
        b = np.array([b[2] for b in brackets])
        rows = [b_[0] for b_ in brackets]
        fa = _npv_one_at_a_time(model, inputs, [(r, a[k : k + 1]) for k, r in enumerate(rows)])
        for _ in range(BISECTION_STEPS):
            mid = (a + b) / 2
            fm = _npv_one_at_a_time(model, inputs, [(r, mid[k : k + 1]) for k, r in enumerate(rows)])
            same = (fm < 0) == (fa < 0)
            a = np.where(same, mid, a)
            fa = np.where(same, fm, fa)
            b = np.where(same, b, mid)
        for k, r in enumerate(rows):
            found[r] = float((a[k] + b[k]) / 2)
    for i in idx:
        inp = inputs[i]
        sv = found.get(i)
        out.append(
            SwitchingValue(
                path=inp.path,
                label=inp.label,
                base_value=inp.base,
                switching_value=sv,
                change_from_base=(sv - inp.base) / inp.base if sv is not None and inp.base != 0 else None,
                note=notes.get(i),
            )
        )
    return out


def sensitivity(
    model: Model | str | Path | Mapping[str, Any],
    change: float = 0.2,
    grade_table: Mapping[int, float] | None = None,
) -> Sensitivity:
    """Tornado (±`change`) and switching values together."""
    model = load_model(model)
    return Sensitivity(
        tornado=tornado(model, change, grade_table),
        switching_values=switching_values(model, grade_table),
    )
