"""Event tables for the synthetic set: contacts, repairs, ASB reports and concerns (rent: `synth_rent`).

Vectorised NumPy. Each function draws from the population's random generator in a fixed order, so
a seed always gives the same extracts. Used by `synth.generate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

DAY_US = 86_400_000_000
HISTORY_DAYS = 1095

NEUTRAL_NOTES = np.array(
    [
        "asked about repair appointment",
        "reported boiler making noise",
        "query about rent statement",
        "wants to pay by direct debit",
        "asked for bulky waste collection",
        "reported broken gate",
        "change of contact number",
        "asked about parking permit",
        "neighbour's dog barking",
        "reported blocked fall pipe",  # lexicon false positive: a fall pipe is a drainpipe
        "asked about hospital parking near the estate",  # lexicon false positive
        "thanked the team for the new kitchen",
    ]
)
NEUTRAL_P = np.array([0.16, 0.12, 0.12, 0.1, 0.1, 0.1, 0.1, 0.08, 0.06, 0.02, 0.02, 0.02])
DISTRESS_NOTES = {
    "bereavement": "tenant said her husband passed away last month",
    "hospital": "recently discharged from hospital, living alone",
    "fall": "had a fall in the kitchen, couldn't get up for hours",
    "confusion": "seemed confused, repeated the same question several times",
    "self_harm": "said they want to end it all",
}
CANT_COPE_NOTES = np.array(["tenant says they can't cope", "struggling with everything at the moment"])
CHASER_NOTES = np.array(["chasing repair job", "asked when the operative is coming", "chasing leak repair"])


@dataclass
class Population:
    """The tenancies and planted patterns every event table is drawn for (day numbers since 1970)."""

    rng: np.random.Generator
    n: int
    end: int  # first day after the window
    hist: int  # first day of the 3-year history
    as_of: date
    start: np.ndarray
    active_from: np.ndarray
    pattern: np.ndarray
    members: dict[str, np.ndarray]
    sev: dict[str, np.ndarray]
    ref: pl.Series
    budget: dict[str, int]


def as_dates(day: np.ndarray) -> pl.Series:
    return pl.Series(day.astype(np.int32)).cast(pl.Date)


def _times(rng: np.random.Generator, day: np.ndarray, office: float) -> np.ndarray:
    """Microsecond timestamps on `day`: mostly weekday office hours, the rest at any hour."""
    in_office = rng.random(day.size) < office
    dow = (day + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    day = np.where(in_office & (dow >= 5), day - (dow - 4), day)
    secs = np.where(in_office, rng.integers(9 * 3600, 17 * 3600, day.size), rng.integers(0, 86_400, day.size))
    return day.astype(np.int64) * DAY_US + secs.astype(np.int64) * 1_000_000


def make_contacts(pop: Population) -> pl.DataFrame:
    """Background contacts at each tenancy's own rate, plus surges, silences, distress and decoys."""
    rng, n, end, active_from, pattern, members, sev, ref, budget = (
        pop.rng,
        pop.n,
        pop.end,
        pop.active_from,
        pop.pattern,
        pop.members,
        pop.sev,
        pop.ref,
        pop.budget,
    )
    parts: list[dict[str, np.ndarray]] = []

    def add_contacts(t: np.ndarray, when: np.ndarray, category: np.ndarray, note: np.ndarray) -> None:
        channel = rng.choice(np.array(["phone", "email", "web", "visit"]), t.size, p=[0.7, 0.12, 0.13, 0.05])
        parts.append({"t": t, "at": when, "category": category, "note": note, "channel": channel})

    def notes_for(k: int, chance: float) -> np.ndarray:
        note = rng.choice(NEUTRAL_NOTES, k, p=NEUTRAL_P).astype(object)
        note[rng.random(k) >= chance] = None
        return note

    cats = np.array(["repairs", "rent", "asb", "tenancy", "wellbeing", "complaint", "general"])
    cat_p = [0.38, 0.2, 0.06, 0.1, 0.04, 0.07, 0.15]
    planted_rows = 0
    # contact surge: 3-6 contacts within 5-14 days, ending in the last 3 weeks
    for name, cat_pool, note_pool in (
        ("contact_surge", np.array(["wellbeing", "general", "tenancy"]), CANT_COPE_NOTES),
        ("repair_chaser", np.array(["repairs"]), CHASER_NOTES),
    ):
        m = members[name]
        k = (
            3 + np.round(sev[name] * 4).astype(np.int64)
            if name == "contact_surge"
            else rng.integers(3, 7, m.size)
        )
        t = np.repeat(m, k)
        last = end - 1 - rng.integers(0, 21, m.size)
        span = rng.integers(5, 15, m.size)
        day = np.repeat(last, k) - (rng.random(t.size) * np.repeat(span, k)).astype(np.int64)
        office = 0.6 if name == "contact_surge" else 0.95
        note = rng.choice(note_pool, t.size).astype(object)
        if name == "contact_surge":
            note[rng.random(t.size) < 0.6] = None
        add_contacts(t, _times(rng, day, office), rng.choice(cat_pool, t.size), note)
        planted_rows += t.size
    # gone quiet: about 3 a month from a year ago until 90-150 days ago, then nothing
    m = members["gone_quiet"]
    stop = end - rng.integers(95, 150, m.size)
    k = 14 + np.round(sev["gone_quiet"] * 20).astype(np.int64)
    t = np.repeat(m, k)
    lo = end - 365
    day = lo + (rng.random(t.size) * (np.repeat(stop, k) - lo)).astype(np.int64)
    add_contacts(t, _times(rng, day, 0.9), rng.choice(cats, t.size, p=cat_p), notes_for(t.size, 0.5))
    planted_rows += t.size
    # distress in call notes: 2-3 contacts in the last 80 days
    m = members["distress_notes"]
    kinds = rng.choice(np.array(list(DISTRESS_NOTES)), m.size, p=[0.25, 0.25, 0.2, 0.2, 0.1])
    k = 1 + np.round(sev["distress_notes"] * 3).astype(np.int64)
    t = np.repeat(m, k)
    day = end - 1 - rng.integers(0, 80, t.size)
    note = np.array([DISTRESS_NOTES[x] for x in kinds], dtype=object)[np.repeat(np.arange(m.size), k)]
    add_contacts(t, _times(rng, day, 0.85), rng.choice(np.array(["wellbeing", "general"]), t.size), note)
    planted_rows += t.size
    # noise complainant (decoy): 3-6 calls about neighbours in the last month, mostly at night
    m = members["noise_complainant"]
    k = rng.integers(3, 7, m.size)
    t = np.repeat(m, k)
    day = end - 1 - rng.integers(0, 30, t.size)
    note = np.full(t.size, "reported noise from upstairs flat at night", dtype=object)
    add_contacts(t, _times(rng, day, 0.2), np.full(t.size, "asb"), note)
    planted_rows += t.size
    # background: each tenancy contacts at its own rate
    n_bg = max(0, budget["contacts"] - planted_rows)
    weight = rng.gamma(0.8, 1.0, n) * (end - active_from)
    t = rng.choice(n, n_bg, p=weight / weight.sum())
    day = active_from[t] + (rng.random(n_bg) * (end - active_from[t])).astype(np.int64)
    keep = ~((pattern[t] == "gone_quiet") & (day >= end - 150))
    keep &= ~(
        np.isin(pattern[t], ["contact_surge", "noise_complainant"]) & (day >= end - 45)
    )  # surge is against a quiet baseline
    t, day = t[keep], day[keep]
    add_contacts(t, _times(rng, day, 0.93), rng.choice(cats, t.size, p=cat_p), notes_for(t.size, 0.5))
    contacts = _frame_contacts(parts, ref)
    return contacts


def make_repairs(pop: Population) -> pl.DataFrame:
    """Background repairs, plus repeated no-access visits and damp reports for the planted."""
    rng, n, end, as_of, active_from, members, sev, ref, budget = (
        pop.rng,
        pop.n,
        pop.end,
        pop.as_of,
        pop.active_from,
        pop.members,
        pop.sev,
        pop.ref,
        pop.budget,
    )
    m = members["no_access_damp"]
    k = 1 + np.round(sev["no_access_damp"] * 3).astype(np.int64)
    pt = np.repeat(m, k)
    pday = end - 1 - rng.integers(0, 85, pt.size)
    pcat = np.full(pt.size, "general", dtype=object)
    pna = np.ones(pt.size, dtype=bool)
    damp = m[rng.random(m.size) < 0.7]
    n_bg = max(0, budget["repairs"] - pt.size - damp.size)
    bt = rng.integers(0, n, n_bg)
    bday = active_from[bt] + (rng.random(n_bg) * (end - active_from[bt])).astype(np.int64)
    bcat = rng.choice(
        np.array(
            ["general", "heating", "plumbing", "electrical", "damp_mould", "structural", "other"],
            dtype=object,
        ),
        n_bg,
        p=[0.35, 0.15, 0.2, 0.1, 0.04, 0.06, 0.1],
    )
    rt = np.concatenate([pt, damp, bt])
    rday = np.concatenate([pday, end - 1 - rng.integers(0, 300, damp.size), bday])
    rcat = np.concatenate([pcat, np.full(damp.size, "damp_mould", dtype=object), bcat])
    rna = np.concatenate([pna, np.zeros(damp.size, bool), rng.random(n_bg) < 0.03])
    appt = rday + rng.integers(1, 20, rt.size)
    done = appt + rng.integers(0, 6, rt.size)
    repairs = (
        pl.DataFrame(
            {
                "_t": rt,
                "repair_ref": "R" + pl.Series(np.arange(rt.size)).cast(pl.String).str.zfill(9),
                "reported_on": as_dates(rday),
                "category": rcat.astype(str),
                "appointment_at": pl.Series(_times(rng, appt, 1.0)).cast(pl.Datetime("us")),
                "no_access": rna,
                "completed_on": as_dates(done),
            }
        )
        .with_columns(
            pl.when(pl.col("no_access") | (pl.col("completed_on") >= as_of))
            .then(None)
            .otherwise(pl.col("completed_on"))
            .alias("completed_on"),
            ref.gather(pl.Series(rt)).alias("tenancy_ref"),
        )
        .sort("_t", "reported_on")
        .select(
            "repair_ref",
            "tenancy_ref",
            "reported_on",
            "category",
            "appointment_at",
            "no_access",
            "completed_on",
        )
    )
    return repairs


def make_asb_and_concerns(pop: Population) -> tuple[pl.DataFrame, pl.DataFrame]:
    """ASB reports and frontline concerns, including safeguarding concerns and noise complainants."""
    rng, n, end, hist, start, members, sev, ref, budget = (
        pop.rng,
        pop.n,
        pop.end,
        pop.hist,
        pop.start,
        pop.members,
        pop.sev,
        pop.ref,
        pop.budget,
    )
    m = members["safeguarding"]
    noise = members["noise_complainant"]
    asb_planted = np.concatenate(
        [m[rng.random(m.size) < sev["safeguarding"]], noise, noise[rng.random(noise.size) < 0.5]]
    )
    n_bg = max(0, budget["asb"] - asb_planted.size)
    at_ = np.concatenate([asb_planted, rng.integers(0, n, n_bg)])
    aday = np.concatenate(
        [end - 1 - rng.integers(0, 60, asb_planted.size), hist + rng.integers(0, HISTORY_DAYS, n_bg)]
    )
    role = rng.choice(np.array(["complainant", "subject", "witness"]), at_.size, p=[0.5, 0.35, 0.15])
    role[np.isin(at_, noise)] = "complainant"
    aok = aday >= start[at_]
    at_, aday, role = at_[aok], aday[aok], role[aok]
    asb = (
        pl.DataFrame(
            {
                "_t": at_,
                "asb_ref": "A" + pl.Series(np.arange(at_.size)).cast(pl.String).str.zfill(9),
                "reported_on": as_dates(aday),
                "role": role,
                "category": rng.choice(
                    np.array(["noise", "harassment", "drugs", "violence", "other"]), at_.size
                ),
            }
        )
        .with_columns(ref.gather(pl.Series(at_)).alias("tenancy_ref"))
        .sort("_t", "reported_on")
        .select("asb_ref", "tenancy_ref", "reported_on", "role", "category")
    )
    m = np.concatenate([m, m[sev["safeguarding"] > 0.5]])
    n_bg = max(0, budget["concerns"] - m.size)
    ct = np.concatenate([m, rng.integers(0, n, n_bg)])
    cday = np.concatenate([end - 1 - rng.integers(0, 60, m.size), hist + rng.integers(0, HISTORY_DAYS, n_bg)])
    ccat = np.concatenate(
        [
            rng.choice(np.array(["safeguarding", "domestic_abuse", "self_neglect"]), m.size),
            rng.choice(
                np.array(
                    [
                        "ill_health",
                        "hoarding",
                        "cold_home",
                        "damp_mould",
                        "isolation",
                        "other",
                        "safeguarding",
                    ]
                ),
                n_bg,
                p=[0.2, 0.1, 0.15, 0.2, 0.15, 0.17, 0.03],
            ),
        ]
    )
    cok = cday >= start[ct]
    ct, cday, ccat = ct[cok], cday[cok], ccat[cok]
    concerns = (
        pl.DataFrame(
            {
                "_t": ct,
                "concern_ref": "C" + pl.Series(np.arange(ct.size)).cast(pl.String).str.zfill(9),
                "raised_at": pl.Series(_times(rng, cday, 1.0)).cast(pl.Datetime("us")),
                "category": ccat,
                "urgency": rng.choice(
                    np.array(["routine", "urgent", "immediate"]), ct.size, p=[0.7, 0.25, 0.05]
                ),
            }
        )
        .with_columns(ref.gather(pl.Series(ct)).alias("tenancy_ref"))
        .sort("_t", "raised_at")
        .select("concern_ref", "tenancy_ref", "raised_at", "category", "urgency")
    )
    return asb, concerns


def _frame_contacts(parts: list[dict[str, np.ndarray]], ref: pl.Series) -> pl.DataFrame:
    t = np.concatenate([p["t"] for p in parts])
    frame = pl.DataFrame(
        {
            "_t": t,
            "contacted_at": pl.Series(np.concatenate([p["at"] for p in parts])).cast(pl.Datetime("us")),
            "channel": np.concatenate([p["channel"] for p in parts]).astype(str),
            "category": np.concatenate([p["category"] for p in parts]).astype(str),
            "note": pl.Series(np.concatenate([p["note"] for p in parts]).tolist(), dtype=pl.String),
        }
    )
    return (
        frame.with_columns(ref.gather(pl.Series(t)).alias("tenancy_ref"))
        .unique(subset=["tenancy_ref", "contacted_at", "channel", "category"], keep="first")
        .sort("_t", "contacted_at")
        .select("tenancy_ref", "contacted_at", "channel", "category", "note")
    )
