"""Benchmark: the weekly discharge situation report for a large trust (issue 23, "Performance").

Goal: for a trust with 2,000 delayed patients a day over a year of history, the weekly report (Table 5 by
reason at 14+ and 21+ days, discharges by pathway, through the access layer as the trust's own staff see it)
takes < 2 s. Every sampled week is timed; the goal applies to the slowest.

Baseline, in the same run: the floor of one SQL statement that counts the same patient-days (delayed, length
of stay 14 days or over) for the week with `generate_series`, without reasons. The report's count of those
patient-days must equal it (a correctness check), and its ratio to the floor is reported.

Data (loaded with COPY, reused on reruns): one NHS trust and its housing provider with an agreement in force;
for each of the 430 days before today, 100 patients becoming discharge-ready and staying a further
exponential(mean 20) days (so about 2,000 delayed on any day), plus 30 a day discharged on their
discharge-ready date; 3 blockers per delayed patient (some raised and resolved the same day, some
overlapping); an override for 5% of them; a Participation per case for the housing provider.

Run: .venv/bin/python benchmarks/bench_discharge_sitrep.py → benchmarks/results/discharge_sitrep.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_sitrep, created if
missing). BENCH_SITREP_PER_DAY scales the daily arrivals down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench_person_search import ensure_database, setup_django

PER_DAY = int(os.environ.get("BENCH_SITREP_PER_DAY", "100"))
ON_TIME_PER_DAY = max(1, PER_DAY * 3 // 10)
MEAN_DELAY = 20.0
DAYS = 430
WEEKS_SAMPLED = 8
GOAL_S = 2.0
SEED = 20261202
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_sitrep"
RESULTS = Path(__file__).parent / "results" / "discharge_sitrep.json"
TRUST = "Bench sitrep trust"
CATEGORIES = ["home_unsuitable", "care_package", "equipment", "homeless", "disrepair", "transport"]
CATEGORIES += ["medication", "care_home", "finance", "furniture", "assessment", "choice"]


def _tsv(*values: object) -> str:
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


def load(rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from homeward.core.models import Hospital, Membership, Organisation, User
    from homeward.discharge.models import DelayReason
    from homeward.governance.models import DataSharingAgreement

    started = time.perf_counter()
    today = dt.date.today()
    reasons = list(DelayReason.objects.filter(reason_list__key="acute-2024-01").values_list("pk", flat=True))
    with transaction.atomic():
        trust = Organisation.objects.create(name=TRUST, kind="nhs_trust")
        home = Organisation.objects.create(name="Bench sitrep homes", kind="housing_provider")
        hospital = Hospital.objects.create(organisation=trust, name="Bench sitrep general")
        agreement = DataSharingAgreement.objects.create(
            reference="BENCH-SITREP",
            title="Benchmark sharing",
            purpose="Benchmark",
            lawful_basis="6.1.e",
            article9_condition="9.2.h",
            data_categories=["identifiers", "health", "housing"],
            start_date=today - dt.timedelta(days=3 * 365),
            status="active",
        )
        agreement.parties.set([trust, home])
        lead = User.objects.create(username="bench-sitrep-lead", password=make_password(None))
        Membership.objects.create(user=lead, organisation=trust, role="clinician")

    counts = {"cases": 0, "delayed_cases": 0, "blockers": 0, "overrides": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        first_person = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM discharge_dischargecase")
        first_case = cursor.fetchone()[0] + 1
        now = f"{today} 08:00:00+00"
        people, cases, parts, blockers, overrides = (io.StringIO() for _ in range(5))
        n = 0
        for back in range(DAYS, 0, -1):
            ready = today - dt.timedelta(days=back)
            for k in range(PER_DAY + ON_TIME_PER_DAY):
                delayed = k < PER_DAY
                person, case_id = first_person + n, first_case + n
                n += 1
                admitted = ready - dt.timedelta(days=rng.randint(0, 20))
                stay = int(rng.expovariate(1 / MEAN_DELAY)) + 1 if delayed else 0
                discharged = ready + dt.timedelta(days=stay)
                if discharged >= today:
                    discharged, status = None, "ready"
                else:
                    status = "closed"
                people.write(
                    _tsv(
                        person,
                        trust.pk,
                        "",
                        "Pat",
                        f"Sitrep{n:07d}",
                        "",
                        "1940-01-01",
                        "1 High Street",
                        "",
                        "Leeds",
                        "LS1 1AA",
                        "",
                        "",
                        "",
                        "",
                        "English",
                        "f",
                        "",
                        now,
                        now,
                    )  # fmt: skip
                )
                cases.write(
                    _tsv(
                        case_id,
                        person,
                        trust.pk,
                        home.pk,
                        None,
                        None,
                        lead.pk,
                        hospital.pk,
                        None,
                        "ward",
                        status,
                        rng.choice("0123"),
                        "Benchmark referral",
                        admitted,
                        f"{admitted} 10:00:00+00",
                        ready,
                        "f",
                        None,
                        discharged,
                        "usual_home" if discharged else "",
                        None,
                        None,
                    )  # fmt: skip
                )
                parts.write(_tsv(person, trust.pk, home.pk, "discharge.case", case_id, "", now, None, "[]"))
                counts["cases"] += 1
                if not delayed:
                    continue
                counts["delayed_cases"] += 1
                end = discharged or today
                for _ in range(3):
                    raised = min(end, ready + dt.timedelta(days=rng.randint(-2, max(0, stay // 2))))
                    resolved = (
                        None if rng.random() < 0.3 else min(end, raised + dt.timedelta(rng.randint(0, 9)))
                    )
                    blockers.write(
                        _tsv(
                            case_id,
                            rng.choice(CATEGORIES),
                            "Benchmark blocker",
                            home.pk,
                            None,
                            None,
                            home.pk,
                            raised,
                            raised,
                            None,
                            resolved,
                            "Sorted" if resolved else "",
                        )  # fmt: skip
                    )
                    counts["blockers"] += 1
                if rng.random() < 0.05:
                    starts = min(end, ready + dt.timedelta(days=2))
                    overrides.write(
                        _tsv(case_id, rng.choice(reasons), starts, None, "", lead.pk, trust.pk, now)
                    )
                    counts["overrides"] += 1
        copies = [
            (
                "core_person (id, organisation_id, nhs_number, given_name, family_name, preferred_name, "
                "date_of_birth, address_line_1, address_line_2, town, postcode, uprn, phone, email, "
                "contact_preference, preferred_language, interpreter_required, accessibility_needs, "
                "created_at, updated_at)",
                people,
            ),
            (
                "discharge_dischargecase (id, person_id, organisation_id, housing_organisation_id, "
                "team_id, assigned_to_id, referred_by_id, hospital_id, ward_id, setting, status, pathway, "
                "referral_reason, admitted_on, referred_at, discharge_ready_on, discharge_to_assess, "
                "screened_at, discharged_on, destination, closed_at, previous_case_id)",
                cases,
            ),
            (
                "governance_participation (person_id, owner_id, organisation_id, case_type, case_id, reason, "
                "started_at, ended_at, fields)",
                parts,
            ),
            (
                "discharge_blocker (case_id, category, description, owner_organisation_id, "
                "owner_team_id, owner_user_id, raised_by_organisation_id, raised_on, due_on, escalated_at, "
                "resolved_on, resolution)",
                blockers,
            ),
            (
                "discharge_delayreasonoverride (case_id, reason_id, starts_on, ends_on, note, set_by_id, "
                "organisation_id, set_at)",
                overrides,
            ),
        ]
        for table, rows in copies:
            print(f"  COPY {table.split(' ')[0]}", flush=True)
            with raw.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(rows.getvalue())
        for table in ("core_person", "discharge_dischargecase"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts | {"load_seconds": round(time.perf_counter() - started, 1)}


def floor_patient_days(trust_id: int, week: dt.date) -> tuple[int, float]:
    """Delayed patient-days with a stay of 14 days or over in the week, in one SQL statement; and its time."""
    from django.db import connection

    sql = """
        SELECT count(*) FROM discharge_dischargecase c
        CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') AS g(day)
        WHERE c.organisation_id = %s AND c.discharge_ready_on IS NOT NULL
          AND c.discharge_ready_on <= g.day::date
          AND (c.discharged_on IS NULL OR c.discharged_on > g.day::date)
          AND g.day::date - c.admitted_on >= 14
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [week, week + dt.timedelta(days=6), trust_id])
        count = cursor.fetchone()[0]
    return count, time.perf_counter() - started


def delayed_on(trust_id: int, day: dt.date) -> int:
    from homeward.discharge.models import DischargeCase

    return (
        DischargeCase.objects.filter(organisation_id=trust_id, discharge_ready_on__lte=day)
        .exclude(discharged_on__lte=day)
        .count()
    )


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    from homeward.core.models import Membership, Organisation
    from homeward.discharge.sitrep import sitrep_xlsx, weekly_sitrep
    from homeward.governance.access import Actor

    rng = random.Random(SEED)
    loaded: dict[str, Any] = {"reused": True}
    if not Organisation.objects.filter(name=TRUST).exists():
        print(f"loading {DAYS} days at {PER_DAY} delayed patients a day …", flush=True)
        loaded = load(rng)
    trust = Organisation.objects.get(name=TRUST)
    membership = Membership.objects.select_related("user", "organisation").get(organisation=trust)
    actor = Actor(membership.user, membership)
    today = dt.date.today()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    weeks = [last_monday - dt.timedelta(weeks=4 * i) for i in range(WEEKS_SAMPLED)]
    mid = weeks[len(weeks) // 2] + dt.timedelta(days=3)
    rows = []
    mismatches = []
    for week in weeks:
        started = time.perf_counter()
        report = weekly_sitrep(actor=actor, organisation_id=trust.pk, week=week)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        workbook = sitrep_xlsx(report)
        xlsx_seconds = time.perf_counter() - started
        floor_count, floor_seconds = floor_patient_days(trust.pk, week)
        days = round((report.los_14_plus or 0) * 7)
        if days != floor_count:
            mismatches.append({"week": week.isoformat(), "report": days, "floor": floor_count})
        rows.append(
            {
                "week": week.isoformat(),
                "seconds": round(seconds, 3),
                "xlsx_seconds": round(xlsx_seconds, 3),
                "xlsx_bytes": len(workbook),
                "floor_sql_seconds": round(floor_seconds, 3),
                "ratio_to_floor": round(seconds / floor_seconds, 1) if floor_seconds else None,
                "los_14_plus": report.los_14_plus,
                "los_21_plus": report.los_21_plus,
                "not_recorded_14": report.not_recorded_14,
            }
        )
        print(f"  week {week}: {seconds:.3f} s (floor {floor_seconds:.3f} s), 14+ {report.los_14_plus}/day")
    slowest = max(r["seconds"] for r in rows)
    result = {
        "benchmark": "discharge_sitrep",
        "goal": f"weekly sitrep < {GOAL_S} s (slowest of {WEEKS_SAMPLED} weeks)",
        "baseline": "floor: one SQL count of the same delayed 14+ patient-days with generate_series",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load": loaded
        | {"per_day": PER_DAY, "days": DAYS, "delayed_on_a_mid_day": delayed_on(trust.pk, mid)},
        "weeks": rows,
        "median_s": round(statistics.median(r["seconds"] for r in rows), 3),
        "slowest_s": slowest,
        "mismatches": mismatches,
        "passed": slowest < GOAL_S and not mismatches,
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("median_s", "slowest_s", "passed", "mismatches")}))
    if not result["passed"]:
        print(
            f"MISSED: slowest {slowest} s (goal < {GOAL_S} s) or counts differ: {mismatches}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
