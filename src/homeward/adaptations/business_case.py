"""The adaptations business-case proposer (`casework.proposers`): bed-days saved by the hospital fast track,
and falls avoided after home hazard work, from the records Homeward holds (counts and rates only).

1. Fast track: equipment/adaptations blockers on the organisation's visible Hospital to Home cases resolved in
   the period, those with a fast-track adaptations case against those without; the difference in mean days
   the blocker held the patient is the bed-days saved per fast-tracked patient, valued at the unit-cost
   database's delayed-discharge night (cited there, re-based to the price year).
2. Falls: people with a falls hazard removed (HHSRS falls hazards) or a handyperson job done after a home
   visit in the period are the participants. Homeward records no falls after an intervention yet, so the
   share of them spared a fall is an assumption left at 0 for the user to set from a cited study, and the
   value of a fall avoided is left for the user to pick from the unit-cost database: no figure is invented.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import Any

from django.db.models import Exists, OuterRef, Q

from homeward.adaptations.healthy_models import HandypersonJob, HazardFinding
from homeward.adaptations.healthy_selectors import visible_visits
from homeward.adaptations.models import AdaptationCase
from homeward.casework.proposers import Proposal, grade_for_difference, grade_for_rate, spread
from homeward.discharge import selectors as discharge_selectors
from homeward.discharge.codes import BlockerCategory
from homeward.discharge.models import Blocker
from homeward.governance.access import Actor
from homeward.outcomes.selectors import rebased_unit_cost, unit_cost

PLACEHOLDER_OPTIMISM_BIAS = 0.4
Z95 = 1.959964
FALLS_HAZARDS = ("falls_baths", "falls_level_surfaces", "falls_stairs", "falls_between_levels")


def _mean_var(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, math.inf
    mean = statistics.fmean(values)
    var = statistics.variance(values) / len(values) if len(values) > 1 else math.inf
    return mean, var


def _night(price_year: int) -> tuple[Any, dict[str, Any], list[dict[str, Any]], int]:
    uc = unit_cost("delayed-discharge-night")
    v = rebased_unit_cost(uc, price_year)
    value: Any = round(v["value"] or 0.0, 2)
    if v["low"] is not None and v["high"] is not None:
        value = spread(value, v["low"], v["high"])
    text = (
        f"{uc.name}: £{uc.value} {uc.unit} at {uc.price_year} prices, re-based to {price_year}. {uc.source}"
    )
    return (
        value,
        {"kind": "unit cost", "text": text, "key": uc.key, "grade": uc.confidence_grade},
        uc.bearers,
        uc.confidence_grade,
    )


def _times(value: Any, factor: Any) -> Any:
    """A (possibly distributed) number of days × a (possibly distributed) cost, as the point and range."""
    point = lambda x: x["value"] if isinstance(x, dict) else x  # noqa: E731
    lo = lambda x: x["min"] if isinstance(x, dict) else x  # noqa: E731
    hi = lambda x: x["max"] if isinstance(x, dict) else x  # noqa: E731
    if not isinstance(value, dict) and not isinstance(factor, dict):
        return round(value * factor, 2)
    products = [a * b for a in (lo(value), hi(value)) for b in (lo(factor), hi(factor))]
    return spread(point(value) * point(factor), min(products), max(products))


def propose(actor: Actor, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    days = (end - start).days + 1
    span = f"{start:%d %b %Y} to {end:%d %b %Y}"
    blockers = Blocker.objects.filter(
        case__in=discharge_selectors.visible_cases(actor),
        category=BlockerCategory.EQUIPMENT,
        resolved_on__gte=start,
        resolved_on__lte=end,
    ).annotate(fast=Exists(AdaptationCase.objects.filter(discharge_blocker_id=OuterRef("pk"))))
    held = {True: [], False: []}  # type: dict[bool, list[float]]
    for raised, resolved, fast in blockers.values_list("raised_on", "resolved_on", "fast"):
        if resolved is not None:
            held[bool(fast)].append(float((resolved - raised).days))
    n_fast, n_other = len(held[True]), len(held[False])
    m_fast, v_fast = _mean_var(held[True])
    m_other, v_other = _mean_var(held[False])
    diff = m_other - m_fast if n_fast and n_other else 0.0
    half = Z95 * math.sqrt(v_fast + v_other) if math.isfinite(v_fast + v_other) else math.inf
    grade = grade_for_difference(n_other, n_fast, diff - half, diff + half)
    night, night_note, bearers, night_grade = _night(price_year)
    saved = spread(max(diff, 0.0), diff - half, diff + half) if math.isfinite(half) else max(diff, 0.0)
    fast_grade = max(grade, night_grade)
    outcomes: list[dict[str, Any]] = [
        {
            "name": "Bed-days saved by the hospital fast track",
            "engagement_rate": 1.0,
            "success_rate": 1.0,
            "deadweight": 0.0,
            "attribution": 1.0,
            "unit_value": _times(saved, night),
            "beneficiaries": bearers,
            "source": "Observed in Homeward (fast-tracked against other equipment/adaptations blockers) × "
            "delayed-discharge night cost",
            "confidence_grade": fast_grade,
            "optimism_bias": PLACEHOLDER_OPTIMISM_BIAS,
            "duration_years": 1,
            "drop_off": 0.0,
        }
    ]
    evidence: dict[str, dict[str, Any]] = {
        "outcomes[0].unit_value": {
            "kind": "observed",
            "text": f"Equipment/adaptations blockers resolved {span}: {n_fast} with a fast-track adaptations "
            f"case held the patient {m_fast:.1f} days on average, {n_other} without held them {m_other:.1f}"
            + (
                f"; {diff:.1f} days fewer per fast-tracked patient"
                if n_fast and n_other
                else "; no comparison yet"
            )
            + (f" (95% CI {diff - half:.1f} to {diff + half:.1f})" if math.isfinite(half) else "")
            + f". Valued per patient at the nightly cost. Unit cost: {night_note['text']}",
            "grade": fast_grade,
        },
        "outcomes[0].deadweight": {
            "kind": "method",
            "text": "0: blockers without a fast track in the same period are the counterfactual (not "
            "randomised: the fast track may be offered to different patients)",
        },
        "outcomes[0].optimism_bias": {
            "kind": "assumption",
            "text": f"Placeholder: replace with your GMCA-table optimism bias for grade {fast_grade}.",
        },
    }
    # 2. Falls: who had home hazard work done in the period.
    visits = visible_visits(actor).filter(organisation_id=actor.organisation_id)
    removed = HazardFinding.objects.filter(
        visit__in=visits, hazard__in=FALLS_HAZARDS, removed_on__gte=start, removed_on__lte=end
    ).values_list("visit__person_id", flat=True)
    jobs = (
        HandypersonJob.objects.filter(visit__in=visits, done_on__gte=start, done_on__lte=end)
        .filter(Q(finding__isnull=True) | Q(finding__hazard__in=FALLS_HAZARDS))
        .values_list("visit__person_id", flat=True)
    )
    people = set(removed) | set(jobs)
    falls_grade = grade_for_rate(0)
    outcomes.append(
        {
            "name": "Falls avoided after home hazard work",
            "engagement_rate": 1.0,
            "success_rate": 0.0,
            "deadweight": 0.0,
            "attribution": 1.0,
            "unit_value": 0.0,
            "beneficiaries": [{"agency": "NHS", "kind": "fiscal", "share": 1.0, "cashable": False}],
            "source": "Participants observed in Homeward; the effect and the value are yours to set",
            "confidence_grade": falls_grade,
            "optimism_bias": PLACEHOLDER_OPTIMISM_BIAS,
            "duration_years": 1,
            "drop_off": 0.0,
        }
    )
    evidence |= {
        "outcomes[1].success_rate": {
            "kind": "assumption",
            "text": "To set: Homeward records no falls or readmissions after a home intervention yet, so the "
            "share of these people spared a fall is 0 until you enter one from a cited study (for example a "
            "trial of home hazard modification) and its source.",
        },
        "outcomes[1].unit_value": {
            "kind": "assumption",
            "text": "To choose: pick the cost of a fall (an ambulance call-out, an emergency admission) "
            "from the "
            "unit-cost database. Homeward ships no figure for it.",
        },
        "outcomes[1].optimism_bias": {
            "kind": "assumption",
            "text": f"Placeholder: replace with your GMCA-table optimism bias for grade {falls_grade}.",
        },
    }
    total = n_fast + len(people)
    # Each outcome applies to its own participants: the fast-tracked patients, or the falls-work people.
    outcomes[0]["engagement_rate"] = round(n_fast / total, 4) if total else 0.0
    outcomes[1]["engagement_rate"] = round(len(people) / total, 4) if total else 0.0
    evidence["outcomes[0].engagement_rate"] = {
        "kind": "observed",
        "text": f"{n_fast} of the {total} participants were fast-tracked from hospital",
    }
    evidence["outcomes[1].engagement_rate"] = {
        "kind": "observed",
        "text": f"{len(people)} of the {total} participants had falls hazard work done",
    }
    per_year = total * 365.0 / days
    return Proposal(
        participants_per_year=round(per_year, 2),
        participants_note=f"{n_fast} fast-tracked patients and {len(people)} people with falls hazard work "
        f"done, {span}, a year",
        outcomes=outcomes,
        evidence=evidence,
    )
