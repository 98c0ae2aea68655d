"""Supported-housing KPIs by month, from the stay intervals and stored dates (counts and durations only,
never names; no targets): occupancy %, void unit-nights, the planned share of departures, the median
length of stay, key-work sessions per resident per month, and the change in ONS4 life satisfaction."""

from __future__ import annotations

import datetime as dt

from homeward.casework.kpis import (
    KPI,
    Months,
    Point,
    count_point,
    mean_point,
    median_point,
    monthly,
    share_point,
    within,
)
from homeward.governance.access import Actor
from homeward.housing.codes import MOVE_OR_ADAPT, DepartureReason, OptionsOutcome
from homeward.housing.models import KeyWorkSession, Occupancy, Unit, UnitOutOfUse
from homeward.housing.occupancy import nights
from homeward.housing.selectors import visible_conversations, visible_placements


def housing_kpis(actor: Actor, months: Months) -> list[KPI]:
    own = visible_placements(actor).filter(organisation_id=actor.organisation_id)
    units = list(
        Unit.objects.filter(scheme__organisation_id=actor.organisation_id).values_list(
            "in_use_from", flat=True
        )
    )
    spans = list(
        Occupancy.objects.filter(placement__in=own).values_list("placement_id", "starts_on", "ends_on")
    )
    departures = list(
        own.filter(departed_on__isnull=False).values_list("arrived_on", "departed_on", "departure_reason")
    )
    closed = list(
        UnitOutOfUse.objects.filter(unit__scheme__organisation_id=actor.organisation_id).values_list(
            "starts_on", "ends_on"
        )
    )
    sessions = list(KeyWorkSession.objects.filter(placement__in=own).values_list("held_on", flat=True))
    support_ids = [i for i in own.values_list("support_case_id", flat=True) if i]

    def available(spans_: Months) -> int:
        in_use = sum(max(0, (b - max(a, since)).days) for a, b in spans_ for since in units)
        return in_use - sum(nights(s, e, a, b) for a, b in spans_ for s, e in closed)

    def occupied(spans_: Months) -> int:
        return sum(nights(s, e, a, b) for a, b in spans_ for _, s, e in spans)

    def occupancy(label: str, spans_: Months) -> Point:
        # A share of unit-nights: the interval is over nights as trials (an approximation; nights of one
        # unit are not independent), shown for scale only.
        return share_point(label, occupied(spans_), available(spans_))

    def void(label: str, spans_: Months) -> Point:
        return count_point(label, available(spans_) - occupied(spans_))

    def planned(label: str, spans_: Months) -> Point:
        left = [d for d in departures if within(d[1], spans_)]
        return share_point(label, sum(d[2] == DepartureReason.PLANNED for d in left), len(left))

    def stay(label: str, spans_: Months) -> Point:
        return median_point(
            label, [float((d[1] - d[0]).days) for d in departures if d[0] and d[1] and within(d[1], spans_)]
        )

    def per_resident(label: str, spans_: Months) -> Point:
        residents = {p for a, b in spans_ for p, s, e in spans if nights(s, e, a, b)}
        held = sum(within(day, spans_) for day in sessions)
        months_n = len(spans_) or 1
        value = held / len(residents) / months_n if residents else None
        return Point(label, value, None, None, len(residents))

    def wellbeing(label: str, spans_: Months) -> Point:
        return mean_point(label, _life_satisfaction_changes(support_ids, spans_))

    out = []
    for key, label, unit, better, fn, note in [
        (
            "housing_occupancy",
            "Occupancy (share of unit-nights occupied)",
            "share",
            "higher",
            occupancy,
            "From the stay intervals; units count from the day they came into use, less nights out of use",
        ),
        (
            "housing_void_nights",
            "Void unit-nights",
            "count",
            "lower",
            void,
            "Lettable unit-nights with nobody living there (nights out of use are not lettable)",
        ),
        (
            "housing_planned_move_on",
            "Share of departures that were planned",
            "share",
            "higher",
            planned,
            "By month of departure",
        ),
        (
            "housing_length_of_stay",
            "Median nights from arrival to departure",
            "days",
            "lower",
            stay,
            "By month of departure",
        ),
        (
            "housing_sessions_per_resident",
            "Key-work sessions per resident per month",
            "count",
            "higher",
            per_resident,
            "Residents are those living in a scheme for at least one night of the month",
        ),
        (
            "housing_wellbeing_change",
            "Mean change in ONS4 life satisfaction, entry to follow-up",
            "count",
            "higher",
            wellbeing,
            "0-10 scale; by month of the follow-up; people with both measures only",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    from homeward.housing.kpis_sustainment import sustainment_kpis

    return out + sustainment_kpis(own, months) + options_kpis(actor, months)


def options_kpis(actor: Actor, months: Months) -> list[KPI]:
    """Options conversations leading to a move or an adaptation, by month of the decision: the outcome found
    at the six-month follow-up where there is one (moved or adapted), else the decision (a move or
    adapting); people lost to follow-up are left out of the share and counted on their own."""
    rows = list(
        visible_conversations(actor)
        .filter(organisation_id=actor.organisation_id, decided_on__isnull=False)
        .values_list("decided_on", "decision", "outcome")
    )

    def led(label: str, spans_: Months) -> Point:
        known = [(d, o) for day, d, o in rows if within(day, spans_) and o != OptionsOutcome.LOST]
        hits = sum(
            o in (OptionsOutcome.MOVED, OptionsOutcome.ADAPTED) if o else d in MOVE_OR_ADAPT for d, o in known
        )
        return share_point(label, hits, len(known))

    def lost(label: str, spans_: Months) -> Point:
        return count_point(label, sum(within(day, spans_) and o == OptionsOutcome.LOST for day, _, o in rows))

    led_points, led_base = monthly(months, led)
    lost_points, lost_base = monthly(months, lost)
    return [
        KPI(
            "housing_options_move_or_adapt",
            "Options conversations leading to a move or an adaptation",
            "share",
            "higher",
            led_points,
            led_base,
            "By month of the decision; the six-month follow-up's outcome where recorded, else the decision;"
            " people lost to follow-up left out (counted separately)",
        ),
        KPI(
            "housing_options_lost",
            "Options conversations lost to follow-up",
            "count",
            "lower",
            lost_points,
            lost_base,
            "By month of the decision; not counted in the share leading to a move or an adaptation",
        ),
    ]


def _life_satisfaction_changes(support_ids: list[int], spans: Months) -> list[float]:
    from homeward.support.models import WellbeingMeasure

    rows = WellbeingMeasure.objects.filter(case_id__in=support_ids, tool="ons4").values_list(
        "case_id", "timepoint", "recorded_on", "score"
    )
    by_case: dict[int, dict[str, tuple[dt.date, float]]] = {}
    for case_id, point, day, score in rows:
        by_case.setdefault(case_id, {})[point] = (day, score)
    return [
        m["follow_up"][1] - m["baseline"][1]
        for m in by_case.values()
        if "baseline" in m and "follow_up" in m and within(m["follow_up"][0], spans)
    ]
