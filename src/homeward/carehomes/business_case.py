"""The business-case proposer for emergency admissions avoided after out-of-hours triage.

The gross outcome is the triage calls that stayed well (no admission within the follow-up window of a
decision not to convey). Some of those residents would have stayed out of hospital anyway, so the deadweight
is measured, where the data allow, instead of assumed:

1. **a comparison period**: the triaging homes' own days just before the period, of the same length, when
   they had residents (occupied bed-days) and no triage calls yet; otherwise
2. **a comparison home**: the organisation's other homes, which made no triage calls in the period and had
   residents then;
3. otherwise the deadweight stays 0, marked as an assumption to replace.

With a comparison, the admissions expected without triage are the comparison's emergency admissions per
occupied bed-day times the triaging homes' bed-days in the period; the admissions avoided net of deadweight
are the expected less those observed (not below 0), and the deadweight is the share of the gross outcome that
this net figure does not account for: 1 - min(net / gross, 1). The unit value is the user's to pick from the
unit-cost database (Homeward proposes volumes, never a price).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from homeward.carehomes.kpis import occupied_bed_days
from homeward.carehomes.models import CareHome, HospitalTransfer, Occupancy, Resident, TriageCall
from homeward.carehomes.selectors import avoided_calls, follow_up_window
from homeward.casework.kpis import count_interval
from homeward.casework.proposers import Proposal, grade_for_difference, grade_for_rate
from homeward.governance.access import Actor

#: A placeholder optimism bias, as Hospital to Home's proposer uses: Homeward ships no grade table, so the
#: user replaces it with their organisation's value for the grade shown (docs/business-cases.md).
PLACEHOLDER_OPTIMISM_BIAS = 0.4


@dataclass(frozen=True)
class Exposure:
    """Emergency admissions and occupied bed-days of some homes over [first, last] (days inclusive)."""

    admissions: int
    bed_days: int
    triage_calls: int


def exposure(homes: QuerySet[CareHome], first: dt.date, last: dt.date) -> Exposure:
    occupancies = Occupancy.objects.filter(room__home__in=homes).values_list("starts_on", "ends_on")
    in_days = {"__date__gte": first, "__date__lte": last}
    transfers = HospitalTransfer.objects.filter(
        resident__home__in=homes, admitted=True, **{f"left_at{k}": v for k, v in in_days.items()}
    )
    calls = TriageCall.objects.filter(
        resident__home__in=homes, **{f"called_at{k}": v for k, v in in_days.items()}
    )
    return Exposure(
        admissions=transfers.count(),
        bed_days=occupied_bed_days(occupancies, [(first, last + dt.timedelta(days=1))]),
        triage_calls=calls.count(),
    )


@dataclass(frozen=True)
class Comparison:
    kind: str  # "period", "home" or "" (none: the data do not allow one)
    label: str
    treated: Exposure
    compared: Exposure | None

    @property
    def expected_admissions(self) -> float:
        if self.compared is None or not self.compared.bed_days:
            return 0.0
        return self.compared.admissions / self.compared.bed_days * self.treated.bed_days

    @property
    def net_avoided(self) -> float:
        return max(self.expected_admissions - self.treated.admissions, 0.0)

    def deadweight(self, gross: int) -> float:
        if self.compared is None or gross == 0:
            return 0.0
        return round(1.0 - min(self.net_avoided / gross, 1.0), 4)

    def grade(self) -> int:
        """Confidence in the before/after (or between-homes) difference of admission rates."""
        if self.compared is None or not self.compared.bed_days or not self.treated.bed_days:
            return 6
        c_low, c_high = count_interval(self.compared.admissions)
        t_low, t_high = count_interval(self.treated.admissions)
        low = c_low / self.compared.bed_days - t_high / self.treated.bed_days
        high = c_high / self.compared.bed_days - t_low / self.treated.bed_days
        return grade_for_difference(self.compared.admissions, self.treated.admissions, low, high)


def choose_comparison(actor: Actor, start: dt.date, end: dt.date) -> Comparison:
    """The comparison the data allow: the triaging homes' own days before, else the organisation's homes
    that did not triage in the period, else none."""
    own = CareHome.objects.filter(organisation_id=actor.organisation_id)
    triaging = own.filter(
        residents__triage_calls__called_at__date__gte=start,
        residents__triage_calls__called_at__date__lte=end,
    ).distinct()
    days = (end - start).days + 1
    treated = exposure(triaging, start, end)
    before_first, before_last = start - dt.timedelta(days=days), start - dt.timedelta(days=1)
    before = exposure(triaging, before_first, before_last)
    if treated.triage_calls and before.bed_days and not before.triage_calls:
        label = f"the same homes' {days} days before, {before_first:%-d %b %Y} to {before_last:%-d %b %Y}"
        return Comparison("period", label, treated, before)
    others = own.exclude(pk__in=triaging.values("pk"))
    other = exposure(others, start, end)
    if treated.triage_calls and other.bed_days and not other.triage_calls:
        names = ", ".join(others.order_by("name").values_list("name", flat=True)[:5])
        return Comparison(
            "home", f"your homes that made no triage calls in the period ({names})", treated, other
        )
    return Comparison("", "", treated, None)


def propose_admissions_avoided(actor: Actor, start: dt.date, end: dt.date, price_year: int) -> Proposal:
    """Admissions avoided after triage in the period, per resident, as one outcome, with the deadweight
    measured against a comparison period or home where the data allow (see the module's docstring)."""
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
    comparison = choose_comparison(actor, start, end)
    deadweight = comparison.deadweight(n_avoided)
    outcome: dict[str, Any] = {
        "name": "Emergency admissions avoided after out-of-hours triage",
        "engagement_rate": 1.0,
        "success_rate": min(round(rate * 365.0 / days, 4), 1.0),
        "deadweight": deadweight,
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
        "outcomes[0].deadweight": _deadweight_evidence(comparison, n_avoided, deadweight),
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


def _deadweight_evidence(comparison: Comparison, gross: int, deadweight: float) -> dict[str, Any]:
    if comparison.compared is None:
        return {
            "kind": "assumption",
            "comparison": "none",
            "text": "0, assumed: the data allow no comparison (the triaging homes had no residents, or were "
            "already triaging, in the days before the period, and no home of yours went without triage "
            "in it). Some residents would have stayed out of hospital anyway: replace with your estimate.",
        }
    treated, compared = comparison.treated, comparison.compared
    return {
        "kind": "observed",
        "comparison": comparison.kind,
        "grade": comparison.grade(),
        "text": f"Compared with {comparison.label}: {compared.admissions} emergency admissions in "
        f"{compared.bed_days} occupied bed-days, so {comparison.expected_admissions:.1f} expected in the "
        f"triaging homes' {treated.bed_days} bed-days without triage; {treated.admissions} happened, "
        f"{comparison.net_avoided:.1f} avoided against {gross} calls that stayed well: deadweight "
        f"{deadweight:.2f} (1 - avoided / stayed well, from 0 to 1)",
    }
