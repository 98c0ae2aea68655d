"""Shared fixtures. Database tests use PostgreSQL when DATABASE_URL is set (CI), SQLite otherwise."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HOMEWARD_VAR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 in production; a fast hasher in tests so suites run in minutes, not hours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path):
    """Each test signs audit checkpoints into its own folder, with its own key."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "audit_signing_key.pem"
    settings.AUDIT_VERIFY_KEY_FILE = ""


def _flush_past_audit_triggers() -> None:
    """Between transactional tests Django empties every table with TRUNCATE, which the audit tables refuse on
    PostgreSQL (migration governance 0006). The test database's superuser flushes with user triggers off."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        if sql_list:
            sql_list = ["SET LOCAL session_replication_role = replica", *sql_list]
        return original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush


_flush_past_audit_triggers()
