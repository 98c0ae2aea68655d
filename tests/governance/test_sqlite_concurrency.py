"""The embedded SQLite database serves concurrent staff: no "database is locked", every read audited."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ten_threads_of_audited_reads_and_writes_on_a_sqlite_file_never_lock(tmp_path):
    from tests.governance.sqlite_threads import ROUNDS, THREADS

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.governance.sqlite_threads", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert (tmp_path / "homeward.sqlite3").exists()
    assert report["journal_mode"] == "wal"
    assert report["errors"] == {}, report["errors"]
    expected = THREADS * ROUNDS
    assert report["done"] == {"search": expected, "view": expected, "edit": expected}
    # One audit row per search, per view and per edit: none lost, none written for a failed call.
    assert report["audit_rows_written"] == 3 * expected
    assert report["chain_intact"], report["chain_problem"]
