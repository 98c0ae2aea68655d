"""What each kind of job runs. Domain apps register their kinds in `AppConfig.ready()`.

A runner is `run(job, context) -> {"summary": str, "url": str?}`. It is called inside one transaction that
also marks the job succeeded, so its writes and the job's success are committed together or not at all.
A kind whose work is mostly computing may also give `prepare(job, context)`: it runs first, outside any
transaction (so no write lock is held while it computes, which matters on SQLite), and what it returns is
`context.prepared` when `run` saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homeward.jobs.models import Job
    from homeward.jobs.runner import JobContext

Runner = Callable[["Job", "JobContext"], dict[str, Any]]
Prepare = Callable[["Job", "JobContext"], Any]


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str
    run: Runner
    prepare: Prepare | None = None


_KINDS: dict[str, JobKind] = {}


def register(kind: str, *, label: str, run: Runner, prepare: Prepare | None = None) -> None:
    _KINDS[kind] = JobKind(kind, label, run, prepare)


def get(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"No job kind {kind!r} is registered") from None


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
