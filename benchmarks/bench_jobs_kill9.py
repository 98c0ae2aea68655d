"""Benchmark: a worker killed with SIGKILL mid-import leaves nothing half-written (issue 24, "Performance").

On PostgreSQL (a fresh database beside DATABASE_URL's, named <name>_kill9bench, dropped and re-created):
1. Baseline, in the same run: a clean import of about 1,000,000 housing events for organisation A, run
   as a background job by a real `homeward worker --batch`.
2. The same extracts for organisation B, by a worker that is killed with SIGKILL once the job is writing
   (its rows are in its open transaction and its progress says how far it has got).
3. Rows of B visible after the kill: the goal is 0 (and 0 import batches); the job is still "running".
4. A worker that starts marks the job failed; the import is queued again and completes.
5. B's rows equal A's: the same count per kind and the same digest of (kind, event_id, row_hash, data).

Exits non-zero when any goal is missed. Results: benchmarks/results/jobs_kill9.json.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward .venv/bin/python benchmarks/bench_jobs_kill9.py
     [--events 1000000] [--tenancies 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "jobs_kill9.json"
KILL_AT = 0.4  # kill once this share of the rows has been written inside the job's transaction


def bench_url(base: str) -> tuple[str, str]:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_kill9bench"
    return urlunsplit(parts._replace(path="/" + name)), name


def recreate(base: str, name: str) -> None:
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from homeward.cli import main; main()", "worker", "--interval", "0.2", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def digest(organisation_id: int) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, count(*), md5(string_agg(event_id || '|' || row_hash || '|' || data::text, ',' "
            "ORDER BY event_id)) FROM prevention_housingevent WHERE organisation_id = %s GROUP BY kind "
            "ORDER BY kind",
            [organisation_id],
        )
        return {kind: {"rows": n, "md5": md5} for kind, n, md5 in cursor.fetchall()}


def others_connected() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def wait(predicate: Any, seconds: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > seconds:
            raise SystemExit(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--tenancies", type=int, default=50_000)
    parser.add_argument(
        "--job-memory-mb", type=int, default=8192, help="HOMEWARD_JOB_MEMORY_MB for the worker"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print(
            "Set DATABASE_URL to a PostgreSQL database; the benchmark makes its own beside it.",
            file=sys.stderr,
        )
        return 2
    url, name = bench_url(base)
    recreate(base, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    os.environ.setdefault("HOMEWARD_HOME", str(ROOT))
    env = {**os.environ, "HOMEWARD_JOB_MEMORY_MB": str(args.job_memory_mb)}
    env.pop("HOMEWARD_JOB_ISOLATION", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from homeward.core.models import Organisation
    from homeward.engines.risk import generate
    from homeward.jobs.models import Job
    from homeward.jobs.services import start_job
    from homeward.prevention.importer import IMPORT_KIND
    from homeward.prevention.models import HousingEvent, ImportBatch

    call_command("migrate", interactive=False, verbosity=0)
    data_dir = HERE / "data" / f"kill9-{args.tenancies}-{args.events}"
    if not (data_dir / "tenancies.parquet").exists():
        synthetic = generate(args.tenancies, args.events, seed=24)
        synthetic.write(data_dir, fmt="parquet")
    (data_dir / "planted.parquet").unlink(missing_ok=True)
    import polars as pl

    expected = sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in data_dir.glob("*.parquet"))
    clean = Organisation.objects.create(name="Kill-9 baseline (clean import)", kind="housing_provider")
    killed = Organisation.objects.create(name="Kill-9 killed import", kind="housing_provider")

    def queue(org: Organisation) -> Job:
        return start_job(
            kind=IMPORT_KIND, organisation=org, params={"directory": str(data_dir)}, label="Import"
        )

    # 1. The baseline: a clean import.
    baseline_job = queue(clean)
    started = time.perf_counter()
    out = worker(env, "--batch").communicate()[0].decode()
    clean_s = time.perf_counter() - started
    baseline_job.refresh_from_db()
    if baseline_job.status != "succeeded":
        print(out, baseline_job.error, file=sys.stderr)
        return 1
    clean_digest = digest(clean.pk)

    # 2. The same import, killed with SIGKILL once it is writing.
    job = queue(killed)
    proc = worker(env)
    wait(
        lambda: Job.objects.filter(
            pk=job.pk, message__startswith="Importing", progress_done__gte=int(KILL_AT * expected)
        ).exists(),
        3600,
        "the import to be writing",
    )
    at_kill = Job.objects.get(pk=job.pk)
    rows_visible_before_kill = HousingEvent.objects.filter(organisation=killed).count()
    killed_at = timezone.now()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rollback_s = wait(lambda: others_connected() == 0, 600, "the job's connections to close")
    rows_after_kill = HousingEvent.objects.filter(organisation=killed).count()
    batches_after_kill = ImportBatch.objects.filter(organisation=killed).count()
    status_after_kill = Job.objects.get(pk=job.pk).status

    # 3. Restart: the stale job is marked failed; the import is queued again and completes.
    restart_out = worker(env, "--batch").communicate()[0].decode()
    job.refresh_from_db()
    retry = queue(killed)
    started = time.perf_counter()
    retry_out = worker(env, "--batch").communicate()[0].decode()
    retry_s = time.perf_counter() - started
    retry.refresh_from_db()
    killed_digest = digest(killed.pk)
    rows_after_retry = HousingEvent.objects.filter(organisation=killed).count()

    goals = {
        "no rows after the kill": rows_after_kill == 0 and batches_after_kill == 0,
        "the stale job is marked failed on restart": job.status == "failed"
        and "Marked failed 1" in restart_out,
        "the import run again succeeds": retry.status == "succeeded",
        "rows after the retry equal the clean import's": killed_digest == clean_digest
        and rows_after_retry == expected,
    }
    result = {
        "benchmark": "jobs_kill9",
        "when": timezone.now().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg(),
            "database": "PostgreSQL",
        },
        "events_expected": expected,
        "baseline": {
            "name": "clean import in the same run",
            "seconds": round(clean_s, 1),
            "per_kind": clean_digest,
        },
        "killed": {
            "killed_at": killed_at.isoformat(),
            "progress_at_kill": [at_kill.progress_done, at_kill.progress_total],
            "message_at_kill": at_kill.message,
            "rows_visible_before_kill": rows_visible_before_kill,
            "rows_after_kill": rows_after_kill,
            "import_batches_after_kill": batches_after_kill,
            "job_status_after_kill": status_after_kill,
            "seconds_until_its_connections_closed": round(rollback_s, 1),
            "job_status_after_restart": job.status,
            "job_error_after_restart": job.error,
        },
        "retry": {"status": retry.status, "seconds": round(retry_s, 1), "rows": rows_after_retry},
        "equal_to_baseline": killed_digest == clean_digest,
        "goals": goals,
        "passed": all(goals.values()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({"goals": goals, "passed": result["passed"]}, indent=2))
    if not result["passed"]:
        print(retry_out[-2000:], file=sys.stderr)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
