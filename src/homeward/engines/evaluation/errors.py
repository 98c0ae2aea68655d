"""Errors of the evaluation engine: every problem names the field (or file, row and column) at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem: where (a dotted spec path such as ``matching.caliper``, or ``people.csv:12:start_date``)
    and what."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class EvaluationError(ValueError):
    """An evaluation that cannot be run; `issues` lists every problem found. Nothing has been run."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))

    def as_dict(self) -> dict[str, str]:
        """``{field: message}``, the shape `homeward.core.errors.ValidationFailed` takes."""
        out: dict[str, str] = {}
        for issue in self.issues:
            out[issue.field] = f"{out[issue.field]}; {issue.message}" if issue.field in out else issue.message
        return out


class SpecError(EvaluationError):
    """The spec itself is malformed (unknown key, value out of bounds, wrong type)."""


class DataError(EvaluationError):
    """The activity or people data are malformed (missing column, bad month, negative count, ...)."""
