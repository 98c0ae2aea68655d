"""Per-tenancy features over 30/90/365-day windows ending on the `as_of` date (inclusive).

`compute_features` uses only each tenancy's own events, so it can be mapped over any partition of
tenancies (Dask, Spark, or a loop) and the results concatenated. Windows are half-open in time:
an event counts in the N-day window when it falls in [as_of + 1 day - N days, as_of + 1 day).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from homeward.engines.risk.extracts import Extracts
from homeward.engines.risk.lexicon import LEXICON, signal_pattern

NOTE_SIGNALS = tuple(LEXICON)
# Rent history and the "clean record" look back at most 3 years. When the account has been in arrears
# in the last 90 days, `clean_days_before_arrears` is the number of days up to as_of since the last
# earlier arrears week (or the tenancy start, or 3 years ago): "first arrears in 3 years".
LOOKBACK_DAYS = 1095
USUAL_RATE_FLOOR = 0.5  # contacts a month; stops a first-ever contact looking like a huge surge
REPEAT_GAP = timedelta(hours=48)
USUAL_RATE_FACTOR = 30.0 / 335.0  # contacts in days 31-365 before as_of -> contacts per 30 days
PRIOR_RATE_FACTOR = 30.0 / 275.0  # contacts in days 91-365 before as_of -> contacts per 30 days
OFFICE_HOURS = (8, 18)  # Monday to Friday 08:00-17:59; anything else is out of hours

INT_FEATURES: tuple[str, ...] = (
    "tenancy_days",
    "contacts_30d",
    "contacts_90d",
    "contacts_365d",
    "contacts_span_30d",
    "repair_contacts_30d",
    "contacts_prior_30_365",
    "contacts_prior_90_365",
    "repeat_contacts_48h_90d",
    "out_of_hours_90d",
    "days_since_contact",
    *(f"note_{s}_90d" for s in NOTE_SIGNALS),
    "repairs_90d",
    "no_access_90d",
    "no_access_365d",
    "damp_mould_365d",
    "weeks_in_arrears_90d",
    "clean_days_before_arrears",
    "asb_90d",
    "asb_365d",
    "concerns_90d",
    "safeguarding_concerns_90d",
)
FLOAT_FEATURES: tuple[str, ...] = (
    "usual_contacts_per_month",
    "prior_contacts_per_month",
    "contact_rate_ratio",
    "arrears_balance",
    "arrears_4w_ago",
    "arrears_change_28d",
)
FEATURES: tuple[str, ...] = INT_FEATURES + FLOAT_FEATURES


def _count(cond: pl.Expr) -> pl.Expr:
    return cond.sum().cast(pl.Int64)


def compute_features(extracts: Extracts, *, as_of: date) -> pl.DataFrame:
    """One row per live tenancy (sorted by `tenancy_ref`) with every column in `FEATURES`."""
    return features_plan(extracts, as_of=as_of).collect()


def features_plan(extracts: Extracts, *, as_of: date) -> pl.LazyFrame:
    """The lazy query behind `compute_features` (for composing with scoring in one plan)."""
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    end_d = end.date()

    def since(col: str, days: int) -> pl.Expr:
        return pl.col(col) >= (end - timedelta(days=days))

    def since_d(col: str, days: int) -> pl.Expr:
        return pl.col(col) >= (end_d - timedelta(days=days))

    tenancies = extracts.tenancies.filter(
        (pl.col("start_date") < end_d) & (pl.col("end_date").is_null() | (pl.col("end_date") >= as_of))
    ).select(
        "tenancy_ref",
        "start_date",
        (pl.lit(end_d) - pl.col("start_date")).dt.total_days().cast(pl.Int64).alias("tenancy_days"),
    )

    ts = pl.col("contacted_at")
    contacts = (
        extracts.contacts.filter(ts < end)
        .select("tenancy_ref", "contacted_at", "category", "note")
        .sort("tenancy_ref", "contacted_at")
        .with_columns(
            ((pl.col("tenancy_ref") == pl.col("tenancy_ref").shift(1)) & ((ts - ts.shift(1)) <= REPEAT_GAP))
            .fill_null(False)
            .alias("_repeat"),
            (
                (ts.dt.hour() < OFFICE_HOURS[0]) | (ts.dt.hour() >= OFFICE_HOURS[1]) | (ts.dt.weekday() >= 6)
            ).alias("_ooh"),
        )
    )
    in30, in90, in365 = since("contacted_at", 30), since("contacted_at", 90), since("contacted_at", 365)
    contact_feats = contacts.group_by("tenancy_ref").agg(
        _count(in30).alias("contacts_30d"),
        _count(in90).alias("contacts_90d"),
        _count(in365).alias("contacts_365d"),
        (ts.filter(in30).max() - ts.filter(in30).min()).dt.total_days().alias("_span"),
        _count(in30 & (pl.col("category") == "repairs")).alias("repair_contacts_30d"),
        _count(in365 & ~in30).alias("contacts_prior_30_365"),
        _count(in365 & ~in90).alias("contacts_prior_90_365"),
        _count(in90 & pl.col("_repeat")).alias("repeat_contacts_48h_90d"),
        _count(in90 & pl.col("_ooh")).alias("out_of_hours_90d"),
        (pl.lit(end) - ts.max()).dt.total_days().alias("_since"),
    )
    notes = (
        extracts.contacts.filter((ts < end) & since("contacted_at", 90) & pl.col("note").is_not_null())
        .group_by("tenancy_ref")
        .agg(
            _count(pl.col("note").str.contains(signal_pattern(s))).alias(f"note_{s}_90d")
            for s in NOTE_SIGNALS
        )
    )

    rd = pl.col("reported_on")
    repair_feats = (
        extracts.repairs.filter(rd < end_d)
        .group_by("tenancy_ref")
        .agg(
            _count(since_d("reported_on", 90)).alias("repairs_90d"),
            _count(since_d("reported_on", 90) & pl.col("no_access")).alias("no_access_90d"),
            _count(since_d("reported_on", 365) & pl.col("no_access")).alias("no_access_365d"),
            _count(since_d("reported_on", 365) & (pl.col("category") == "damp_mould")).alias(
                "damp_mould_365d"
            ),
        )
    )

    ws, bal = pl.col("week_start"), pl.col("balance")
    recent = ws >= end_d - timedelta(days=14)
    four_weeks = (ws >= end_d - timedelta(days=42)) & (ws < end_d - timedelta(days=28))
    owing90 = (bal > 0) & since_d("week_start", 90)
    rent_feats = (
        extracts.rent.filter(ws < end_d)
        .group_by("tenancy_ref")
        .agg(
            bal.filter(recent).sort_by(ws.filter(recent)).last().alias("_bal_now"),
            bal.filter(four_weeks).sort_by(ws.filter(four_weeks)).last().alias("_bal_4w"),
            _count(owing90).alias("weeks_in_arrears_90d"),
            ws.filter(owing90).min().alias("_first_owing"),
            ws.filter((bal > 0) & ~since_d("week_start", 90)).max().alias("_prev_owing"),
        )
    )

    asb_feats = (
        extracts.asb.filter(rd < end_d)
        .group_by("tenancy_ref")
        .agg(
            _count(since_d("reported_on", 90)).alias("asb_90d"),
            _count(since_d("reported_on", 365)).alias("asb_365d"),
        )
    )
    ra = pl.col("raised_at")
    concern_feats = (
        extracts.concerns.filter(ra < end)
        .group_by("tenancy_ref")
        .agg(
            _count(since("raised_at", 90)).alias("concerns_90d"),
            _count(
                since("raised_at", 90)
                & pl.col("category").is_in(("safeguarding", "domestic_abuse", "self_neglect"))
            ).alias("safeguarding_concerns_90d"),
        )
    )

    joined = tenancies
    for part in (contact_feats, notes, repair_feats, rent_feats, asb_feats, concern_feats):
        joined = joined.join(part, on="tenancy_ref", how="left")

    lookback = pl.lit(end_d - timedelta(days=LOOKBACK_DAYS))
    clean_from = pl.max_horizontal(pl.col("_prev_owing"), pl.col("start_date"), lookback)
    # Rates per 30 days are one float multiply by a constant, so every engine gets the same bits
    # (engines may turn "/ 335.0" into "* (1 / 335.0)", which can differ in the last bit).
    usual = pl.col("contacts_prior_30_365").cast(pl.Float64) * USUAL_RATE_FACTOR
    out = joined.with_columns(
        pl.col(c).fill_null(0)
        for c in INT_FEATURES
        if c not in ("tenancy_days", "contacts_span_30d", "days_since_contact", "clean_days_before_arrears")
    ).with_columns(
        pl.when(pl.col("contacts_30d") > 0).then(pl.col("_span") + 1).otherwise(0).alias("contacts_span_30d"),
        pl.col("_since").fill_null(LOOKBACK_DAYS).clip(upper_bound=LOOKBACK_DAYS).alias("days_since_contact"),
        pl.when(pl.col("_first_owing").is_not_null())
        .then((pl.lit(end_d) - clean_from).dt.total_days())
        .otherwise(0)
        .alias("clean_days_before_arrears"),
        usual.alias("usual_contacts_per_month"),
        (pl.col("contacts_prior_90_365").cast(pl.Float64) * PRIOR_RATE_FACTOR).alias(
            "prior_contacts_per_month"
        ),
        (pl.col("contacts_30d").cast(pl.Float64) / pl.max_horizontal(usual, pl.lit(USUAL_RATE_FLOOR))).alias(
            "contact_rate_ratio"
        ),
        pl.col("_bal_now").fill_null(0.0).clip(lower_bound=0.0).alias("arrears_balance"),
        pl.col("_bal_4w").fill_null(0.0).clip(lower_bound=0.0).alias("arrears_4w_ago"),
    )
    out = out.with_columns((pl.col("arrears_balance") - pl.col("arrears_4w_ago")).alias("arrears_change_28d"))
    return out.select(
        "tenancy_ref",
        *(pl.col(c).cast(pl.Int64) for c in INT_FEATURES),
        *(pl.col(c).cast(pl.Float64) for c in FLOAT_FEATURES),
    ).sort("tenancy_ref")
