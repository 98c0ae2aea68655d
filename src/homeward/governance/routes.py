"""Registry of routes that touch personal data.

Every view and API operation is marked either `@personal_data(...)` or `@no_personal_data(reason)`.
The access-matrix test walks every URL pattern and API operation: an unmarked one fails it, and each
marked one is tried for every role against own / shared / unshared / expired-agreement data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from homeward.core.roles import Permission

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class PersonalDataRoute:
    """How the route reaches a person, for the access-matrix test.

    subject: "person_id" (a URL argument), "search" (a query that should or should not find them), or
             "create" (makes a person in the actor's own organisation).
    payload: a valid request body (writes) or query (searches); "{family_name}", "{person_id}",
             "{nhs_number}", "{case_id}" and "{holder_username}" are filled in by the test.
    reach:   "shared" – own organisation's people plus people shared under an agreement in force;
             "own" – own organisation's records only (e.g. the audit log).
    marker:  for searches, text that appears in the response only when the person was found (not text the
             page echoes back from the query).
    """

    subject: str
    permission: Permission
    payload: dict[str, Any] = field(default_factory=dict)
    reach: str = "shared"
    marker: str = "{nhs_number}"


def personal_data(
    subject: str,
    permission: Permission,
    payload: dict[str, Any] | None = None,
    *,
    reach: str = "shared",
    marker: str = "{nhs_number}",
) -> Callable[[F], F]:
    def mark(func: F) -> F:
        route = PersonalDataRoute(subject, permission, payload or {}, reach, marker)
        func.personal_data = route  # type: ignore[attr-defined]
        return func

    return mark


def no_personal_data(reason: str) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.no_personal_data = reason  # type: ignore[attr-defined]
        return func

    return mark
