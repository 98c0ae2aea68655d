"""The evaluation spec: what was done, to whom, from when, which outcome, which comparison, how matched.

A spec is YAML or JSON (or a mapping) validated with pydantic; every problem is reported with its dotted
key path, e.g. ``matching.caliper: must be greater than 0``. The format is documented in
docs/evaluation.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from homeward.engines.evaluation.errors import Issue, SpecError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    if not _MONTH.match(value):
        raise ValueError("must be a month written YYYY-MM, e.g. 2024-04")
    return value


Month = Annotated[str, AfterValidator(_month)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
#: Column name -> the values of it that qualify (e.g. ``{need: [frailty, falls]}``).
Where = Annotated[
    dict[Name, Annotated[list[Annotated[str, Field(max_length=200)]], Field(min_length=1, max_length=500)]],
    Field(max_length=20),
]


def month_number(month: str) -> int:
    """``"2024-04"`` -> months since year 0 (2024 * 12 + 3), the engine's month index."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Period(_Strict):
    """An inclusive range of months."""

    first: Month = Field(alias="from")
    last: Month = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if month_number(self.last) < month_number(self.first):
            raise ValueError("'to' must not be before 'from'")
        return self


class ComparisonSpec(_Strict):
    """Who may be compared with the treated: the eligible pool."""

    #: Comparison people must have these values (e.g. an area without the service).
    where: Where = {}
    #: Also compare with people helped later, whose own start falls after the post-period ends.
    later_treated: bool = False
    #: Why this pool is a fair comparison. Required for SMS level 3 (What Works Centre: "justification
    #: given to choice of comparison group").
    rationale: Annotated[str, Field(max_length=2000)] | None = None


class MatchingSpec(_Strict):
    #: propensity: nearest neighbour on the logit of a propensity score; outcomes: on pre-period outcomes.
    method: Literal["propensity", "outcomes"] = "propensity"
    #: Category columns matched exactly (start month is always matched exactly).
    exact: Annotated[list[Name], Field(max_length=10)] = []
    #: People-file columns in the propensity model (numbers as they are, categories as indicators).
    covariates: Annotated[list[Name], Field(max_length=50)] = []
    #: Add the pre-period outcome (whole pre-period and its last three months) to the propensity model.
    #: Off by default: if people were chosen on their lasting level of need, matching on noisy past
    #: outcomes biases the DiD towards no effect by regression to the mean (Daw & Hatfield 2018). A
    #: robustness run repeats the analysis the other way.
    pre_period_outcomes: bool = False
    #: Outcome matching: the pre-period split into this many blocks, each block's mean a coordinate.
    outcome_blocks: Annotated[int, Field(ge=1, le=12)] = 3
    #: Comparison people per treated person.
    ratio: Annotated[int, Field(ge=1, le=10)] = 1
    #: Largest distance accepted, in standard deviations of the logit propensity score (Austin 2011
    #: recommends 0.2) or of the standardised pre-period outcomes; null for no caliper.
    caliper: Annotated[float, Field(gt=0, le=10)] | None = 0.2
    #: May one comparison person be matched to more than one treated person?
    replacement: bool = False
    #: Seed of the random sample of comparison rows used to fit the propensity model.
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 0


class PoolSpec(_Strict):
    """An alternative comparison pool for the sensitivity runs."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    where: Where = {}
    later_treated: bool = False


class RobustnessSpec(_Strict):
    enabled: bool = True
    #: Fake start this many months before the real one (default: half the pre-period).
    placebo_months: Annotated[int, Field(ge=1, le=59)] | None = None
    #: Calipers to re-run matching with (default: half and double the main caliper).
    calipers: Annotated[list[Annotated[float, Field(gt=0, le=10)]], Field(max_length=5)] | None = None
    #: Cap each person-month at this percentile of the months with any activity.
    cap_percentile: Annotated[float, Field(ge=50, lt=100)] = 99.0
    #: Alternative comparison pools (default: the main pool with `later_treated` switched).
    pools: Annotated[list[PoolSpec], Field(max_length=5)] = []


class EvaluationSpec(_Strict):
    """One evaluation: the intervention, its start dates (in the people data), the outcome, the periods,
    the comparison pool and how to match."""

    intervention: Annotated[str, Field(min_length=1, max_length=200)]
    #: A measure in the activity data, e.g. ``ae_attendances``.
    outcome: Name
    #: How the outcome reads in a sentence, e.g. "A&E attendances" (default: the measure name).
    outcome_label: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    #: did: matched difference-in-differences; before_after: treated only, no comparison (SMS level 1).
    design: Literal["did", "before_after"] = "did"
    pre_months: Annotated[int, Field(ge=2, le=60)] = 12
    post_months: Annotated[int, Field(ge=1, le=60)] = 12
    #: Only people whose start month falls in this range are the treated cohort.
    starts: Period | None = None
    #: The months the outcome data cover (months with no row count as zero). Default: the outcome's
    #: first to last month in the activity data.
    period: Period | None = None
    #: Everyone in the analysis (treated and comparison) must have these values: "the same kind of need".
    eligible: Where = {}
    comparison: ComparisonSpec = ComparisonSpec()
    matching: MatchingSpec = MatchingSpec()
    robustness: RobustnessSpec = RobustnessSpec()

    @model_validator(mode="after")
    def _consistent(self) -> EvaluationSpec:
        placebo = self.robustness.placebo_months
        if placebo is not None and placebo > self.pre_months - 2:
            raise ValueError(
                f"robustness.placebo_months must leave at least 2 pre-period months before the fake "
                f"start (pre_months is {self.pre_months}, so at most {self.pre_months - 2})"
            )
        return self

    @property
    def label(self) -> str:
        return self.outcome_label or self.outcome


def _issues(exc: ValidationError) -> list[Issue]:
    issues = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"])
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "is required"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        if not where and message.startswith("robustness.placebo_months "):
            where, message = "robustness.placebo_months", message.removeprefix("robustness.placebo_months ")
        issues.append(Issue(where, message))
    return issues


def load_spec(source: str | Path | Mapping[str, Any] | EvaluationSpec) -> EvaluationSpec:
    """Load and validate a spec from a YAML/JSON path, a mapping, or a spec. Raises `SpecError`."""
    if isinstance(source, EvaluationSpec):
        return source
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError([Issue("", f"cannot read {path}: {exc.strerror or exc}")]) from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise SpecError([Issue("", f"{path} is not valid YAML/JSON: {exc}")]) from None
        if not isinstance(data, Mapping):
            raise SpecError([Issue("", f"{path} must hold a mapping of spec keys")])
    try:
        return EvaluationSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_issues(exc)) from None
