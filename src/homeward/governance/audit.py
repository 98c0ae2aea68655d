"""Audit trail: append-only, chained with a keyed hash (each row stores the previous row's hash).

Each row's hash is an HMAC-SHA-256 of its content and the previous hash, under `settings.AUDIT_KEY`, a secret
held outside the database: someone who can write to the database but does not hold the key cannot edit a
row and recompute the hashes after it. Editing a row breaks its own hash; deleting a row breaks the next
row's link; deleting the newest rows (and the chain head) is caught by the signed checkpoints written outside
the database (`governance.checkpoints`). `verify_chain` walks the chain and names the first problem.
What this does and does not protect against: docs/governance.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
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


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes a row's hash covers: its content and the previous row's hash, as sorted compact JSON."""
    content = {name: values[name] for name in _HASHED_FIELDS}
    content["occurred_at"] = content["occurred_at"].astimezone(dt.UTC).isoformat()
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(values: dict[str, Any]) -> str:
    """HMAC-SHA-256 under the audit key (never stored in the database)."""
    return hmac.new(settings.AUDIT_KEY.encode(), canonical(values), hashlib.sha256).hexdigest()


def unkeyed_hash(values: dict[str, Any]) -> str:
    """Plain SHA-256, as rows were hashed before the chain was keyed; accepted only for rows a signed
    checkpoint vouches for (`legacy_until`)."""
    return hashlib.sha256(canonical(values)).hexdigest()


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
    where: str = ""

    def __str__(self) -> str:
        where = self.where or (
            f"row {self.event_id} (sequence {self.sequence})" if self.event_id else "chain head"
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None
    checkpoint: Any | None = None  # the latest signed checkpoint the chain was checked against
    last_hash: str = GENESIS

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def _events_in_order(up_to: int | None, batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")
        if up_to is not None:
            rows = rows.filter(sequence__lte=up_to)
        page = list(rows[:batch])
        if not page:
            return
        yield from page
        last = page[-1].sequence


def verify_chain(progress: Any | None = None, *, legacy_until: int = 0) -> ChainReport:
    """Check every signed checkpoint, then recompute every hash and link; stop at the first problem.

    The chain head is read first, so rows appended while the walk runs are left for the next check.
    """
    from homeward.governance import checkpoints

    try:
        signed = checkpoints.load_all()
    except checkpoints.CheckpointRefused as exc:
        return ChainReport(0, ChainProblem(None, None, exc.reason, where=f"checkpoint {exc.name}"))
    latest = signed[-1] if signed else None
    by_sequence = {c.sequence: c for c in signed}
    legacy_until = max([legacy_until, *(c.legacy_until for c in signed)])
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_prev, expected_sequence, checked = GENESIS, 1, 0

    def problem(event: AuditEvent | None, message: str) -> ChainReport:
        return ChainReport(
            checked, ChainProblem(event.sequence if event else None, event.pk if event else None, message)
        )

    for event in _events_in_order(head.last_sequence if head is not None else None):
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        if event.sequence != expected_sequence:
            return problem(
                event,
                f"sequence jumps from {expected_sequence - 1} to {event.sequence}: "
                f"{event.sequence - expected_sequence} row(s) before it were deleted",
            )
        if event.prev_hash != expected_prev:
            return problem(event, "link to the previous row is broken (row deleted?)")
        if compute_hash(values) != event.hash and not (
            event.sequence <= legacy_until and unkeyed_hash(values) == event.hash
        ):
            return problem(
                event,
                "content does not match its keyed hash: the row was edited, or the hashes were "
                "recomputed without the audit key",
            )
        anchor = by_sequence.get(event.sequence)
        if anchor is not None and anchor.hash != event.hash:
            return problem(
                event,
                f"does not match checkpoint {anchor.name}, which recorded hash {anchor.hash[:12]}… for it: "
                "the chain up to here was rewritten",
            )
        expected_prev, expected_sequence, checked = event.hash, expected_sequence + 1, checked + 1
        if progress is not None:
            progress(1)
    if latest is not None and latest.sequence > checked:
        return ChainReport(
            checked,
            ChainProblem(
                None,
                None,
                f"records {latest.sequence:,} events ending in {latest.hash[:12]}…, but the chain has only "
                f"{checked:,}: the last {latest.sequence - checked:,} row(s) were deleted"
                + (" with the chain head" if head is None else ", or the head rewritten to hide rows"),
                where=f"checkpoint {latest.name} (signed {latest.created_at})",
            ),
            latest,
        )
    if head is None:
        if checked:
            return problem(None, f"the chain head row is missing (deleted) but {checked:,} events remain")
    elif head.last_sequence != checked or head.last_hash != expected_prev:
        return problem(
            None,
            f"expected {head.last_sequence} rows ending in {head.last_hash[:12]}…, found {checked}"
            " (the last rows were deleted)",
        )
    return ChainReport(checked, None, latest, expected_prev)


def _unkeyed_prefix() -> int:
    """How many rows, from the first, carry an intact unkeyed SHA-256 chain (an older Homeward's)."""
    expected_prev, sequence = GENESIS, 0
    for event in _events_in_order(None):
        values = {name: getattr(event, name) for name in _HASHED_FIELDS}
        if event.sequence != sequence + 1 or event.prev_hash != expected_prev:
            break
        if unkeyed_hash(values) != event.hash:
            break
        expected_prev, sequence = event.hash, event.sequence
    return sequence


def write_checkpoint(*, accept_unkeyed: bool = False) -> tuple[Any, ChainReport]:
    """Verify the chain, then sign a checkpoint of its head (None and the report if the chain is broken).

    `accept_unkeyed` vouches, once, for rows written before the chain was keyed: the checkpoint records how
    many leading rows carry the old unkeyed SHA-256, and later checks accept exactly those.
    """
    from homeward.governance import checkpoints

    legacy_until = _unkeyed_prefix() if accept_unkeyed else 0
    report = verify_chain(legacy_until=legacy_until)
    if not report.is_intact:
        return None, report
    carried = max([legacy_until, *(c.legacy_until for c in checkpoints.load_all())])
    path = checkpoints.write(sequence=report.checked, hash=report.last_hash, legacy_until=carried)
    return path, report
