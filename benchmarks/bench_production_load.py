"""Benchmark: Homeward under load and faults as it is served in production (issue 24, "Proof under load").

Three runs, each against gunicorn over HTTP on loopback, with signed-in staff (the load generator of
bench_discharge_worklists.py: one virtual user per session, its own keep-alive connection, think time 1–3 s,
a warm-up discarded):

  * sqlite   – the SQLite demo (`homeward demo` data, 300 people) with 10 concurrent users opening the main
               pages and the API, reading and writing (PATCH /api/v1/people/{id}). Goal: zero errors.
               Named baseline in the same run: the same load on Django's default SQLite settings
               (no WAL, deferred transactions, 5 s timeout), benchmarks/sqlite_default_settings.py.
  * postgres – the demo on PostgreSQL with 100 concurrent users for 5 minutes: p50/p95/p99 per page,
               errors and throughput. Goal: zero errors.
  * restart  – a throwaway PostgreSQL cluster of our own (initdb + pg_ctl on port 5499, in a temp dir; never
               the machine's shared server) restarted in the middle of a 20-user run. Goal: every answer
               is 200 or a clean 503 (no 500, no dropped connection, no traceback), and Homeward recovers
               without being restarted; the time to recover is recorded.

Run: .venv/bin/python benchmarks/bench_production_load.py [sqlite|postgres|restart ...]
     → benchmarks/results/production_load.json (exit 1 when a goal is missed).
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_production, created if missing)
is the postgres run's database. BENCH_USERS_SQLITE, BENCH_USERS_PG, BENCH_SECONDS_SQLITE, BENCH_SECONDS_PG,
BENCH_WORKERS scale it.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results" / "production_load.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_production"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
RESTART_PORT = 5499
THINK = (1.0, 3.0)
WARMUP = 10.0
SEED = 20261202
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PLAN = {
    "sqlite": {
        "users": int(os.environ.get("BENCH_USERS_SQLITE", "10")),
        "seconds": float(os.environ.get("BENCH_SECONDS_SQLITE", "60")),
        "people": 300,
    },
    "postgres": {
        "users": int(os.environ.get("BENCH_USERS_PG", "100")),
        "seconds": float(os.environ.get("BENCH_SECONDS_PG", "300")),
        "people": 500,
    },
    "restart": {"users": 20, "seconds": 60.0, "people": 100, "restart_after": 20.0},
}


# The child: one run, in its own process (each run has its own database settings) ---------------------------


def _prepare(people: int, users: int) -> dict[str, Any]:
    """Migrate, seed the demo, and sign in: sessions for the virtual users, one API token, and the ids of
    people and cases the demo's ward clinician can see (so every page is a 200, not a refusal)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from homeward.core.models import Membership
    from homeward.demo import DEMO_PASSWORD, seed_demo
    from homeward.discharge.models import DischargeCase
    from homeward.governance.access import Actor, visible_people

    call_command("migrate", interactive=False, verbosity=0)
    seed_demo(people=people)
    membership = Membership.objects.select_related("user", "organisation").get(user__username="clinician")
    actor = Actor(membership.user, membership)
    person_ids = list(visible_people(actor).order_by("pk").values_list("pk", flat=True)[:100])
    case_ids = list(
        DischargeCase.objects.filter(organisation=membership.organisation)
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    names = list(visible_people(actor).order_by("pk").values_list("family_name", flat=True)[:50])
    cookies = []
    for _ in range(users):
        client = Client()
        client.force_login(membership.user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    reply = Client().post(
        "/api/v1/auth/token",
        data=json.dumps(
            {
                "username": "clinician",
                "password": DEMO_PASSWORD,
                "organisation_id": membership.organisation_id,
            }
        ),
        content_type="application/json",
    )
    assert reply.status_code == 200, reply.content
    assert person_ids and case_ids, "the demo gave the clinician nobody to look at"
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
        "token": reply.json()["token"],
        "person_ids": person_ids,
        "case_ids": case_ids,
        "names": sorted(set(names)),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "homeward.wsgi:application",
            f"--workers={WORKERS}",
            "--threads=2",
            "--keep-alive=10",  # longer than a user's think time, as a reverse proxy's upstream keep-alive
            "--timeout=120",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/account/sign-in/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not start")


Request = tuple[str, str, str, str | None]  # page name, method, path, JSON body


def _round(rng: random.Random, ctx: dict[str, Any], writes: bool) -> list[Request]:
    person, case = rng.choice(ctx["person_ids"]), rng.choice(ctx["case_ids"])
    pages: list[Request] = [
        ("home", "GET", "/", None),
        ("search", "GET", f"/people/?q={rng.choice(ctx['names'])[:3]}", None),
        ("person", "GET", f"/people/{person}/", None),
        ("discharge_worklist", "GET", "/discharge/", None),
        ("case", "GET", f"/discharge/cases/{case}/", None),
        ("dashboard", "GET", "/discharge/dashboard/", None),
        ("api_person", "GET", f"/api/v1/people/{person}", None),
    ]
    if writes:
        body = json.dumps({"phone": f"0161 496 {rng.randrange(10000):04d}"})
        pages.append(("api_patch_person", "PATCH", f"/api/v1/people/{person}", body))
    return pages


Result = tuple[str, float, int, float, bool]  # page, ms, status, finished at (epoch s), traceback in body


def _virtual_user(
    port: int, cookie: str, ctx: dict[str, Any], stop_at: float, seed: int, out: list[Result], writes: bool
) -> None:
    rng = random.Random(seed)
    page_headers = {"Cookie": f"{ctx['cookie_name']}={cookie}"}
    api_headers = {"Authorization": f"Bearer {ctx['token']}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    time.sleep(rng.uniform(0, THINK[1]))
    while time.time() < stop_at:
        for name, method, path, body in _round(rng, ctx, writes):
            headers = api_headers if path.startswith("/api/") else page_headers
            started = time.perf_counter()
            traceback, status = False, 0
            for attempt in (1, 2):  # like a browser, resend once if the idle connection was closed
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    text = response.read()
                    status, traceback = response.status, b"Traceback" in text
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    if attempt == 2:
                        status = 0
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status = 0
                    break
            out.append((name, (time.perf_counter() - started) * 1000, status, time.time(), traceback))
            time.sleep(rng.uniform(*THINK))
            if time.time() >= stop_at:
                break
    conn.close()


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _report(results: list[Result], seconds: float) -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for name in sorted({r[0] for r in results}):
        ok = [ms for page, ms, status, _, _ in results if page == name and status == 200]
        statuses: dict[str, int] = {}
        for page, _, status, _, _ in results:
            if page == name:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        pages[name] = {
            "requests": sum(statuses.values()),
            "errors": sum(n for s, n in statuses.items() if s != "200"),
            "statuses": statuses,
            "p50_ms": round(_percentile(ok, 0.50), 1),
            "p95_ms": round(_percentile(ok, 0.95), 1),
            "p99_ms": round(_percentile(ok, 0.99), 1),
        }
    return {
        "pages": pages,
        "requests": len(results),
        "errors": sum(1 for r in results if r[2] != 200),
        "tracebacks": sum(1 for r in results if r[4]),
        "throughput_rps": round(len(results) / seconds, 1),
    }


def _load(port: int, ctx: dict[str, Any], users: int, seconds: float, writes: bool) -> list[Result]:
    results: list[Result] = []
    begin = time.time()
    threads = [
        threading.Thread(
            target=_virtual_user,
            args=(port, ctx["cookies"][n], ctx, begin + WARMUP + seconds, SEED + n, results, writes),
        )
        for n in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r[3] >= begin + WARMUP]


def child(mode: str, settings_module: str) -> dict[str, Any]:
    plan = PLAN[mode]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    ctx = _prepare(plan["people"], plan["users"])
    env = os.environ | {
        "PYTHONPATH": f"{Path(__file__).parent}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "HOMEWARD_ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
    }
    port = _free_port()
    server = _start_gunicorn(port, env)
    restart: dict[str, Any] = {}
    try:
        if mode == "restart":
            pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", os.environ["BENCH_PGDATA"], "-w", "-m", "fast"]
            owner = {"user": "postgres"} if os.environ.get("BENCH_PG_AS_POSTGRES") == "1" else {}

            def restart_database() -> None:
                time.sleep(WARMUP + plan["restart_after"])
                restart["at"] = time.time()
                # The restarted server must not inherit our pipes (run() would wait on them): log to a file.
                log = ["-l", str(Path(os.environ["BENCH_PGDATA"]).parent / "log")]
                subprocess.run(
                    [*pg_ctl, *log, "restart"],
                    check=True,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=120,
                    **owner,
                )
                restart["back_at"] = time.time()

            restarter = threading.Thread(target=restart_database)
            restarter.start()
            results = _load(port, ctx, plan["users"], plan["seconds"], writes=True)
            restarter.join()
        else:
            results = _load(port, ctx, plan["users"], plan["seconds"], writes=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = _report(results, plan["seconds"])
    report |= {"users": plan["users"], "seconds": plan["seconds"], "demo_people": plan["people"]}
    if mode == "restart":
        after = sorted(r for r in results if r[3] >= restart["at"])
        failing = [r for r in after if r[2] != 200]
        last_failure = max((r[3] for r in failing), default=restart["at"])
        first_ok_after = min((r[3] for r in after if r[2] == 200 and r[3] > last_failure), default=None)
        unclean = [r for r in results if r[2] not in (200, 503) or r[4]]
        report["restart"] = {
            "database_down_s": round(restart["back_at"] - restart["at"], 2),
            "answers_during_and_after": {
                str(s): sum(1 for r in after if r[2] == s) for s in sorted({r[2] for r in after})
            },
            "unclean_answers": len(unclean),
            "recovered_s_after_restart": None
            if first_ok_after is None
            else round(first_ok_after - restart["at"], 2),
        }
    return report


# The parent: sets up each run's database and environment, runs the child, checks the goals ----------------


def _run_child(mode: str, env: dict[str, str], settings_module: str = "homeward.settings") -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, settings_module],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{mode} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _base_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "DATABASE_URL", "DJANGO_"))}
    return env | {"HOMEWARD_VAR": str(var_dir), "HOMEWARD_HOME": str(ROOT)}


def run_sqlite() -> dict[str, Any]:
    out = {}
    for name, settings_module in (
        ("homeward", "homeward.settings"),
        ("baseline_django_default_sqlite", "sqlite_default_settings"),
    ):
        with tempfile.TemporaryDirectory(prefix="homeward-bench-sqlite-") as var:
            env = _base_env(Path(var))
            env["PYTHONPATH"] = str(Path(__file__).parent)
            print(f"sqlite run ({name}) …", flush=True)
            out[name] = _run_child("sqlite", env, settings_module)
    out["pass"] = out["homeward"]["errors"] == 0 and out["homeward"]["tracebacks"] == 0
    return out


def run_postgres() -> dict[str, Any]:
    from bench_person_search import ensure_database

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    with tempfile.TemporaryDirectory(prefix="homeward-bench-pg-") as var:
        env = _base_env(Path(var)) | {"DATABASE_URL": url}
        print(f"postgres run: {PLAN['postgres']['users']} users for {PLAN['postgres']['seconds']:.0f} s …")
        report = _run_child("postgres", env)
    report["pass"] = report["errors"] == 0 and report["tracebacks"] == 0
    return report


def run_restart() -> dict[str, Any]:
    if not (PG_BIN / "initdb").exists():
        return {"skipped": f"no {PG_BIN / 'initdb'}"}
    with tempfile.TemporaryDirectory(prefix="homeward-bench-restart-") as tmp:
        data, var = Path(tmp) / "pgdata", Path(tmp) / "var"
        owner: dict[str, Any] = {}
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the cluster belongs to "postgres"
            import pwd

            postgres = pwd.getpwnam("postgres")
            shutil.chown(tmp, postgres.pw_uid, postgres.pw_gid)
            owner = {"user": "postgres"}
        subprocess.run(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
            **owner,
        )
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w"]
        options = f"-p {RESTART_PORT} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*pg_ctl, "-o", options, "-l", str(Path(tmp) / "log"), "start"], check=True, **owner)
        try:
            url = f"postgres://postgres@127.0.0.1:{RESTART_PORT}/homeward_restart"
            subprocess.run(
                [
                    "createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(RESTART_PORT),
                    "-U",
                    "postgres",
                    "homeward_restart",
                ],
                check=True,
            )
            var.mkdir()
            env = _base_env(var) | {"DATABASE_URL": url, "BENCH_PGDATA": str(data)}
            if owner:
                env["BENCH_PG_AS_POSTGRES"] = "1"
            print("restart run …", flush=True)
            report = _run_child("restart", env)
        finally:
            subprocess.run([*pg_ctl, "-m", "immediate", "stop"], check=False, capture_output=True, **owner)
    restart = report["restart"]
    report["pass"] = (
        restart["unclean_answers"] == 0
        and report["tracebacks"] == 0
        and restart["recovered_s_after_restart"] is not None
        and restart["recovered_s_after_restart"] < 30
    )
    return report


def main(modes: list[str]) -> int:
    results: dict[str, Any] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text())
    results["machine"] = {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "gunicorn_workers": WORKERS,
        "note": "2 CPU cores shared with other work while measured",
    }
    runners = {"sqlite": run_sqlite, "postgres": run_postgres, "restart": run_restart}
    for mode in modes:
        results[mode] = runners[mode]()
        results[mode]["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        print(json.dumps({mode: results[mode]}, indent=2), flush=True)
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    missed = [m for m in modes if results[m].get("pass") is False]
    if missed:
        print(f"goal missed: {missed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        mode, settings_module = sys.argv[2], sys.argv[3]
        print(json.dumps(child(mode, settings_module)))
        sys.exit(0)
    sys.exit(main(sys.argv[1:] or ["sqlite", "postgres", "restart"]))
