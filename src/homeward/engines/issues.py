"""Validation problems shared by the engines: each names the path of the value at fault.

``hazards[3].spread: must sum to 100 (got 95)``; ``tables.loan_factors[0].values.tenant[1].up_to: …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

# A validator's message may start with the path below the value it checks: "owner_occupier[1].up_to: …".
_SUBPATH = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*|\[\d+\][\w\[\].]*): (.+)$")


@dataclass(frozen=True)
class Issue:
    """One problem: where (a path such as ``household.premiums[1]``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(ValueError):
    """Input that cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


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
    """A pydantic error as issues with dotted paths and plain messages."""
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
            if sub:
                below, message = sub.groups()
                path = f"{path}{below}" if below.startswith("[") or not path else f"{path}.{below}"
        issues.append(Issue(path, message))
    return issues
