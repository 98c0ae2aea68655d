"""Person-linkage KPIs by month, for a landlord party: tenants found in hospital, how soon after admission
the housing team heard, and how fast reviewers clear the queue (counts and durations only)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.casework.kpis import KPI, Months, Point, count_point, median_point, monthly
from homeward.governance.access import Actor
from homeward.linkage.models import PairDecision, TenantInHospitalAlert


def linkage_kpis(actor: Actor, months: Months) -> list[KPI]:
    start = months[0][0]
    alerts = [
        (timezone.localdate(raised), admitted)
        for raised, admitted in TenantInHospitalAlert.objects.filter(
            organisation_id=actor.organisation_id, admitted_on__gte=start
        ).values_list("raised_at", "admitted_on")
    ]
    decisions = [
        (timezone.localdate(decided), timezone.localdate(created))
        for decided, created in PairDecision.objects.filter(
            organisation_id=actor.organisation_id, decided_at__date__gte=start, undone_at__isnull=True
        ).values_list("decided_at", "pair__created_at")
    ]

    def admitted_in(spans: Months) -> list[tuple[dt.date, dt.date]]:
        return [a for a in alerts if any(lo <= a[1] < hi for lo, hi in spans)]

    def found(label: str, spans: Months) -> Point:
        return count_point(label, len(admitted_in(spans)))

    def heard(label: str, spans: Months) -> Point:
        return median_point(
            label, [float(max(0, (raised - admitted).days)) for raised, admitted in admitted_in(spans)]
        )

    def cleared(label: str, spans: Months) -> Point:
        chosen = [d for d in decisions if any(lo <= d[0] < hi for lo, hi in spans)]
        return median_point(label, [float((decided - created).days) for decided, created in chosen])

    out = []
    for key, label, unit, better, fn, note in [
        (
            "tenants_in_hospital",
            "Tenants found in hospital by linkage",
            "count",
            "higher",
            found,
            "By month of admission",
        ),
        (
            "days_admission_to_alert",
            "Median days from admission to the housing team's alert",
            "days",
            "lower",
            heard,
            "By month of admission; 0 means the alert came the day the patient was admitted",
        ),
        (
            "days_to_review",
            "Median days from a pair being found to a reviewer's decision",
            "days",
            "lower",
            cleared,
            "By month of the decision (decisions later undone are left out)",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out
