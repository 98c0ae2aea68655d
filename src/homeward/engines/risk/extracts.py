"""The extracts one scoring run reads, as lazy Polars frames (a whole directory or one partition of it)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from homeward.engines.risk.rent import rent_weeks_from_transactions
from homeward.engines.risk.schema import SCHEMAS, find_extract


def _empty(kind: str) -> pl.LazyFrame:
    return pl.LazyFrame(schema=SCHEMAS[kind].polars_schema())


@dataclass(frozen=True)
class Extracts:
    tenancies: pl.LazyFrame
    contacts: pl.LazyFrame
    repairs: pl.LazyFrame
    rent: pl.LazyFrame
    asb: pl.LazyFrame
    concerns: pl.LazyFrame

    @classmethod
    def from_frames(cls, **frames: pl.DataFrame | pl.LazyFrame) -> Extracts:
        """Build from in-memory frames; kinds not given are empty.

        `rent_transactions` stand in for `rent` (weekly balances) when `rent` is not given.
        """
        frames = dict(frames)
        tx = frames.pop("rent_transactions", None)
        if tx is not None and frames.get("rent") is None:
            schema = SCHEMAS["rent_transactions"].polars_schema()
            frames["rent"] = rent_weeks_from_transactions(
                tx.lazy().select(pl.col(c).cast(t) for c, t in schema.items())
            )
        frames.pop("outcomes", None)
        out: dict[str, pl.LazyFrame] = {}
        for f in fields(cls):
            given = frames.get(f.name)
            schema = SCHEMAS[f.name].polars_schema()
            if given is None:
                out[f.name] = _empty(f.name)
            else:
                lf = given.lazy()
                out[f.name] = lf.select(pl.col(c).cast(t) for c, t in schema.items())
        return cls(**out)

    def where_tenancy(self, predicate: pl.Expr) -> Extracts:
        """The same extracts restricted to one partition of tenancies (predicate on `tenancy_ref`)."""
        return Extracts(**{f.name: getattr(self, f.name).filter(predicate) for f in fields(self)})


def scan_extracts(directory: Path) -> Extracts:
    """Lazily scan already-validated extracts (`<kind>.parquet` or `<kind>.csv`) in a directory.

    Files are read with their documented column types; run `validate_directory` on untrusted files first.
    """
    frames: dict[str, pl.LazyFrame] = {}
    for kind in (*(f.name for f in fields(Extracts)), "rent_transactions"):
        path = find_extract(directory, kind)
        schema = SCHEMAS[kind].polars_schema()
        if path is None:
            continue
        if path.suffix == ".parquet":
            lf = pl.scan_parquet(path)
        else:
            lf = pl.scan_csv(path, schema_overrides=schema, try_parse_dates=True)
        frames[kind] = lf.select(pl.col(c).cast(t) for c, t in schema.items())
    if "tenancies" not in frames:
        raise FileNotFoundError(f"no tenancies.parquet or tenancies.csv in {directory}")
    return Extracts.from_frames(**frames)
