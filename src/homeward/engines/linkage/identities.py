"""Stable person identities: previous identities + the confirmed links now → new identities, with
every merge and split recorded. A pure function of its inputs (the same inputs give the same ids).

Identities are the connected components of the confirmed links (Splink's connected-components
clustering). An identity keeps its id while most of its records stay together; when two meet, the
one holding more of the records survives and the other is retired, remembering its records, so
that undoing the link (a split) brings the retired id back for those records.

For incremental updates, pass only the records of the identities a change touches (with their
links and the retired identities merged into them): components are local, so the result for
those records is the same as for the whole graph.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa

from homeward.engines.linkage.backend import to_arrow
from homeward.engines.linkage.fields import RecordKey

EventKind = Literal["created", "merged", "split", "restored", "moved", "closed"]
Minter = Callable[[frozenset[RecordKey]], str]


@dataclass(frozen=True, slots=True)
class RetiredIdentity:
    """An identity merged into another; `members` are the records it held when it was merged."""

    identity: str
    merged_into: str
    members: frozenset[RecordKey]
    sequence: int


@dataclass(frozen=True, slots=True)
class IdentityEvent:
    kind: EventKind
    identity: str
    other: str | None = None  # merged: the absorbed id; split/restored/moved: where records came from
    records: tuple[RecordKey, ...] = ()


@dataclass(frozen=True, slots=True)
class IdentityState:
    assignments: Mapping[RecordKey, str] = field(default_factory=dict)
    retired: Mapping[str, RetiredIdentity] = field(default_factory=dict)
    sequence: int = 0

    def members(self, identity: str) -> frozenset[RecordKey]:
        return frozenset(record for record, current in self.assignments.items() if current == identity)

    def identities(self) -> dict[str, frozenset[RecordKey]]:
        grouped: dict[str, set[RecordKey]] = defaultdict(set)
        for record, identity in self.assignments.items():
            grouped[identity].add(record)
        return {identity: frozenset(records) for identity, records in grouped.items()}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (record keys as [source, record_id])."""
        return {
            "assignments": sorted([[s, r, i] for (s, r), i in self.assignments.items()]),
            "retired": [
                {
                    "identity": t.identity,
                    "merged_into": t.merged_into,
                    "members": sorted([list(k) for k in t.members]),
                    "sequence": t.sequence,
                }
                for t in sorted(self.retired.values(), key=lambda t: t.sequence)
            ],
            "sequence": self.sequence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IdentityState:
        return cls(
            assignments={(str(s), str(r)): str(i) for s, r, i in data.get("assignments", [])},
            retired={
                str(t["identity"]): RetiredIdentity(
                    identity=str(t["identity"]),
                    merged_into=str(t["merged_into"]),
                    members=frozenset((str(s), str(r)) for s, r in t["members"]),
                    sequence=int(t["sequence"]),
                )
                for t in data.get("retired", [])
            },
            sequence=int(data.get("sequence", 0)),
        )


@dataclass(frozen=True, slots=True)
class IdentityUpdate:
    state: IdentityState
    events: tuple[IdentityEvent, ...]


def default_minter(used: set[str]) -> Minter:
    """Ids derived from an identity's first record (stable across runs), never reusing an id."""

    def mint(members: frozenset[RecordKey]) -> str:
        source, record_id = min(members)
        digest = hashlib.blake2b(f"{source}\x1f{record_id}".encode(), digest_size=8).hexdigest()
        candidate, n = f"P-{digest}", 1
        while candidate in used:
            n += 1
            candidate = f"P-{digest}-{n}"
        used.add(candidate)
        return candidate

    return mint


def connected_components(
    records: Iterable[RecordKey], links: Iterable[tuple[RecordKey, RecordKey]]
) -> list[frozenset[RecordKey]]:
    """Groups of records joined by links (Splink's connected components, on DuckDB)."""
    from splink.backends.duckdb import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    link_list = list(links)
    nodes = sorted(set(records) | {key for pair in link_list for key in pair})
    if not nodes:
        return []
    index = {key: i for i, key in enumerate(nodes)}
    if not link_list:
        return [frozenset([key]) for key in nodes]
    clustered = cluster_pairwise_predictions_at_threshold(
        pa.table({"node_id": pa.array(range(len(nodes)), pa.int64())}),
        pa.table(
            {
                "node_id_l": pa.array([index[a] for a, _ in link_list], pa.int64()),
                "node_id_r": pa.array([index[b] for _, b in link_list], pa.int64()),
            }
        ),
        db_api=DuckDBAPI(),
        node_id_column_name="node_id",
    )
    clusters = to_arrow(clustered)
    grouped: dict[int, set[RecordKey]] = defaultdict(set)
    for node, cluster in zip(
        clusters.column("node_id").to_pylist(), clusters.column("cluster_id").to_pylist(), strict=True
    ):
        grouped[int(cluster)].add(nodes[int(node)])
    return [frozenset(group) for group in grouped.values()]


def _effective_ids(previous: IdentityState, records: Iterable[RecordKey]) -> dict[RecordKey, str]:
    """Each record's identity before any merge that has not been undone: its current id, or the
    earliest retired identity that held it and whose merges lead to its current id."""
    held_by: dict[RecordKey, list[RetiredIdentity]] = defaultdict(list)
    for retired in sorted(previous.retired.values(), key=lambda t: t.sequence):
        for record in retired.members:
            held_by[record].append(retired)

    def chain_end(identity: str) -> str:
        seen = set()
        while identity in previous.retired and identity not in seen:
            seen.add(identity)
            identity = previous.retired[identity].merged_into
        return identity

    effective: dict[RecordKey, str] = {}
    for record in records:
        current = previous.assignments.get(record)
        if current is None:
            continue
        effective[record] = next(
            (t.identity for t in held_by.get(record, []) if chain_end(t.identity) == current), current
        )
    return effective


def update_identities(
    previous: IdentityState,
    *,
    records: Iterable[RecordKey],
    links: Iterable[tuple[RecordKey, RecordKey]],
    mint: Minter | None = None,
) -> IdentityUpdate:
    """New identities for `records` given the confirmed `links`, keeping ids stable (see module)."""
    link_list = list(links)
    clusters = sorted(connected_components(records, link_list), key=min)
    every = [record for cluster in clusters for record in cluster]
    effective = _effective_ids(previous, every)
    counts = [Counter(effective[r] for r in cluster if r in effective) for cluster in clusters]
    home: dict[str, int] = {}
    for i, counter in enumerate(counts):
        for identity, n in counter.items():
            if identity not in home or n > counts[home[identity]][identity]:
                home[identity] = i
    used = set(previous.assignments.values()) | set(previous.retired)
    minter = mint or default_minter(used)
    retired = dict(previous.retired)
    sequence = previous.sequence
    assignments: dict[RecordKey, str] = {}
    events: list[IdentityEvent] = []
    for i, cluster in enumerate(clusters):
        candidates = sorted(
            (identity for identity in counts[i] if home[identity] == i),
            key=lambda identity: (identity in previous.retired, -counts[i][identity], identity),
        )
        members = tuple(sorted(cluster))
        if not candidates:
            identity = minter(cluster)
            sources = sorted({previous.assignments[r] for r in cluster if r in previous.assignments})
            events += [IdentityEvent("split", identity, s, members) for s in sources] or [
                IdentityEvent("created", identity, None, members)
            ]
        else:
            identity = candidates[0]
            if identity in retired:  # a split undoes the merge that retired it
                origin = _chain_end(retired, identity)
                del retired[identity]
                events.append(IdentityEvent("restored", identity, origin, members))
            for absorbed in candidates[1:]:
                if absorbed in retired:
                    if _chain_end(retired, absorbed) != identity:
                        retired[absorbed] = _retire(retired[absorbed], identity, retired[absorbed].sequence)
                    continue
                sequence += 1
                held = frozenset(r for r, e in effective.items() if e == absorbed)
                retired[absorbed] = RetiredIdentity(absorbed, identity, held, sequence)
                events.append(IdentityEvent("merged", identity, absorbed, tuple(sorted(held))))
        for record in cluster:
            assignments[record] = identity
    active = set(assignments.values())
    merged = {e.other for e in events if e.kind == "merged"}
    for identity in sorted(set(previous.assignments.values()) - active - set(retired) - merged):
        events.append(IdentityEvent("closed", identity))
    explained = {(e.identity, e.other) for e in events}
    moved: dict[tuple[str, str], list[RecordKey]] = defaultdict(list)
    for record, identity in assignments.items():
        before = previous.assignments.get(record)
        if (
            before is not None
            and before != identity
            and before in active
            and (identity, before) not in explained
        ):
            moved[(identity, before)].append(record)
    events += [IdentityEvent("moved", to, frm, tuple(sorted(rs))) for (to, frm), rs in sorted(moved.items())]
    return IdentityUpdate(IdentityState(assignments, retired, sequence), tuple(events))


def _chain_end(retired: Mapping[str, RetiredIdentity], identity: str) -> str:
    seen = set()
    while identity in retired and identity not in seen:
        seen.add(identity)
        identity = retired[identity].merged_into
    return identity


def _retire(entry: RetiredIdentity, into: str, sequence: int) -> RetiredIdentity:
    return RetiredIdentity(entry.identity, into, entry.members, sequence)
