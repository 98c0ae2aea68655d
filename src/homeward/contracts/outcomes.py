"""Which recorded outcomes a rate-card line pays for: each case's evidence, worked out from what the
provider's caseworkers recorded (contacts, goals, wellbeing measures, tenancies)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from homeward.contracts.codes import PayableOutcome
from homeward.core.models import Tenancy
from homeward.support.codes import GoalStatus, Timepoint
from homeward.support.models import SupportCase

SUSTAINED_DAYS = 182  # six months

# The wellbeing tool each gain outcome reads, and how its evidence names it.
GAIN_TOOLS = {
    PayableOutcome.SWEMWBS_GAIN: ("swemwbs", "SWEMWBS"),
    PayableOutcome.ONS4_LIFE_GAIN: ("ons4", "ONS4 life satisfaction"),
    PayableOutcome.OUTCOME_SCALE_GAIN: ("outcome_scale", "Outcome scale"),
}


@dataclass(frozen=True)
class Achieved:
    case: SupportCase
    achieved_on: dt.date
    evidence: str


def _day(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def achieved(
    outcome: str, cases: Iterable[SupportCase], threshold: Decimal | None, today: dt.date
) -> Iterator[Achieved]:
    """The cases that achieved `outcome`, each with the day it was achieved and the evidence (no names).

    `cases` come with goals, measures and the person's tenancies prefetched."""
    for case in cases:
        found = _achieved(outcome, case, threshold, today)
        if found is not None:
            yield found


def _achieved(outcome: str, case: SupportCase, threshold: Decimal | None, today: dt.date) -> Achieved | None:
    if outcome == PayableOutcome.ENGAGED:
        if case.first_contact_on and case.what_matters_on:
            on = max(case.first_contact_on, case.what_matters_on)
            return Achieved(
                case,
                on,
                f"First contact {_day(case.first_contact_on)}; what-matters conversation "
                f"{_day(case.what_matters_on)}",
            )
        return None
    if outcome == PayableOutcome.GOAL_ACHIEVED:
        goals = list(case.goals.all())
        done = sorted(g.updated_on for g in goals if g.status == GoalStatus.ACHIEVED)
        if done:
            return Achieved(
                case, done[0], f"{len(done)} of {len(goals)} goals achieved, the first on {_day(done[0])}"
            )
        return None
    if outcome in GAIN_TOOLS:
        tool, label = GAIN_TOOLS[PayableOutcome(outcome)]
        points = {m.timepoint: m for m in case.measures.all() if m.tool == tool}
        before, after = points.get(Timepoint.BASELINE), points.get(Timepoint.FOLLOW_UP)
        if before is None or after is None or threshold is None:
            return None
        gain = Decimal(str(after.score)) - Decimal(str(before.score))
        if gain < threshold:
            return None
        return Achieved(
            case,
            after.recorded_on,
            f"{label} {before.score:g} on {_day(before.recorded_on)} to {after.score:g} on "
            f"{_day(after.recorded_on)} (+{gain:g}; threshold {threshold:g})",
        )
    if outcome == PayableOutcome.TENANCY_SUSTAINED:
        due = case.referred_on + dt.timedelta(days=SUSTAINED_DAYS)
        if due > today:
            return None
        tenancies: list[Tenancy] = list(case.person.tenancies.all())
        for tenancy in tenancies:
            if tenancy.start_date <= case.referred_on and (
                tenancy.end_date is None or tenancy.end_date >= due
            ):
                return Achieved(
                    case,
                    due,
                    f"Tenancy {tenancy.reference} held from before support began ({_day(case.referred_on)}) "
                    f"to {_day(due)}",
                )
        return None
    raise ValueError(f"No rule for outcome {outcome!r}")
