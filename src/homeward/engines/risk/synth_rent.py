"""Rent weeks for the synthetic set: first arrears for the planted, chronic arrears and background spells.

Vectorised NumPy, drawing from the population's random generator after the other event tables (see
`synth_events`), so a seed always gives the same extracts. Used by `synth.generate`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from homeward.engines.risk.synth_events import Population, as_dates


def make_rent(pop: Population, *, n_events: int, other_rows: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Rent weeks in arrears (clear weeks left out) up to the event budget; the chronic-arrears tenancies."""
    rng, end, start, pattern, members, sev, ref, budget = (
        pop.rng,
        pop.end,
        pop.start,
        pop.pattern,
        pop.members,
        pop.sev,
        pop.ref,
        pop.budget,
    )
    monday = end - ((end + 3) % 7) - 7  # last full rent week starting on a Monday
    rows_t, rows_w, rows_b = [], [], []
    m = members["first_arrears"]
    k = 2 + np.round(sev["first_arrears"] * 9).astype(np.int64)
    t = np.repeat(m, k)
    week_no = _countdown(k)
    growth = np.repeat(rng.uniform(60, 100, m.size) + 80 * sev["first_arrears"], k)
    rows_t.append(t)
    rows_w.append(np.repeat(monday, t.size) - 7 * week_no)
    rows_b.append(np.round((np.repeat(k, k) - week_no) * growth, 2))
    free = np.flatnonzero(pattern == "")
    budget["rent"] = max(0, n_events - other_rows)
    remaining = max(0, budget["rent"] - t.size)
    n_chronic = min(free.size // 4, int(remaining * 0.6 / 157))
    chronic = rng.choice(free, n_chronic, replace=False)
    weeks = 157
    t = np.repeat(chronic, weeks)
    offsets = np.tile(np.arange(weeks), n_chronic)
    walk = np.cumsum(rng.normal(0, 40, (n_chronic, weeks)), axis=1) + rng.uniform(200, 1500, (n_chronic, 1))
    rows_t.append(t)
    rows_w.append(monday - 7 * offsets)
    rows_b.append(np.round(np.clip(walk, 5, None).ravel(), 2))
    rest = np.setdiff1d(free, chronic)
    short = max(0, budget["rent"] - sum(x.size for x in rows_t))
    n_spells = min(rest.size, short // 8)  # spells average 12 weeks; extra weeks are trimmed below
    spell_t = rng.choice(rest, n_spells, replace=False)
    length = rng.integers(4, 21, n_spells)
    spell_end = monday - 7 * rng.integers(20, 150, n_spells)
    t = np.repeat(spell_t, length)
    back = _countdown(length)
    rows_t.append(t)
    rows_w.append(np.repeat(spell_end, length) - 7 * back)
    rows_b.append(np.round(rng.uniform(20, 400, t.size), 2))
    rt, rw, rb = np.concatenate(rows_t), np.concatenate(rows_w), np.concatenate(rows_b)
    ok = rw >= start[rt]
    ok &= np.cumsum(ok) <= budget["rent"]  # spells come last, so only background spells are trimmed
    rent = (
        pl.DataFrame({"_t": rt[ok], "week_start": as_dates(rw[ok]), "balance": rb[ok]})
        .with_columns(ref.gather(pl.Series(rt[ok])).alias("tenancy_ref"))
        .sort("_t", "week_start")
        .select("tenancy_ref", "week_start", "balance")
    )
    return rent, chronic


def _countdown(lengths: np.ndarray) -> np.ndarray:
    """For groups of the given lengths, each row's weeks-before-the-last: [2, 3] -> [1, 0, 2, 1, 0]."""
    lengths = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.repeat(ends, lengths) - 1 - np.arange(int(ends[-1]) if lengths.size else 0)
