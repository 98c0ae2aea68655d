"""Benchmark: adaptations worklists under load (issue 17, "Performance").

Goal, with 500,000 adaptations cases over five years and 2,000,000 team tasks in PostgreSQL: every
adaptations worklist tab p95 < 150 ms under 50 concurrent users, measured over HTTP on loopback against the
running app (gunicorn) with the Hospital to Home benchmark's closed-loop load generator (each virtual user a
signed-in caseworker on its own keep-alive connection, thinking 1-3 s between pages; a warm-up discarded),
and a bounded number of SQL queries per page (asserted in-process).

Baseline, in the same run: the floor page (the home page, a minimal signed-in page on the same server and
database) opened by the same users in the same loop; each tab's ratio to it is reported.

Data, generated inside PostgreSQL (INSERT … SELECT generate_series, reused on reruns): 10 district councils,
each with an agreement in force with the county; 200,000 people; 500,000 cases with enquiries spread over
five years, held by the districts in turn (about 5% open: the last 300 days' cases at every stage, and a
few older cases stuck open so the overdue tabs have rows), every reported date consistent with the stage;
4 team tasks per case (2,000,000), done except the ones for stages an open case has not reached, a few
overdue (a case that ended has none open: those it never reached were cancelled when it ended). The staff
work for district 01, which holds 50,000 cases.

Run: .venv/bin/python benchmarks/bench_adaptations_worklists.py
     → benchmarks/results/adaptations_worklists.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_adapt, created
if missing). BENCH_CASES, BENCH_USERS and BENCH_SECONDS scale it down; BENCH_RESULTS writes elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench_discharge_worklists import page_report, run_load, sessions
from bench_person_search import ensure_database, percentile, setup_django

CASES = int(os.environ.get("BENCH_CASES", "500000"))
TASKS_PER_CASE = 4
DISTRICTS = 10
PEOPLE = max(1000, CASES * 2 // 5) // DISTRICTS * DISTRICTS
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WARMUP = 10.0
THINK = (1.0, 3.0)
GOAL_P95_MS = 150.0
MAX_QUERIES = 16
SEED = 20261203
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_adapt"
RESULTS = Path(
    os.environ.get("BENCH_RESULTS", Path(__file__).parent / "results" / "adaptations_worklists.json")
)
PAGES = {
    view: f"/adaptations/?view={view}"
    for view in ("all", "overdue", "at_risk", "tasks_overdue", "assessment", "approval", "works", "mine")
}
FLOOR = {"floor": "/"}


def _setup() -> dict[str, Any]:
    """Organisations, agreements and staff through the ORM (a few hundred rows)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from homeward.core.models import Membership, Organisation, User
    from homeward.governance.models import DataSharingAgreement

    today = dt.date.today()
    with transaction.atomic():
        county = Organisation.objects.create(name="Bench county", kind="local_authority")
        districts = [
            Organisation.objects.create(name=f"Bench district {i + 1:02d}", kind="local_authority")
            for i in range(DISTRICTS)
        ]
        for i, district in enumerate(districts):
            agreement = DataSharingAgreement.objects.create(
                reference=f"BENCH-ADAPT-{i:02d}",
                title="Benchmark adaptations sharing",
                purpose="Benchmark",
                lawful_basis="6.1.e",
                article9_condition="9.2.h",
                data_categories=["identifiers", "health"],
                start_date=today - dt.timedelta(days=6 * 365),
                status="active",
            )
            agreement.parties.set([district, county])
        password = make_password(None)
        users = []
        for n in range(max(USERS, 1)):
            user = User.objects.create(
                username=f"bench-adapt-user-{n:02d}", password=password, first_name="Bench"
            )
            Membership.objects.create(
                user=user, organisation=districts[0], role="caseworker" if n % 5 else "team_lead"
            )
            users.append(user)
    return {"districts": [d.pk for d in districts], "user_ids": [u.pk for u in users]}


def _defaults(model: Any, given: dict[str, str]) -> tuple[str, str]:
    """Every column of `model` with an SQL expression: the given ones, else NULL or '' or false."""
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in given:
            values.append(given[field.column])
        elif field.null:
            values.append("NULL")
        elif isinstance(field, models.BooleanField):
            values.append("false")
        elif isinstance(field, models.JSONField):
            values.append("'{}'::jsonb" if field.default is dict else "'[]'::jsonb")
        elif isinstance(field, models.CharField | models.TextField):
            values.append("''")
        else:
            raise RuntimeError(f"no value for {model.__name__}.{field.column}")
    return ", ".join(columns), ", ".join(values)


# The products are bigint: n * 7919 leaves the integer range at 271,000 cases.
# A case's stage from its age (days since the enquiry) and a pseudo-random draw r in 0..999: the last 300
# days' cases are open at the stage their age reaches (30% of them; the rest finished quickly), older ones
# closed, withdrawn or refused, except r < 5 (0.5%) still open in stage 3 or 4: stuck, so overdue.
CASE_SQL = """
WITH g AS (
  SELECT n, ((n::bigint * 7919) % 1825)::int AS age, ((n::bigint * 2654435761) % 1000)::int AS r
  FROM generate_series(1, {cases}) AS n
), s AS (
  SELECT n, age, r, CURRENT_DATE - age AS enq,
    CASE
      WHEN age <= 300 AND r < 300 THEN
        CASE WHEN age < 20 THEN 'first_contact' WHEN age < 60 THEN 'assessment'
             WHEN age < 110 THEN 'application'
             WHEN age < 170 THEN 'approval' WHEN age < 260 THEN 'works' ELSE 'sign_off' END
      WHEN age > 400 AND r < 3 THEN 'approval'
      WHEN age > 400 AND r < 5 THEN 'works'
      WHEN age <= 300 AND age > 240 THEN 'closed'
      WHEN age <= 300 THEN 'withdrawn'
      WHEN r < 950 THEN 'closed' WHEN r < 975 THEN 'withdrawn' ELSE 'refused' END AS status
  FROM g
)
INSERT INTO adaptations_adaptationcase ({columns})
SELECT {values} FROM s
"""
STAGE = {
    "first_contact": 0,
    "assessment": 1,
    "application": 2,
    "approval": 3,
    "works": 4,
    "sign_off": 5,
    "closed": 6,
    "withdrawn": 0,
    "refused": 4,
}


ENDED = "('closed', 'withdrawn', 'refused')"


def _rank(column: str = "s.status") -> str:
    return "(CASE " + " ".join(f"WHEN {column} = '{k}' THEN {v}" for k, v in STAGE.items()) + " END)"


def load() -> dict[str, Any]:
    from django.db import connection, transaction

    from homeward.adaptations.models import AdaptationCase, TeamTask
    from homeward.adaptations.tasks import CANCELLED_BECAUSE
    from homeward.core.models import Person

    started = time.perf_counter()
    ids = _setup()
    districts, opener = ids["districts"], ids["user_ids"][0]
    district_array = "ARRAY[" + ",".join(str(d) for d in districts) + "]"
    users = "ARRAY[" + ",".join(str(u) for u in ids["user_ids"]) + "]"
    with transaction.atomic(), connection.cursor() as cursor:
        print(f"people: {PEOPLE:,} …", flush=True)
        columns, values = _defaults(
            Person,
            {
                "organisation_id": f"({district_array})[1 + n % {DISTRICTS}]",
                "given_name": "'Pat'",
                "family_name": "'Bench' || lpad(n::text, 7, '0')",
                "date_of_birth": "DATE '1930-01-01' + (n * 37) % 29000",
                "address_line_1": "'1 High St'",
                "town": "'Anytown'",
                "postcode": "'AN1 1AA'",
                "preferred_language": "'English'",
                "created_at": "now()",
                "updated_at": "now()",
            },
        )
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        first_person = cursor.fetchone()[0] + 1
        cursor.execute(
            f"INSERT INTO core_person ({columns}) SELECT {values} FROM generate_series(1, {PEOPLE}) AS n"
        )
        print(f"cases: {CASES:,} …", flush=True)
        rank = _rank()
        dated = lambda stage, offset: f"CASE WHEN {rank} >= {stage} THEN s.enq + {offset} END"  # noqa: E731
        columns, values = _defaults(
            AdaptationCase,
            {
                # A person's cases stay with the district that holds the person.
                "person_id": f"{first_person} + (s.n * 13) % {PEOPLE} - ((s.n * 13) % {PEOPLE}) % {DISTRICTS}"
                f" + (s.n % {DISTRICTS} + {DISTRICTS} - 1) % {DISTRICTS}",
                "assigned_to_id": f"CASE WHEN s.r % 7 = 0 THEN ({users})[1 + s.n % {len(ids['user_ids'])}] "
                "END",
                "organisation_id": f"({district_array})[1 + s.n % {DISTRICTS}]",
                "opened_by_id": str(opener),
                "opened_at": "s.enq::timestamptz + interval '9 hours'",
                "status": "s.status",
                "source": "(ARRAY['ot','gp','hospital','housing_officer','self_referral','h2h_blocker'])"
                "[1 + s.r % 6]",
                "tenure": "(ARRAY['owner_occupier','council_tenant','housing_association_tenant',"
                "'private_tenant'])"
                "[1 + s.r % 4]",
                "route": "(ARRAY['dfg','dfg','dfg','minor','landlord','discretionary','self_funded'])"
                "[1 + s.r % 7]",
                "priority": "CASE WHEN s.r % 10 = 0 THEN 'urgent' ELSE 'standard' END",
                "needs": "'Level-access shower'",
                "address": "'1 High St, Anytown'",
                "enquiry_received_on": "s.enq",
                "first_contact_on": dated(1, 5),
                "assessed_on": dated(2, 20),
                "application_submitted_on": dated(3, 50),
                "application_valid_on": dated(3, 60),
                "decision_on": dated(4, 120),
                "approved_on": f"CASE WHEN {rank} >= 4 AND s.status <> 'refused' THEN s.enq + 120 END",
                "works_started_on": f"CASE WHEN {rank} >= 5 THEN s.enq + 150 END",
                "works_completed_on": f"CASE WHEN {rank} >= 5 THEN s.enq + 200 END",
                "inspection_passed_on": f"CASE WHEN {rank} >= 6 AND s.status = 'closed' THEN s.enq + 210 END",
                "paid_on": f"CASE WHEN {rank} >= 6 AND s.status = 'closed' THEN s.enq + 230 END",
                # Withdrawal stamps closed_at as closing does (the lifecycle's stamps).
                "closed_at": f"CASE WHEN {rank} >= 6 THEN (s.enq + 230)::timestamptz "
                "WHEN s.status = 'withdrawn' THEN LEAST(s.enq + 20, CURRENT_DATE)::timestamptz END",
                "refusal_reason": "CASE WHEN s.status = 'refused' THEN 'Not necessary and appropriate' "
                "ELSE '' END",
                "review_by": "CASE WHEN s.status = 'refused' THEN s.enq + 150 END",
            },
        )
        # The age of a stuck case is over 400 days, so its stage dates stay within its past.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM adaptations_adaptationcase")
        first_case = cursor.fetchone()[0] + 1
        sql = CASE_SQL.replace("{columns}", columns).replace("{values}", values)
        cursor.execute(sql.replace("{cases}", str(CASES)))
        print(f"tasks: {CASES * TASKS_PER_CASE:,} …", flush=True)
        kinds = "(ARRAY['assessment','survey','test_of_resources','approval'])"
        roles = "(ARRAY['ot','technical_officer','grants_officer','grants_officer'])"
        rank = _rank("c.status")
        columns, values = _defaults(
            TeamTask,
            {
                "case_id": "c.id",
                "kind": f"{kinds}[k]",
                "owner_role": f"{roles}[k]",
                "organisation_id": "c.organisation_id",
                "due_on": "c.enquiry_received_on + k * 25",
                # A case that ended (closed, withdrawn, refused) has no open task: those for stages it
                # never reached were cancelled the day it ended (adaptations.tasks.cancel_open_tasks).
                "done_on": f"CASE WHEN {rank} > k THEN c.enquiry_received_on + k * 25 - 2 "
                f"WHEN c.status IN {ENDED} THEN COALESCE(c.closed_at::date, c.decision_on) END",
                "done_by_id": f"CASE WHEN {rank} > k OR c.status IN {ENDED} THEN {opener} END",
                "cancelled_reason": f"CASE WHEN {rank} <= k AND c.status IN {ENDED} THEN "
                + "CASE c.status "
                + " ".join(f"WHEN '{status}' THEN '{why}'" for status, why in CANCELLED_BECAUSE.items())
                + " END ELSE '' END",
                "created_by_id": str(opener),
                "created_at": "c.opened_at",
            },
        )
        cursor.execute(
            f"INSERT INTO adaptations_teamtask ({columns}) SELECT {values} "
            f"FROM adaptations_adaptationcase c CROSS JOIN generate_series(1, {TASKS_PER_CASE}) AS k "
            f"WHERE c.id >= {first_case}"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def is_loaded() -> bool:
    from homeward.adaptations.models import AdaptationCase

    return (
        AdaptationCase.objects.filter(organisation__name="Bench district 01").count()
        >= CASES // DISTRICTS * 0.9
    )


def page_facts() -> dict[str, Any]:
    """Queries per page, rows shown and cases in each list, in-process through the same view."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from homeward.adaptations.selectors import worklist
    from homeward.core.models import Membership
    from homeward.governance.access import Actor

    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="bench-adapt-user-01"
    )
    actor = Actor(membership.user, membership)
    client = Client()
    client.force_login(membership.user)
    facts: dict[str, Any] = {}
    for name, path in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        rows = response.content.decode().count('href="/adaptations/cases/')
        facts[name] = {
            "queries": len(captured.captured_queries),
            "rows_on_page": rows,
            "cases_in_list": worklist(actor=actor, view=name).count(),
            "bounded": len(captured.captured_queries) <= MAX_QUERIES,
        }
    return facts


def every_page(rng: random.Random) -> list[tuple[str, str]]:
    """One round: two worklist tabs at random, then the floor page."""
    names = rng.sample(list(PAGES), 2)
    return [(name, PAGES[name]) for name in names] + list(FLOOR.items())


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    loaded = {"reused": True} if is_loaded() else load()
    print("data:", loaded, flush=True)
    facts = page_facts()
    print("pages:", json.dumps(facts), flush=True)
    print(f"load test: {USERS} users for {SECONDS:.0f} s after {WARMUP:.0f} s warm-up …", flush=True)
    cookies = sessions("bench-adapt-user-", USERS)
    # The machine may be shared: the load average before and after says how busy it was besides this run.
    load_before = os.getloadavg()
    results = run_load(url, cookies, every_page, warmup=WARMUP, seconds=SECONDS)
    load_after = os.getloadavg()
    report: dict[str, Any] = {name: page_report(results, name, GOAL_P95_MS) for name in [*PAGES, *FLOOR]}
    floor = report["floor"]["p95_ms"]
    for name in PAGES:
        report[name]["ratio_to_floor"] = round(report[name]["p95_ms"] / floor, 2) if floor else None
        report[name]["pass"] = report[name]["pass"] and facts[name]["bounded"]
    report["all_worklists_p95_ms"] = round(
        percentile([ms for page, ms, status in results if page in PAGES and status == 200], 0.95), 1
    )
    report["throughput_rps"] = round(len(results) / SECONDS, 1)
    print(json.dumps(report, indent=2), flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM adaptations_adaptationcase), "
            "(SELECT COUNT(*) FROM adaptations_adaptationcase WHERE status IN "
            "('first_contact','assessment','application','approval','works','sign_off')), "
            "(SELECT COUNT(*) FROM adaptations_teamtask)"
        )
        cases, open_cases, tasks = cursor.fetchone()
    result = {
        "benchmark": "Adaptations worklists under load (issue 17)",
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_1_5_15_min_before": [round(x, 2) for x in load_before],
            "load_average_1_5_15_min_after": [round(x, 2) for x in load_after],
            "priority": f"nice {os.nice(0)} (the server inherits it)",
        },
        "data": {
            "cases": cases,
            "open_cases": open_cases,
            "tasks": tasks,
            "scale_goal": {"cases": 500_000, "tasks": 2_000_000},
        }
        | {k: v for k, v in loaded.items() if k == "load_seconds"},
        "load": {
            "users": USERS,
            "think_time_s": list(THINK),
            "warmup_s": WARMUP,
            "measured_s": SECONDS,
            "server": "gunicorn (bench_discharge_worklists.start_server), same 2-core machine as the load",
            "generator": "bench_discharge_worklists.run_load: threads, keep-alive connections, closed loop",
            "baseline": "floor page (the home page) in the same loop",
        }
        | report,
        "goal_p95_ms": GOAL_P95_MS,
        "max_queries_per_page": MAX_QUERIES,
        "pages": facts,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS}")
    return 0 if all(report[p]["pass"] for p in PAGES) else 1


if __name__ == "__main__":
    sys.exit(main())
