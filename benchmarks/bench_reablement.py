"""Benchmark: the reablement bed board under load, a change reaching every open board, and the monthly
contract KPIs of a unit (issue 18, "Performance").

Goals, with 20 units, 600 beds and 250,200 stays over 10 years in PostgreSQL:
  * the bed board renders in p95 < 150 ms at 50 concurrent viewers while beds change every second,
    measured over HTTP on loopback against the running app (gunicorn, 4 sync workers);
  * a change reaches every open board within 2 s at p95, measured: a writer changes a vacant bed's status
    every second through the service (`beds.set_bed_status`), and each viewer's board, polling as the
    browser does (it opens the page, then asks for the partial every 1 s with the token of the board it
    holds, `?since=`, and keeps what it holds on a 204), records when it first shows the change; the
    figure per change is the slowest of the boards open on that unit;
  * the monthly contract KPIs for a unit < 1 s (`contract_report.month_figures`).

Named baselines, measured in the same run on the same data:
  * "full_rebuild": the same viewers and writer for the same time, polling the partial without a token,
    so that every poll rebuilds the board (the design before the board's version); reported beside ours
    under `load.baseline_full_rebuild`, run first;
  * "per_bed_queries": the board built the naive way, a query per bed for its open interval, its stay,
    the person and the stay's blockers (what the board did before it read the unit's open intervals in
    one query); timed in-process against `board.unit_board` on the same units;
  * "floor": the home page, a minimal signed-in page on the same server, opened by the same viewers
    (the board's ratio to it says how much of its time is its own);
  * "whole_history_rows": the contract month from every stay of the unit read into Python (the shape of
    the organisation-wide KPI provider, `kpis.stay_rows`), against the month's own filtered query.

Data (generated inside PostgreSQL with INSERT ... SELECT generate_series, reused on reruns): one housing
provider running 20 units of 30 beds; 100,000 people; per bed 417 stays one after another over ten years
(3-8 days each, the last one open in six beds of seven), each with its referral and its occupancy
interval; a 91-day follow-up for every discharge home. 50 viewers are caseworkers at the provider, spread
over 5 units (10 boards open on each).

Run: .venv/bin/python benchmarks/bench_reablement.py → benchmarks/results/reablement.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_reablement,
created if missing). BENCH_VIEWERS, BENCH_SECONDS, BENCH_WARMUP and BENCH_BASELINE_SECONDS (0: no
baseline phase) scale the load; BENCH_STAYS_PER_BED and BENCH_PEOPLE shrink the data for a quick look (use
a database of its own: the data is reused when it is big enough); BENCH_RESULTS writes elsewhere.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench_discharge_worklists import ROOT, WORKERS, free_port, sessions
from bench_person_search import ensure_database, percentile, setup_django

UNITS = 20
BEDS_PER_UNIT = 30
STAYS_PER_BED = int(os.environ.get("BENCH_STAYS_PER_BED", "417"))  # 600 beds x 417 = 250,200 stays
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
VIEWERS = int(os.environ.get("BENCH_VIEWERS", "50"))
VIEWED_UNITS = 5
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
BASELINE_SECONDS = float(os.environ.get("BENCH_BASELINE_SECONDS", str(SECONDS)))
WARMUP = float(os.environ.get("BENCH_WARMUP", "10"))
POLL_S = 1.0  # the board's hx-trigger="every 1s"
GOAL_P95_MS = 150.0
GOAL_PROPAGATION_S = 2.0
GOAL_CONTRACT_S = 1.0
PREFIX = "Bench unit"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_reablement"
RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).parent / "results" / "reablement.json")
ROW = re.compile(r'data-bed="([^"]+)">.*?nhsuk-tag--\w+">([^<]+)</strong>', re.S)
SINCE = re.compile(r'id="bed-board" hx-get="[^"?]+\?since=([0-9a-f]+)"')


def is_loaded() -> bool:
    from homeward.reablement.models import Stay

    return Stay.objects.filter(unit__name__startswith=PREFIX).count() >= UNITS * BEDS_PER_UNIT * STAYS_PER_BED


def load() -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from homeward.core.models import Membership, Organisation, User
    from homeward.reablement.models import Bed, Unit

    started = time.perf_counter()
    with transaction.atomic():
        provider = Organisation.objects.create(name="Bench reablement provider", kind="housing_provider")
        icb = Organisation.objects.create(name="Bench ICB", kind="icb")
        password = make_password(None)
        for n in range(max(VIEWERS, 50) + 1):
            user = User.objects.create(username=f"bench-reab-{n:02d}", password=password, first_name="Bench")
            Membership.objects.create(user=user, organisation=provider, role="caseworker")
        for u in range(UNITS):
            unit = Unit.objects.create(
                organisation=provider,
                commissioner=icb,
                name=f"{PREFIX} {u + 1:02d}",
                address="Ward",
                commissioned_beds=BEDS_PER_UNIT,
                staffing_model="care_24_7",
            )
            Bed.objects.bulk_create(Bed(unit=unit, label=str(b + 1)) for b in range(BEDS_PER_UNIT))
    referrer = User.objects.get(username="bench-reab-00")
    with transaction.atomic(), connection.cursor() as cursor:
        print(f"generating {PEOPLE:,} people …", flush=True)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        first_person = cursor.fetchone()[0] + 1
        cursor.execute(
            """
            INSERT INTO core_person (id, organisation_id, nhs_number, given_name, family_name, preferred_name,
              date_of_birth, address_line_1, address_line_2, town, postcode, uprn, phone, email,
              contact_preference, preferred_language, interpreter_required, accessibility_needs,
              created_at, updated_at)
            SELECT %(first)s + i, %(org)s, '', 'Pat', 'Bench' || lpad(i::text, 7, '0'), '',
              DATE '1930-01-01' + (i %% 20000), '', '', 'Manchester', 'M1 1AA', '', '', '', '', 'English',
              false, '', now(), now()
            FROM generate_series(0, %(n)s - 1) AS i
            """,
            {"first": first_person, "org": provider.pk, "n": PEOPLE},
        )
        print(
            f"generating {UNITS * BEDS_PER_UNIT * STAYS_PER_BED:,} referrals, stays and intervals …",
            flush=True,
        )
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM reablement_referral")
        base = max(cursor.fetchone()[0], 0)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM reablement_stay")
        base = max(base, cursor.fetchone()[0])
        # One slot per (bed, k): stay k on a bed starts k slots after ten years ago; the last one is open
        # unless the bed's id is a multiple of 7 (then it left yesterday). Slots are 8.75 days; stays 3-8.
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_slot ON COMMIT DROP AS
            SELECT %(base)s + row_number() OVER (ORDER BY b.id, k) AS id, b.id AS bed_id, b.unit_id, k,
              k = %(per)s - 1 AND b.id %% 7 <> 0 AS is_open,
              now() - ((%(per)s - 1 - k) * 8.75 + 2.5) * interval '1 day' AS admitted_at,
              CASE WHEN k = %(per)s - 1 AND b.id %% 7 = 0 THEN interval '1 day'
                   ELSE (3 + (b.id * 31 + k * 7) %% 5 + ((b.id + k) %% 10) / 10.0) * interval '1 day' END
                AS los
            FROM reablement_bed b JOIN reablement_unit u ON u.id = b.unit_id AND u.name LIKE %(prefix)s
            CROSS JOIN generate_series(0, %(per)s - 1) AS k
            """,
            {"base": base, "per": STAYS_PER_BED, "prefix": PREFIX + "%"},
        )
        cursor.execute(
            """
            INSERT INTO reablement_referral (id, person_id, organisation_id, unit_id, referred_by_id,
              referred_at, source, status, reason, goals, risks, lawful_basis, consent_status,
              discharge_case_id, decided_at, decline_reason, closed_at)
            SELECT id, %(first)s + (id %% %(people)s), %(org)s, unit_id, %(user)s,
              admitted_at - ((id %% 4) * interval '1 day') - interval '3 hours',
              (ARRAY['acute_ward','acute_ward','emergency','gp'])[1 + id %% 4], 'admitted', 'Benchmark',
              'Home', '', '6.1.e', 'given', NULL, admitted_at - interval '1 hour', '', NULL
            FROM bench_slot
            """,
            {"first": first_person, "people": PEOPLE, "org": provider.pk, "user": referrer.pk},
        )
        cursor.execute(
            """
            INSERT INTO reablement_stay (id, referral_id, unit_id, status, admitted_at, expected_discharge_on,
              discharged_at, destination, discharge_note, readmitted_on, ready_on)
            SELECT id, id, unit_id,
              CASE WHEN is_open THEN 'in_unit' ELSE 'discharged' END, admitted_at,
              (admitted_at + interval '7 days')::date,
              CASE WHEN is_open THEN NULL ELSE admitted_at + los END,
              CASE WHEN is_open THEN ''
                   ELSE (ARRAY['home','home','home_package','home_package','home_package','home_adapted',
                               'rehoused','care_home','readmitted','died'])[1 + id % 10] END,
              '', NULL, NULL
            FROM bench_slot
            """
        )
        cursor.execute(
            """
            INSERT INTO reablement_occupancy (id, stay_id, bed_id, started_at, ended_at)
            SELECT id, id, bed_id, admitted_at, CASE WHEN is_open THEN NULL ELSE admitted_at + los END
            FROM bench_slot
            """
        )
        cursor.execute(
            """
            INSERT INTO reablement_followup (stay_id, due_on, done_on, outcome, note)
            SELECT s.id, s.discharged_at::date + 91,
              CASE WHEN s.discharged_at::date + 94 <= current_date THEN s.discharged_at::date + 92 END,
              CASE WHEN s.discharged_at::date + 94 > current_date THEN ''
                   WHEN s.id % 13 = 0 THEN 'lost' WHEN s.id % 9 = 0 THEN 'not_at_home'
                   ELSE 'at_home' END, ''
            FROM reablement_stay s JOIN bench_slot b ON b.id = s.id
            WHERE s.destination IN ('home', 'home_package', 'home_adapted', 'rehoused')
            """
        )
        cursor.execute(
            "UPDATE reablement_stay s SET status = 'followed_up' FROM reablement_followup f "
            "WHERE f.stay_id = s.id AND f.done_on IS NOT NULL AND s.id > %s",
            [base],
        )
        for table in ("core_person", "reablement_referral", "reablement_stay", "reablement_occupancy"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute(
            "UPDATE reablement_bed SET status = 'vacant_clean' WHERE id %% 7 = 0 AND unit_id IN "
            "(SELECT id FROM reablement_unit WHERE name LIKE %s)",
            [PREFIX + "%"],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def actor_for(username: str) -> Any:
    from homeward.core.models import Membership
    from homeward.governance.access import Actor

    membership = Membership.objects.select_related("user", "organisation").get(user__username=username)
    return Actor(membership.user, membership)


def per_bed_queries(actor: Any, unit: Any) -> list[tuple[str, str, str]]:
    """The baseline board: a query per bed for its open interval, then its stay, person and blockers."""
    from homeward.reablement.models import Occupancy, Stay
    from homeward.reablement.selectors import visible_stays

    rows = []
    for bed in unit.beds.order_by("label"):
        interval = Occupancy.objects.filter(bed=bed, ended_at__isnull=True).first()
        if interval is None:
            rows.append((bed.label, bed.status, ""))
            continue
        stay: Stay | None = visible_stays(actor).filter(pk=interval.stay_id).first()
        if stay is None:
            rows.append((bed.label, "occupied", ""))
            continue
        person = stay.referral.person
        blockers = stay.blockers.filter(resolved_on__isnull=True).count()
        rows.append((bed.label, "occupied", f"{person.given_name[:1]}{person.family_name[:1]}{blockers}"))
    return rows


def timed(fn: Any, repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2)}


def in_process(units: list[Any]) -> dict[str, Any]:
    """The board's build (selector and rows, no HTTP) against the per-bed baseline, and the contract month
    against the whole-history baseline, on the same units."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.reablement import board, kpis
    from homeward.reablement.contract_report import month_figures

    actor = actor_for("bench-reab-00")
    unit = units[0]
    with CaptureQueriesContext(connection) as ours:
        shown = board.unit_board(actor, unit)
    with CaptureQueriesContext(connection) as theirs:
        naive = per_bed_queries(actor, unit)
    assert [r.status for r in shown.rows] == [r[1] for r in naive], "the baseline must show the same board"
    assert sum(r.stay is not None for r in shown.rows) > 0, "an empty board would measure nothing"
    build = {
        "unit_board": timed(lambda: board.unit_board(actor, unit), 30) | {"queries": len(ours)},
        "per_bed_queries": timed(lambda: per_bed_queries(actor, unit), 30) | {"queries": len(theirs)},
    }
    today = dt.date.today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    # The first run reads the unit's stays from disk (reported apart); the goal is judged on the next five.
    started = time.perf_counter()
    figures = month_figures(unit, month)
    cold = time.perf_counter() - started
    ours_s = []
    for _ in range(5):
        started = time.perf_counter()
        figures = month_figures(unit, month)
        ours_s.append(time.perf_counter() - started)

    def whole_history() -> int:
        rows = kpis.stay_rows([unit.pk])
        return sum(1 for r in rows if r[2] is not None and r[2].replace(day=1) == month)

    theirs_s = []
    for _ in range(3):
        started = time.perf_counter()
        discharged = whole_history()
        theirs_s.append(time.perf_counter() - started)
    assert discharged == figures["los_median"].n, "the baseline must count the same month"
    return {
        "board_build": build
        | {
            "ratio_baseline_to_ours": round(
                build["per_bed_queries"]["p95_ms"] / build["unit_board"]["p95_ms"], 2
            )
        },
        "contract_month": {
            "unit": unit.name,
            "month": f"{month:%Y-%m}",
            "discharges_in_month": figures["los_median"].n,
            "first_run_cold_s": round(cold, 3),
            "month_figures_s": [round(t, 3) for t in ours_s],
            "max_s": round(max(ours_s), 3),
            "whole_history_rows_s": [round(t, 3) for t in theirs_s],
            "goal_s": GOAL_CONTRACT_S,
            "pass": max(ours_s) < GOAL_CONTRACT_S,
        },
    }


Change = tuple[int, str, str, float]  # unit id, bed label, new status label, time of the change


def writer(units: list[Any], stop_at: float, changes: list[Change], lock: threading.Lock) -> None:
    """Change one vacant bed's status every second, round-robin over the viewed units."""
    from django.db import connection

    from homeward.reablement import beds
    from homeward.reablement.board import STATUS_LABELS
    from homeward.reablement.models import Bed

    actor = actor_for("bench-reab-00")
    free = {
        u.pk: list(Bed.objects.filter(unit=u).exclude(occupancies__ended_at__isnull=True).order_by("label"))
        for u in units
    }
    n = 0
    while time.time() < stop_at:
        unit = units[n % len(units)]
        bed = free[unit.pk][(n // len(units)) % len(free[unit.pk])]
        bed.refresh_from_db()
        status = "awaiting_clean" if bed.status == "vacant_clean" else "vacant_clean"
        beds.set_bed_status(actor=actor, bed_id=bed.pk, status=status)
        with lock:
            changes.append((unit.pk, bed.label, STATUS_LABELS[status], time.time()))
        n += 1
        time.sleep(max(0.0, 1.0 - (time.time() % 1.0)))
    connection.close()


def viewer(
    port: int,
    cookie: str,
    path: str,
    unit_id: int,
    stop_at: float,
    measure_from: float,
    changes: list[Change],
    lock: threading.Lock,
    latencies: list[tuple[str, float, int]],
    seen: dict[tuple[int, int], float],
    me: int,
    conditional: bool = True,
) -> None:
    """An open board as the browser keeps it: the page once, then the partial every second (htmx) with the
    token of the board it holds (`conditional`; without it every poll rebuilds: the baseline), keeping what
    it holds on a 204; and the home page (the floor) every fifth poll."""
    from django.conf import settings

    cookies = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    time.sleep(random.Random(me).uniform(0, POLL_S))
    polls, since = 0, ""
    shown: dict[str, str] = {}
    while time.time() < stop_at:
        polls += 1
        if polls == 1:  # the board opened: the whole page, audited
            target, name, headers = path, "page", {"Cookie": cookies}
        elif polls % 5 == 0:
            target, name, headers = "/", "floor", {"Cookie": cookies}
        else:
            target = f"{path}?since={since}" if conditional and since else path
            name, headers = "board", {"Cookie": cookies, "HX-Request": "true"}
        started = time.perf_counter()
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            body = response.read().decode()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body, status = "", 0
        done = time.time()
        if done >= measure_from:
            latencies.append((name, (time.perf_counter() - started) * 1000, status))
        if name in ("page", "board") and status == 200:
            shown = dict(ROW.findall(body))
            held = SINCE.search(body)
            since = held.group(1) if held else ""
        if name in ("page", "board") and status in (200, 204):  # on 204 the board held is current
            with lock:
                pending = [(i, c) for i, c in enumerate(changes) if c[0] == unit_id and (i, me) not in seen]
            latest: dict[str, int] = {}
            for i, c in pending:
                latest[c[1]] = i
            for i, (_, label, wanted, at) in pending:
                if latest[label] == i and shown.get(label) == wanted and at >= measure_from:
                    seen[(i, me)] = done - at
                elif latest[label] != i:
                    seen[(i, me)] = -1.0  # overtaken by a later change of the same bed: not counted
        if name == "board":
            time.sleep(POLL_S)
    conn.close()


def start_server(url: str, port: int, deadline_s: float = 240) -> subprocess.Popen[bytes]:
    """gunicorn as the worklist benchmarks start it, given longer to boot on a shared, loaded machine."""
    env = os.environ | {"DATABASE_URL": url, "CONN_MAX_AGE": "600", "HOMEWARD_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "homeward.wsgi:application", "--workers", str(WORKERS)]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=ROOT
    )
    deadline = time.time() + deadline_s
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/account/sign-in/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def load_test(url: str, units: list[Any], seconds: float, conditional: bool = True) -> dict[str, Any]:
    cookies = sessions("bench-reab-", VIEWERS + 1)[1 : VIEWERS + 1]
    port = free_port()
    server = start_server(url, port)
    changes: list[Change] = []
    latencies: list[tuple[str, float, int]] = []
    seen: dict[tuple[int, int], float] = {}
    lock = threading.Lock()
    try:
        begin = time.time()
        stop_at, measure_from = begin + WARMUP + seconds, begin + WARMUP
        watchers: dict[int, list[int]] = {}
        threads = []
        for n, cookie in enumerate(cookies):
            unit = units[n % len(units)]
            watchers.setdefault(unit.pk, []).append(n)
            threads.append(
                threading.Thread(
                    target=viewer,
                    args=(
                        port,
                        cookie,
                        f"/reablement/units/{unit.pk}/",
                        unit.pk,
                        stop_at,
                        measure_from,
                        changes,
                        lock,
                        latencies,
                        seen,
                        n,
                        conditional,
                    ),
                )
            )
        threads.append(threading.Thread(target=writer, args=(units, stop_at - 3, changes, lock)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    report: dict[str, Any] = {}
    for name in ("board", "floor", "page"):
        ok = [ms for page, ms, status in latencies if page == name and status in (200, 204)]
        errors = sum(1 for page, _, status in latencies if page == name and status not in (200, 204))
        report[name] = {
            "requests": len(ok) + errors,
            "errors": errors,
            "p50_ms": round(percentile(ok, 0.5), 1) if ok else None,
            "p95_ms": round(percentile(ok, 0.95), 1) if ok else None,
            "p99_ms": round(percentile(ok, 0.99), 1) if ok else None,
        }
    for status, name in ((204, "unchanged_204"), (200, "changed_200")):
        times = [ms for page, ms, code in latencies if page == "board" and code == status]
        report["board"][name] = {
            "requests": len(times),
            "p50_ms": round(percentile(times, 0.5), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        }
    board_p95, floor_p95 = report["board"]["p95_ms"], report["floor"]["p95_ms"]
    report["board"]["ratio_to_floor"] = round(board_p95 / floor_p95, 2) if board_p95 and floor_p95 else None
    report["board"]["pass"] = (
        board_p95 is not None and board_p95 < GOAL_P95_MS and report["board"]["errors"] == 0
    )
    every_board, pairs, missed = [], [], 0
    for i, (unit_id, _, _, at) in enumerate(changes):
        if at < measure_from:
            continue
        delays = [seen.get((i, v)) for v in watchers[unit_id]]
        if any(d is not None and d < 0 for d in delays):
            continue  # overtaken before every board could show it
        if any(d is None for d in delays):
            missed += 1
            continue
        every_board.append(max(d for d in delays if d is not None))
        pairs.extend(d for d in delays if d is not None)
    report["propagation"] = {
        "changes_measured": len(every_board),
        "changes_not_seen_by_every_board": missed,
        "boards_per_unit": len(cookies) // len(units),
        "every_board_p50_s": round(percentile(every_board, 0.5), 2) if every_board else None,
        "every_board_p95_s": round(percentile(every_board, 0.95), 2) if every_board else None,
        "per_board_p95_s": round(percentile(pairs, 0.95), 2) if pairs else None,
        "goal_s": GOAL_PROPAGATION_S,
        "pass": bool(every_board) and missed == 0 and percentile(every_board, 0.95) < GOAL_PROPAGATION_S,
    }
    report["throughput_rps"] = round(len(latencies) / seconds, 1)
    report["polling"] = "conditional (?since=, 204 when unchanged)" if conditional else "full rebuild"
    report["measured_s"] = seconds
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]  # a shared machine says so
    return report


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    loaded = {"reused": True} if is_loaded() else load()
    print("data:", loaded, flush=True)
    from homeward.reablement.models import Bed, Stay, Unit

    units = list(Unit.objects.filter(name__startswith=PREFIX).order_by("name"))
    viewed = units[:VIEWED_UNITS]
    facts = in_process(viewed)
    print(json.dumps(facts, indent=2), flush=True)
    baseline = None
    if BASELINE_SECONDS > 0:
        print(f"baseline: every poll rebuilds, {VIEWERS} viewers, {BASELINE_SECONDS:.0f} s …", flush=True)
        baseline = load_test(url, viewed, BASELINE_SECONDS, conditional=False)
        print(json.dumps(baseline, indent=2), flush=True)
    print(f"load test: {VIEWERS} viewers on {VIEWED_UNITS} units for {SECONDS:.0f} s …", flush=True)
    under_load = load_test(url, viewed, SECONDS)
    print(json.dumps(under_load, indent=2), flush=True)
    stays = Stay.objects.filter(unit__in=units)
    result = {
        "benchmark": "Reablement bed board and contract KPIs (issue 18)",
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "data": {
            "units": len(units),
            "beds": Bed.objects.filter(unit__in=units).count(),
            "stays": stays.count(),
            "in_unit_now": stays.filter(status="in_unit").count(),
            "years": 10,
        }
        | {k: v for k, v in loaded.items() if k == "load_seconds"},
        "load": {
            "viewers": VIEWERS,
            "viewed_units": VIEWED_UNITS,
            "poll_s": POLL_S,
            "bed_changes_per_s": 1,
            "warmup_s": WARMUP,
            "server": "gunicorn, 4 sync workers, CONN_MAX_AGE=600, same 2-core machine as the load",
        }
        | under_load
        | {"baseline_full_rebuild": baseline},
        "in_process": facts,
        "goals": {
            "board_p95_ms": GOAL_P95_MS,
            "propagation_p95_s": GOAL_PROPAGATION_S,
            "contract_s": GOAL_CONTRACT_S,
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    passed = (
        under_load["board"]["pass"] and under_load["propagation"]["pass"] and facts["contract_month"]["pass"]
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
