"""Standards evidence: for one scheme over a period, the records that evidence each theme of the national
supported housing standards, as an export a council licensing officer or a commissioner can read.

The Supported Housing (Regulatory Oversight) Act 2023 provides for national supported housing standards
and for local licensing of supported exempt accommodation. The five themes below are those issue 19 names
for the standards as consulted on in 2025 (person-centred support, empowerment, environment, staff and
safeguarding, local need); what each says here is Homeward's own wording, not the standards' text, and
each figure is a count or share of Homeward's own records. Where Homeward holds no record that could
evidence something the theme needs, the export says so (`held: False`) rather than inventing a figure.
Counts only: no names, no identifiers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q

from homeward.housing.codes import (
    DepartureReason,
    FeedbackKind,
    PlacementSource,
    PlacementStatus,
    UnitStatus,
)
from homeward.housing.models import (
    ActivitySession,
    Feedback,
    Incident,
    KeyWorkSession,
    Placement,
    PlanReview,
    Scheme,
    ShiftHandover,
    WelfareCheck,
)
from homeward.housing.occupancy import scheme_figures

SOURCE = (
    "Supported Housing (Regulatory Oversight) Act 2023 (national supported housing standards); themes as "
    "named in issue 19 for the 2025 consultation, in Homeward's own words"
)


@dataclass
class Evidence:
    key: str
    label: str
    count: int | None = None
    of: int | None = None
    note: str = ""
    held: bool = True

    @property
    def share(self) -> float | None:
        if self.count is None or not self.of:
            return None
        return self.count / self.of


@dataclass
class Standard:
    key: str
    title: str
    asks: str
    evidence: list[Evidence] = field(default_factory=list)


#: The longest period one export covers.
MAX_PERIOD_DAYS = 3 * 366


def check_period(start: dt.date, end: dt.date, today: dt.date) -> dict[str, str]:
    """Errors for an export period (keyed 'from' and 'to'): it ends by today, after it starts, within
    three years."""
    if end > today:
        return {"to": "The period cannot end in the future"}
    if end < start:
        return {"to": "The period must end on or after its start"}
    if (end - start).days > MAX_PERIOD_DAYS:
        return {"from": "Choose a period of up to three years"}
    return {}


def share_text(e: Evidence) -> str:
    if not e.held:
        return "Not held in Homeward"
    if e.of is None:
        return str(e.count)
    if not e.of:
        return f"{e.count} of 0"
    return f"{e.count} of {e.of} ({100 * (e.share or 0):.0f}%)"


def standards_evidence(scheme: Scheme, start: dt.date, end: dt.date) -> list[Standard]:
    """The evidence for [start, end] (both days included). A handful of aggregate queries, each bounded
    by the scheme and the period, so the export stays fast on a provider with years of history."""
    stop = end + dt.timedelta(days=1)
    placements = Placement.objects.filter(scheme=scheme)
    arrived = placements.filter(arrived_on__gte=start, arrived_on__lte=end)
    arrivals: list[tuple[Any, ...]] = list(
        arrived.values_list("arrived_on", "assessed_needs_on", "plan_agreed_on", "support_case_id")
    )
    window = dt.timedelta(days=scheme.plan_within_days)
    n_arrived = len(arrivals)
    assessed_on_time = sum(1 for a, s, _, _ in arrivals if s is not None and s <= a + window)
    planned_on_time = sum(1 for a, _, p, _ in arrivals if p is not None and p <= a + window)
    from homeward.support.models import WellbeingMeasure

    support_ids = [c for *_, c in arrivals if c]
    with_baseline = (
        WellbeingMeasure.objects.filter(case_id__in=support_ids, timepoint="baseline")
        .values("case_id")
        .distinct()
        .count()
    )
    reviews = PlanReview.objects.filter(
        placement__scheme=scheme, reviewed_on__gte=start, reviewed_on__lte=end
    )
    # A review is on time when it came no later than the date the previous review (if any) set.
    earlier = PlanReview.objects.filter(
        placement=OuterRef("placement"), reviewed_on__lt=OuterRef("reviewed_on")
    ).order_by("-reviewed_on", "-pk")
    reviews_on_time = (
        reviews.annotate(due=earlier.values("next_review_on")[:1])
        .filter(Q(due__isnull=True) | Q(reviewed_on__lte=F("due")))
        .count()
    )
    n_reviews = reviews.count()
    with_outcomes = reviews.exclude(outcomes={}).count()
    resident_now = placements.filter(status=PlacementStatus.RESIDENT)
    stayed = placements.filter(arrived_on__lte=end).filter(
        Q(departed_on__isnull=True) | Q(departed_on__gte=start)
    )
    n_stayed = stayed.count()
    with_session = stayed.filter(
        Exists(KeyWorkSession.objects.filter(placement=OuterRef("pk"), held_on__gte=start, held_on__lte=end))
    ).count()
    activity_sessions = ActivitySession.objects.filter(
        activity__scheme=scheme, held_on__gte=start, held_on__lte=end
    )
    took_part = stayed.filter(activity_sessions__in=activity_sessions).values("pk").distinct().count()
    departed = placements.filter(departed_on__gte=start, departed_on__lte=end)
    n_departed = departed.count()
    planned = departed.filter(departure_reason=DepartureReason.PLANNED).count()
    figures = scheme_figures(scheme.pk, start, stop)
    out_of_use = scheme.units.filter(status=UnitStatus.OUT_OF_USE).count()
    incidents = Incident.objects.filter(
        scheme=scheme, occurred_at__date__gte=start, occurred_at__date__lte=end
    )
    tally = incidents.aggregate(
        n=Count("pk"),
        safeguarding=Count("pk", filter=Q(is_safeguarding=True)),
        alerted=Count("pk", filter=Q(is_safeguarding=True, safeguarding_alerted_at__isnull=False)),
        reviewed=Count("pk", filter=Q(reviewed_on__isnull=False)),
        emergency=Count("pk", filter=Q(police_called=True) | Q(ambulance_called=True)),
    )
    said = dict(
        Feedback.objects.filter(scheme=scheme, received_on__gte=start, received_on__lte=end)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    days = (end - start).days + 1
    handovers = ShiftHandover.objects.filter(scheme=scheme, shift_on__gte=start, shift_on__lte=end).count()
    at_risk = list(resident_now.filter(welfare_check_hours__isnull=False).values_list("pk", flat=True))
    checked = (
        WelfareCheck.objects.filter(placement_id__in=at_risk, checked_at__date__gte=start)
        .values("placement_id")
        .distinct()
        .count()
    )
    referrals = placements.filter(referred_on__gte=start, referred_on__lte=end)
    by_source = dict(referrals.values_list("source").annotate(n=Count("pk")).values_list("source", "n"))
    n_referrals = sum(by_source.values())
    turned_away = referrals.filter(
        status__in=(PlacementStatus.NOT_ELIGIBLE, PlacementStatus.DECLINED)
    ).count()

    return [
        Standard(
            "person_centred",
            "Person-centred support",
            "Each resident's needs and risks are assessed and a support plan agreed with them soon after "
            "they arrive, and the plan is reviewed when it is due.",
            [
                Evidence(
                    "assessed_on_time",
                    f"Arrivals assessed (needs and risks) within {scheme.plan_within_days} days",
                    assessed_on_time,
                    n_arrived,
                ),
                Evidence(
                    "plan_on_time",
                    f"Arrivals with a support plan within {scheme.plan_within_days} days",
                    planned_on_time,
                    n_arrived,
                ),
                Evidence("reviews_on_time", "Reviews held by their due date", reviews_on_time, n_reviews),
                Evidence(
                    "review_overdue_now",
                    "Residents today whose review is overdue",
                    _overdue_reviews(resident_now, end),
                    resident_now.count(),
                ),
                Evidence("key_work", "Residents with at least one key-work session", with_session, n_stayed),
            ],
        ),
        Standard(
            "empowerment",
            "Empowerment",
            "Residents shape their own support, take part in meaningful activity, say how they are doing "
            "and move on in a planned way.",
            [
                Evidence(
                    "wellbeing_at_entry", "Arrivals with ONS4 wellbeing at entry", with_baseline, n_arrived
                ),
                Evidence(
                    "outcomes_at_review", "Reviews recording outcomes by domain", with_outcomes, n_reviews
                ),
                Evidence(
                    "activities", "Residents who took part in a timetabled activity", took_part, n_stayed
                ),
                Evidence("planned_move_on", "Departures that were planned moves", planned, n_departed),
                Evidence(
                    "resident_feedback",
                    "Resident feedback received (compliments, suggestions, complaints), each with what "
                    "was done",
                    sum(said.values()),
                    note="Surveys and residents' meetings are not recorded in Homeward",
                ),
                *[
                    Evidence(
                        f"resident_feedback_{code}", f"Resident feedback: {label.lower()}s", said.get(code, 0)
                    )
                    for code, label in FeedbackKind.choices
                ],
            ],
        ),
        Standard(
            "environment",
            "Environment",
            "The home is safe, decent and kept in use: units are let quickly and repaired when needed.",
            [
                Evidence(
                    "occupied_nights",
                    "Unit-nights occupied",
                    figures.occupied_nights,
                    figures.available_nights,
                ),
                Evidence("void_nights", "Void unit-nights", figures.void_nights),
                Evidence("out_of_use", "Units out of use today", out_of_use, figures.units),
                Evidence(
                    "repairs",
                    "Repairs and safety checks (gas, electrical, fire)",
                    held=False,
                    note="Not recorded in the housing module; evidence them from your asset system.",
                ),
            ],
        ),
        Standard(
            "staff_and_safeguarding",
            "Staff and safeguarding",
            "The scheme is staffed as it says, shifts hand over in writing, incidents are recorded and "
            "reviewed, safeguarding concerns reach the lead at once and residents at risk are checked on.",
            [
                Evidence(
                    "handovers",
                    "Shift handovers written (three shifts a day)",
                    handovers,
                    3 * days if scheme.staffing == "24_7" else None,
                    note="" if scheme.staffing == "24_7" else "Not a 24/7 scheme: count only",
                ),
                Evidence("incidents", "Incidents recorded", tally["n"]),
                Evidence(
                    "incidents_reviewed", "Incidents reviewed by a manager", tally["reviewed"], tally["n"]
                ),
                Evidence(
                    "safeguarding_alerted",
                    "Safeguarding incidents on which the lead was told at once",
                    tally["alerted"],
                    tally["safeguarding"],
                ),
                Evidence(
                    "emergency_services",
                    "Incidents where police or an ambulance were called",
                    tally["emergency"],
                ),
                Evidence(
                    "welfare_checked",
                    "Residents at risk today checked on in the period",
                    checked,
                    len(at_risk),
                ),
                Evidence(
                    "staff_training",
                    "Staff training and vetting (DBS)",
                    held=False,
                    note="Homeward keeps no staff training or vetting record: evidence it from HR.",
                ),
            ],
        ),
        Standard(
            "local_need",
            "Local need",
            "The scheme meets the need it was commissioned for: who refers, who is turned away and how "
            "its places compare with the contract.",
            [
                Evidence(
                    "contracted_units", "Units against the contract", figures.units, scheme.contracted_units
                ),
                Evidence("referrals", "Referrals received", n_referrals),
                *[
                    Evidence(
                        f"referrals_{code}",
                        f"Referrals from {label.lower()}",
                        by_source.get(code, 0),
                        n_referrals,
                    )
                    for code, label in PlacementSource.choices
                ],
                Evidence("turned_away", "Referrals not eligible or declined", turned_away, n_referrals),
            ],
        ),
    ]


def _overdue_reviews(residents: Any, today: dt.date) -> int:
    """Residents whose last review's next date (or, with none, plan date + cadence) has passed."""
    last = PlanReview.objects.filter(placement=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    rows = (
        residents.filter(plan_agreed_on__isnull=False)
        .annotate(next_due=last.values("next_review_on")[:1])
        .values_list("next_due", "plan_agreed_on", "scheme__review_every_days")
    )
    return sum(1 for due, plan, every in rows if (due or plan + dt.timedelta(days=every)) < today)


def as_rows(scheme: Scheme, start: dt.date, end: dt.date, standards: list[Standard]) -> list[dict[str, Any]]:
    return [
        {
            "scheme": scheme.name,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "standard": s.title,
            "evidence": e.label,
            "count": "" if e.count is None else e.count,
            "of": "" if e.of is None else e.of,
            "share": "" if e.share is None else round(e.share, 3),
            "held": "yes" if e.held else "no",
            "note": e.note,
        }
        for s in standards
        for e in s.evidence
    ]


def as_csv(scheme: Scheme, start: dt.date, end: dt.date, standards: list[Standard]) -> str:
    rows = as_rows(scheme, start, end, standards)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def as_json(scheme: Scheme, start: dt.date, end: dt.date, standards: list[Standard]) -> dict[str, Any]:
    return {
        "scheme": {
            "id": scheme.pk,
            "name": scheme.name,
            "type": scheme.scheme_type,
            "staffing": scheme.staffing,
        },
        "from": start.isoformat(),
        "to": end.isoformat(),
        "source": SOURCE,
        "standards": [
            {
                "key": s.key,
                "title": s.title,
                "asks": s.asks,
                "evidence": [asdict(e) | {"share": e.share, "text": share_text(e)} for e in s.evidence],
            }
            for s in standards
        ],
    }
