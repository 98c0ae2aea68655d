"""Incremental linking: score one new record against its blocked candidates among existing records,
without re-running the batch.

`CandidateIndex` keeps the existing (cleaned) records with, per blocking rule, the sorted hashes of
their blocking keys: a lookup is a binary search per rule, then an exact check of the key values,
so it finds exactly the records Splink's blocking rules would pair with the new one. The few
candidates are scored with the model by `PairScorer` (Splink's SQL); term frequencies come from
Splink's term-frequency tables of the existing records, as in a batch run over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import polars as pl
from numpy.typing import NDArray

from homeward.engines.linkage.cleaning import clean_records
from homeward.engines.linkage.decisions import DECISION_DTYPE, Decision, decide
from homeward.engines.linkage.fields import RECORD_ID, SOURCE, LinkageRecord, records_frame
from homeward.engines.linkage.model import LinkageModel
from homeward.engines.linkage.rules import Rule, prediction_rules
from homeward.engines.linkage.scoring import PairScorer, TermFrequencies

#: Records appended since the index was built are searched directly until there are this many.
_PENDING_LIMIT = 20_000


def _key_hash(frame: pl.DataFrame, columns: Sequence[str], names: Sequence[str]) -> pl.Series:
    return frame.select(
        pl.struct([pl.col(c).alias(n) for c, n in zip(columns, names, strict=True)]).hash(seed=21).alias("h")
    )["h"]


class CandidateIndex:
    """Existing records (cleaned, with tf_ columns) searchable by every blocking rule's key."""

    def __init__(self, prepared: pl.DataFrame, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._frame = prepared
        self._pending: list[pl.DataFrame] = []
        self._pending_rows = 0
        self._build()

    def _build(self) -> None:
        if self._pending:
            self._frame = pl.concat([self._frame, *self._pending], how="vertical_relaxed")
            self._pending, self._pending_rows = [], 0
        self._keys: list[tuple[NDArray[np.uint64], NDArray[np.int64]]] = []
        for rule in self.rules:
            held = pl.all_horizontal(pl.col(c).is_not_null() for c in rule.columns)
            rows = self._frame.with_row_index("_row").filter(held)
            hashes = _key_hash(rows, rule.columns, rule.columns).to_numpy()
            order = np.argsort(hashes, kind="stable")
            self._keys.append((hashes[order], rows["_row"].to_numpy().astype(np.int64)[order]))

    def __len__(self) -> int:
        return self._frame.height + self._pending_rows

    def add(self, prepared: pl.DataFrame) -> None:
        """Make `prepared` records findable (appended; the index is rebuilt now and then)."""
        self._pending.append(prepared.select(self._frame.columns))
        self._pending_rows += prepared.height
        if self._pending_rows >= _PENDING_LIMIT:
            self._build()

    def candidates(self, record: pl.DataFrame) -> pl.DataFrame:
        """Existing records sharing any blocking key with the one-row `record` (values checked)."""
        found: list[pl.DataFrame] = []
        rows: list[NDArray[np.int64]] = []
        for rule, (hashes, positions) in zip(self.rules, self._keys, strict=True):
            query = rule.lookup or rule.columns
            values = [record[c][0] for c in query]
            if any(v is None for v in values):
                continue
            wanted = _key_hash(record, query, rule.columns)[0]
            lo, hi = np.searchsorted(hashes, wanted, "left"), np.searchsorted(hashes, wanted, "right")
            if hi > lo:
                rows.append(positions[lo:hi])
            if self._pending:
                same = pl.all_horizontal(pl.col(c) == v for c, v in zip(rule.columns, values, strict=True))
                found += [part.filter(same) for part in self._pending]
        if rows:
            picked = self._frame[np.unique(np.concatenate(rows))]
            found.insert(0, picked.filter(self._matches_any(record, picked)))
        if not found:
            return self._frame.clear()
        return pl.concat(found, how="vertical_relaxed").unique(subset=[SOURCE, RECORD_ID], keep="first")

    def _matches_any(self, record: pl.DataFrame, picked: pl.DataFrame) -> pl.Expr:
        """Exact key equality for at least one rule (a hash match could in principle collide)."""
        tests = []
        for rule in self.rules:
            query = rule.lookup or rule.columns
            values = [record[c][0] for c in query]
            if any(v is None for v in values):
                continue
            tests.append(pl.all_horizontal(pl.col(c) == v for c, v in zip(rule.columns, values, strict=True)))
        return pl.any_horizontal(tests) if tests else pl.lit(False)


class IncrementalLinker:
    """Scores new records against existing ones with a trained model; keeps them for later lookups."""

    def __init__(
        self,
        model: LinkageModel,
        existing: pl.DataFrame,
        *,
        is_clean: bool = False,
        duplicate_free_sources: Sequence[str] | None = None,
    ) -> None:
        cleaned = existing if is_clean else clean_records(existing)
        self.model = model
        self.scorer = PairScorer(model)
        self.frequencies = TermFrequencies.from_records(cleaned, model)
        self.index = CandidateIndex(
            self.scorer.prepare(cleaned, self.frequencies), prediction_rules(model.fields)
        )
        if duplicate_free_sources is None and model.link_type == "link_only":
            duplicate_free_sources = sorted(cleaned[SOURCE].unique().to_list())
        self.duplicate_free_sources = set(duplicate_free_sources or ())

    def _prepare(
        self, records: Iterable[LinkageRecord | Mapping[str, object]] | pl.DataFrame
    ) -> pl.DataFrame:
        raw = records if isinstance(records, pl.DataFrame) else records_frame(records)
        return self.scorer.prepare(clean_records(raw), self.frequencies)

    def score(self, record: LinkageRecord | Mapping[str, object]) -> pl.DataFrame:
        """The new record's scored pairs with its candidates, best first, each with a decision.

        Columns: source_l, record_id_l (the new record), source_r, record_id_r, match_weight,
        match_probability, decision.
        """
        new = self._prepare([record])
        candidates = self.index.candidates(new)
        source, record_id = new[SOURCE][0], new[RECORD_ID][0]
        if self.model.link_type == "link_only":
            candidates = candidates.filter(pl.col(SOURCE) != source)
        elif self.model.link_type == "dedupe_only":
            candidates = candidates.filter(pl.col(SOURCE) == source)
        candidates = candidates.filter(~((pl.col(SOURCE) == source) & (pl.col(RECORD_ID) == record_id)))
        scored = self.scorer.score(new, candidates)
        if scored.is_empty():
            return _empty_pairs()
        pairs = decide(
            scored.select(
                "source_l", "record_id_l", "source_r", "record_id_r",
                pl.col("match_weight").cast(pl.Float64), pl.col("match_probability").cast(pl.Float64),
            ),
            self.model.thresholds,
        ).sort("match_weight", descending=True)  # fmt: skip
        return self._one_best_link_per_source(pairs)

    def _one_best_link_per_source(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """A duplicate-free source holds one record per person: of several links into it, only the
        strictly best stays linked and the others go to review."""
        linked = pl.col("decision") == Decision.LINKED.value
        best = pl.when(linked).then(pl.col("match_weight")).max().over("source_r")
        at_best = (linked & (pl.col("match_weight") == best)).sum().over("source_r")
        free = pl.col("source_r").is_in(sorted(self.duplicate_free_sources))
        demote = linked & free & ((pl.col("match_weight") < best) | (at_best > 1))
        decision = pl.when(demote).then(pl.lit(Decision.REVIEW.value)).otherwise(pl.col("decision"))
        return pairs.with_columns(decision.cast(DECISION_DTYPE).alias("decision"))

    def add(self, records: Iterable[LinkageRecord | Mapping[str, object]] | pl.DataFrame) -> None:
        """Keep `records` as existing records (after scoring them), so later records can find them."""
        self.index.add(self._prepare(records))


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "source_l": pl.String,
            "record_id_l": pl.String,
            "source_r": pl.String,
            "record_id_r": pl.String,
            "match_weight": pl.Float64,
            "match_probability": pl.Float64,
            "decision": DECISION_DTYPE,
        }
    )
