"""The hazard-assessment file (`{"hazards": [{"hazard", "likelihood", "spread"}]}`) and its errors.

Every problem names the path of the value at fault, e.g. ``hazards[3].spread: must sum to 100 (got 95)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from homeward.engines.hhsrs.scoring import HazardAssessment

#: Hazards one file may hold (the vectorised `score_stock` is the way to score a whole stock).
MAX_HAZARDS_PER_FILE = 100_000


@dataclass(frozen=True)
class Issue:
    """One problem with an input: where (a path such as ``hazards[3].spread``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class HhsrsInputError(ValueError):
    """Input that cannot be scored; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def issue_path(loc: tuple[int | str, ...]) -> str:
    """('hazards', 3, 'spread') → 'hazards[3].spread'."""
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
        message = err["msg"]
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "extra_forbidden":
            message = "is not a field of this format"
        issues.append(Issue(issue_path(tuple(err["loc"])), message))
    return issues


class HazardFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hazards: list[HazardAssessment] = Field(min_length=1, max_length=MAX_HAZARDS_PER_FILE)


def parse_assessments(raw: Any) -> list[HazardAssessment]:
    """Validate a decoded hazard file; raises `HhsrsInputError` naming every bad field."""
    if not isinstance(raw, Mapping):
        raise HhsrsInputError([Issue("", 'the file must be a JSON object {"hazards": [...]}')])
    try:
        return HazardFile.model_validate(raw).hazards
    except ValidationError as exc:
        raise HhsrsInputError(issues_from(exc)) from None


def load_assessments(path: Path) -> list[HazardAssessment]:
    """Read and validate a hazard file (JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HhsrsInputError([Issue("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HhsrsInputError(
            [Issue("", f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")]
        ) from None
    return parse_assessments(raw)
