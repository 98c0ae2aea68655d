"""Where Splink runs its SQL: DuckDB in process (default) or Spark (local mode or a cluster).

The same model and settings run on both; Spark's SQL is generated from the same comparison
specification for the Spark dialect (see `model.LinkageModel.splink_settings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import polars as pl
import pyarrow as pa
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from homeward.engines.linkage.fields import SOURCE

Dialect = Literal["duckdb", "spark"]


@dataclass(frozen=True, slots=True)
class DuckDBBackend:
    """DuckDB in this process: `threads` and `memory_limit` (e.g. "6GB") bound what one run uses."""

    threads: int | None = None
    memory_limit: str | None = None
    temp_directory: str | None = None

    dialect: Dialect = "duckdb"

    def db_api(self) -> DatabaseAPISubClass:
        from splink.backends.duckdb import DuckDBAPI

        connection = duckdb.connect(":memory:")
        if self.threads:
            connection.execute(f"SET threads = {int(self.threads)}")
        if self.memory_limit:
            connection.execute("SET memory_limit = ?", [self.memory_limit])
        if self.temp_directory:
            connection.execute("SET temp_directory = ?", [self.temp_directory])
        connection.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection)


@dataclass(frozen=True, slots=True)
class SparkBackend:
    """A running `pyspark.sql.SparkSession` (pyspark is not a dependency of the engine)."""

    session: Any
    num_partitions_on_repartition: int | None = None

    dialect: Dialect = "spark"

    def db_api(self) -> DatabaseAPISubClass:
        from splink.backends.spark import SparkAPI

        return SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.session,
            num_partitions_on_repartition=self.num_partitions_on_repartition,
        )


Backend = DuckDBBackend | SparkBackend


def register_sources(db_api: DatabaseAPISubClass, cleaned: pl.DataFrame) -> list[SplinkDataFrame]:
    """One Splink input table per source (Splink links across the sources it is given)."""
    tables: list[SplinkDataFrame] = []
    for (source,), part in cleaned.partition_by(SOURCE, as_dict=True, maintain_order=True).items():
        name = f"records_{len(tables)}"
        tables.append(db_api.register(part.to_arrow(), dataset_display_name=str(source), table_name=name))
    return tables


def register_frame(db_api: DatabaseAPISubClass, frame: pl.DataFrame, name: str) -> SplinkDataFrame:
    return db_api.register(frame.to_arrow(), table_name=name)


def to_arrow(table: SplinkDataFrame) -> pa.Table:
    """A Splink result as an Arrow table (no pandas)."""
    result = table.as_pyarrow_table()  # type: ignore[no-untyped-call]
    assert isinstance(result, pa.Table)
    return result


def to_polars(table: SplinkDataFrame) -> pl.DataFrame:
    """A Splink result as a Polars frame."""
    result = pl.from_arrow(to_arrow(table))
    assert isinstance(result, pl.DataFrame)
    return result
