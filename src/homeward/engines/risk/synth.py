"""Synthetic housing extracts with planted ground truth (vectorised: 10M events in seconds).

A known subset of tenancies develops each pattern in the weeks before `as_of`; outcomes in the
following 180 days are drawn with a probability that depends on the pattern. Each planted tenancy has a
severity in [0, 1]: more severe cases show the pattern more strongly (more calls, more weeks of
arrears) and end badly more often, a dose-response that fixed rule thresholds cannot see. Decoys
look alarming to simple rules but rarely end badly (a tenant chasing a repair; a neighbour-noise
complainant ringing at night; long-standing managed arrears).
Protected attributes are drawn independently of every pattern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from homeward.engines.risk.schema import AGE_BANDS
from homeward.engines.risk.synth_events import (
    HISTORY_DAYS,
    Population,
    as_dates,
    make_asb_and_concerns,
    make_contacts,
    make_repairs,
)
from homeward.engines.risk.synth_rent import make_rent

EPOCH = date(1970, 1, 1)
OUTCOME_HORIZON_DAYS = 180
SHARES = {"contacts": 0.40, "rent": 0.40, "repairs": 0.12, "asb": 0.04, "concerns": 0.04}

# Pattern: (share of tenancies, chance of an outcome within the horizon at full severity, outcome).
# Chance = 0.1 + (full - 0.1) * severity for real patterns; decoys have a flat chance.
PATTERNS: dict[str, tuple[float, float, str]] = {
    "contact_surge": (0.015, 0.90, "hospital_admission"),
    "gone_quiet": (0.010, 0.85, "hospital_admission"),
    "first_arrears": (0.015, 0.80, "tenancy_failure"),
    "no_access_damp": (0.010, 0.80, "hospital_admission"),
    "distress_notes": (0.015, 0.90, "hospital_admission"),
    "safeguarding": (0.005, 0.95, "safeguarding_referral"),
    "repair_chaser": (0.020, 0.04, "tenancy_failure"),  # decoy
    "noise_complainant": (0.015, 0.04, "tenancy_failure"),  # decoy
}
DECOYS = ("repair_chaser", "noise_complainant")
BACKGROUND_OUTCOME = 0.015
CHRONIC_ARREARS_OUTCOME = 0.06


@dataclass
class SyntheticSet:
    as_of: date
    tables: dict[str, pl.DataFrame]  # tenancies, contacts, repairs, rent, asb, concerns, outcomes
    planted: pl.DataFrame  # tenancy_ref, pattern

    def write(self, directory: Path, *, fmt: str = "parquet") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, frame in {**self.tables, "planted": self.planted}.items():
            if fmt == "csv":
                frame.write_csv(directory / f"{name}.csv", datetime_format="%Y-%m-%d %H:%M:%S")
            else:
                frame.write_parquet(directory / f"{name}.parquet", row_group_size=256_000)
        manifest = {
            "as_of": self.as_of.isoformat(),
            "outcome_horizon_days": OUTCOME_HORIZON_DAYS,
            "rows": {k: v.height for k, v in self.tables.items()},
            "patterns": {k: {"share": s, "outcome_chance": p} for k, (s, p, _) in PATTERNS.items()},
        }
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def generate(
    n_tenancies: int, n_events: int, *, seed: int = 8, as_of: date = date(2026, 9, 30)
) -> SyntheticSet:
    """Tenancies and about `n_events` events (contacts, rent weeks, repairs, ASB, concerns)."""
    rng = np.random.default_rng(seed)
    n = n_tenancies
    end = (as_of - EPOCH).days + 1  # day number of the first day after the window
    hist = end - HISTORY_DAYS
    budget = {k: int(round(n_events * s)) for k, s in SHARES.items()}

    # Tenancies and their (disjoint) planted patterns.
    order = rng.permutation(n)
    pattern = np.full(n, "", dtype=object)
    at = 0
    members: dict[str, np.ndarray] = {}
    for name, (share, _, _) in PATTERNS.items():
        count = max(1, int(round(n * share)))
        members[name] = np.sort(order[at : at + count])
        pattern[members[name]] = name
        at += count
    severity = rng.random(n)
    sev = {name: severity[m] for name, m in members.items()}
    start = end - rng.integers(60, 20 * 365, n)
    long_history = np.isin(pattern, ["gone_quiet", "first_arrears"])
    start[long_history] = np.minimum(
        start[long_history], end - 4 * 365 - rng.integers(0, 3000, long_history.sum())
    )
    active_from = np.maximum(start, hist)
    ref = "T" + pl.Series(np.arange(n)).cast(pl.String).str.zfill(7)
    tenancies = pl.DataFrame(
        {
            "tenancy_ref": ref,
            "start_date": as_dates(start),
            "end_date": pl.Series([None] * n, dtype=pl.Date),
            "uprn": (pl.Series(10_000_000 + np.arange(n) * 7).cast(pl.String)),
            "age_band": rng.choice(np.array(AGE_BANDS), n, p=[0.08, 0.17, 0.27, 0.24, 0.14, 0.10]),
            "disability": rng.choice(np.array(["yes", "no", ""], dtype=object), n, p=[0.25, 0.6, 0.15]),
            "ethnicity": rng.choice(
                np.array(["white", "mixed", "asian", "black", "other", ""], dtype=object),
                n,
                p=[0.72, 0.04, 0.09, 0.07, 0.03, 0.05],
            ),
        }
    ).with_columns(pl.col("disability", "ethnicity").replace("", None))

    pop = Population(rng, n, end, hist, as_of, start, active_from, pattern, members, sev, ref, budget)
    contacts = make_contacts(pop)
    repairs = make_repairs(pop)
    asb, concerns = make_asb_and_concerns(pop)
    other = contacts.height + repairs.height + asb.height + concerns.height
    rent, chronic = make_rent(pop, n_events=n_events, other_rows=other)

    # ---- outcomes in the horizon after as_of -------------------------------------------------------
    chance = np.full(n, BACKGROUND_OUTCOME)
    kind = np.full(n, "tenancy_failure", dtype=object)
    chance[chronic] = CHRONIC_ARREARS_OUTCOME
    for name, (_, p, outcome) in PATTERNS.items():
        chance[members[name]] = p if name in DECOYS else 0.1 + (p - 0.1) * sev[name]
        kind[members[name]] = outcome
    background = pattern == ""
    kind[background] = rng.choice(
        np.array(list(dict.fromkeys(x[2] for x in PATTERNS.values()))), background.sum()
    )
    hit = np.flatnonzero(rng.random(n) < chance)
    outcomes = pl.DataFrame(
        {
            "tenancy_ref": ref.gather(pl.Series(hit)),
            "outcome": kind[hit].astype(str),
            "occurred_on": as_dates(end + rng.integers(0, OUTCOME_HORIZON_DAYS, hit.size)),
        }
    )
    planted_idx = np.flatnonzero(pattern != "")
    planted = pl.DataFrame(
        {"tenancy_ref": ref.gather(pl.Series(planted_idx)), "pattern": pattern[planted_idx].astype(str)}
    )
    tables = {
        "tenancies": tenancies,
        "contacts": contacts,
        "repairs": repairs,
        "rent": rent,
        "asb": asb,
        "concerns": concerns,
        "outcomes": outcomes,
    }
    return SyntheticSet(as_of, tables, planted)


def as_of_of(directory: Path) -> date | None:
    """The `as_of` date recorded by `write` in a synthetic set's manifest, if any."""
    path = directory / "manifest.json"
    if not path.exists():
        return None
    return date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["as_of"])


def horizon_end(as_of: date) -> date:
    return as_of + timedelta(days=OUTCOME_HORIZON_DAYS)
