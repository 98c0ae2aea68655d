"""Registry of routes that touch personal data.

Every view and API operation is marked either `@personal_data(...)` or `@no_personal_data(reason)`.
The access-matrix test walks every URL pattern and API operation: an unmarked one fails it, and each
marked one is tried for every role against own / shared / unshared / expired-agreement data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from homeward.core.roles import Permission

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class PersonalDataRoute:
    """How the route reaches a person, for the access-matrix test.

    subject: "person_id" (a URL argument), "search" (a query that should or should not find them), or
             "create" (makes a person in the actor's own organisation).
    reach:   "shared" – own organisation's people plus people shared under an agreement in force;
             "own" – own organisation's records only (e.g. the audit log).
    The test's example request bodies and search markers live in tests/<app>/access_examples.py, keyed by
    route name; a write route without one fails the test.
    """

    subject: str
    permission: Permission
    reach: str = "shared"


def personal_data(subject: str, permission: Permission, *, reach: str = "shared") -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.personal_data = PersonalDataRoute(subject, permission, reach)  # type: ignore[attr-defined]
        return func

    return mark


def no_personal_data(reason: str) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.no_personal_data = reason  # type: ignore[attr-defined]
        return func

    return mark
