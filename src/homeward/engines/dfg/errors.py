"""Errors of the DFG engine: every problem names the path of the value at fault (or the table)."""

from __future__ import annotations

from homeward.engines.issues import InputError, Issue, issues_from

__all__ = ["DfgInputError", "GrantAboveMaximum", "Issue", "TablesMissing", "issues_from"]


class DfgInputError(InputError):
    """Input or tables that cannot be used; `issues` lists every problem found."""


class TablesMissing(DfgInputError):
    """A table the calculation needs is missing or has no version in force; `table` names it."""

    def __init__(self, table: str, message: str) -> None:
        self.table = table
        super().__init__([Issue("", message)])


class GrantAboveMaximum(DfgInputError):
    """The grant would exceed the DFG maximum and no (big enough) discretionary top-up is recorded."""
