"""Hospital to Home's proposal for a business case: outcomes observed in the period against the baseline
(the same length of time just before it), valued with the unit-cost database. Counts and rates only."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from typing import Any

from django.db.models import OuterRef, Sum
from django.db.models.functions import Coalesce

from homeward.casework.proposers import Proposal, grade_for_difference, grade_for_rate, spread
from homeward.discharge.codes import Destination
from homeward.discharge.dashboard import case_figures, was_readmitted
from homeward.discharge.models import LostBedDays
from homeward.governance.access import Actor
from homeward.outcomes.selectors import rebased_unit_cost, unit_cost

Z95 = 1.959964
#: A placeholder optimism bias for every proposed outcome: Homeward ships no grade table (docs/cba.md),
#: so the user must replace it with their organisation's GMCA-table value for the grade shown.
PLACEHOLDER_OPTIMISM_BIAS = 0.4
#: Assumed share of rehoused patients who would have found a home anyway (to be replaced locally).
PLACEHOLDER_REHOUSING_DEADWEIGHT = 0.5


def _moved(before: float, now: float) -> str:
    """'fell from' or 'rose from' (or 'stayed at'), as the figures did."""
    return "fell from" if now < before else "rose from" if now > before else "stayed the same, from"


def _discharges(actor: Actor, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    lost = LostBedDays.objects.filter(case=OuterRef("pk")).values("case").annotate(t=Sum("days")).values("t")
    rows = (
        case_figures(actor, start - dt.timedelta(days=366))
        .filter(discharged_on__gte=start, discharged_on__lte=end)
        .annotate(lost=Coalesce(lost, 0.0))
        .values("discharged_on", "destination", "status", "came_back", "lost")
    )
    return list(rows)


def _mean_ci(xs: list[float]) -> tuple[float, float]:
    if len(xs) < 2:
        return (xs[0] if xs else 0.0), math.inf
    return statistics.fmean(xs), statistics.variance(xs) / len(xs)


def _valued(key: str, price_year: int) -> tuple[Any, dict[str, Any], list[dict[str, Any]], int]:
    uc = unit_cost(key)
    v = rebased_unit_cost(uc, price_year)
    value: Any = round(v["value"] or 0.0, 2)
    if v["low"] is not None and v["high"] is not None:
        value = spread(value, v["low"], v["high"])
    text = (
        f"{uc.name}: £{uc.value} {uc.unit} at {uc.price_year} prices, re-based to {price_year} "
        f"with the GDP deflator. {uc.source}"
    )
    return (
        value,
        {"kind": "unit cost", "text": text, "key": uc.key, "grade": uc.confidence_grade},
        uc.bearers,
        uc.confidence_grade,
    )


def propose(actor: Actor, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    days = (end - start).days + 1
    before_start, before_end = start - dt.timedelta(days=days), start - dt.timedelta(days=1)
    now, before = _discharges(actor, start, end), _discharges(actor, before_start, before_end)
    n, nb = len(now), len(before)
    per_year = n * 365.0 / days
    span = f"{start:%d %b %Y} to {end:%d %b %Y}"
    baseline = f"{before_start:%d %b %Y} to {before_end:%d %b %Y}"
    outcomes: list[dict[str, Any]] = []
    evidence: dict[str, dict[str, Any]] = {}

    def add(outcome: dict[str, Any], notes: dict[str, dict[str, Any]], grade: int) -> None:
        i = len(outcomes)
        outcome.update(
            confidence_grade=grade, optimism_bias=PLACEHOLDER_OPTIMISM_BIAS, duration_years=1, drop_off=0.0
        )
        outcomes.append(outcome)
        for key, note in notes.items():
            evidence[f"outcomes[{i}].{key}"] = note
        evidence[f"outcomes[{i}].optimism_bias"] = {
            "kind": "assumption",
            "text": f"Placeholder: replace with your GMCA-table optimism bias for grade {grade} "
            "(Homeward ships no grade defaults).",
        }

    # 1. Bed-days lost per discharged patient: baseline mean minus period mean.
    m_now, v_now = _mean_ci([float(r["lost"]) for r in now])
    m_before, v_before = _mean_ci([float(r["lost"]) for r in before])
    diff = m_before - m_now if n and nb else 0.0
    half = Z95 * math.sqrt(v_now + v_before) if n > 1 and nb > 1 else math.inf
    grade = grade_for_difference(nb, n, diff - half, diff + half)
    night, night_note, night_bearers, night_grade = _valued("delayed-discharge-night", price_year)
    add(
        {
            "name": "Delayed-discharge bed-days avoided",
            "engagement_rate": 1.0,
            "success_rate": 1.0,
            "deadweight": 0.0,
            "attribution": 1.0,
            "unit_value": spread(max(diff, 0.0), diff - half, diff + half)
            if math.isfinite(half)
            else max(diff, 0.0),
            "beneficiaries": night_bearers,
            "source": "Observed in Homeward (before/after) × delayed-discharge night cost",
        },
        {
            "unit_value": {
                "kind": "observed",
                "text": f"Bed-days lost per discharged patient {_moved(m_before, m_now)} {m_before:.2f} "
                f"({nb} discharges, {baseline}) to {m_now:.2f} ({n} discharges, {span}): "
                + (
                    f"{abs(diff):.2f} days {'fewer' if diff >= 0 else 'more'}"
                    if nb
                    else "no baseline to compare"
                )
                + (f" (95% CI {diff - half:.2f} to {diff + half:.2f})" if math.isfinite(half) else "")
                + f", valued per patient at the nightly cost. Unit cost — {night_note['text']}",
                "grade": max(grade, night_grade),
            },
            "deadweight": {"kind": "method", "text": "0: the baseline period is the counterfactual"},
        },
        max(grade, night_grade),
    )
    outcomes[-1]["unit_value"] = _times(outcomes[-1]["unit_value"], night)

    # 2. Readmissions within 30 days: baseline share minus period share.
    r_now = sum(was_readmitted(r["came_back"], r["status"]) for r in now)
    r_before = sum(was_readmitted(r["came_back"], r["status"]) for r in before)
    p_now, p_before = (r_now / n if n else 0.0), (r_before / nb if nb else 0.0)
    d = p_before - p_now if n and nb else 0.0
    h = Z95 * math.sqrt(p_now * (1 - p_now) / max(n, 1) + p_before * (1 - p_before) / max(nb, 1))
    grade = grade_for_difference(nb, n, d - h, d + h)
    admission, adm_note, adm_bearers, adm_grade = _valued("non-elective-admission", price_year)
    add(
        {
            "name": "Emergency readmissions within 30 days avoided",
            "engagement_rate": 1.0,
            "success_rate": spread(max(d, 0.0), d - h, d + h, 0.0, 1.0),
            "deadweight": 0.0,
            "attribution": 1.0,
            "unit_value": admission,
            "beneficiaries": adm_bearers,
            "source": "Observed in Homeward (before/after) × non-elective admission cost",
        },
        {
            "success_rate": {
                "kind": "observed",
                "text": f"Readmitted within 30 days: {p_before:.1%} of {nb} discharges ({baseline}) against "
                f"{p_now:.1%} of {n} ({span}), "
                + (
                    f"{'a fall' if p_now <= p_before else 'a rise'} of {abs(p_before - p_now):.1%} "
                    f"(95% CI for the fall {d - h:.1%} to {d + h:.1%})."
                    if n and nb
                    else "with no baseline (or no discharges in the period) to compare."
                ),
                "grade": grade,
            },
            "unit_value": adm_note,
            "deadweight": {"kind": "method", "text": "0: the baseline period is the counterfactual"},
        },
        max(grade, adm_grade),
    )

    # 3. Homelessness prevented: patients rehoused at discharge.
    rehoused = sum(r["destination"] == Destination.REHOUSED for r in now)
    share = rehoused / n if n else 0.0
    hs = Z95 * math.sqrt(share * (1 - share) / n) if n else 0.0
    grade = grade_for_rate(n)
    homeless, h_note, h_bearers, h_grade = _valued("single-homelessness-90-days", price_year)
    add(
        {
            "name": "Homelessness at discharge prevented (rehoused)",
            "engagement_rate": 1.0,
            "success_rate": spread(share, share - hs, share + hs, 0.0, 1.0),
            "deadweight": PLACEHOLDER_REHOUSING_DEADWEIGHT,
            "attribution": 1.0,
            "unit_value": homeless,
            "beneficiaries": h_bearers,
            "source": "Observed in Homeward × 90 days of single homelessness",
        },
        {
            "success_rate": {
                "kind": "observed",
                "text": f"{rehoused} of {n} discharged patients rehoused ({share:.1%}, {span}).",
                "grade": grade,
            },
            "deadweight": {
                "kind": "assumption",
                "text": "Placeholder: half of those rehoused would have found a home without the service.",
            },
            "unit_value": {
                **h_note,
                "text": "Assumes an averted episode would have lasted 90 days. " + h_note["text"],
            },
        },
        max(grade, h_grade, 5),
    )
    note = f"{n} patients discharged {span}, i.e. {per_year:.0f} a year"
    return Proposal(per_year, note, outcomes, evidence)


def _times(q: Any, factor: Any) -> Any:
    """Days avoided (a number or triangular) × a unit cost: scaled by the cost's central value."""
    scale = factor["value"] if isinstance(factor, dict) else factor
    if isinstance(q, dict):
        return {
            **q,
            "min": q["min"] * scale,
            "mode": q["mode"] * scale,
            "max": q["max"] * scale,
            "value": q["value"] * scale,
        }
    return round(q * scale, 2)
