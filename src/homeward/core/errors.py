"""Domain errors raised by services and selectors; views and the API turn them into clear messages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class for errors a user can act on."""


class ValidationFailed(DomainError):
    """Bad input. `errors` maps a field name (or dotted path) to a human message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: message})


class NotFound(DomainError):
    """The object does not exist or the actor may not know that it does (both look the same: 404)."""


class Conflict(DomainError):
    """Well formed, but the record's state forbids it (e.g. changing an ended agreement): 409."""


class NotAllowed(DomainError):
    """The actor's role does not permit this action."""


class IllegalTransition(ValidationFailed):
    """A case cannot move from its current status to the requested one."""

    def __init__(self, current: str, requested: str, allowed: list[str]):
        allowed_text = ", ".join(allowed) if allowed else "none (this is a final status)"
        super().__init__(
            {
                "status": f"cannot move from '{current}' to '{requested}'; "
                f"allowed next statuses: {allowed_text}"
            }
        )


def check_choice(
    errors: dict[str, str], field: str, value: str, choices: Any, *, blank: bool = False
) -> None:
    """Record an error for `field` unless `value` is one of the TextChoices (or blank, when allowed)."""
    if blank and not value:
        return
    if value not in choices.values:
        known = ", ".join(str(v) for v in choices.values if v)
        errors[field] = f"'{value}' is not a known code; use one of: {known}"
