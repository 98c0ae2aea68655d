"""Fast scoring of given pairs with a trained model: Splink's own real-time SQL, generated once.

Splink's `score_pairs` rebuilds and re-parses its SQL on every call (~100 ms of Python); its
real-time `compare_records` caches the SQL but leaves tables behind in the database on each call.
`PairScorer` asks Splink for the scoring SQL of the model once, then runs exactly that SQL on its
own DuckDB connection for each batch of pairs (one statement, a few tens of milliseconds). The
result has Splink's columns: match_weight, match_probability, each comparison's gamma_ and mw_
columns and the compared values (`_l`, `_r`). Tests check it equals Splink's `score_pairs`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from homeward.engines.linkage.cleaning import CLEAN_COLUMNS
from homeward.engines.linkage.model import LinkageModel

_LEFT, _RIGHT = "homeward_score_left", "homeward_score_right"
#: Up to this many records, `PairScorer.prepare` looks term frequencies up one by one.
_SMALL = 64


def tf_columns(settings: Mapping[str, Any]) -> list[str]:
    """Columns with term-frequency adjustments in a Splink settings dict."""
    columns: list[str] = []
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            column = level.get("tf_adjustment_column")
            if column and column not in columns:
                columns.append(str(column))
    return columns


def _example(frequencies: list[str]) -> pa.Table:
    row: dict[str, Any] = dict.fromkeys(CLEAN_COLUMNS, "x")
    row["source"], row["record_id"] = "a", "1"
    row["given_name_aliases"] = ["x"]
    row["family_name_all"] = ["x"]
    frame = pl.DataFrame([row]).with_columns(*(pl.lit(0.5).alias(f"tf_{c}") for c in frequencies))
    return frame.to_arrow()


def scoring_sql(settings: Mapping[str, Any]) -> str:
    """Splink's SQL scoring every left × right pair of two tables named `_LEFT` and `_RIGHT`."""
    from splink.backends.duckdb import DuckDBAPI
    from splink.internals.realtime import compare_records

    example = _example(tf_columns(settings))
    result = compare_records(example, example, dict(settings), DuckDBAPI())
    sql = result.sql_used_to_create
    found = re.search(r"__splink__compare_records_left_(\w+)", sql or "")
    if not sql or not found:
        raise RuntimeError("Splink did not return its scoring SQL (Splink version changed?)")
    uid = found.group(1)
    return sql.replace(f"__splink__compare_records_left_{uid}", _LEFT).replace(
        f"__splink__compare_records_right_{uid}", _RIGHT
    )


class TermFrequencies:
    """Splink's term-frequency tables (value → share of records holding it) for some columns.

    Batch runs compute them from the records they link; keep them with a run (`as_dict`) to score
    or explain its pairs later with exactly the run's weights.
    """

    def __init__(self, tables: Mapping[str, Mapping[str, float]]) -> None:
        self.tables = {column: dict(values) for column, values in tables.items()}
        self._frames: dict[str, pl.DataFrame] = {}

    @classmethod
    def from_records(cls, cleaned: pl.DataFrame, model: LinkageModel) -> TermFrequencies:
        """Frequencies over `cleaned` (all sources together), computed by Splink."""
        from splink import Linker

        from homeward.engines.linkage.backend import DuckDBBackend, to_polars

        settings = model.splink_settings("duckdb")
        columns = tf_columns(settings)
        if not columns or cleaned.is_empty():
            return cls({})
        settings["link_type"] = "dedupe_only"  # one table of everyone
        db_api = DuckDBBackend().db_api()
        table = db_api.register(cleaned.select(CLEAN_COLUMNS).to_arrow(), table_name="tf_input")
        linker = Linker(table, settings, log_level=None)
        tables = {}
        for column in columns:
            frame = to_polars(linker.table_management.compute_tf_table(column))
            tables[column] = dict(zip(frame[column].to_list(), frame[f"tf_{column}"].to_list(), strict=True))
        return cls(tables)

    def save(self, path: Path) -> None:
        """Write the tables as JSON (atomically)."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.tables), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> TermFrequencies:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def frame(self, column: str) -> pl.DataFrame:
        if column not in self._frames:
            values = self.tables.get(column, {})
            self._frames[column] = pl.DataFrame(
                {column: list(values), f"tf_{column}": list(values.values())},
                schema={column: pl.String, f"tf_{column}": pl.Float64},
            )
        return self._frames[column]

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {column: dict(values) for column, values in self.tables.items()}


class PairScorer:
    """Scores left × right record pairs (cleaned frames with tf_ columns) with one model."""

    def __init__(self, model: LinkageModel) -> None:
        self.model = model
        self.settings = model.splink_settings("duckdb")
        self.frequency_columns = tf_columns(self.settings)
        self._sql = scoring_sql(self.settings)
        self._connection = duckdb.connect(":memory:")
        self._connection.execute("SET threads = 1")
        self._lock = threading.Lock()
        self._prepared = False
        self._statements: dict[tuple[str, ...], str] = {}

    def prepare(self, cleaned: pl.DataFrame, frequencies: TermFrequencies | None = None) -> pl.DataFrame:
        """`cleaned` rows with a tf_ column per adjusted field (null where the value is unknown)."""
        out = cleaned.select(*CLEAN_COLUMNS)
        if out.height <= _SMALL:  # a few new records: look their values up (no join over every value)
            tables = frequencies.tables if frequencies is not None else {}
            looked_up = [
                pl.Series(
                    f"tf_{column}",
                    [tables.get(column, {}).get(value) for value in out[column].to_list()],
                    dtype=pl.Float64,
                )
                for column in self.frequency_columns
            ]
            return out.with_columns(looked_up) if looked_up else out
        for column in self.frequency_columns:
            if frequencies is None or column not in frequencies.tables:
                out = out.with_columns(pl.lit(None, pl.Float64).alias(f"tf_{column}"))
            else:
                out = out.join(frequencies.frame(column), on=column, how="left", maintain_order="left")
        return out

    def score(
        self, left: pl.DataFrame, right: pl.DataFrame, columns: Sequence[str] | None = None
    ) -> pl.DataFrame:
        """Every left × right pair, scored (Splink's output columns, intermediate ones included,
        or only `columns`: less to convert when only the weights are wanted).

        Both frames must have the columns `prepare` gives. The SQL is prepared once (per set of
        `columns`), over two temporary tables refilled on each call, so DuckDB plans it only once.
        """
        if left.is_empty() or right.is_empty():
            return pl.DataFrame()
        key = tuple(columns or ())
        with self._lock:
            con = self._connection
            con.register("homeward_in_left", left.to_arrow())
            con.register("homeward_in_right", right.to_arrow())
            try:
                if not self._prepared:
                    con.execute(f"CREATE TEMP TABLE {_LEFT} AS SELECT * FROM homeward_in_left LIMIT 0")
                    con.execute(f"CREATE TEMP TABLE {_RIGHT} AS SELECT * FROM homeward_in_right LIMIT 0")
                    self._prepared = True
                if key not in self._statements:
                    name = f"homeward_score_{len(self._statements)}"
                    wanted = ", ".join(f'"{c}"' for c in key) if key else "*"
                    con.execute(f"PREPARE {name} AS SELECT {wanted} FROM ({self._sql}) AS scored")
                    self._statements[key] = name
                con.execute(
                    f"DELETE FROM {_LEFT}; DELETE FROM {_RIGHT};"
                    f" INSERT INTO {_LEFT} SELECT * FROM homeward_in_left;"
                    f" INSERT INTO {_RIGHT} SELECT * FROM homeward_in_right"
                )
                table = con.sql(f"EXECUTE {self._statements[key]}").to_arrow_table()
            finally:
                con.unregister("homeward_in_left")
                con.unregister("homeward_in_right")
        result = pl.from_arrow(table)
        assert isinstance(result, pl.DataFrame)
        return result
