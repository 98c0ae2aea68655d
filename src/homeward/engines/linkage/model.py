"""A trained linkage model: Splink's own model JSON plus what Homeward needs around it (the fields
it may read, the link type, the thresholds, how it was trained), saved and loaded as versioned JSON.

One model per linkage agreement: `version` is the agreement's model number (the app increments it);
`format` is this file format's version, checked on load.
"""

from __future__ import annotations

import json
import math
from copy import deepcopy
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from splink import __version__ as SPLINK_VERSION

from homeward.engines.linkage.comparisons import comparisons_for
from homeward.engines.linkage.decisions import DEFAULT_THRESHOLDS, Thresholds
from homeward.engines.linkage.fields import STANDARD_FIELDS
from homeward.engines.linkage.rules import LinkType, build_settings

MODEL_FORMAT = "homeward.linkage.model/1"
_PARAMETERS = ("m_probability", "u_probability")


class ModelError(ValueError):
    """A model file that cannot be used: wrong format, unknown fields, damaged parameters."""


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    """How a model was trained (for the model page and the audit trail)."""

    records: dict[str, int]
    prior: float
    deterministic_rules: list[str]
    deterministic_recall: float
    u_max_pairs: float
    em_rules: list[str]
    em_skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class LevelParameters:
    comparison: str
    level: str
    m_probability: float | None
    u_probability: float | None

    @property
    def match_weight(self) -> float | None:
        if not self.m_probability or not self.u_probability:
            return None
        return math.log2(self.m_probability / self.u_probability)


@dataclass(frozen=True, slots=True)
class LinkageModel:
    fields: tuple[str, ...]
    link_type: LinkType
    splink: dict[str, Any]
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    training: TrainingSummary | None = None
    trained_at: str | None = None
    version: int = 1
    splink_version: str = SPLINK_VERSION
    format: str = MODEL_FORMAT

    @property
    def prior(self) -> float:
        return float(self.splink["probability_two_random_records_match"])

    def with_thresholds(self, thresholds: Thresholds) -> LinkageModel:
        return replace(self, thresholds=thresholds)

    def with_version(self, version: int) -> LinkageModel:
        return replace(self, version=version)

    def parameters(self) -> list[LevelParameters]:
        """Every comparison level's m and u (null levels excluded), in model order."""
        out: list[LevelParameters] = []
        for comparison in self.splink["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                out.append(
                    LevelParameters(
                        comparison=comparison["output_column_name"],
                        level=str(level.get("label_for_charts", level["sql_condition"])),
                        m_probability=level.get("m_probability"),
                        u_probability=level.get("u_probability"),
                    )
                )
        return out

    def splink_settings(self, dialect: str = "duckdb") -> dict[str, Any]:
        """Splink settings with the trained parameters, with SQL for `dialect` ("duckdb", "spark")."""
        if self.splink.get("sql_dialect") == dialect:
            return deepcopy(self.splink)
        fresh = build_settings(self.fields, link_type=self.link_type).create_settings_dict(dialect)
        fresh["probability_two_random_records_match"] = self.prior
        fresh["sql_dialect"] = dialect
        for new, old in zip(fresh["comparisons"], self.splink["comparisons"], strict=True):
            for new_level, old_level in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
                for name in _PARAMETERS:
                    if name in old_level:
                        new_level[name] = old_level[name]
        return cast(dict[str, Any], fresh)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=1, sort_keys=True)

    def save(self, path: Path) -> None:
        """Write the model (atomically: a partial file is never left behind)."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageModel:
        if data.get("format") != MODEL_FORMAT:
            raise ModelError(f"not a {MODEL_FORMAT} model (format {data.get('format')!r})")
        try:
            fields = tuple(str(f) for f in data["fields"])
            unknown = set(fields) - set(STANDARD_FIELDS)
            if unknown:
                raise ModelError(f"model reads unknown fields: {', '.join(sorted(unknown))}")
            names = [c.name for c in comparisons_for(fields)]
            settings = data["splink"]
            if [c["output_column_name"] for c in settings["comparisons"]] != names:
                raise ModelError("model comparisons do not match its fields")
            for comparison in settings["comparisons"]:
                for level in comparison["comparison_levels"]:
                    for name in _PARAMETERS:
                        value = level.get(name)
                        if value is not None and not (0.0 < float(value) <= 1.0):
                            raise ModelError(
                                f"{comparison['output_column_name']}: {name} {value} not in (0, 1]"
                            )
            prior = float(settings["probability_two_random_records_match"])
            if not 0.0 < prior < 1.0:
                raise ModelError("probability_two_random_records_match must be in (0, 1)")
            training = data.get("training")
            thresholds = data.get("thresholds") or {}
            return cls(
                fields=fields,
                link_type=data["link_type"],
                splink=settings,
                thresholds=Thresholds(**thresholds) if thresholds else DEFAULT_THRESHOLDS,
                training=TrainingSummary(**training) if training else None,
                trained_at=data.get("trained_at"),
                version=int(data.get("version", 1)),
                splink_version=str(data.get("splink_version", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelError):
                raise
            raise ModelError(f"damaged model: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> LinkageModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"model is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ModelError("model is not a JSON object")
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: Path) -> LinkageModel:
        return cls.from_json(path.read_text(encoding="utf-8"))
