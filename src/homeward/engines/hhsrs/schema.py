"""The hazard-assessment file (`{"hazards": [{"hazard", "likelihood", "spread"}]}`) and its errors.

Every problem names the path of the value at fault, e.g. ``hazards[3].spread: must sum to 100 (got 95)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from homeward.engines.hhsrs.scoring import HazardAssessment
from homeward.engines.issues import InputError, Issue, issues_from

__all__ = [
    "MAX_HAZARDS_PER_FILE",
    "HazardFile",
    "HhsrsInputError",
    "Issue",
    "load_assessments",
    "parse_assessments",
]

#: Hazards one file may hold (the vectorised `score_stock` is the way to score a whole stock).
MAX_HAZARDS_PER_FILE = 100_000


class HhsrsInputError(InputError):
    """Input that cannot be scored; `issues` lists every problem found."""


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
