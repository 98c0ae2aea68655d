"""Scenario schema for the discharge-flow simulator (YAML/JSON, validated with pydantic)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class ScenarioError(ValueError):
    """A scenario file is invalid; the message names each bad key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Distribution(_Strict):
    """A duration distribution in days: fixed, exponential, gamma, lognormal or empirical."""

    dist: Literal["fixed", "exponential", "gamma", "lognormal", "empirical"]
    value: float | None = Field(default=None, ge=0)
    mean_days: float | None = Field(default=None, gt=0)
    sd_days: float | None = Field(default=None, gt=0)
    samples: list[Annotated[float, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _check_parameters(self) -> Distribution:
        if self.sd_days is not None and self.mean_days is None:
            raise ValueError("sd_days given without mean_days")
        need = {
            "fixed": ("value",),
            "exponential": ("mean_days",),
            "gamma": ("mean_days", "sd_days"),
            "lognormal": ("mean_days", "sd_days"),
            "empirical": ("samples",),
        }[self.dist]
        for key in need:
            if getattr(self, key) is None:
                raise ValueError(f"{self.dist} needs {key}")
        if self.dist == "empirical" and not self.samples:
            raise ValueError("empirical needs at least one sample")
        return self

    @property
    def mean(self) -> float:
        if self.dist == "fixed":
            return float(self.value or 0.0)
        if self.dist == "empirical":
            return float(sum(self.samples or []) / len(self.samples or [1]))
        return float(self.mean_days or 0.0)


class Arrivals(_Strict):
    """Poisson at `rate_per_day` (optionally varying by weekday, Monday first), or history replayed:
    `replay_csv` names a CSV with an `arrived_at` column (YYYY-MM-DD HH:MM), read by `load_scenario`
    into `times_days` (days since midnight before the first arrival)."""

    rate_per_day: float | None = Field(default=None, gt=0)
    weekday_profile: list[Annotated[float, Field(ge=0)]] | None = Field(
        default=None, min_length=7, max_length=7
    )
    replay_csv: str | None = None
    times_days: list[Annotated[float, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Arrivals:
        if self.rate_per_day is None and self.times_days is None:
            raise ValueError("give rate_per_day, or replay_csv with historical arrival times")
        if self.times_days is not None and not self.times_days:
            raise ValueError("replay_csv has no arrivals")
        if self.weekday_profile is not None and sum(self.weekday_profile) <= 0:
            raise ValueError("weekday_profile needs at least one day above 0")
        return self


class Beds(_Strict):
    capacity: int | None = Field(default=None, ge=1)


class HousingNeed(_Strict):
    probability: float = Field(ge=0, le=1)


class WorkingHours(_Strict):
    """When officers work: hours of the day on the given weekdays (0 = Monday, as day 0 of the run).
    Service times are then in working days: 1.0 is one whole working day of an officer."""

    start_hour: float = Field(default=9, ge=0, lt=24)
    end_hour: float = Field(default=17, gt=0, le=24)
    days: list[Annotated[int, Field(ge=0, le=6)]] = Field(default=[0, 1, 2, 3, 4], min_length=1)

    @model_validator(mode="after")
    def _order(self) -> WorkingHours:
        if self.end_hour <= self.start_hour:
            raise ValueError("end_hour must be after start_hour")
        if len(set(self.days)) != len(self.days):
            raise ValueError("days must not repeat")
        return self


class HousingOfficers(_Strict):
    count: int = Field(ge=1)
    service: Distribution
    start: Literal["at_referral", "at_discharge_ready"] = "at_discharge_ready"
    working_hours: WorkingHours | None = None


class Blocker(_Strict):
    name: str
    probability: float = Field(ge=0, le=1)
    clearance: Distribution


class Readmission(_Strict):
    within_days: float = Field(default=30, gt=0)
    probability_need_met: float = Field(default=0.0, ge=0, le=1)
    probability_need_unmet: float = Field(default=0.0, ge=0, le=1)


class StepDown(_Strict):
    """Reablement (step-down) beds after acute care: a share of patients need one when they could leave
    hospital, and wait in their acute bed (delayed bed-days) until one of a finite pool is free, first come
    first served; each holds it for a stay drawn from `length_of_stay`."""

    probability: float = Field(ge=0, le=1)
    beds: int = Field(ge=1, le=10000)
    length_of_stay: Distribution


class Scenario(_Strict):
    """One what-if scenario: arrivals, stays, housing officers, blockers, beds and step-down beds."""

    horizon_days: float = Field(gt=0)
    warmup_days: float = Field(default=0, ge=0)
    arrivals: Arrivals
    beds: Beds = Beds()
    length_of_stay: Distribution
    housing_need: HousingNeed
    housing_officers: HousingOfficers
    blockers: list[Blocker] = []
    readmission: Readmission = Readmission()
    step_down: StepDown | None = None


def _format_errors(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "(root)"
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required key is missing"
        lines.append(f"{path}: {msg}")
    return "\n".join(lines)


def parse_scenario(data: Any) -> Scenario:
    """Validate a mapping as a scenario, raising ScenarioError naming the bad key paths."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format_errors(exc)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a YAML or JSON scenario file (JSON is valid YAML); a `replay_csv` is read relative to it."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"cannot read scenario {path}: {exc}") from None
    replay = data.get("arrivals", {}).get("replay_csv") if isinstance(data, dict) else None
    if replay:
        csv_path = Path(path).parent / str(replay)
        data["arrivals"] = dict(data["arrivals"]) | {"times_days": read_arrivals_csv(csv_path)}
    return parse_scenario(data)


def read_arrivals_csv(path: Path) -> list[float]:
    """Arrival times from a CSV with an `arrived_at` column, as days since midnight before the first."""
    import csv
    import datetime as dt

    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise ScenarioError(f"arrivals.replay_csv: cannot read {path.name}: {exc.strerror}") from None
    if rows and "arrived_at" not in rows[0]:
        raise ScenarioError(f"arrivals.replay_csv: {path.name} has no arrived_at column")
    times = []
    for number, row in enumerate(rows, start=1):
        text = (row.get("arrived_at") or "").strip()
        try:
            times.append(dt.datetime.fromisoformat(text.replace(" ", "T")))
        except ValueError:
            raise ScenarioError(
                f"arrivals.replay_csv: {path.name}, row {number}, arrived_at: "
                f"expected YYYY-MM-DD HH:MM, got {text!r}"
            ) from None
    if not times:
        raise ScenarioError(f"arrivals.replay_csv: {path.name} has no arrivals")
    origin = dt.datetime.combine(min(times).date(), dt.time.min)
    return sorted((t - origin).total_seconds() / 86400 for t in times)
