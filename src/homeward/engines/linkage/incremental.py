"""Incremental linking: score one new record against its blocked candidates among existing records,
without re-running the batch.

`CandidateIndex` keeps the existing (cleaned) records with, per blocking rule, the sorted hashes of
their blocking keys: a lookup is a binary search per rule, then an exact check of the key values,
so it finds exactly the records Splink's blocking rules would pair with the new one. The few
candidates are scored with the model by `PairScorer` (Splink's SQL); term frequencies come from
Splink's term-frequency tables of the existing records, as in a batch run over them.

The index is long-lived: a worker builds it once (or loads it from `index_path`, see
`IncrementalLinker`), then `add` makes new and changed records findable at once (a record added
again replaces its earlier version). `save` writes it to a folder (Parquet and NumPy files) that
`IncrementalLinker.open` loads in a second or two at 1,000,000 records instead of rebuilding it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

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
INDEX_FORMAT = "homeward.linkage.index/1"
_PAIR_OUTPUT = ("source_l", "record_id_l", "source_r", "record_id_r", "match_weight", "match_probability")
_SEED = 21
Keys = tuple[NDArray[np.uint64], NDArray[np.int64]]


def _hash(columns: Sequence[str], names: Sequence[str]) -> pl.Expr:
    """Hash of the values of `columns` (named `names`), null when any value is missing."""
    held = pl.all_horizontal(pl.col(c).is_not_null() for c in columns)
    struct = pl.struct([pl.col(c).alias(n) for c, n in zip(columns, names, strict=True)])
    return pl.when(held).then(struct.hash(seed=_SEED))


def _key_hashes(frame: pl.DataFrame, rules: Sequence[Rule], *, lookup: bool) -> pl.DataFrame:
    """One hash column per rule (`k0`, `k1`, ...) and the record's own key (`key`), in one pass.
    With `lookup`, a rule's values are read from its lookup columns (the other side's view)."""
    return frame.select(
        _hash((SOURCE, RECORD_ID), (SOURCE, RECORD_ID)).alias("key"),
        *(
            _hash((rule.lookup or rule.columns) if lookup else rule.columns, rule.columns).alias(f"k{i}")
            for i, rule in enumerate(rules)
        ),
    )


def _sorted_keys(hashes: pl.Series) -> Keys:
    rows = np.flatnonzero(hashes.is_not_null().to_numpy())
    values = hashes.fill_null(0).to_numpy().astype(np.uint64)[rows]
    order = np.argsort(values, kind="stable")
    return values[order], rows[order].astype(np.int64)


def _range(keys: Keys, wanted: int) -> NDArray[np.int64]:
    hashes, positions = keys
    value = np.uint64(wanted)
    lo, hi = np.searchsorted(hashes, value, "left"), np.searchsorted(hashes, value, "right")
    return positions[lo:hi]


class CandidateIndex:
    """Existing records (cleaned, with tf_ columns) searchable by every blocking rule's key."""

    def __init__(
        self, prepared: pl.DataFrame, rules: Sequence[Rule], *, keys: list[Keys] | None = None
    ) -> None:
        self.rules = list(rules)
        self._frame = prepared.rechunk()  # a gather from a chunked frame costs ~100x more
        self._pending = prepared.clear()
        self._pending_hashes = _key_hashes(self._pending, self.rules, lookup=False)
        if keys is None:
            self._index()
        else:
            self._record_keys, self._keys = keys[0], keys[1:]
            self._alive = np.ones(prepared.height, dtype=bool)

    def _index(self) -> None:
        if self._pending.height:
            self._frame = pl.concat([self._frame, self._pending], how="vertical_relaxed")
            self._pending = self._pending.clear()
            self._pending_hashes = self._pending_hashes.clear()
        if hasattr(self, "_alive") and not self._alive.all():
            self._frame = self._frame.filter(pl.Series(self._alive))
        self._frame = self._frame.rechunk()
        hashes = _key_hashes(self._frame, self.rules, lookup=False)
        self._record_keys = _sorted_keys(hashes["key"])
        self._keys = [_sorted_keys(hashes[f"k{i}"]) for i in range(len(self.rules))]
        self._alive = np.ones(self._frame.height, dtype=bool)

    def __len__(self) -> int:
        return int(self._alive.sum()) + self._pending.height

    @property
    def columns(self) -> list[str]:
        return self._frame.columns

    def sources(self) -> list[str]:
        both = pl.concat([self._frame[SOURCE], self._pending[SOURCE]])
        return sorted(str(s) for s in both.unique().to_list())

    def add(self, prepared: pl.DataFrame) -> None:
        """Make `prepared` records findable; a record already held (same source and record id) is
        replaced by its new version. Appended; the index is rebuilt now and then."""
        new = prepared.select(self._frame.columns).unique(subset=[SOURCE, RECORD_ID], keep="last")
        hashes = _key_hashes(new, self.rules, lookup=False)
        for i, key in enumerate(hashes["key"].to_list()):
            for row in _range(self._record_keys, key):
                if self._frame[SOURCE][int(row)] == new[SOURCE][i] and (
                    self._frame[RECORD_ID][int(row)] == new[RECORD_ID][i]
                ):
                    self._alive[row] = False
        if self._pending.height:
            kept = ~self._pending_hashes["key"].is_in(hashes["key"].implode())
            self._pending, self._pending_hashes = (
                self._pending.filter(kept),
                self._pending_hashes.filter(kept),
            )
        self._pending = pl.concat([self._pending, new], how="vertical_relaxed")
        self._pending_hashes = pl.concat([self._pending_hashes, hashes])
        if self._pending.height >= _PENDING_LIMIT:
            self._index()

    def candidates(self, record: pl.DataFrame) -> pl.DataFrame:
        """Existing records sharing any blocking key with the one-row `record` (values checked)."""
        wanted = _key_hashes(record, self.rules, lookup=True).row(0)[1:]
        rows = [_range(keys, h) for keys, h in zip(self._keys, wanted, strict=True) if h is not None]
        found: list[pl.DataFrame] = []
        if rows:
            picked = np.unique(np.concatenate(rows))
            picked = picked[self._alive[picked]]
            if picked.size:
                found.append(self._frame[picked])
        if self._pending.height:
            same = pl.any_horizontal(
                pl.col(f"k{i}") == h for i, h in enumerate(wanted) if h is not None
            ) if any(h is not None for h in wanted) else pl.lit(False)  # fmt: skip
            mask = self._pending_hashes.select(same.fill_null(False)).to_series()
            if mask.any():
                found.append(self._pending.filter(mask))
        if not found:
            return self._frame.clear()
        both = found[0] if len(found) == 1 else pl.concat(found, how="vertical_relaxed")
        return both.filter(self._matches_any(record)).unique(
            subset=[SOURCE, RECORD_ID], keep="first", maintain_order=True
        )

    def _matches_any(self, record: pl.DataFrame) -> pl.Expr:
        """Exact key equality for at least one rule (a hash match could in principle collide)."""
        tests = []
        for rule in self.rules:
            query = rule.lookup or rule.columns
            values = [record[c][0] for c in query]
            if any(v is None for v in values):
                continue
            tests.append(pl.all_horizontal(pl.col(c) == v for c, v in zip(rule.columns, values, strict=True)))
        return pl.any_horizontal(tests) if tests else pl.lit(False)

    def save(self, folder: Path, meta: Mapping[str, object]) -> None:
        """Write the index (merged and compacted first) to `folder`, replacing what is there."""
        self._index()
        folder.mkdir(parents=True, exist_ok=True)
        self._frame.write_parquet(folder / "records.parquet.tmp")
        arrays: dict[str, NDArray[np.generic]] = {}
        for name, (hashes, positions) in [("key", self._record_keys), *enumerate(self._keys)]:
            arrays[f"h_{name}"], arrays[f"p_{name}"] = hashes, positions
        with (folder / "keys.npz.tmp").open("wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]
        (folder / "index.json.tmp").write_text(json.dumps(dict(meta), sort_keys=True), encoding="utf-8")
        for name in ("records.parquet", "keys.npz", "index.json"):
            (folder / f"{name}.tmp").replace(folder / name)

    @classmethod
    def load(cls, folder: Path, rules: Sequence[Rule]) -> CandidateIndex:
        frame = pl.read_parquet(folder / "records.parquet")
        with np.load(folder / "keys.npz") as data:
            names = ["key", *(str(i) for i in range(len(rules)))]
            keys = [(data[f"h_{n}"], data[f"p_{n}"]) for n in names]
        return cls(frame, rules, keys=keys)


def model_fingerprint(model: LinkageModel) -> str:
    """What an index depends on: the model's fields, comparisons and parameters."""
    text = json.dumps({"fields": model.fields, "splink": model.splink}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class IncrementalLinker:
    """Scores new records against existing ones with a trained model; keeps them for later lookups.

    `index_path` (default None: build in memory from `existing`, as before) names a folder for a
    persisted index: if it holds an index made for this model, it is loaded (fast) and `existing`
    is not needed; otherwise the index is built from `existing` and saved there. Call `save` to
    write the records added since.
    """

    def __init__(
        self,
        model: LinkageModel,
        existing: pl.DataFrame | None = None,
        *,
        is_clean: bool = False,
        duplicate_free_sources: Sequence[str] | None = None,
        index_path: Path | None = None,
    ) -> None:
        self.model = model
        self.scorer = PairScorer(model)
        self.index_path = index_path
        rules = prediction_rules(model.fields)
        meta = _read_meta(index_path) if index_path is not None else None
        if index_path is not None and meta is not None and meta.get("model") == model_fingerprint(model):
            self.frequencies = TermFrequencies.load(index_path / "frequencies.json")
            self.index = CandidateIndex.load(index_path, rules)
        elif existing is None:
            raise ValueError("existing records are needed: there is no index for this model to load")
        else:
            cleaned = existing if is_clean else clean_records(existing)
            self.frequencies = TermFrequencies.from_records(cleaned, model)
            self.index = CandidateIndex(self.scorer.prepare(cleaned, self.frequencies), rules)
            if index_path is not None:
                self.save()
        if duplicate_free_sources is None and model.link_type == "link_only":
            duplicate_free_sources = self.index.sources()
        self.duplicate_free_sources = set(duplicate_free_sources or ())

    @classmethod
    def open(cls, model: LinkageModel, index_path: Path, **kwargs: object) -> IncrementalLinker:
        """Load the index saved at `index_path` for `model` (ValueError when there is none)."""
        return cls(model, None, index_path=index_path, **kwargs)  # type: ignore[arg-type]

    def save(self, index_path: Path | None = None) -> None:
        """Write the index (with every record added so far) to `index_path` or the linker's."""
        folder = index_path or self.index_path
        if folder is None:
            raise ValueError("no index_path to save the index to")
        self.index.save(folder, {"format": INDEX_FORMAT, "model": "", "polars": pl.__version__})
        self.frequencies.save(folder / "frequencies.json")
        meta = {"format": INDEX_FORMAT, "model": model_fingerprint(self.model), "polars": pl.__version__}
        (folder / "index.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")

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
        scored = self.scorer.score(new, candidates, _PAIR_OUTPUT)
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
        """Keep `records` as existing records (after scoring them), so later records can find them;
        a record already held is replaced by its new version."""
        self.index.add(self._prepare(records))


def _read_meta(folder: Path) -> dict[str, object] | None:
    """The saved index's description, or None when there is no usable index in `folder`."""
    try:
        meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("format") != INDEX_FORMAT:
        return None
    if meta.get("polars") != pl.__version__:  # key hashes are Polars' own: rebuild on an upgrade
        return None
    if not (folder / "frequencies.json").exists():
        return None
    return meta


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
