"""Prevention KPIs by month: alert volume, the share the team acted on, and days to a decision."""

from __future__ import annotations

import datetime as dt

from homeward.casework.kpis import KPI, Months, Point, count_point, median_point, monthly, share_point
from homeward.governance.access import Actor
from homeward.prevention.codes import USEFUL_DECISIONS
from homeward.prevention.models import RiskAlert


def prevention_kpis(actor: Actor, months: Months) -> list[KPI]:
    rows = list(
        RiskAlert.objects.filter(
            organisation_id=actor.organisation_id, raised_on__gte=months[0][0]
        ).values_list("raised_on", "decided_on", "decision")
    )

    def raised_in(spans: Months) -> list[tuple[dt.date, dt.date | None, str]]:
        return [r for r in rows if any(a <= r[0] < b for a, b in spans)]

    def volume(label: str, spans: Months) -> Point:
        return count_point(label, len(raised_in(spans)))

    def acted(label: str, spans: Months) -> Point:
        decided = [r for r in raised_in(spans) if r[1]]
        return share_point(label, sum(r[2] in USEFUL_DECISIONS for r in decided), len(decided))

    def to_action(label: str, spans: Months) -> Point:
        return median_point(label, [float((r[1] - r[0]).days) for r in raised_in(spans) if r[1]])

    out = []
    for key, label, unit, better, fn in [
        ("alerts", "Tenancy-trigger alerts raised", "count", "higher", volume),
        ("alerts_acted_on", "Share of decided alerts acted on (visit or referral)", "share", "higher", acted),
        ("alerts_days_to_action", "Median days from alert to decision", "days", "lower", to_action),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, "By month the alert was raised"))
    return out
