"""Audit trail: append-only, hash-chained (each row stores the previous row's hash).

Editing a row breaks its own hash; deleting a row breaks the next row's link (or the chain head for
the last row). `verify_chain` walks the chain and names the first bad row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.governance.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "purpose",
    "detail",
    "prev_hash",
)


def compute_hash(values: dict[str, Any]) -> str:
    content = {name: values[name] for name in _HASHED_FIELDS}
    content["occurred_at"] = content["occurred_at"].astimezone(dt.UTC).isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_event(
    *,
    actor: Any | None,
    action: str,
    purpose: str,
    obj: Any | None = None,
    person_id: int | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a governance Actor, or None for anonymous events (failed sign-in)."""
    user = getattr(actor, "user", None)
    membership = getattr(actor, "membership", None)
    values: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_username": user.username if user else username,
        "organisation_id": membership.organisation_id if membership else None,
        "role": membership.role if membership else "",
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "person_id": person_id,
        "purpose": purpose[:200],
        "detail": json.loads(json.dumps(detail or {}, default=str)),
    }
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, last_sequence=0, last_hash=GENESIS)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        values["sequence"] = head.last_sequence + 1
        values["prev_hash"] = head.last_hash
        values["hash"] = compute_hash(values)
        event = AuditEvent.objects.create(**values)
        head.last_sequence = values["sequence"]
        head.last_hash = values["hash"]
        head.save(update_fields=["last_sequence", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    event_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.event_id} (sequence {self.sequence})" if self.event_id else "chain head"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def _events_in_order(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].sequence


def verify_chain(progress: Any | None = None) -> ChainReport:
    """Recompute every hash and link; stop at the first bad row."""
    expected_prev, expected_sequence, checked = GENESIS, 1, 0
    for event in _events_in_order():
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        if event.sequence != expected_sequence:
            return ChainReport(
                checked,
                ChainProblem(
                    event.sequence,
                    event.pk,
                    f"sequence jumps from {expected_sequence - 1} to {event.sequence}: "
                    f"{event.sequence - expected_sequence} row(s) before it were deleted",
                ),
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked,
                ChainProblem(event.sequence, event.pk, "link to the previous row is broken (row deleted?)"),
            )
        if compute_hash(values) != event.hash:
            return ChainReport(
                checked,
                ChainProblem(event.sequence, event.pk, "content does not match its hash (row was edited)"),
            )
        expected_prev, expected_sequence, checked = event.hash, expected_sequence + 1, checked + 1
        if progress is not None:
            progress(1)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence != checked or head.last_hash != expected_prev):
        return ChainReport(
            checked,
            ChainProblem(
                None,
                None,
                f"expected {head.last_sequence} rows ending in {head.last_hash[:12]}…, found {checked}"
                " (the last rows were deleted)",
            ),
        )
    return ChainReport(checked, None)
