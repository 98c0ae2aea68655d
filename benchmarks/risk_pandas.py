"""Reference implementation of the risk features in vectorised pandas (benchmark only).

Same definitions as homeward.engines.risk.features, written the way a pandas user would: boolean
columns, groupby sums/min/max/last, merges and `.str.contains`. No per-row Python loops.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from homeward.engines.risk.features import (
    FLOAT_FEATURES,
    INT_FEATURES,
    LOOKBACK_DAYS,
    NOTE_SIGNALS,
    OFFICE_HOURS,
    PRIOR_RATE_FACTOR,
    USUAL_RATE_FACTOR,
    USUAL_RATE_FLOOR,
)
from homeward.engines.risk.lexicon import signal_pattern


def _read(directory: Path, kind: str, columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_parquet(directory / f"{kind}.parquet", columns=columns)
    for col in dates:
        frame[col] = pd.to_datetime(frame[col])
    return frame


def pandas_features(directory: Path, as_of: date) -> pd.DataFrame:
    end = pd.Timestamp(as_of + timedelta(days=1))
    day = pd.Timedelta(days=1)

    ten = _read(directory, "tenancies", ["tenancy_ref", "start_date", "end_date"], ("start_date", "end_date"))
    ten = ten[(ten["start_date"] < end) & (ten["end_date"].isna() | (ten["end_date"] >= pd.Timestamp(as_of)))]
    out = ten[["tenancy_ref", "start_date"]].copy()
    out["tenancy_days"] = (end - out["start_date"]).dt.days

    # contacts
    c = _read(directory, "contacts", ["tenancy_ref", "contacted_at", "category", "note"])
    c = c[c["contacted_at"] < end].sort_values(["tenancy_ref", "contacted_at"], kind="stable")
    ts = c["contacted_at"]
    same = c["tenancy_ref"].eq(c["tenancy_ref"].shift())
    repeat = same & (ts.diff() <= pd.Timedelta(hours=48))
    hour = ts.dt.hour
    ooh = (hour < OFFICE_HOURS[0]) | (hour >= OFFICE_HOURS[1]) | (ts.dt.dayofweek >= 5)
    in30, in90, in365 = ts >= end - 30 * day, ts >= end - 90 * day, ts >= end - 365 * day
    flags = pd.DataFrame(
        {
            "tenancy_ref": c["tenancy_ref"],
            "contacts_30d": in30,
            "contacts_90d": in90,
            "contacts_365d": in365,
            "repair_contacts_30d": in30 & (c["category"] == "repairs"),
            "contacts_prior_30_365": in365 & ~in30,
            "contacts_prior_90_365": in365 & ~in90,
            "repeat_contacts_48h_90d": in90 & repeat,
            "out_of_hours_90d": in90 & ooh,
            "_t30": ts.where(in30),
            "_ts": ts,
        }
    )
    g = flags.groupby("tenancy_ref", sort=False)
    counts = g[[k for k in flags.columns if not k.startswith("_") and k != "tenancy_ref"]].sum()
    counts["_span"] = (g["_t30"].max() - g["_t30"].min()).dt.days
    counts["_since"] = (end - g["_ts"].max()).dt.days
    out = out.merge(counts, left_on="tenancy_ref", right_index=True, how="left")

    notes = c.loc[in90 & c["note"].notna(), ["tenancy_ref", "note"]]
    note_flags = pd.DataFrame({"tenancy_ref": notes["tenancy_ref"]})
    for s in NOTE_SIGNALS:
        note_flags[f"note_{s}_90d"] = notes["note"].str.contains(signal_pattern(s), regex=True)
    out = out.merge(
        note_flags.groupby("tenancy_ref").sum(), left_on="tenancy_ref", right_index=True, how="left"
    )

    # repairs
    r = _read(directory, "repairs", ["tenancy_ref", "reported_on", "category", "no_access"], ("reported_on",))
    r = r[r["reported_on"] < end]
    r90, r365 = r["reported_on"] >= end - 90 * day, r["reported_on"] >= end - 365 * day
    rep = pd.DataFrame(
        {
            "tenancy_ref": r["tenancy_ref"],
            "repairs_90d": r90,
            "no_access_90d": r90 & r["no_access"],
            "no_access_365d": r365 & r["no_access"],
            "damp_mould_365d": r365 & (r["category"] == "damp_mould"),
        }
    )
    out = out.merge(rep.groupby("tenancy_ref").sum(), left_on="tenancy_ref", right_index=True, how="left")

    # rent
    rent = _read(directory, "rent", ["tenancy_ref", "week_start", "balance"], ("week_start",))
    rent = rent[rent["week_start"] < end].sort_values(["tenancy_ref", "week_start"], kind="stable")
    ws, bal = rent["week_start"], rent["balance"]
    now = rent[ws >= end - 14 * day].groupby("tenancy_ref")["balance"].last().rename("_bal_now")
    four = rent[(ws >= end - 42 * day) & (ws < end - 28 * day)].groupby("tenancy_ref")["balance"].last()
    owing90 = (bal > 0) & (ws >= end - 90 * day)
    rg = pd.DataFrame(
        {
            "tenancy_ref": rent["tenancy_ref"],
            "weeks_in_arrears_90d": owing90,
            "_first_owing": ws.where(owing90),
            "_prev_owing": ws.where((bal > 0) & (ws < end - 90 * day)),
        }
    ).groupby("tenancy_ref")
    rent_feats = pd.concat(
        [
            rg["weeks_in_arrears_90d"].sum(),
            rg["_first_owing"].min(),
            rg["_prev_owing"].max(),
            now,
            four.rename("_bal_4w"),
        ],
        axis=1,
    )
    out = out.merge(rent_feats, left_on="tenancy_ref", right_index=True, how="left")

    # ASB and concerns
    a = _read(directory, "asb", ["tenancy_ref", "reported_on"], ("reported_on",))
    a = a[a["reported_on"] < end]
    asb = pd.DataFrame(
        {
            "tenancy_ref": a["tenancy_ref"],
            "asb_90d": a["reported_on"] >= end - 90 * day,
            "asb_365d": a["reported_on"] >= end - 365 * day,
        }
    )
    out = out.merge(asb.groupby("tenancy_ref").sum(), left_on="tenancy_ref", right_index=True, how="left")
    k = _read(directory, "concerns", ["tenancy_ref", "raised_at", "category"])
    k = k[k["raised_at"] < end]
    k90 = k["raised_at"] >= end - 90 * day
    con = pd.DataFrame(
        {
            "tenancy_ref": k["tenancy_ref"],
            "concerns_90d": k90,
            "safeguarding_concerns_90d": k90
            & k["category"].isin(["safeguarding", "domestic_abuse", "self_neglect"]),
        }
    )
    out = out.merge(con.groupby("tenancy_ref").sum(), left_on="tenancy_ref", right_index=True, how="left")

    # derived
    fill = [
        f
        for f in INT_FEATURES
        if f not in ("tenancy_days", "contacts_span_30d", "days_since_contact", "clean_days_before_arrears")
    ]
    out[fill] = out[fill].fillna(0).astype(np.int64)
    out["contacts_span_30d"] = np.where(out["contacts_30d"] > 0, out["_span"].fillna(0) + 1, 0)
    out["days_since_contact"] = out["_since"].fillna(LOOKBACK_DAYS).clip(upper=LOOKBACK_DAYS)
    clean_from = pd.concat(
        [out["_prev_owing"], out["start_date"], pd.Series(end - LOOKBACK_DAYS * day, index=out.index)], axis=1
    ).max(axis=1)
    out["clean_days_before_arrears"] = np.where(out["_first_owing"].notna(), (end - clean_from).dt.days, 0)
    usual = out["contacts_prior_30_365"].astype(np.float64) * USUAL_RATE_FACTOR
    out["usual_contacts_per_month"] = usual
    out["prior_contacts_per_month"] = out["contacts_prior_90_365"].astype(np.float64) * PRIOR_RATE_FACTOR
    out["contact_rate_ratio"] = out["contacts_30d"].astype(np.float64) / np.maximum(usual, USUAL_RATE_FLOOR)
    out["arrears_balance"] = out["_bal_now"].fillna(0.0).clip(lower=0.0)
    out["arrears_4w_ago"] = out["_bal_4w"].fillna(0.0).clip(lower=0.0)
    out["arrears_change_28d"] = out["arrears_balance"] - out["arrears_4w_ago"]
    result = out[["tenancy_ref", *INT_FEATURES, *FLOAT_FEATURES]].sort_values("tenancy_ref", kind="stable")
    result[list(INT_FEATURES)] = result[list(INT_FEATURES)].astype(np.int64)
    return result.reset_index(drop=True)
