"""The Maryland Scientific Methods Scale (SMS) level of a result, and its caveats in plain English.

The scale as the What Works Centre for Local Economic Growth scores evaluations (Madaleno & Waights,
"Guide to scoring evidence using the Maryland Scientific Methods Scale", updated June 2016; levels as
stated at whatworksgrowth.org/resources/the-scientific-maryland-scale/; after Sherman et al. 1997):
  1  before-and-after of the treated, or treated v untreated at one time, with no adjustment;
  2  the same with adequate control variables or matching (for before/after: controls for changes in
     macro-level factors);
  3  outcomes before and after in the treated compared with a comparison group that provides the
     counterfactual (e.g. difference-in-differences), with a justification of the comparison group
     and evidence that the groups are comparable;
  4  quasi-random treatment (an instrument or a discontinuity);
  5  randomised controlled trial.

The rule this engine applies (it never claims 4 or 5, which need a design it does not run):
  - design before_after                                     -> 1 (no comparison, no adjustment)
  - design did, with all of: a recorded justification (comparison.rationale), |SMD| at most 0.1 after
    matching on every variable the matching used, and a pre-trend test not rejected at 5%  -> 3
    (pre-period outcome levels not matched on are shown and caveated, not scored: the person fixed
    effects absorb a steady difference in levels, and the pre-trend test checks the trends)
  - design did otherwise                                     -> 2 (a comparison group is used, but it is
    not shown to be comparable)
"""

from __future__ import annotations

from homeward.engines.evaluation.results import (
    BalanceRow,
    Estimate,
    EventStudy,
    MatchingSummary,
    RobustnessRun,
)
from homeward.engines.evaluation.spec import EvaluationSpec

ALPHA = 0.05
SCALE = "Maryland Scientific Methods Scale as used by the What Works Centre for Local Economic Growth"


def _p(p: float | None) -> str:
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def sms_level(
    spec: EvaluationSpec, balance: list[BalanceRow], event_study: EventStudy | None
) -> tuple[int, str]:
    """The level and the reason, in a sentence or two."""
    if spec.design == "before_after":
        return 1, (
            f"Level 1 ({SCALE}): a before-and-after comparison of the people helped, with no comparison "
            "group and no adjustment for what changed for everyone over the same time."
        )
    shortfalls = []
    if not spec.comparison.rationale:
        shortfalls.append("no justification of the comparison group is recorded (comparison.rationale)")
    flagged = [row for row in balance if row.flagged_after and row.matched_on]
    if flagged:
        shown = ", ".join(f"{row.variable} (SMD {row.smd_after:+.2f})" for row in flagged[:5])
        shortfalls.append(f"the groups still differ after matching on {shown}")
    if event_study is not None and event_study.pre_trend_p is not None and event_study.pre_trend_p < ALPHA:
        shortfalls.append(
            f"their outcomes were already moving apart before the start (pre-trend test p = "
            f"{_p(event_study.pre_trend_p)})"
        )
    if shortfalls:
        return 2, (
            f"Level 2 ({SCALE}): a matched comparison group is used, but "
            + "; ".join(shortfalls)
            + ", so the comparison is not shown to be comparable enough for level 3."
        )
    return 3, (
        f"Level 3 ({SCALE}): difference-in-differences against a matched comparison group, with a "
        "recorded justification of the comparison, balance within 0.1 standardised mean differences and "
        "no evidence of different trends before the start. Level 3 cannot rule out differences that "
        "the records do not show."
    )


def caveats(
    spec: EvaluationSpec,
    estimate: Estimate,
    naive: Estimate,
    matching: MatchingSummary | None,
    balance: list[BalanceRow],
    event_study: EventStudy | None,
    robustness: list[RobustnessRun],
) -> list[str]:
    """Plain-English caveats a reader must see next to the result."""
    label = spec.label
    out: list[str] = []
    if matching is None:
        out.append(
            "There is no comparison group: the change includes whatever would have happened anyway "
            "(ageing, the seasons, changes in other services, and people's use falling back after a "
            "bad spell, called regression to the mean)."
        )
    else:
        out.append(
            "The comparison group was chosen by matching on recorded characteristics; people may still "
            "differ in ways the records do not show, so unmeasured differences are possible."
        )
        if not spec.comparison.rationale:
            out.append("No reason is recorded for why the comparison pool is a fair one.")
        if matching.unmatched:
            out.append(
                f"{matching.unmatched:,} of the {matching.treated:,} people helped had no comparable person "
                f"within the caliper and are left out; the effect is for the {matching.matched:,} matched."
            )
        if matching.comparison_units > matching.comparison_people:
            out.append("Some comparison people stand in for more than one person helped (with replacement).")
        if spec.comparison.later_treated:
            out.append(
                "Some comparison people were helped later; if their use changed in anticipation, the "
                "effect may be understated."
            )
        if spec.matching.method == "outcomes" or spec.matching.pre_period_outcomes:
            out.append(
                "Matching used past use of services: if people were chosen for the service on their lasting "
                "level of need rather than a recent crisis, this can bias the effect towards zero "
                "(regression to the mean); see the robustness run matched the other way."
            )
        for row in balance:
            if row.flagged_after and row.matched_on:
                out.append(
                    f"After matching the groups still differ on {row.variable} (SMD {row.smd_after:+.2f})."
                )
            elif row.flagged_after:
                out.append(
                    f"{row.variable} was not matched on and differs after matching (SMD "
                    f"{row.smd_after:+.2f}); the person effects remove a steady difference, but not one "
                    "that would have faded by itself."
                )
        if (
            event_study is not None
            and event_study.pre_trend_p is not None
            and event_study.pre_trend_p < ALPHA
        ):
            out.append(
                f"The two groups' {label} were already moving apart before the start (pre-trend test "
                f"p = {_p(event_study.pre_trend_p)}), so the difference after it may not be the "
                "service's doing."
            )
        if matching.matched < 50:
            out.append(
                f"Only {matching.matched} people helped were matched: the interval is wide and a few more "
                "people could move the estimate a lot."
            )
    lo, hi = estimate.ci95
    if lo <= 0 <= hi:
        out.append("The 95% confidence interval includes no effect at all.")
    for run in robustness:
        if run.estimate is None:
            continue
        if run.name == "placebo" and run.estimate.p_value < ALPHA:
            out.append(
                "The placebo run (a pretend start) found an apparent effect "
                f"(p = {_p(run.estimate.p_value)}), which suggests the groups differ in trend."
            )
        elif run.name != "placebo" and not lo <= run.estimate.effect <= hi:
            out.append(
                f"The result moves outside its own 95% interval in the run '{run.name}' "
                f"({run.estimate.effect:+.3g} {label} per person per year)."
            )
    if matching is not None and not naive.ci95[0] <= estimate.effect <= naive.ci95[1]:
        out.append(
            f"A simple before-and-after of the people helped would have said {naive.effect:+.3g} {label} per "
            "person per year; the comparison group shows how much of that would have happened anyway."
        )
    out.append(
        f"Counts are of recorded {label}; activity not recorded (for example at other trusts) is missing for "
        "both groups alike. The effect is an average for the people matched and may not hold elsewhere."
    )
    return out
