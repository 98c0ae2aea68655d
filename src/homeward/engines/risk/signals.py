"""Signals: the named patterns staff recognise, each with a plain-English reason built from features.

Rules and the learned model both explain themselves through signals, so a reason reads the same
whichever mode flagged the tenancy ("4 contacts in 10 days, usually 1 a month").
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from homeward.engines.risk.lexicon import LABELS, LEXICON


def _n(col: str, singular: str, plural: str) -> pl.Expr:
    """'1 contact' / '3 contacts'."""
    n = pl.col(col).cast(pl.Int64)
    return pl.format("{} {}", n, pl.when(n == 1).then(pl.lit(singular)).otherwise(pl.lit(plural)))


def _pounds(expr: pl.Expr) -> pl.Expr:
    return pl.format("£{}", expr.round(0).cast(pl.Int64))


def _per_month(col: str) -> pl.Expr:
    rate = pl.col(col)
    return (
        pl.when(rate < 0.5)
        .then(pl.lit("less than 1 a month"))
        .otherwise(pl.format("{} a month", rate.round(0).cast(pl.Int64)))
    )


def _years(days_col: str) -> pl.Expr:
    d = pl.col(days_col)
    return (
        pl.when(d >= 730)
        .then(pl.format("{} years", (d / 365).round(0).cast(pl.Int64)))
        .when(d >= 365)
        .then(pl.lit("a year"))
        .otherwise(pl.format("{} months", (d // 30).clip(lower_bound=1)))
    )


@dataclass(frozen=True)
class Signal:
    id: str
    title: str
    present: pl.Expr  # the tenancy shows this pattern at all (a reason is only given when true)
    phrase: pl.Expr  # plain-English reason


def _any(signal_id: str, title: str, column: str, one: str, many: str, words: str) -> Signal:
    """A signal present when `column` counts at least one event, phrased "<count> <words>"."""
    return Signal(signal_id, title, pl.col(column) >= 1, pl.format("{} " + words, _n(column, one, many)))


SIGNALS: dict[str, Signal] = {
    s.id: s
    for s in (
        Signal(
            "contact_surge",
            "More contacts than usual",
            (pl.col("contacts_30d") >= 2) & (pl.col("contact_rate_ratio") >= 2),
            pl.format(
                "{} in {}, usually {}",
                _n("contacts_30d", "contact", "contacts"),
                _n("contacts_span_30d", "day", "days"),
                _per_month("usual_contacts_per_month"),
            ),
        ),
        _any(
            "repeat_contacts",
            "Repeat contacts",
            "repeat_contacts_48h_90d",
            "contact",
            "contacts",
            "within 48 hours of the last, in 90 days",
        ),
        _any(
            "out_of_hours",
            "Out-of-hours contacts",
            "out_of_hours_90d",
            "contact",
            "contacts",
            "out of hours in 90 days",
        ),
        Signal(
            "gone_quiet",
            "Gone quiet",
            (pl.col("contacts_90d") == 0) & (pl.col("prior_contacts_per_month") >= 1),
            pl.format(
                "no contact for {} days, usually {}",
                pl.col("days_since_contact"),
                _per_month("prior_contacts_per_month"),
            ),
        ),
        _any(
            "no_access",
            "No access for repairs",
            "no_access_90d",
            "repair visit",
            "repair visits",
            "with no access in 90 days",
        ),
        _any(
            "damp_mould",
            "Damp and mould",
            "damp_mould_365d",
            "damp or mould report",
            "damp or mould reports",
            "in the last year",
        ),
        Signal(
            "first_arrears",
            "First arrears after a clean record",
            (pl.col("weeks_in_arrears_90d") >= 1) & (pl.col("clean_days_before_arrears") >= 365),
            pl.format(
                "first arrears in {} ({} owed)",
                _years("clean_days_before_arrears"),
                _pounds(pl.col("arrears_balance")),
            ),
        ),
        Signal(
            "rising_arrears",
            "Rising arrears",
            pl.col("arrears_change_28d") > 0,
            pl.format(
                "arrears up {} in 4 weeks, now {}",
                _pounds(pl.col("arrears_change_28d")),
                _pounds(pl.col("arrears_balance")),
            ),
        ),
        Signal(
            "arrears",
            "Rent arrears",
            pl.col("arrears_balance") > 0,
            pl.format(
                "{} rent arrears, in arrears {} of the last 13 weeks",
                _pounds(pl.col("arrears_balance")),
                pl.col("weeks_in_arrears_90d"),
            ),
        ),
        _any(
            "asb",
            "Anti-social behaviour",
            "asb_90d",
            "anti-social behaviour report",
            "anti-social behaviour reports",
            "in 90 days",
        ),
        _any(
            "concern",
            "Frontline concern",
            "concerns_90d",
            "concern",
            "concerns",
            "raised by staff in 90 days",
        ),
        _any(
            "safeguarding_concern",
            "Safeguarding concern",
            "safeguarding_concerns_90d",
            "safeguarding concern",
            "safeguarding concerns",
            "in 90 days",
        ),
        *(
            Signal(
                f"note_{s}",
                f"Call notes mention {LABELS[s]}",
                pl.col(f"note_{s}_90d") >= 1,
                pl.format(
                    "call notes mention {} ({})", pl.lit(LABELS[s]), _n(f"note_{s}_90d", "note", "notes")
                ),
            )
            for s in LEXICON
        ),
    )
}
