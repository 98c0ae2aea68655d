"""Benchmark: service-directory search across 50,000 services (issue 5, "Performance").

Goal: a search with postcode distance and a taxonomy (need) filter answers in p95 < 100 ms, in PostgreSQL.
Each search is what the directory page runs: the matching services nearest first, the first page of 20
and the total count. Queries mix: need + postcode within 5 km (most), + age, + open now, text + postcode.

Baseline (same run, same data): the obvious code without the database doing the geography, i.e. load every
active service of that need with its locations and sort by haversine distance in Python.

Data: 50,000 synthetic services (homeward.referrals.demo) over the demo patch's 65 districts,
each with a location, schedule, contact and need and eligibility terms; reused on reruns.

Run: .venv/bin/python benchmarks/bench_directory.py → benchmarks/results/directory.json
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/homeward_bench_directory).
BENCH_SERVICES scales it down for a quick look.
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import time
from pathlib import Path

from bench_person_search import ensure_database, percentile, setup_django

SERVICES = int(os.environ.get("BENCH_SERVICES", "50000"))
SEARCHES = 300
GOAL_P95_MS = 100.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homeward_bench_directory"
RESULTS = Path(__file__).parent / "results" / "directory.json"


def main() -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    setup_django(url)
    from django.db import connection

    from homeward.referrals import directory, geo
    from homeward.referrals.demo import NEEDS, build_directory, term_id
    from homeward.referrals.models import Service

    have = Service.objects.count()
    if have != SERVICES:
        print(f"loading {SERVICES} services (had {have})…")
        Service.objects.all().delete()
        started = time.perf_counter()
        build_directory(
            SERVICES, seed=2026, progress=lambda done, total: print(f"  {done}/{total}", end="\r")
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"\nloaded in {time.perf_counter() - started:.0f} s")
    rng = random.Random(7)
    districts = list(geo.centroids())
    searches = []
    for i in range(SEARCHES):
        need = str(term_id(directory.NEEDS_TAXONOMY, rng.choice(NEEDS)))
        district = rng.choice(districts)
        kind = i % 10
        if kind < 6:
            searches.append(directory.ServiceSearch(need=need, postcode=district, within_km=5))
        elif kind < 8:
            searches.append(
                directory.ServiceSearch(need=need, postcode=district, within_km=10, age=rng.randint(18, 90))
            )
        elif kind < 9:
            searches.append(directory.ServiceSearch(need=need, postcode=district, within_km=5, open_now=True))
        else:
            searches.append(directory.ServiceSearch(text="advice", postcode=district, within_km=3))

    def run(search: directory.ServiceSearch) -> tuple[float, int]:
        started = time.perf_counter()
        results = directory.search_services(search)
        page = list(results[:20])
        total = results.count()
        assert len(page) <= 20
        return (time.perf_counter() - started) * 1000, total

    for search in searches[:20]:  # warm-up
        run(search)
    timings, totals = [], []
    for search in searches:
        ms, total = run(search)
        timings.append(ms)
        totals.append(total)

    def baseline(search: directory.ServiceSearch) -> float:
        started = time.perf_counter()
        point = geo.locate(search.postcode)
        assert point is not None
        candidates = Service.objects.filter(
            status="active", attributes__term_id=search.need
        ).prefetch_related("service_at_locations__location")
        scored = []
        for service in candidates:
            distances = [
                geo.distance_km(point, (sal.location.latitude, sal.location.longitude))
                for sal in service.service_at_locations.all()
            ]
            if distances and min(distances) <= search.within_km:
                scored.append((min(distances), service.name, service))
        scored.sort(key=lambda row: (row[0], row[1]))
        _page = scored[:20]
        return (time.perf_counter() - started) * 1000

    base_searches = [s for s in searches if s.need][:40]
    base_timings = [baseline(s) for s in base_searches]
    result = {
        "benchmark": "directory search (issue 5)",
        "services": Service.objects.count(),
        "searches": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "mean_results": round(sum(totals) / len(totals), 1),
        "goal_p95_ms": GOAL_P95_MS,
        "meets_goal": percentile(timings, 0.95) < GOAL_P95_MS,
        "baseline": {
            "what": "load every active service of the need with locations; haversine and sort in Python",
            "searches": len(base_timings),
            "p50_ms": round(percentile(base_timings, 0.5), 2),
            "p95_ms": round(percentile(base_timings, 0.95), 2),
        },
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["meets_goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
