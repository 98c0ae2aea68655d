"""Homeward's PostgreSQL connections run with JIT off (settings.py): page queries are short, and at a
region's scale compiling them cost more than running them (docs/deploy.md)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_connections_do_not_jit_compile_queries():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; the tests run on SQLite here")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
