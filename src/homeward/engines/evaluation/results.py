"""What an evaluation returns: pydantic models that serialise to JSON for a report
(``result.model_dump(mode="json")``) and a small summary for the CLI's ``--json``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

SMD_FLAG = 0.1  # |standardised mean difference| above this is flagged (Austin 2009; Stuart 2010)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Estimate(_Result):
    """An effect with its uncertainty. `per` says its unit, e.g. "person per year"."""

    effect: float
    se: float
    ci95: tuple[float, float]
    p_value: float
    per: str
    clusters: int  # people the standard error is clustered by
    observations: int  # person-months in the fit


class BalanceRow(_Result):
    variable: str
    treated_mean_before: float
    comparison_mean_before: float
    treated_mean_after: float
    comparison_mean_after: float
    smd_before: float
    smd_after: float
    flagged_before: bool  # |SMD| > 0.1
    flagged_after: bool
    #: Used by the matching (a propensity covariate, an exact category, the score, or the pre-period
    #: outcome when matched on); only these decide the SMS level's balance condition.
    matched_on: bool


class MatchingSummary(_Result):
    method: Literal["propensity", "outcomes"]
    exact: list[str]
    covariates: list[str]
    ratio: int
    replacement: bool
    caliper: float | None  # in standard deviations, as given
    caliper_distance: float | None  # in the distance's own units
    treated: int  # treated people in the cohort
    matched: int  # treated people with at least one comparison
    unmatched: int
    unmatched_keys: list[str]  # pseudonymised keys of the treated left unmatched
    comparison_people: int  # distinct comparison people used
    comparison_units: int  # comparison uses (a person matched twice counts twice)
    pool: int  # people in the comparison pool


class EventStudyPoint(_Result):
    month: int  # months from the start (0 = the start month; -1 is the reference, fixed at 0)
    effect: float  # per person per month, in the outcome's units
    se: float
    ci95: tuple[float, float]
    reference: bool = False


class EventStudy(_Result):
    points: list[EventStudyPoint]
    pre_trend_f: float | None  # joint Wald F of every pre-period coefficient except the reference
    pre_trend_df: tuple[int, int] | None
    pre_trend_p: float | None


class RobustnessRun(_Result):
    name: str
    description: str
    estimate: Estimate | None  # per person per year; None if the run could not be made
    treated: int
    matched: int
    note: str = ""


class EvaluationResult(_Result):
    """Everything a report needs: the question, the design, who was compared with whom, balance,
    the effect with its CI, the event study, robustness, the SMS level and the caveats."""

    intervention: str
    outcome: str
    outcome_label: str
    design: Literal["did", "before_after"]
    estimator: str
    pre_months: int
    post_months: int
    period: tuple[str, str]  # months of outcome data used
    cohorts: dict[str, int]  # start month -> treated people matched (all treated for before/after)
    estimate: Estimate  # per person per year, in the outcome's units
    monthly: Estimate  # the same per person per month
    naive_before_after: Estimate  # treated only, post minus pre (per person per year): for contrast
    matching: MatchingSummary | None
    balance: list[BalanceRow]
    event_study: EventStudy | None
    robustness: list[RobustnessRun]
    sms_level: int
    sms_reason: str
    caveats: list[str]

    def summary(self) -> dict[str, Any]:
        """The CLI's ``--json`` contract."""
        return {
            "effect": self.estimate.effect,
            "ci95": list(self.estimate.ci95),
            "p_value": self.estimate.p_value,
            "treated": self.matching.treated if self.matching else sum(self.cohorts.values()),
            "matched": self.matching.matched if self.matching else 0,
            "sms_level": self.sms_level,
            "pre_trend_p": self.event_study.pre_trend_p if self.event_study else None,
        }
