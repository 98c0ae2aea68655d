"""The cost–benefit model file: its schema, validation and loading (YAML or JSON).

Every problem is reported with the dotted key path of the value at fault, e.g.
``outcomes[0].beneficiaries: shares must sum to 1 (got 0.9)``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Issue:
    """One problem with a model: where (dotted key path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ModelError(ValueError):
    """A model file that cannot be appraised; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("cba", message)


def _fmt(x: float) -> str:
    return f"{x:g}"


# --- distributions -------------------------------------------------------------------------------


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Value used by the deterministic appraisal; defaults to the distribution's mean.
    value: float | None = None

    def mean(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def support(self) -> tuple[float, float]:  # pragma: no cover - overridden
        raise NotImplementedError

    def central(self) -> float:
        return self.value if self.value is not None else self.mean()


class Triangular(_Dist):
    dist: Literal["triangular"]
    min: float
    mode: float
    max: float

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    def support(self) -> tuple[float, float]:
        return self.min, self.max


class Normal(_Dist):
    """Normal draws, clipped to the field's valid range (and to `min`/`max` when given)."""

    dist: Literal["normal"]
    mean_: float = Field(alias="mean")
    sd: float
    min: float | None = None
    max: float | None = None

    def mean(self) -> float:
        return self.mean_

    def support(self) -> tuple[float, float]:
        lo = self.min if self.min is not None else -math.inf
        hi = self.max if self.max is not None else math.inf
        return lo, hi


class Beta(_Dist):
    """Beta(alpha, beta) scaled to [min, max] (default [0, 1])."""

    dist: Literal["beta"]
    alpha: float
    beta: float
    min: float = 0.0
    max: float = 1.0

    def mean(self) -> float:
        return self.min + (self.max - self.min) * self.alpha / (self.alpha + self.beta)

    def support(self) -> tuple[float, float]:
        return self.min, self.max


class Uniform(_Dist):
    dist: Literal["uniform"]
    min: float
    max: float

    def mean(self) -> float:
        return (self.min + self.max) / 2

    def support(self) -> tuple[float, float]:
        return self.min, self.max


Distribution = Triangular | Normal | Beta | Uniform
_DISTS: dict[str, type[_Dist]] = {
    "triangular": Triangular,
    "normal": Normal,
    "beta": Beta,
    "uniform": Uniform,
}


def _check_dist(d: _Dist) -> None:
    if isinstance(d, Triangular) and not d.min <= d.mode <= d.max:
        raise _fail("triangular needs min ≤ mode ≤ max")
    if isinstance(d, Triangular | Uniform | Beta) and not d.min <= d.max:
        raise _fail(f"{d.dist} needs min ≤ max")
    if isinstance(d, Normal):
        if d.sd < 0:
            raise _fail("normal needs sd ≥ 0")
        if d.min is not None and d.max is not None and d.min > d.max:
            raise _fail("normal needs min ≤ max")
    if isinstance(d, Beta) and (d.alpha <= 0 or d.beta <= 0):
        raise _fail("beta needs alpha > 0 and beta > 0")
    lo, hi = d.support()
    if d.value is not None and not lo <= d.value <= hi:
        raise _fail(f"value {_fmt(d.value)} lies outside the distribution's range")


def _parse_quantity(raw: Any) -> float | _Dist:
    """A number, or a mapping `{dist: triangular|normal|beta|uniform, ...}`."""
    if isinstance(raw, bool):
        raise _fail("must be a number or a distribution")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise _fail("must be a finite number")
        return float(raw)
    if isinstance(raw, _Dist):
        return raw
    if isinstance(raw, Mapping):
        kind = raw.get("dist")
        cls = _DISTS.get(str(kind)) if kind is not None else None
        if cls is None:
            raise _fail(f"unknown distribution {kind!r}; use one of {', '.join(_DISTS)}")
        try:
            dist = cls.model_validate(dict(raw))
        except ValidationError as exc:
            parts = []
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                parts.append(f"{where}: {err['msg']}" if where else err["msg"])
            raise _fail(f"bad {kind} distribution ({'; '.join(parts)})") from None
        _check_dist(dist)
        return dist
    raise _fail("must be a number or a distribution")


def _bounded(lo: float, hi: float, what: str) -> Callable[[float | _Dist], float | _Dist]:
    def check(q: float | _Dist) -> float | _Dist:
        if isinstance(q, float):
            if not lo <= q <= hi:
                raise _fail(f"{what} (got {_fmt(q)})")
        else:
            central = q.central()
            if not lo <= central <= hi:
                raise _fail(f"{what} (distribution centre {_fmt(central)})")
            s_lo, s_hi = q.support()
            # Normal draws are clipped to the valid range, so only its explicit min/max must fit.
            unbounded_normal = isinstance(q, Normal) and not (
                (math.isfinite(s_lo) and s_lo < lo) or (math.isfinite(s_hi) and s_hi > hi)
            )
            if (s_lo < lo or s_hi > hi) and not unbounded_normal:
                raise _fail(f"{what} (distribution range {_fmt(s_lo)}–{_fmt(s_hi)})")
        return q

    return check


Quantity = Annotated[float | Distribution, BeforeValidator(_parse_quantity)]
Fraction = Annotated[Quantity, AfterValidator(_bounded(0.0, 1.0, "must be between 0 and 1"))]
NonNegative = Annotated[Quantity, AfterValidator(_bounded(0.0, math.inf, "must be ≥ 0"))]
Uplift = Annotated[Quantity, AfterValidator(_bounded(0.0, 10.0, "must be between 0 and 10"))]


# --- the model -----------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cost(_Strict):
    """Spending in one year (index from 0); `optimism_bias` is an uplift fraction (0.1 = +10%)."""

    year: int = Field(ge=0)
    amount: NonNegative
    optimism_bias: Uplift = 0.0
    agency: str | None = None  # who pays; optional
    name: str | None = None
    source: str | None = None


class Cohort(_Strict):
    """Participants entering the service in one year."""

    year: int = Field(ge=0)
    participants: NonNegative
    source: str | None = None


class Beneficiary(_Strict):
    agency: str = Field(min_length=1)
    kind: Literal["fiscal", "economic", "social"]
    share: float
    cashable: bool = False

    @field_validator("share")
    @classmethod
    def _share_is_fraction(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise _fail(f"must be between 0 and 1 (got {_fmt(v)})")
        return v


class Outcome(_Strict):
    name: str = Field(min_length=1)
    engagement_rate: Fraction
    success_rate: Fraction
    deadweight: Fraction
    attribution: Fraction = 1.0
    unit_value: NonNegative
    confidence_grade: int | None = None
    optimism_bias: Fraction | None = None
    duration_years: int = Field(default=1, ge=1)
    drop_off: Fraction = 0.0
    beneficiaries: list[Beneficiary] = Field(min_length=1)
    source: str | None = None

    @field_validator("confidence_grade", mode="before")
    @classmethod
    def _grade_in_range(cls, v: Any) -> Any:
        if v is None:
            return v
        if isinstance(v, bool) or not isinstance(v, int | float) or v != int(v) or not 1 <= v <= 6:
            raise _fail(f"must be 1–6 (got {v!r})")
        return int(v)

    @field_validator("beneficiaries")
    @classmethod
    def _shares_sum_to_one(cls, v: list[Beneficiary]) -> list[Beneficiary]:
        total = math.fsum(b.share for b in v)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise _fail(f"shares must sum to 1 (got {_fmt(round(total, 12))})")
        return v


class Model(_Strict):
    """A cost–benefit model: costs, cohorts entering a service, and the outcomes they achieve."""

    name: str | None = None
    description: str | None = None
    discount_rate: Fraction = 0.035
    years: int = Field(ge=1, le=200)
    price_year: int = Field(ge=1900, le=2200)
    costs: list[Cost] = Field(default_factory=list)
    cohorts: list[Cohort] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    #: Optimism-bias reduction by confidence grade, overriding the shipped (sourced) defaults.
    confidence_grade_table: dict[int, float] | None = None

    @field_validator("confidence_grade_table")
    @classmethod
    def _table_ok(cls, v: dict[int, float] | None) -> dict[int, float] | None:
        if v is None:
            return v
        for grade, ob in v.items():
            if not 1 <= grade <= 6:
                raise _fail(f"grades must be 1–6 (got {grade})")
            if not 0.0 <= ob <= 1.0:
                raise _fail(f"grade {grade}: must be between 0 and 1 (got {_fmt(ob)})")
        return v


# --- loading -------------------------------------------------------------------------------------


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _issues(exc: ValidationError) -> list[Issue]:
    issues = []
    for err in exc.errors():
        # Union branches add their tag to `loc`; a user only needs the key path.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _DISTS)))
        loc = tuple(p for p in loc if p not in ("float", "function-after", "function-before"))
        issues.append(Issue(_path(loc), err["msg"]))
    # De-duplicate (one bad quantity can fail every union branch the same way).
    return list(dict.fromkeys(issues))


def _check_horizon(model: Model) -> list[Issue]:
    issues = []
    last = model.years - 1
    for i, cost in enumerate(model.costs):
        if cost.year > last:
            issues.append(Issue(f"costs[{i}].year", f"must be within the horizon 0–{last} (got {cost.year})"))
    for i, cohort in enumerate(model.cohorts):
        if cohort.year > last:
            issues.append(
                Issue(f"cohorts[{i}].year", f"must be within the horizon 0–{last} (got {cohort.year})")
            )
    for i, outcome in enumerate(model.outcomes):
        if outcome.confidence_grade is None and outcome.optimism_bias is None:
            issues.append(Issue(f"outcomes[{i}]", "give confidence_grade (1–6) or an explicit optimism_bias"))
    return issues


def load_model(source: str | Path | Mapping[str, Any] | Model) -> Model:
    """Load and validate a model from a YAML/JSON file path, a mapping, or a `Model`.

    Raises `ModelError` listing every problem with its key path.
    """
    if isinstance(source, Model):
        data: Any = source
    elif isinstance(source, Mapping):
        data = dict(source)
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ModelError([Issue("", f"cannot read {path}: {exc.strerror or exc}")]) from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            kind = path.suffix.lstrip(".").upper() or "YAML"
            raise ModelError([Issue("", f"{path} is not valid {kind}: {exc}")]) from None
        if not isinstance(data, Mapping):
            raise ModelError([Issue("", f"{path} must hold a mapping of model keys")])
    try:
        model = data if isinstance(data, Model) else Model.model_validate(data)
    except ValidationError as exc:
        raise ModelError(_issues(exc)) from None
    issues = _check_horizon(model)
    if issues:
        raise ModelError(issues)
    return model
