"""Reading an application file (JSON or YAML) with every problem named by its path."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from homeward.engines.dfg.errors import DfgInputError, Issue, issues_from
from homeward.engines.dfg.resources import Application


def parse_application(raw: Any) -> Application:
    """Validate a decoded application; raises `DfgInputError` naming every bad field."""
    if not isinstance(raw, Mapping):
        raise DfgInputError([Issue("", "the application must be a JSON object (see docs/adaptations.md)")])
    try:
        return Application.model_validate(raw)
    except ValidationError as exc:
        raise DfgInputError(issues_from(exc)) from None


def load_application(path: Path) -> Application:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DfgInputError([Issue("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    try:
        raw = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DfgInputError([Issue("", f"{path} cannot be read: {exc}")]) from None
    return parse_application(raw)
