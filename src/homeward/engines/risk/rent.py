"""Weekly rent-account balances from transactions, for organisations whose extract lists postings."""

from __future__ import annotations

from datetime import timedelta

import polars as pl


def rent_weeks_from_transactions(transactions: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """`rent` rows (tenancy_ref, week_start, balance) from `rent_transactions` rows.

    The balance at the end of each Monday-starting week is the running sum of amounts, from zero at
    the tenancy's first transaction (post an opening balance as a transaction if there is one). A
    balance carries forward through weeks without postings up to the tenancy's next transaction;
    weeks in credit or clear are left out, as the `rent` schema allows.
    """
    weekly = (
        transactions.lazy()
        .group_by("tenancy_ref", pl.col("posted_on").dt.truncate("1w").alias("week_start"))
        .agg(pl.col("amount").sum().alias("net"))
        .sort("tenancy_ref", "week_start")
        .with_columns(
            pl.col("net").cum_sum().over("tenancy_ref").round(2).alias("balance"),
            pl.col("week_start").shift(-1).over("tenancy_ref").alias("_next"),
        )
    )
    last = pl.coalesce(pl.col("_next") - timedelta(days=7), pl.col("week_start"))
    return (
        weekly.with_columns(pl.date_ranges("week_start", last, "1w").alias("_weeks"))
        .explode("_weeks")
        .filter(pl.col("balance") > 0)
        .select("tenancy_ref", pl.col("_weeks").alias("week_start"), "balance")
    )
