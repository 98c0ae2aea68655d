"""Errors of the healthy-homes rules: every problem names the path of the value at fault."""

from __future__ import annotations

from homeward.engines.issues import InputError, Issue, issues_from

__all__ = ["HealthyHomesInputError", "Issue", "issues_from"]


class HealthyHomesInputError(InputError):
    """A scheme file, checklist or set of answers that cannot be used; `issues` lists every problem."""
