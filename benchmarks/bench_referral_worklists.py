"""Benchmark: referral worklists under load (issue 5, "Performance").

Goal, with 1,000,000 referrals in PostgreSQL: the referral worklists p95 < 150 ms under 50 concurrent
users, measured over HTTP on loopback against the running app (gunicorn), with the same closed-loop load
generator as the Hospital to Home benchmark (50 signed-in staff, each on its own keep-alive connection,
thinking 1-3 s between pages; a warm-up is discarded).

The pages: what was sent to us and is open (the inbox a service answers from), what we sent and is open,
and everything we can see including closed (paged, 50 a page, newest first).

Data (loaded with COPY, reused on reruns): 20 organisations, each with agreements in force with four
others; 400,000 people; 1,000,000 referrals over five years (about 2% open, as in a live service), each
with the Participation that shares it with its receiver. The staff work for organisation 01, which sent
or received about 100,000 of them. Events and messages are not loaded: the worklists do not read them.

Run: .venv/bin/python benchmarks/bench_referral_worklists.py → benchmarks/results/referral_worklists.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_referrals,
created if missing). BENCH_REFERRALS, BENCH_USERS and BENCH_SECONDS scale it down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench_discharge_worklists import page_report, run_load, sessions
from bench_person_search import ensure_database, percentile, setup_django

REFERRALS = int(os.environ.get("BENCH_REFERRALS", "1000000"))
PEOPLE = max(1000, REFERRALS * 2 // 5)
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = 10.0
THINK = (1.0, 3.0)
ORGS = 20
GOAL_P95_MS = 150.0
SEED = 20261125
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_referrals"
RESULTS = Path(__file__).parent / "results" / "referral_worklists.json"
PAGES = {
    "incoming_open": "/referrals/?box=incoming&show=open",
    "outgoing_open": "/referrals/?box=outgoing&show=open",
    "all_history": "/referrals/?box=all&show=all",
}
KINDS = ["money_advice", "homelessness", "social_prescribing", "handyperson", "drug_alcohol", "other"]
OPEN = ["requested", "accepted", "in-progress", "on-hold"]
CLOSED = ["completed"] * 6 + ["failed", "rejected", "cancelled"]


def _tsv(*values: object) -> str:
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def load(rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from homeward.core.models import Membership, Organisation, User
    from homeward.governance.models import DataSharingAgreement

    started = time.perf_counter()
    today = dt.date.today()
    with transaction.atomic():
        orgs = [
            Organisation.objects.create(name=f"Bench referrer {i + 1:02d}", kind="voluntary_sector")
            for i in range(ORGS)
        ]
        for i in range(ORGS):
            for step in (1, 2):  # each shares with the next two (so with four in all)
                agreement = DataSharingAgreement.objects.create(
                    reference=f"BENCH-REF-{i:02d}-{step}",
                    title="Benchmark referral sharing",
                    purpose="Benchmark",
                    lawful_basis="6.1.e",
                    article9_condition="9.2.h",
                    data_categories=["identifiers", "social"],
                    start_date=today - dt.timedelta(days=6 * 365),
                    status="active",
                )
                agreement.parties.set([orgs[i], orgs[(i + step) % ORGS]])
        password = make_password(None)
        senders = []
        for org in orgs:
            user = User.objects.create(username=f"bench-ref-sender-{org.pk}", password=password)
            Membership.objects.create(user=user, organisation=org, role="caseworker")
            senders.append(user)
        for n in range(USERS):
            user = User.objects.create(
                username=f"bench-ref-user-{n:02d}", password=password, first_name="Bench"
            )
            Membership.objects.create(
                user=user, organisation=orgs[0], role="caseworker" if n % 3 else "partner"
            )

    counts = {"open": 0, "org01": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        first_person = cursor.fetchone()[0] + 1
        now = "2026-11-25 08:00:00+00"
        print(f"loading {PEOPLE:,} people …", flush=True)
        columns = (
            "id, organisation_id, nhs_number, given_name, family_name, preferred_name, date_of_birth, "
            "address_line_1, address_line_2, town, postcode, uprn, phone, email, contact_preference, "
            "preferred_language, interpreter_required, accessibility_needs, created_at, updated_at"
        )
        buf = io.StringIO()
        for i in range(PEOPLE):
            dob = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(80 * 365))
            buf.write(
                _tsv(
                    first_person + i,
                    orgs[i % ORGS].pk,
                    "",
                    "Pat",
                    f"Bench{i:07d}",
                    "",
                    dob,
                    "1 High St",
                    "",
                    "Manchester",
                    "M1 1AA",
                    "",
                    "",
                    "",
                    "",
                    "English",
                    "f",
                    "",
                    now,
                    now,
                )
            )
        with raw.copy(f"COPY core_person ({columns}) FROM STDIN") as copy:
            copy.write(buf.getvalue())
        print(f"loading {REFERRALS:,} referrals and their participations …", flush=True)
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM referrals_referral")
        first_referral = cursor.fetchone()[0] + 1
        referrals, parts = io.StringIO(), io.StringIO()
        for n in range(REFERRALS):
            person = first_person + rng.randrange(PEOPLE)
            sender = (person - first_person) % ORGS
            receiver = (sender + rng.choice((1, 2, -1, -2))) % ORGS
            counts["org01"] += 0 in (sender, receiver)
            age = rng.randrange(5 * 365)
            requested = dt.datetime.combine(today - dt.timedelta(days=age), dt.time(9 + rng.randrange(8)))
            is_open = age < 60 and rng.random() < 0.6
            status = rng.choice(OPEN) if is_open else rng.choice(CLOSED)
            counts["open"] += is_open
            answered = None if status in ("requested", "cancelled") else requested + dt.timedelta(days=1)
            closed = None if is_open else requested + dt.timedelta(days=rng.randint(2, 60))
            outcome = {"completed": "need_met", "failed": "no_contact"}.get(status, "")
            referrals.write(
                _tsv(
                    first_referral + n,
                    person,
                    orgs[sender].pk,
                    senders[sender].pk,
                    orgs[receiver].pk,
                    None,
                    rng.choice(KINDS),
                    None,
                    "[]",
                    "Benchmark referral",
                    "urgent" if rng.random() < 0.1 else "routine",
                    "",
                    None,
                    status,
                    f"{requested}+00",
                    f"{answered}+00" if answered else None,
                    f"{closed}+00" if closed else None,
                    "",
                    outcome,
                    "",
                )
            )
            parts.write(
                _tsv(
                    person,
                    orgs[sender].pk,
                    orgs[receiver].pk,
                    "referrals.referral",
                    first_referral + n,
                    "Benchmark referral",
                    f"{requested}+00",
                    None,
                    "[]",
                )
            )
            if n % 200_000 == 199_999:
                print(f"  {n + 1:,}", flush=True)
        for table, rows in [
            (
                "referrals_referral (id, person_id, from_organisation_id, referred_by_id, "
                "to_organisation_id, to_team_id, service_kind, service_id, shared_fields, reason, urgency, "
                "source_type, source_id, status, requested_at, answered_at, closed_at, status_reason, "
                "outcome, outcome_note)",
                referrals,
            ),
            (
                "governance_participation (person_id, owner_id, organisation_id, case_type, case_id, reason, "
                "started_at, ended_at, fields)",
                parts,
            ),
        ]:
            print(f"  COPY {table.split(' ')[0]}", flush=True)
            with raw.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(rows.getvalue())
        for table in ("core_person", "referrals_referral"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts | {"load_seconds": round(time.perf_counter() - started, 1)}


def is_loaded() -> bool:
    from homeward.referrals.models import Referral

    return (
        Referral.objects.filter(from_organisation__name="Bench referrer 01").count()
        >= REFERRALS // ORGS * 0.9
    )


def page_facts() -> dict[str, Any]:
    """Queries per page and rows listed, in-process through the same view (an empty page is no result)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from homeward.core.models import Membership

    membership = Membership.objects.get(user__username="bench-ref-user-01")
    client = Client()
    client.force_login(membership.user)
    facts: dict[str, Any] = {}
    for name, path in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        body = response.content.decode()
        rows = body.count('href="/referrals/') - body.count('href="/referrals/directory')
        assert rows > 0, f"the {name} worklist is empty: the benchmark would measure nothing"
        facts[name] = {"queries": len(captured.captured_queries), "links_on_page": rows}
    return facts


def one_page(rng: random.Random) -> list[tuple[str, str]]:
    """This benchmark's round: one worklist at random; half the history visits go to an older page."""
    name = rng.choice(list(PAGES))
    path = PAGES[name]
    if name == "all_history" and rng.random() < 0.5:  # a cursor deep in the five years
        before = dt.datetime.now(dt.UTC) - dt.timedelta(days=rng.uniform(1, 5 * 365))
        path += "&before=" + quote(f"{before.isoformat()}_1000000000")
    return [(name, path)]


def load_test(url: str) -> dict[str, Any]:
    cookies = sessions("bench-ref-user-", USERS)
    results = run_load(url, cookies, one_page, warmup=WARMUP, seconds=SECONDS)
    report: dict[str, Any] = {name: page_report(results, name, GOAL_P95_MS) for name in PAGES}
    report["all_pages_p95_ms"] = round(
        percentile([ms for _, ms, status in results if status == 200], 0.95), 1
    )
    report["throughput_rps"] = round(len(results) / SECONDS, 1)
    return report


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    loaded = {"reused": True} if is_loaded() else load(random.Random(SEED))
    print("data:", loaded, flush=True)
    facts = page_facts()
    print("pages:", facts, flush=True)
    print(f"load test: {USERS} users for {SECONDS:.0f} s after {WARMUP:.0f} s warm-up …", flush=True)
    report = load_test(url)
    print(json.dumps(report, indent=2), flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), "
            "COUNT(*) FILTER (WHERE status IN ('requested','accepted','in-progress','on-hold')), "
            "COUNT(*) FILTER (WHERE from_organisation_id = o.id OR to_organisation_id = o.id) "
            "FROM referrals_referral, (SELECT id FROM core_organisation WHERE name = 'Bench referrer 01') o"
        )
        total, open_, seen = cursor.fetchone()
    result = {
        "benchmark": "Referral worklists under load (issue 5)",
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "data": {"referrals": total, "open_referrals": open_, "seen_by_organisation_01": seen}
        | {k: v for k, v in loaded.items() if k == "load_seconds"},
        "load": {
            "users": USERS,
            "think_time_s": list(THINK),
            "warmup_s": WARMUP,
            "measured_s": SECONDS,
            "server": "gunicorn, 4 sync workers, CONN_MAX_AGE=600, same 2-core machine as the load",
            "generator": "threads with keep-alive http.client connections (locust-equivalent closed loop)",
        }
        | report,
        "goal_p95_ms": GOAL_P95_MS,
        "pages": facts,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0 if all(report[p]["pass"] for p in PAGES) else 1


if __name__ == "__main__":
    sys.exit(main())
