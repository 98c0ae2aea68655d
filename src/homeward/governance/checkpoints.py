"""Signed checkpoints of the audit chain head, kept outside the database.

A checkpoint is a small JSON file: the sequence and hash of the newest audit row at the time, signed with an
Ed25519 key (`settings.AUDIT_SIGNING_KEY_FILE`). `homeward audit checkpoint` writes one (on demand, or from
cron / a systemd timer); `homeward audit verify` refuses any checkpoint whose signature does not check, and
fails when the chain no longer contains what a checkpoint recorded (rows deleted from the end together with
the chain head, or rows rewritten). Put the directory on storage the database's administrators cannot
rewrite (write-once object storage, another host) for the checkpoints to mean anything against them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

FORMAT = "homeward-audit-checkpoint/1"
_FIELDS = ("format", "sequence", "hash", "created_at", "legacy_until", "key_id")


class CheckpointRefused(Exception):
    """A checkpoint file that cannot be trusted (bad signature, unreadable): verification stops there."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"checkpoint {name}: {reason}")
        self.name, self.reason = name, reason


@dataclass(frozen=True)
class Checkpoint:
    name: str
    sequence: int
    hash: str
    created_at: str
    legacy_until: int  # rows up to here may carry the unkeyed SHA-256 of an older Homeward
    key_id: str


def _signed_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps({k: payload[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def _key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key(*, create: bool = False) -> Ed25519PrivateKey:
    path = Path(settings.AUDIT_SIGNING_KEY_FILE)
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"no audit signing key at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return loaded


def verify_key() -> Ed25519PublicKey | None:
    """The public key checkpoints must be signed with: HOMEWARD_AUDIT_VERIFY_KEY_FILE, else the signing
    key's own; None when neither exists yet (no checkpoint has ever been written here)."""
    if settings.AUDIT_VERIFY_KEY_FILE:
        loaded = serialization.load_pem_public_key(Path(settings.AUDIT_VERIFY_KEY_FILE).read_bytes())
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError(f"{settings.AUDIT_VERIFY_KEY_FILE} is not an Ed25519 public key")
        return loaded
    try:
        return signing_key().public_key()
    except FileNotFoundError:
        return None


def _parse(path: Path, public: Ed25519PublicKey | None) -> Checkpoint:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        signature = base64.b64decode(payload["signature"], validate=True)
        checkpoint = Checkpoint(
            name=path.name,
            sequence=int(payload["sequence"]),
            hash=str(payload["hash"]),
            created_at=str(payload["created_at"]),
            legacy_until=int(payload["legacy_until"]),
            key_id=str(payload["key_id"]),
        )
        if payload["format"] != FORMAT:
            raise ValueError(f"format {payload['format']!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointRefused(path.name, f"not a readable checkpoint ({exc}); refused") from None
    if public is None:
        raise CheckpointRefused(path.name, "no audit signing or verify key here to check it with; refused")
    try:
        public.verify(signature, _signed_bytes(payload))
    except InvalidSignature:
        raise CheckpointRefused(
            path.name,
            f"bad signature: it was not signed by this installation's audit key (key {_key_id(public)}) or "
            "it was altered after signing; refused",
        ) from None
    return checkpoint


def load_all(directory: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the directory, oldest first; CheckpointRefused on the first untrustworthy one."""
    folder = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("checkpoint-*.json"))
    if not files:
        return []
    public = verify_key()
    found = [_parse(path, public) for path in files]
    return sorted(found, key=lambda c: (c.sequence, c.created_at))


def write(*, sequence: int, hash: str, legacy_until: int = 0, directory: Path | None = None) -> Path:
    """Sign and write one checkpoint; files are never overwritten, and are left read-only."""
    key = signing_key(create=True)
    now = timezone.now()
    payload: dict[str, Any] = {
        "format": FORMAT,
        "sequence": sequence,
        "hash": hash,
        "created_at": now.isoformat(),
        "legacy_until": legacy_until,
        "key_id": _key_id(key.public_key()),
    }
    payload["signature"] = base64.b64encode(key.sign(_signed_bytes(payload))).decode()
    folder = Path(directory or settings.AUDIT_CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{sequence:012d}-{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(payload, out, indent=2)
        out.write("\n")
    return path


def public_key_pem() -> str:
    """The verify key, to hand to whoever checks checkpoints elsewhere (HOMEWARD_AUDIT_VERIFY_KEY_FILE)."""
    return (
        signing_key(create=True)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
