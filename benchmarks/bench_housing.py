"""Benchmark: supported housing at a national provider's scale (issue 19, "Performance").

Goal, with 1,000 schemes, 20,000 units and 300,000 stays over 10 years in PostgreSQL: the key worker's
caseload and a scheme's resident list p95 < 150 ms under 50 concurrent users, measured over HTTP on
loopback against the running app (gunicorn), with the closed-loop load generator of the Hospital to Home
benchmark (50 signed-in key workers, each on its own keep-alive connection, thinking 1-3 s between pages;
a warm-up is discarded); and the standards evidence export for one scheme < 2 s.

Named baseline, in the same run: the "floor", the signed-in home page (`/`), opened by the same users in
the same rounds, so a slow machine shows as a slow floor and the ratio to it is reported beside the p95.

Data (generated inside PostgreSQL with INSERT … SELECT generate_series, reused on reruns): one provider
with 1,000 schemes (four in five 24/7 hostels, the rest extra care and sheltered), 20 units each; each
unit has 15 stays one after another over ten years (the last one current), so 300,000 placements, people
and stay intervals; 1,000 key workers (one scheme's residents each; the 50 benchmark users are the first
50); per stay one needs assessment, four key-work sessions and up to two reviews (1.2 million sessions);
200 incidents per scheme over the ten years; shift handovers (three a day) for the last 400 days only for
the 24/7 schemes (a reduced history: the export reads one year, through the (scheme, day, shift) index).
Follow-ups, wellbeing measures and audit history are not loaded: these pages do not read them.

Run: .venv/bin/python benchmarks/bench_housing.py → benchmarks/results/housing.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_housing,
created if missing). BENCH_SCHEMES, BENCH_USERS and BENCH_SECONDS scale it down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench_discharge_worklists import page_report, run_load, sessions
from bench_person_search import ensure_database, setup_django

SCHEMES = int(os.environ.get("BENCH_SCHEMES", "1000"))
UNITS_PER_SCHEME = 20
STAYS_PER_UNIT = 15
WORKERS_N = SCHEMES  # one key worker per scheme's residents
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = 10.0
GOAL_P95_MS = 150.0
GOAL_EXPORT_S = 2.0
EXPORT_SAMPLES = 10
SEED = 20261203
PROVIDER = "Bench national housing provider"
PREFIX = "bench-housing-user-"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_housing"
RESULTS = Path(__file__).parent / "results" / "housing.json"
PAGES = ("caseload", "residents")
FLOOR = {"floor": "/"}


def load() -> dict[str, Any]:
    from django.db import connection, transaction

    from homeward.core.models import Organisation

    started = time.perf_counter()
    today = dt.date.today()
    d0 = today - dt.timedelta(days=3650)
    step = 3400 // (STAYS_PER_UNIT - 1)  # days between one stay's start and the next in a unit
    with transaction.atomic():
        provider = Organisation.objects.create(name=PROVIDER, kind="housing_provider")
        council = Organisation.objects.create(name="Bench commissioning council", kind="local_authority")
    p, c = provider.pk, council.pk
    steps = [
        (
            "key workers",
            f"""
            INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                   is_active, date_joined, job_title)
            SELECT '!', false, '{PREFIX}' || lpad(g::text, 4, '0'), 'Key', 'Worker ' || g, '', false, true,
                   now(), 'Key worker'
            FROM generate_series(0, {WORKERS_N - 1}) g;
            INSERT INTO core_membership (role, is_active, created_at, user_id, organisation_id)
            SELECT 'caseworker', true, now(), id, {p} FROM core_user WHERE username LIKE '{PREFIX}%';
            """,
        ),
        (
            "schemes and units",
            f"""
            INSERT INTO housing_scheme (name, scheme_type, staffing, contracted_units, address,
                                        plan_within_days, review_every_days, commissioner_id, organisation_id)
            SELECT 'Bench scheme ' || lpad(g::text, 4, '0'),
                   CASE WHEN g % 5 = 0 THEN 'extra_care' WHEN g % 5 = 1 AND g % 2 = 0 THEN 'sheltered'
                        ELSE 'hostel' END,
                   CASE WHEN g % 5 = 0 THEN 'day' ELSE '24_7' END,
                   {UNITS_PER_SCHEME}, '', 28, 91, {c}, {p}
            FROM generate_series(1, {SCHEMES}) g;
            CREATE TEMP TABLE bench_scheme AS
              SELECT id AS scheme_id, row_number() OVER (ORDER BY id) - 1 AS rank, staffing
              FROM housing_scheme WHERE organisation_id = {p};
            INSERT INTO housing_unit (name, status, void_reason, status_note, status_since, in_use_from,
                                      scheme_id)
            SELECT 'Room ' || u, 'ready_to_let', '', '', DATE '{d0}', DATE '{d0}', s.scheme_id
            FROM bench_scheme s, generate_series(1, {UNITS_PER_SCHEME}) u;
            CREATE TEMP TABLE bench_unit AS
              SELECT u.id AS unit_id, u.scheme_id, s.rank AS scheme_rank,
                     row_number() OVER (ORDER BY u.id) - 1 AS rank
              FROM housing_unit u JOIN bench_scheme s USING (scheme_id);
            CREATE TEMP TABLE bench_worker AS
              SELECT id AS user_id, row_number() OVER (ORDER BY username) - 1 AS rank
              FROM core_user WHERE username LIKE '{PREFIX}%';
            """,
        ),
        (
            "people and stays",
            f"""
            CREATE TEMP TABLE bench_stay AS
              SELECT u.unit_id, u.scheme_id, w.user_id AS worker_id, u.rank * {STAYS_PER_UNIT} + k AS n, k,
                     (DATE '{d0}' + k * {step} + (u.rank % 30)::int) AS arrived,
                     CASE WHEN k < {STAYS_PER_UNIT - 1}
                          THEN DATE '{d0}' + k * {step} + (u.rank % 30)::int + {step - 14} END AS departed
              FROM bench_unit u, generate_series(0, {STAYS_PER_UNIT - 1}) k, bench_worker w
              WHERE w.rank = u.scheme_rank % {WORKERS_N};
            SELECT setval(pg_get_serial_sequence('core_person', 'id'),
                          GREATEST((SELECT COALESCE(MAX(id), 0) FROM core_person), 1));
            CREATE TEMP TABLE bench_base AS
              SELECT (SELECT COALESCE(MAX(id), 0) FROM core_person) AS person0,
                     (SELECT COALESCE(MAX(id), 0) FROM housing_placement) AS placement0;
            INSERT INTO core_person (id, nhs_number, given_name, family_name, preferred_name, date_of_birth,
                address_line_1, address_line_2, town, postcode, uprn, phone, email, contact_preference,
                preferred_language, interpreter_required, accessibility_needs, created_at, updated_at,
                organisation_id)
            SELECT b.person0 + 1 + s.n, '', 'Pat', 'Bench' || lpad(s.n::text, 7, '0'), '',
                   DATE '1950-01-01' + (s.n % 15000)::int, '1 High St', '', 'Anytown', 'AN1 1AA', '', '', '',
                   '', 'English', false, '', now(), now(), {p}
            FROM bench_stay s, bench_base b;
            INSERT INTO housing_placement (id, status, source, needs, referred_on, opened_at, assessed_on,
                risk_level, risk_summary, not_eligible_reason, offered_on, answered_on, decline_reason,
                arrived_on, occupation, plan_agreed_on, readiness, move_on_plan, departed_on,
                departure_reason, destination, departure_note, closed_at, withdrawal_reason, key_worker_id,
                opened_by_id, organisation_id, person_id, scheme_id, offered_unit_id, assessed_needs_on)
            SELECT b.placement0 + 1 + s.n,
                   CASE WHEN s.departed IS NULL THEN 'resident' ELSE 'moved_on' END,
                   'homelessness_team', 'Benchmark referral', s.arrived - 14, now(), s.arrived - 10,
                   'medium', 'Benchmark', '', s.arrived - 5, s.arrived - 5, '', s.arrived, 'licence',
                   s.arrived + 7 + (s.n % 30)::int, 'not_yet', '', s.departed,
                   CASE WHEN s.departed IS NULL THEN '' WHEN s.n % 10 < 6 THEN 'planned' ELSE 'evicted' END,
                   CASE WHEN s.departed IS NULL THEN '' WHEN s.n % 10 < 6 THEN 'independent_tenancy'
                        ELSE 'unknown' END,
                   '', CASE WHEN s.departed IS NOT NULL THEN s.departed::timestamptz END, '', s.worker_id,
                   s.worker_id, {p}, b.person0 + 1 + s.n, s.scheme_id, s.unit_id,
                   s.arrived + 5 + (s.n % 30)::int
            FROM bench_stay s, bench_base b;
            INSERT INTO housing_occupancy (starts_on, ends_on, placement_id, unit_id)
            SELECT s.arrived, s.departed, b.placement0 + 1 + s.n, s.unit_id FROM bench_stay s, bench_base b;
            SELECT setval(pg_get_serial_sequence('core_person', 'id'), (SELECT MAX(id) FROM core_person));
            SELECT setval(pg_get_serial_sequence('housing_placement', 'id'),
                          (SELECT MAX(id) FROM housing_placement));
            """,
        ),
        (
            "assessments, sessions and reviews",
            f"""
            INSERT INTO housing_needsassessment (assessed_on, needs, assessor_id, placement_id)
            SELECT assessed_needs_on, '{{"be_healthy": {{"level": "some", "note": ""}}}}'::jsonb,
                   key_worker_id, id
            FROM housing_placement WHERE organisation_id = {p};
            INSERT INTO housing_keyworksession (held_on, minutes, areas, note, worker_id, placement_id)
            SELECT arrived_on + 3 + n * 50, 45, '["physical_health"]'::jsonb, '', key_worker_id, id
            FROM housing_placement, generate_series(0, 3) n
            WHERE organisation_id = {p} AND arrived_on + 3 + n * 50 <= COALESCE(departed_on, CURRENT_DATE);
            INSERT INTO housing_planreview (reviewed_on, summary, readiness, next_review_on, placement_id,
                                            reviewer_id, outcomes)
            SELECT plan_agreed_on + r, 'Benchmark review', 'not_yet', plan_agreed_on + r + 91, id,
                   key_worker_id, CASE WHEN r = 60 THEN '{{}}'::jsonb
                                       ELSE '{{"be_healthy": "partly"}}'::jsonb END
            FROM housing_placement, (VALUES (60), (150)) v(r)
            WHERE organisation_id = {p} AND plan_agreed_on + r <= COALESCE(departed_on, CURRENT_DATE);
            """,
        ),
        (
            "incidents and handovers",
            f"""
            INSERT INTO housing_incident (occurred_at, kind, description, others_involved, is_safeguarding,
                police_called, ambulance_called, action_taken, recorded_at, safeguarding_alerted_at,
                reviewed_on, review_note, recorded_by_id, scheme_id)
            SELECT ts, CASE WHEN g % 4 = 0 THEN 'threat' ELSE 'damage' END, 'Benchmark incident', '',
                   g % 10 = 0, g % 7 = 0, g % 9 = 0, 'Handled', ts, CASE WHEN g % 10 = 0 THEN ts END,
                   CASE WHEN g % 3 > 0 THEN (ts + interval '3 days')::date END, '', w.user_id, s.scheme_id
            FROM bench_scheme s JOIN bench_worker w ON w.rank = s.rank % {WORKERS_N},
                 generate_series(0, 199) g,
                 LATERAL (SELECT (TIMESTAMPTZ '{d0} 12:00+00' + g * interval '18 days') AS ts) t
            WHERE ts < now();
            INSERT INTO housing_shifthandover (shift_on, shift, staff_on_duty, handover, written_at,
                                               scheme_id, written_by_id)
            SELECT CURRENT_DATE - d, sh, 'Bench staff', 'Benchmark handover', now(), s.scheme_id, w.user_id
            FROM bench_scheme s JOIN bench_worker w ON w.rank = s.rank % {WORKERS_N},
                 generate_series(1, 400) d, unnest(ARRAY['early', 'late', 'night']) sh
            WHERE s.staffing = '24_7';
            """,
        ),
    ]
    with connection.cursor() as cursor:
        for label, sql in steps:
            t0 = time.perf_counter()
            print(f"loading {label} …", flush=True)
            with transaction.atomic():
                cursor.execute(sql)
            print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
        cursor.execute("VACUUM ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def is_loaded() -> bool:
    from homeward.housing.models import Placement

    expected = SCHEMES * UNITS_PER_SCHEME * STAYS_PER_UNIT
    return Placement.objects.filter(organisation__name=PROVIDER).count() >= expected * 0.9


def bench_schemes() -> list[int]:
    from homeward.housing.models import Scheme

    return list(
        Scheme.objects.filter(organisation__name=PROVIDER).order_by("pk").values_list("pk", flat=True)
    )


def page_facts(scheme_id: int) -> dict[str, Any]:
    """Queries per page and residents listed, in-process through the same views (empty is no result)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from homeward.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=f"{PREFIX}0001"))
    facts: dict[str, Any] = {}
    for name, path in (
        ("caseload", "/housing/caseload/?view=mine"),
        ("residents", f"/housing/schemes/{scheme_id}/"),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        rows = response.content.decode().count('href="/housing/placements/')
        assert rows > 0, f"the {name} page lists nobody: the benchmark would measure nothing"
        facts[name] = {"queries": len(captured.captured_queries), "residents_on_page": rows}
    return facts


def export_timing(schemes: list[int], rng: random.Random) -> dict[str, Any]:
    """The standards evidence for one scheme over the last year, as the CSV download (through the view,
    so the access check, the audit row and the CSV are timed too), for several schemes."""
    from django.test import Client

    from homeward.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=f"{PREFIX}0001"))
    times = []
    for scheme_id in rng.sample(schemes, min(EXPORT_SAMPLES, len(schemes))):
        started = time.perf_counter()
        response = client.get(f"/housing/schemes/{scheme_id}/standards/", {"format": "csv"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.content.count(b"\n") > 20
    return {
        "samples": len(times),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "goal_s": GOAL_EXPORT_S,
        "pass": max(times) < GOAL_EXPORT_S,
    }


def load_test(url: str, schemes: list[int]) -> dict[str, Any]:
    cookies = sessions(PREFIX, USERS)

    def one_round(rng: random.Random) -> list[tuple[str, str]]:
        """The key worker's caseload, a scheme's resident list (any of the provider's), the floor."""
        return [
            ("caseload", "/housing/caseload/?view=mine"),
            ("residents", f"/housing/schemes/{rng.choice(schemes)}/"),
            ("floor", FLOOR["floor"]),
        ]

    for attempt in range(3):  # gunicorn gets 60 s to start; on a busy shared machine it may need another go
        try:
            results = run_load(url, cookies, one_round, warmup=WARMUP, seconds=SECONDS)
            break
        except RuntimeError as exc:
            print(f"  {exc}; trying again ({attempt + 1} of 3)", flush=True)
    else:
        raise RuntimeError("gunicorn did not start in three tries")
    report: dict[str, Any] = {name: page_report(results, name, GOAL_P95_MS) for name in [*PAGES, *FLOOR]}
    floor = report["floor"]["p95_ms"]
    for name in PAGES:
        report[name]["ratio_to_floor"] = round(report[name]["p95_ms"] / floor, 2) if floor else None
    report["throughput_rps"] = round(len(results) / SECONDS, 1)
    return report


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    loaded = {"reused": True} if is_loaded() else load()
    print("data:", loaded, flush=True)
    schemes = bench_schemes()
    rng = random.Random(SEED)
    facts = page_facts(schemes[1])
    print("pages:", facts, flush=True)
    export = export_timing(schemes, rng)
    print("standards export:", export, flush=True)
    print(f"load test: {USERS} users for {SECONDS:.0f} s after {WARMUP:.0f} s warm-up …", flush=True)
    try:
        report = load_test(url, schemes)
    except RuntimeError as exc:  # the server never came up: record what was measured, and fail
        report = {p: {"pass": False, "not_run": str(exc)} for p in PAGES}
    print(json.dumps(report, indent=2), flush=True)
    from django.db import connection

    figures = {}
    with connection.cursor() as cursor:
        for name, table in [
            ("schemes", "housing_scheme"),
            ("units", "housing_unit"),
            ("stays", "housing_occupancy"),
            ("placements", "housing_placement"),
            ("key_work_sessions", "housing_keyworksession"),
            ("reviews", "housing_planreview"),
            ("incidents", "housing_incident"),
            ("handovers", "housing_shifthandover"),
        ]:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            figures[name] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM housing_placement WHERE status = 'resident'")
        figures["residents_now"] = cursor.fetchone()[0]
    result = {
        "benchmark": "Supported housing at a national provider's scale (issue 19)",
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "data": figures | {k: v for k, v in loaded.items() if k == "load_seconds"},
        "scale": "full" if SCHEMES >= 1000 else f"reduced: {SCHEMES} schemes",
        "load": {
            "users": USERS,
            "think_time_s": [1.0, 3.0],
            "warmup_s": WARMUP,
            "measured_s": SECONDS,
            "server": "gunicorn, 4 sync workers, CONN_MAX_AGE=600, same 2-core machine as the load",
            "generator": "threads with keep-alive http.client connections (closed loop)",
        }
        | report,
        "baseline": "floor: the signed-in home page, same users and rounds",
        "goal_p95_ms": GOAL_P95_MS,
        "pages": facts,
        "standards_export": export,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    missed = [p for p in PAGES if not report[p]["pass"]] + ([] if export["pass"] else ["standards_export"])
    if missed:
        print(f"MISSED: {missed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
