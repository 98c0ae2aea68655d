"""Ten threads of audited reads and writes against the SQLite configuration in settings.py (a real file).

Run as a separate process (`python -m tests.governance.sqlite_threads VAR_DIR`) so Django builds its
database settings from the environment exactly as `homeward demo` does; pytest's test database for SQLite
is in memory and would not show file locking. Prints one JSON line: operations, errors (with messages),
audit rows written and whether the chain verifies.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter

THREADS = 10
ROUNDS = 15  # per thread: a search, a view and an edit each round


def main(var_dir: str) -> None:
    os.environ["HOMEWARD_VAR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    assert connection.vendor == "sqlite" and str(settings.DATABASES["default"]["NAME"]).startswith(var_dir)
    call_command("migrate", interactive=False, verbosity=0)

    from homeward.governance.audit import verify_chain
    from homeward.governance.models import AuditEvent
    from homeward.people import selectors, services
    from tests.factories import OrganisationFactory, PersonFactory, make_actor

    organisation = OrganisationFactory()
    actors = [make_actor(organisation=organisation) for _ in range(THREADS)]
    people = [PersonFactory(organisation=organisation, family_name=f"Thread{i}") for i in range(THREADS)]
    before = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    connections.close_all()

    errors: Counter[str] = Counter()
    done = Counter[str]()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(i: int) -> None:
        actor, person = actors[i], people[(i + 1) % THREADS]  # each thread edits a person another reads
        start.wait()
        try:
            for n in range(ROUNDS):
                for name, call in (
                    ("search", lambda: selectors.search_people(actor=actor, query="thread")),
                    ("view", lambda: selectors.get_person(actor=actor, person_id=people[i].pk)),
                    (
                        "edit",
                        lambda n=n: services.update_person(
                            actor=actor, person_id=person.pk, changes={"phone": f"0161 496 {n:04d}"}
                        ),
                    ),
                ):
                    try:
                        call()
                        with lock:
                            done[name] += 1
                    except Exception as exc:  # noqa: BLE001  (counted and reported, the point of the test)
                        with lock:
                            errors[f"{name}: {type(exc).__name__}: {exc}"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_chain()
    print(
        json.dumps(
            {
                "journal_mode": journal_mode,
                "done": dict(done),
                "errors": dict(errors),
                "audit_rows_written": AuditEvent.objects.count() - before,
                "chain_intact": report.is_intact,
                "chain_problem": str(report.problem) if report.problem else None,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
