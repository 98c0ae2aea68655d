"""A simulator scenario prefilled from the organisation's own Hospital to Home cases (last 12 months).

Counts and durations only, through the dashboard's aggregate scope: arrival rate and weekday profile
from referrals; length of stay (admission to discharge-ready) as an empirical distribution; the share of
patients with a housing need and the housing officers' time from housing blockers (raised to resolved);
each other blocker category's probability and clearance time.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from django.utils import timezone

from homeward.discharge.codes import BlockerCategory
from homeward.discharge.models import Blocker
from homeward.discharge.selectors import cases_for_aggregates
from homeward.governance.access import Actor

HOUSING_CATEGORIES = {
    BlockerCategory.HOMELESS,
    BlockerCategory.HOME_UNSUITABLE,
    BlockerCategory.DISREPAIR,
    BlockerCategory.UTILITIES,
    BlockerCategory.FURNITURE,
    BlockerCategory.HOARDING,
    BlockerCategory.FINANCE,
    BlockerCategory.IMMIGRATION,
    BlockerCategory.HOUSING,
}
MIN_CASES = 20  # below this the defaults are shown instead, and the page says so
MAX_SAMPLES = 500

DEFAULT_SCENARIO: dict[str, Any] = {
    "horizon_days": 395,
    "warmup_days": 30,
    "arrivals": {"rate_per_day": 2.0},
    "beds": {"capacity": None},
    "length_of_stay": {"dist": "lognormal", "mean_days": 8.0, "sd_days": 6.0},
    "housing_need": {"probability": 0.4},
    "housing_officers": {
        "count": 2,
        "service": {"dist": "gamma", "mean_days": 3.0, "sd_days": 2.0},
        "start": "at_discharge_ready",
    },
    "blockers": [
        {
            "name": "care_package",
            "probability": 0.15,
            "clearance": {"dist": "gamma", "mean_days": 4, "sd_days": 3},
        },
    ],
    "readmission": {"within_days": 30, "probability_need_met": 0.08, "probability_need_unmet": 0.15},
}


def _duration(days: list[float]) -> dict[str, Any]:
    mean = max(statistics.fmean(days), 0.1)
    sd = statistics.stdev(days) if len(days) > 1 else 0.0
    if sd <= 0:
        return {"dist": "exponential", "mean_days": round(mean, 2)}
    return {"dist": "gamma", "mean_days": round(mean, 2), "sd_days": round(sd, 2)}


def calibrate(actor: Actor, *, today: dt.date | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(scenario, evidence). The scenario falls back to the defaults where the data is too thin."""
    today = today or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time.min))
    cases = cases_for_aggregates(actor).filter(referred_at__gte=since)
    rows = list(cases.values_list("pk", "referred_at", "admitted_on", "discharge_ready_on"))
    evidence: dict[str, Any] = {"cases": len(rows), "since": since.date().isoformat(), "calibrated": []}
    scenario = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_SCENARIO.items()}
    if len(rows) < MIN_CASES:
        evidence["note"] = (
            f"Only {len(rows)} cases in the last 12 months: these are Homeward's example values"
        )
        return scenario, evidence
    n = len(rows)
    weekdays = Counter(timezone.localtime(r[1]).weekday() for r in rows)
    scenario["arrivals"] = {
        "rate_per_day": round(n / 365, 3),
        "weekday_profile": [round(weekdays[d] * 7 / n, 3) for d in range(7)],
    }
    evidence["calibrated"].append(f"arrivals: {n} referrals in 12 months, by weekday")
    stays = [float((ready - admitted).days) for _, _, admitted, ready in rows if ready and admitted]
    if len(stays) >= MIN_CASES:
        scenario["length_of_stay"] = {
            "dist": "empirical",
            "samples": sorted(stays)[:: max(1, len(stays) // MAX_SAMPLES)],
        }
        evidence["calibrated"].append(f"length of stay: {len(stays)} admissions to discharge-ready")
    blockers = list(
        Blocker.objects.filter(case__in=cases.values("pk")).values_list(
            "case_id", "category", "raised_on", "resolved_on"
        )
    )
    housing_cases = {case for case, category, _, _ in blockers if category in HOUSING_CATEGORIES}
    scenario["housing_need"] = {"probability": round(len(housing_cases) / n, 3)}
    officer_days = [
        float(max((resolved - raised).days, 0.5))
        for _, category, raised, resolved in blockers
        if category in HOUSING_CATEGORIES and resolved
    ]
    officers = dict(scenario["housing_officers"])
    if len(officer_days) >= 5:
        officers["service"] = _duration(officer_days)
        evidence["calibrated"].append(f"housing officer time: {len(officer_days)} resolved housing blockers")
    scenario["housing_officers"] = officers
    evidence["calibrated"].append(f"housing need: {len(housing_cases)} of {n} cases had a housing blocker")
    others: dict[str, list[tuple[int, float | None]]] = {}
    for case, category, raised, resolved in blockers:
        if category not in HOUSING_CATEGORIES:
            days = float(max((resolved - raised).days, 0.5)) if resolved else None
            others.setdefault(category, []).append((case, days))
    blocker_list: list[dict[str, Any]] = []
    for category, items in sorted(others.items()):
        durations = [d for _, d in items if d is not None]
        if len({c for c, _ in items}) < 5 or len(durations) < 5:
            continue
        blocker_list.append(
            {
                "name": category,
                "probability": round(len({c for c, _ in items}) / n, 3),
                "clearance": _duration(durations),
            }
        )
    scenario["blockers"] = blocker_list
    evidence["calibrated"].append(f"{len(blocker_list)} other blocker categories with 5 or more cases")
    return scenario, evidence
