"""The backup and restore in docs/deploy.md, done for real: pg_dump the database, pg_restore it into a scratch
database, and compare every table's row count; the restored audit chain verifies with the same key."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from homeward.demo import seed_demo
from homeward.governance.audit import write_checkpoint

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]
REPO = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, host, port = db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_pg_dump_and_restore_into_a_scratch_database_keeps_every_row_and_the_audit_chain(tmp_path):
    seed_demo(people=30)
    path, report = write_checkpoint()
    assert path is not None
    source = _url(connection.settings_dict["NAME"])
    dump = tmp_path / "homeward.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True, timeout=300)
    scratch = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(scratch)}", str(dump)],
            check=True,
            timeout=300,
        )
        before, after = _counts(source), _counts(_url(scratch))
        assert before == after
        assert before["core_person"] >= 30 and before["governance_auditevent"] == report.checked > 0
        # `homeward audit verify` on the restored copy, with the same audit key and checkpoints.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env |= {
            "DATABASE_URL": _url(scratch),
            "HOMEWARD_AUDIT_KEY": settings.AUDIT_KEY,
            "HOMEWARD_AUDIT_CHECKPOINT_DIR": str(settings.AUDIT_CHECKPOINT_DIR),
            "HOMEWARD_AUDIT_SIGNING_KEY_FILE": str(settings.AUDIT_SIGNING_KEY_FILE),
        }
        verify = subprocess.run(
            [str(Path(sys.executable).parent / "homeward"), "audit", "verify", "--json"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
        result = json.loads(verify.stdout)
        assert result["intact"] and result["checkpoint"]["sequence"] == report.checked
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
