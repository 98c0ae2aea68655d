"""Benchmark: person search over 1,000,000 people in PostgreSQL (issue 3, "Performance").

Goal: p95 < 100 ms for every shape a receptionist types (issue 25): name prefix, initials ("j s"), surname
with a date of birth, postcode, date of birth and NHS number, timed through the real selector
`homeward.people.selectors.search_people` as a caseworker, so the access layer and the audit write of every
search are part of the cost. Baseline, timed in the same run on the same queries: the previous selector,
one query with "own organisation OR shared under an agreement" (OR EXISTS) and the two name orders ORed.

Data: 1,000,000 synthetic people (Faker en_GB name frequencies; NHS numbers from the 999 test range,
some held by more than one organisation and some records without one) over 20 organisations, loaded
with COPY; participations between organisations, agreements in force, one ended. Reused on reruns.

Run: .venv/bin/python benchmarks/bench_person_search.py   → benchmarks/results/person_search.json
(or the file named by BENCH_RESULTS).
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench, created if
missing).
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
from urllib.parse import urlparse

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
ORGANISATIONS = 20
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
GOAL_P95_MS = 100.0
SEED = 20261125
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench"
# BENCH_RESULTS writes the figures elsewhere (a trial run that must not overwrite the committed ones).
RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).parent / "results" / "person_search.json")
ACTOR = "bench-caseworker"
ORG_PREFIX = "Bench organisation"
# Not in the random mix: the shortest prefixes and commonest surnames, the name search's worst cases.
STRESS_QUERIES = ["s", "sm", "smi", "smith", "jones", "williams", "jo smith", "j s", "a b", "m j"]


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HOMEWARD_VAR", str(Path(__file__).resolve().parent.parent / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def organisation_plan() -> list[tuple[str, str, float]]:
    """(name, kind, share of people). Organisation 01 is the caseworker's housing provider."""
    kinds = ["housing_provider", "nhs_trust", "nhs_trust", "local_authority", "housing_provider"]
    kinds += ["nhs_trust", "local_authority", "care_provider", "voluntary_sector", "gp_practice"] * 3
    shares = [0.05, 0.12, 0.10, 0.08] + [0.65 / (ORGANISATIONS - 4)] * (ORGANISATIONS - 4)
    return [(f"{ORG_PREFIX} {i + 1:02d}", kinds[i], shares[i]) for i in range(ORGANISATIONS)]


def valid_test_nhs_numbers(rng: random.Random) -> list[str]:
    """Every valid NHS number in the 999 test range (about 909,000), shuffled."""
    weights = (10, 9, 8, 7, 6, 5, 4, 3, 2)
    out = []
    for body in range(999_000_000, 1_000_000_000):
        digits = str(body)
        total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            out.append(digits + str(check))
    rng.shuffle(out)
    return out


def load(rng: random.Random) -> dict[str, Any]:
    """Organisations, agreements, the caseworker, then people and participations with COPY."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from faker.providers.person.en_GB import Provider as Names

    from homeward.core.models import Membership, Organisation, User
    from homeward.governance.models import DataSharingAgreement

    started = time.perf_counter()
    plan = organisation_plan()
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create([Organisation(name=n, kind=k) for n, k, _ in plan])
        user = User.objects.create(username=ACTOR, password=make_password(None))
        Membership.objects.create(user=user, organisation=orgs[0], role="caseworker")
        today = dt.date.today()
        # In force: 01 with 02, 03, 04; ended: 01 with 05 (its shared cases stay hidden); others pairwise.
        pairs = [(0, 1, None), (0, 2, None), (0, 3, None), (0, 4, today - dt.timedelta(days=30))]
        pairs += [(i, i + 1, None) for i in range(5, ORGANISATIONS - 1)]
        for n, (a, b, end) in enumerate(pairs):
            agreement = DataSharingAgreement.objects.create(
                reference=f"BENCH-{n:03d}",
                title=f"Benchmark sharing {a + 1:02d}-{b + 1:02d}",
                purpose="Benchmark",
                lawful_basis="6.1.e",
                article9_condition="9.2.h",
                data_categories=["identifiers", "health", "housing"],
                start_date=today - dt.timedelta(days=365),
                end_date=end,
                status="ended" if end else "active",
            )
            agreement.parties.set([orgs[a], orgs[b]])

    numbers = valid_test_nhs_numbers(rng)
    family = list(Names.last_names)
    family_w = list(Names.last_names.values())
    female, male = list(Names.first_names_female), list(Names.first_names_male)
    towns = [("M", "Manchester"), ("OL", "Oldham"), ("SK", "Stockport"), ("BL", "Bolton"), ("WN", "Wigan")]
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    org_ids = [o.pk for o in orgs]
    org_weights = [share for _, _, share in plan]
    holders = rng.choices(org_ids, weights=org_weights, k=PEOPLE)
    surnames = rng.choices(family, weights=family_w, k=PEOPLE)
    now = "2026-11-25 08:00:00+00"
    base = dt.date(1926, 1, 1).toordinal()
    print(f"loading {PEOPLE:,} people with COPY …", flush=True)
    columns = (
        "organisation_id, nhs_number, given_name, family_name, preferred_name, date_of_birth, "
        "address_line_1, address_line_2, town, postcode, uprn, phone, email, contact_preference, "
        "preferred_language, interpreter_required, accessibility_needs, created_at, updated_at"
    )
    next_number = 0
    first_holder: dict[str, int] = {}
    repeated: set[tuple[int, str]] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f"COPY core_person ({columns}) FROM STDIN") as copy:
            buf = io.StringIO()
            for i in range(PEOPLE):
                org = holders[i]
                # 1 in 7 records (mostly housing and council) has no NHS number; 5% repeat a number
                # held elsewhere (the same person known to two organisations).
                if rng.random() < 0.14:
                    nhs = ""
                elif next_number >= len(numbers) or rng.random() < 0.05:
                    nhs = numbers[rng.randrange(max(1, next_number))]
                    if (org, nhs) in repeated or nhs in first_holder and first_holder[nhs] == org:
                        nhs = ""
                    repeated.add((org, nhs))
                else:
                    nhs = numbers[next_number]
                    first_holder[nhs] = org
                    next_number += 1
                given = rng.choice(female if rng.random() < 0.52 else male)
                age_days = int(min(99, max(0, rng.gauss(55, 22))) * 365.25) + rng.randrange(365)
                dob = dt.date.fromordinal(base + 100 * 365 - age_days).isoformat()
                area, town = rng.choice(towns)
                inward = f"{rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"
                postcode = f"{area}{rng.randint(1, 30)} {inward}"
                buf.write(
                    f"{org}\t{nhs}\t{given}\t{surnames[i]}\t\t{dob}\t{rng.randint(1, 200)} High Street\t\t"
                    f"{town}\t{postcode}\t1000{i:08d}\t0161 496 0{rng.randrange(1000):03d}\t\t\t"
                    f"English\tf\t\t{now}\t{now}\n"
                )
                if i % 50_000 == 49_999:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
                    print(f"  {i + 1:,}", flush=True)
            copy.write(buf.getvalue())
        # Participations: organisations taking part in each other's cases (3% of people), plus 40,000
        # of other organisations' cases shared with 01: under agreements in force (02-04) or ended (05).
        cursor.execute("SELECT id, organisation_id FROM core_person")
        people = cursor.fetchall()
        with raw.copy(
            "COPY governance_participation "
            "(person_id, owner_id, organisation_id, case_type, reason, started_at, fields) FROM STDIN"
        ) as copy:
            buf = io.StringIO()
            for person_id, owner in people:
                if owner in org_ids[1:5] and rng.random() < 0.12:
                    buf.write(f"{person_id}\t{owner}\t{org_ids[0]}\tbench.case\t\t{now}\t[]\n")
                elif rng.random() < 0.03:
                    other = rng.choice(org_ids)
                    if other != owner:
                        buf.write(f"{person_id}\t{owner}\t{other}\tbench.case\t\t{now}\t[]\n")
            copy.write(buf.getvalue())
        cursor.execute("ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def is_loaded() -> bool:
    from homeward.core.models import Person, User

    return User.objects.filter(username=ACTOR).exists() and Person.objects.count() >= PEOPLE


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def search_terms(rng: random.Random, actor: Any) -> dict[str, list[str]]:
    """Realistic search-box input: what staff type, drawn from people the caseworker can see or not."""
    from homeward.core.models import Person
    from homeward.governance.access import visible_people

    visible_ids = list(visible_people(actor).values_list("pk", flat=True)[:200_000])
    sample = Person.objects.filter(pk__in=rng.sample(visible_ids, QUERIES * 2))
    people = list(sample.values("given_name", "family_name", "date_of_birth", "nhs_number"))
    anyone = list(Person.objects.order_by("?").values("nhs_number")[: QUERIES // 4])
    names = []
    for p in people[:QUERIES]:
        surname = p["family_name"].lower()
        prefix = surname[: rng.randint(min(3, len(surname)), len(surname))]
        # A quarter type a first name (or its start) as well: "jo smith".
        names.append(
            f"{p['given_name'][: rng.randint(2, 5)].lower()} {prefix}" if rng.random() < 0.25 else prefix
        )
    dobs = [
        p["date_of_birth"].strftime(rng.choice(["%d/%m/%Y", "%Y-%m-%d"]))
        for p in people[QUERIES : QUERIES * 2]
    ]
    numbers = [p["nhs_number"] for p in people if p["nhs_number"]][: QUERIES - len(anyone)]
    numbers += [p["nhs_number"] for p in anyone if p["nhs_number"]]  # some held by others: no result
    numbers = [f"{n[:3]} {n[3:6]} {n[6:]}" if i % 2 else n for i, n in enumerate(numbers)]
    more = list(sample.values("given_name", "family_name", "date_of_birth", "postcode")[: QUERIES * 2])
    rng.shuffle(more)
    initials = [f"{p['given_name'][0]} {p['family_name'][0]}".lower() for p in more[:QUERIES]]
    surname_dob = [
        f"{p['family_name'].lower()} {p['date_of_birth']:%d/%m/%Y}" for p in more[QUERIES : QUERIES * 2]
    ]
    postcodes = [p["postcode"] for p in more[:QUERIES]]
    postcodes = [code.replace(" ", "").lower() if i % 2 else code for i, code in enumerate(postcodes)]
    return {
        "name_prefix": names,
        "initials": initials,
        "surname_and_date_of_birth": surname_dob,
        "postcode": postcodes,
        "date_of_birth": dobs,
        "nhs_number": numbers[:QUERIES],
    }


def baseline_search(actor: Any, query: str, limit: int = 50) -> list[Any]:
    """The selector before issue 25: one query over `fully_visible_people` (own OR EXISTS shared), the two
    name orders ORed, postcode as an equality filter. Audited the same way, for a like-for-like cost."""
    from django.db.models import Q
    from django.db.models.lookups import StartsWith

    from homeward.governance.access import fully_visible_people
    from homeward.governance.audit import record_event
    from homeward.people.search import parse_query
    from homeward.people.selectors import _name_key

    terms = parse_query(query)
    people = fully_visible_people(actor)
    if terms.nhs_number:
        people = people.filter(nhs_number=terms.nhs_number)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.postcode:
        people = people.filter(postcode=terms.postcode)
    family, given = _name_key("family_name"), _name_key("given_name")
    if len(terms.names) == 1:
        people = people.filter(StartsWith(family, terms.names[0]))
    elif len(terms.names) >= 2:
        first, last = terms.names[0], terms.names[-1]
        people = people.filter(
            (Q(StartsWith(given, first)) & Q(StartsWith(family, last)))
            | (Q(StartsWith(family, first)) & Q(StartsWith(given, last)))
        )
    found = list(people.order_by(family, given, "pk")[:limit])
    record_event(actor=actor, action="search", purpose="Benchmark baseline", detail={"results": len(found)})
    return found


def explain(actor: Any, query: str) -> list[str]:
    """EXPLAIN ANALYZE of the exact SELECT the selector runs for `query`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.people.selectors import search_people

    with CaptureQueriesContext(connection) as captured:
        search_people(actor=actor, query=query)
    sql = next(q["sql"] for q in captured.captured_queries if 'FROM "core_person"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    ensure_database(url)
    setup_django(url)
    from django.db import connection, transaction

    from homeward.core.models import Membership, Person
    from homeward.governance.access import Actor, visible_people
    from homeward.people.selectors import search_people

    rng = random.Random(SEED)
    loaded: dict[str, Any] = {"reused": True}
    if not is_loaded():
        if Person.objects.exists():
            print("database holds other data: use an empty one for the benchmark", file=sys.stderr)
            return 2
        with transaction.atomic():  # all or nothing, so a failed load leaves nothing behind
            loaded = {"reused": False, **load(rng)}
        # As a table in service would be: vacuumed, so that index-only scans need no heap visits.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) core_person")
            cursor.execute("VACUUM (ANALYZE) governance_participation")
    membership = Membership.objects.select_related("user", "organisation").get(user__username=ACTOR)
    actor = Actor(user=membership.user, membership=membership)
    terms = search_terms(rng, actor)

    for query in terms["name_prefix"][:20]:  # warm caches, as a running server would have
        search_people(actor=actor, query=query)
    kinds: dict[str, Any] = {}
    for kind, queries in terms.items():
        timings, hits, base_timings, same = [], [], [], 0
        for query in queries:
            start = time.perf_counter()
            found = search_people(actor=actor, query=query)
            timings.append((time.perf_counter() - start) * 1000)
            hits.append(len(found))
            start = time.perf_counter()
            before = baseline_search(actor, query)
            base_timings.append((time.perf_counter() - start) * 1000)
            same += [p.pk for p in found] == [p.pk for p in before]
        kinds[kind] = {
            "queries": len(timings),
            "p50_ms": round(percentile(timings, 0.50), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "max_ms": round(max(timings), 2),
            "baseline_p50_ms": round(percentile(base_timings, 0.50), 2),
            "baseline_p95_ms": round(percentile(base_timings, 0.95), 2),
            "same_results_as_baseline": same,
            "mean_results": round(statistics.mean(hits), 1),
            "passes": percentile(timings, 0.95) < GOAL_P95_MS and same == len(queries),
            "example_query": queries[0],
            "explain": explain(actor, queries[0]),
        }
    stress, stress_baseline = {}, {}
    for query in STRESS_QUERIES:
        runs, base_runs = [], []
        for _ in range(5):
            start = time.perf_counter()
            search_people(actor=actor, query=query)
            runs.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            baseline_search(actor, query)
            base_runs.append((time.perf_counter() - start) * 1000)
        stress[query] = round(statistics.median(runs), 2)
        stress_baseline[query] = round(statistics.median(base_runs), 2)
    worst = max(stress, key=lambda q: stress[q])
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
    result = {
        "benchmark": "person search (people.selectors.search_people, audited) as a caseworker",
        "goal": f"p95 < {GOAL_P95_MS:.0f} ms per search kind, the same results as the baseline",
        "baseline": "the previous selector: one query, own OR EXISTS shared, name orders ORed",
        "load": os.environ.get("BENCH_LOAD_NOTE", "shared 2-core machine; other work running"),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "passes": all(k["passes"] for k in kinds.values()),
        "people": Person.objects.count(),
        "visible_to_caseworker": visible_people(actor).count(),
        "organisations": ORGANISATIONS,
        "data": loaded,
        "kinds": kinds,
        "stress_name_prefix": {
            "note": "median of 5 runs each; not part of the goal's random mix",
            "median_ms": stress,
            "baseline_median_ms": stress_baseline,
            "explain_slowest": {"query": worst, "plan": explain(actor, worst)},
        },
        "machine": {
            "python": platform.python_version(),
            "postgresql": pg_version,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{result['people']:,} people; {result['visible_to_caseworker']:,} visible to the caseworker")
    for kind, k in kinds.items():
        verdict = "PASS" if k["passes"] else "FAIL"
        print(
            f"{kind:26} p50 {k['p50_ms']:7.2f} ms  p95 {k['p95_ms']:7.2f} ms  "
            f"(baseline p95 {k['baseline_p95_ms']:7.2f} ms)  {verdict} (goal p95 < {GOAL_P95_MS:.0f} ms)"
        )
    print("worst cases (median ms): " + ", ".join(f"{q!r} {ms:.1f}" for q, ms in stress.items()))
    print(f"→ {RESULTS}")
    return 0 if result["passes"] else 1


if __name__ == "__main__":
    sys.exit(main())
