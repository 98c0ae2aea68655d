"""Care-home KPIs by month for the actor's own homes (counts only, never names): conveyances to hospital,
emergency admissions, triage calls and the admissions they avoided, advance care plans in place and
overdue for review; and a business-case proposer for admissions avoided after triage, whose unit cost the
user picks from the unit-cost database (Homeward proposes the volume, never a price)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from homeward.carehomes.models import CarePlan, HospitalTransfer, Resident, TriageCall
from homeward.carehomes.selectors import avoided_calls, follow_up_window
from homeward.casework.kpis import KPI, Months, Point, count_point, monthly, share_point
from homeward.casework.proposers import Proposal, grade_for_rate
from homeward.governance.access import Actor

#: A placeholder optimism bias, as Hospital to Home's proposer uses: Homeward ships no grade table, so the
#: user replaces it with their organisation's value for the grade shown (docs/business-cases.md).
PLACEHOLDER_OPTIMISM_BIAS = 0.4


def _in(field: str, spans: Months) -> Q:
    q = Q()
    for a, b in spans:
        q |= Q(**{f"{field}__date__gte": a, f"{field}__date__lt": b})
    return q


def _on_last_day(spans: Months) -> dt.date:
    return min(max(b for _, b in spans) - dt.timedelta(days=1), timezone.localdate())


def carehome_kpis(actor: Actor, months: Months, home_id: int | None = None) -> list[KPI]:
    """Counts for the actor's organisation's homes (or one of them), by month."""
    homes = Q(home__organisation_id=actor.organisation_id)
    if home_id is not None:
        homes &= Q(home_id=home_id)
    residents = Resident.objects.filter(homes)
    transfers = HospitalTransfer.objects.filter(resident__in=residents)
    calls = TriageCall.objects.filter(resident__in=residents)

    def conveyed(label: str, spans: Months) -> Point:
        return count_point(label, transfers.filter(_in("left_at", spans), by_ambulance=True).count())

    def admitted(label: str, spans: Months) -> Point:
        return count_point(label, transfers.filter(_in("left_at", spans), admitted=True).count())

    def triaged(label: str, spans: Months) -> Point:
        return count_point(label, calls.filter(_in("called_at", spans)).count())

    def avoided(label: str, spans: Months) -> Point:
        return count_point(label, avoided_calls(calls.filter(_in("called_at", spans))).count())

    def with_plan(label: str, spans: Months) -> Point:
        day = _on_last_day(spans)
        living = residents.filter(admitted_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        plans = CarePlan.objects.filter(resident__in=living, agreed_on__lte=day).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__date__gt=day)
        )
        return share_point(label, plans.values("resident").distinct().count(), living.count())

    def overdue(label: str, spans: Months) -> Point:
        day = _on_last_day(spans)
        plans = CarePlan.objects.filter(resident__in=residents, agreed_on__lte=day, review_on__lt=day).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__date__gt=day)
        )
        plans = plans.filter(Q(resident__left_on__isnull=True) | Q(resident__left_on__gt=day))
        return count_point(label, plans.count())

    hours = int(follow_up_window().total_seconds() // 3600)
    out = []
    for key, label, unit, better, fn, note in [
        (
            "carehomes_conveyances",
            "Residents conveyed to hospital by ambulance",
            "count",
            "lower",
            conveyed,
            "By month",
        ),
        (
            "carehomes_admissions",
            "Residents admitted to hospital",
            "count",
            "lower",
            admitted,
            "As the home recorded them",
        ),
        (
            "carehomes_triage_calls",
            "Out-of-hours triage calls",
            "count",
            "higher",
            triaged,
            "By month of the call",
        ),
        (
            "carehomes_admissions_avoided",
            "Admissions avoided after triage",
            "count",
            "higher",
            avoided,
            f"A call whose decision was not to convey, with no admission in the {hours} hours after it",
        ),
        (
            "carehomes_plan_coverage",
            "Residents with an advance care plan",
            "share",
            "higher",
            with_plan,
            "On the last day of the month",
        ),
        (
            "carehomes_plans_overdue",
            "Advance care plans overdue for review",
            "count",
            "lower",
            overdue,
            "On the last day of the month",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out


def propose_admissions_avoided(actor: Actor, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    """Admissions avoided after triage in the period, per resident, as one outcome. The unit value is 0 and
    marked for the user to pick from the unit-cost database (for example an emergency admission): Homeward
    gives no price of its own."""
    days = (end - start).days + 1
    residents = Resident.objects.filter(
        home__organisation_id=actor.organisation_id, admitted_on__lte=end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    calls = TriageCall.objects.filter(
        resident__in=residents, called_at__date__gte=start, called_at__date__lte=end
    )
    n_calls, n_avoided, n_residents = calls.count(), avoided_calls(calls).count(), residents.count()
    span = f"{start:%d %b %Y} to {end:%d %b %Y}"
    hours = int(follow_up_window().total_seconds() // 3600)
    rate = n_avoided / n_residents if n_residents else 0.0
    grade = grade_for_rate(n_calls)
    outcome: dict[str, Any] = {
        "name": "Emergency admissions avoided after out-of-hours triage",
        "engagement_rate": 1.0,
        "success_rate": min(round(rate * 365.0 / days, 4), 1.0),
        "deadweight": 0.0,
        "attribution": 1.0,
        "unit_value": 0.0,
        "beneficiaries": [{"agency": "NHS", "kind": "fiscal", "share": 1.0, "cashable": False}],
        "source": "Observed in Homeward (triage calls and their computed outcomes)",
        "confidence_grade": grade,
        "optimism_bias": PLACEHOLDER_OPTIMISM_BIAS,
        "duration_years": 1,
        "drop_off": 0.0,
    }
    evidence: dict[str, dict[str, Any]] = {
        "outcomes[0].success_rate": {
            "kind": "observed",
            "text": f"{n_avoided} of {n_calls} triage calls in {span} were followed by no admission within "
            f"{hours} hours of a decision not to convey; per resident ({n_residents}) and year",
            "grade": grade,
        },
        "outcomes[0].unit_value": {
            "kind": "assumption",
            "text": "To choose: pick the cost of an emergency admission (or a conveyance) from the unit-cost "
            "database and enter it here. Homeward ships no figure for it.",
        },
        "outcomes[0].deadweight": {
            "kind": "assumption",
            "text": "0 until you compare with a period before triage or with another home: some residents "
            "would have stayed out of hospital anyway",
        },
        "outcomes[0].optimism_bias": {
            "kind": "assumption",
            "text": f"Placeholder: replace with your GMCA-table optimism bias for grade {grade}.",
        },
    }
    return Proposal(
        participants_per_year=float(n_residents),
        participants_note=f"Residents of your homes during {span}",
        outcomes=[outcome],
        evidence=evidence,
    )
