"""An audit trail that resists its own administrators: the keyed chain, signed checkpoints outside the
database, TRUNCATE refused, and a least-privileged application role (issue 24)."""

from __future__ import annotations

import hashlib
import json
import os
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import DatabaseError, connection, transaction
from typer.testing import CliRunner

from homeward.governance import checkpoints
from homeward.governance.audit import (
    _HASHED_FIELDS,
    GENESIS,
    canonical,
    record_event,
    verify_chain,
    write_checkpoint,
)
from homeward.governance.models import AuditChainHead, AuditEvent
from homeward.people import selectors
from tests.factories import PersonFactory, make_actor

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers and roles"
)


def _events(n: int = 6):
    actor = make_actor()
    person = PersonFactory(organisation=actor.organisation)
    for _ in range(n):
        selectors.get_person(actor=actor, person_id=person.pk)
    return actor, person


def _as_tamperer():
    """Someone who owns the tables (or is a superuser) can switch the triggers off; the chain must still
    show what they did."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE governance_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE governance_auditchainhead DISABLE TRIGGER USER")


def _rows():
    return list(AuditEvent.objects.order_by("sequence"))


# TRUNCATE ---------------------------------------------------------------------------------------------------


@on_postgresql
@pytest.mark.parametrize("table", ["governance_auditevent", "governance_auditchainhead"])
def test_truncate_of_either_audit_table_is_refused_on_postgresql(table):
    _events(2)
    refused = pytest.raises(DatabaseError, match=f"cannot be truncated \\({table} is append-only\\)")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 2 and AuditChainHead.objects.count() == 1


@on_postgresql
def test_the_chain_head_row_cannot_be_deleted_on_postgresql():
    _events(1)
    with pytest.raises(DatabaseError, match="chain head cannot be deleted"), transaction.atomic():
        AuditChainHead.objects.all().delete()


# The keyed chain --------------------------------------------------------------------------------------------


def test_the_chain_is_keyed_so_the_same_content_under_another_key_hashes_differently(settings):
    _events(1)
    row = _rows()[0]
    assert row.hash != hashlib.sha256(canonical({n: getattr(row, n) for n in _HASHED_FIELDS})).hexdigest()
    assert verify_chain().is_intact
    settings.AUDIT_KEY = "another installation's key"
    report = verify_chain()
    assert not report.is_intact and report.problem.event_id == row.pk


def test_editing_a_row_and_recomputing_every_hash_with_sha256_fails_verify_naming_the_row():
    _events(6)
    rows = _rows()
    victim = rows[2]
    _as_tamperer()
    # The tamperer edits row 3 and, knowing the algorithm but not the key, recomputes every later hash and
    # the chain head, as the unkeyed chain allowed.
    AuditEvent.objects.filter(pk=victim.pk).update(purpose="nothing to see here")
    prev = rows[1].hash
    for row in AuditEvent.objects.filter(sequence__gte=victim.sequence).order_by("sequence"):
        values = {name: getattr(row, name) for name in _HASHED_FIELDS} | {"prev_hash": prev}
        new_hash = hashlib.sha256(canonical(values)).hexdigest()
        AuditEvent.objects.filter(pk=row.pk).update(prev_hash=prev, hash=new_hash)
        prev = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    report = verify_chain()
    assert not report.is_intact
    assert report.problem.event_id == victim.pk
    assert str(report.problem) == (
        f"row {victim.pk} (sequence {victim.sequence}): content does not match its keyed hash: the row was "
        "edited, or the hashes were recomputed without the audit key"
    )


# Checkpoints ------------------------------------------------------------------------------------------------


def test_deleting_the_tail_and_the_head_row_fails_verify_against_the_checkpoint():
    _events(6)
    path, report = write_checkpoint()
    assert path is not None and report.is_intact and report.checked == 6
    _as_tamperer()
    rows = _rows()
    AuditEvent.objects.filter(pk__in=[r.pk for r in rows[-2:]]).delete()
    AuditChainHead.objects.all().delete()
    report = verify_chain()
    assert not report.is_intact
    assert str(report.problem).startswith(f"checkpoint {path.name} (signed ")
    assert report.problem.message == (
        f"records 6 events ending in {rows[-1].hash[:12]}…, but the chain has only 4: the last 2 row(s) were "
        "deleted with the chain head"
    )


def test_deleting_the_tail_and_rewriting_the_head_to_match_fails_verify_against_the_checkpoint():
    _events(6)
    path, _ = write_checkpoint()
    _as_tamperer()
    rows = _rows()
    AuditEvent.objects.filter(pk__in=[r.pk for r in rows[-3:]]).delete()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=3, last_hash=rows[2].hash)
    report = verify_chain()
    assert not report.is_intact and path.name in str(report.problem)
    assert "the last 3 row(s) were deleted" in report.problem.message


def test_without_a_checkpoint_a_missing_head_row_is_still_named():
    _events(3)
    _as_tamperer()
    AuditChainHead.objects.all().delete()
    report = verify_chain()
    assert str(report.problem) == "chain head: the chain head row is missing (deleted) but 3 events remain"


def test_rows_after_the_checkpoint_are_checked_and_later_checkpoints_extend_it():
    actor, person = _events(3)
    write_checkpoint()
    selectors.get_person(actor=actor, person_id=person.pk)
    report = verify_chain()
    assert report.is_intact and report.checked == 4 and report.checkpoint.sequence == 3
    path, report = write_checkpoint()
    assert verify_chain().checkpoint.name == path.name


def test_a_checkpoint_with_a_bad_signature_is_refused():
    _events(3)
    path, _ = write_checkpoint()
    payload = json.loads(path.read_text())
    payload["sequence"] = 2  # an administrator "adjusts" the checkpoint to match a shortened chain
    os.chmod(path, 0o644)
    path.write_text(json.dumps(payload))
    report = verify_chain()
    assert not report.is_intact
    assert str(report.problem).startswith(f"checkpoint {path.name}: bad signature: it was not signed by this")
    assert report.problem.message.endswith("or it was altered after signing; refused")


def test_a_checkpoint_signed_with_another_key_is_refused(settings, tmp_path):
    _events(3)
    write_checkpoint()
    forger = tmp_path / "forger.pem"
    settings.AUDIT_SIGNING_KEY_FILE, genuine = forger, settings.AUDIT_SIGNING_KEY_FILE
    forged = checkpoints.write(sequence=1, hash=_rows()[0].hash)
    settings.AUDIT_SIGNING_KEY_FILE = genuine
    report = verify_chain()
    assert str(report.problem).startswith(f"checkpoint {forged.name}: bad signature")
    # A separate verify key (a machine holding only the public key) sees the same.
    public = tmp_path / "verify.pem"
    public.write_text(checkpoints.public_key_pem())
    settings.AUDIT_VERIFY_KEY_FILE = str(public)
    assert "bad signature" in str(verify_chain().problem)
    forged.chmod(0o644)
    forged.unlink()
    assert verify_chain().is_intact


def test_an_unreadable_checkpoint_is_refused():
    _events(1)
    path, _ = write_checkpoint()
    path.chmod(0o644)
    path.write_text("{not json")
    assert str(verify_chain().problem).startswith(f"checkpoint {path.name}: not a readable checkpoint")


def test_a_broken_chain_gets_no_checkpoint():
    _events(3)
    _as_tamperer()
    AuditEvent.objects.filter(pk=_rows()[1].pk).update(purpose="x")
    path, report = write_checkpoint()
    assert path is None and not report.is_intact
    assert checkpoints.load_all() == []


def test_checkpoints_are_signed_ed25519_and_read_only():
    _events(1)
    path, _ = write_checkpoint()
    assert path.stat().st_mode & 0o777 == 0o444
    key = checkpoints.signing_key()
    assert isinstance(key, Ed25519PrivateKey)
    payload = json.loads(path.read_text())
    assert payload["format"] == checkpoints.FORMAT and payload["sequence"] == 1
    assert set(payload) == {"format", "sequence", "hash", "created_at", "legacy_until", "key_id", "signature"}


def test_rows_from_before_the_chain_was_keyed_are_accepted_only_when_a_checkpoint_vouches_for_them():
    _events(4)
    _as_tamperer()
    # As an older Homeward wrote them: plain SHA-256.
    prev = GENESIS
    for row in _rows():
        values = {name: getattr(row, name) for name in _HASHED_FIELDS} | {"prev_hash": prev}
        new_hash = hashlib.sha256(canonical(values)).hexdigest()
        AuditEvent.objects.filter(pk=row.pk).update(prev_hash=prev, hash=new_hash)
        prev = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert "keyed hash" in str(verify_chain().problem)
    path, report = write_checkpoint(accept_unkeyed=True)
    assert path is not None and json.loads(path.read_text())["legacy_until"] == 4
    record_event(actor=None, action="login_failed", purpose="Sign-in", username="someone")
    assert verify_chain().is_intact
    # Editing an old row and recomputing its unkeyed hash no longer matches the checkpoint.
    rows = _rows()
    AuditEvent.objects.filter(pk=rows[3].pk).update(purpose="changed")
    values = {name: getattr(AuditEvent.objects.get(pk=rows[3].pk), name) for name in _HASHED_FIELDS}
    AuditEvent.objects.filter(pk=rows[3].pk).update(hash=hashlib.sha256(canonical(values)).hexdigest())
    report = verify_chain()
    assert report.problem.event_id == rows[3].pk and path.name in report.problem.message


# The CLI ----------------------------------------------------------------------------------------------------


def test_audit_checkpoint_and_verify_from_the_command_line():
    import typer

    from homeward.cli import platform

    app = typer.Typer()
    platform.register(app)
    _events(3)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "No signed checkpoint yet" in result.output
    result = CliRunner().invoke(app, ["audit", "checkpoint", "--json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert written["sequence"] == 3
    result = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert json.loads(result.output)["checkpoint"]["sequence"] == 3
    _as_tamperer()
    AuditEvent.objects.filter(pk=_rows()[-1].pk).delete()
    AuditChainHead.objects.all().delete()
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "were deleted with the chain head" in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["audit", "checkpoint"])
    assert result.exit_code == 1 and "no checkpoint written" in " ".join(result.output.split())


# A least-privileged application role ------------------------------------------------------------------------


@on_postgresql
def test_a_least_privileged_app_role_may_append_but_not_rewrite_the_audit_trail():
    """The role docs/deploy.md gives the application: owns no audit table, and holds only SELECT and INSERT
    on the events (plus UPDATE on the one head row, which record_event advances)."""
    _events(2)
    role = f"homeward_app_test_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")  # rolled back with the test's transaction
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON governance_auditevent TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON governance_auditchainhead TO {role}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        record_event(actor=None, action="login_failed", purpose="Sign-in", username="someone")
        refused = {
            "UPDATE governance_auditevent SET purpose = 'x'": "permission denied",
            "DELETE FROM governance_auditevent": "permission denied",
            "TRUNCATE governance_auditevent": "permission denied",
            "TRUNCATE governance_auditchainhead": "permission denied",
            "DELETE FROM governance_auditchainhead": "permission denied",
            "ALTER TABLE governance_auditevent DISABLE TRIGGER USER": "must be owner",
            "ALTER TABLE governance_auditchainhead DISABLE TRIGGER USER": "must be owner",
        }
        for sql, message in refused.items():
            refused_here = pytest.raises(DatabaseError, match=message)
            with refused_here, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 3 and verify_chain().is_intact
