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
    """`subject` says how the route reaches a person: through a URL argument (`person_id`), by a search
    that should or should not find them (`search`), or by creating one (`create`)."""

    subject: str
    permission: Permission
    payload: dict[str, Any] = field(default_factory=dict)


def personal_data(subject: str, permission: Permission, payload: dict[str, Any] | None = None) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.personal_data = PersonalDataRoute(subject, permission, payload or {})  # type: ignore[attr-defined]
        return func

    return mark


def no_personal_data(reason: str) -> Callable[[F], F]:
    def mark(func: F) -> F:
        func.no_personal_data = reason  # type: ignore[attr-defined]
        return func

    return mark
