"""Errors of the DFG engine: every problem names the path of the value at fault (or the table)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

_SUBPATH = re.compile(
    r"^([A-Za-z_][\w]*(?:\[\d+\])*(?:\.[A-Za-z_][\w]*(?:\[\d+\])*)*|\[\d+\][\w\[\].]*): (.+)$"
)


@dataclass(frozen=True)
class Issue:
    """One problem: where (a path such as ``household.premiums[1]``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DfgInputError(ValueError):
    """Input or tables that cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


class TablesMissing(DfgInputError):
    """A table the calculation needs is missing or has no version in force; `table` names it."""

    def __init__(self, table: str, message: str) -> None:
        self.table = table
        super().__init__([Issue("", message)])


class GrantAboveMaximum(DfgInputError):
    """The grant would exceed the DFG maximum and no (big enough) discretionary top-up is recorded."""


def join_path(loc: tuple[int | str, ...]) -> str:
    """('tables', 'loan_factors', 0, 'values') → 'tables.loan_factors[0].values'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def issues_from(error: ValidationError) -> list[Issue]:
    issues = []
    for err in error.errors():
        path, message = join_path(tuple(err["loc"])), err["msg"]
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "extra_forbidden":
            message = "is not a field of this format"
        elif err["type"] == "value_error":
            message = message.removeprefix("Value error, ")
            sub = _SUBPATH.match(message)
            if sub:  # a validator that names a field below the one it checks
                below, message = sub.groups()
                path = f"{path}{below}" if below.startswith("[") or not path else f"{path}.{below}"
        issues.append(Issue(path, message))
    return issues
