"""Adaptations KPIs by month, from the stored dates (counts and durations only, never names):
cases opened, median calendar and working days from enquiry to completion and from the valid application
to approval, and the shares of decisions within 6 months (HGCRA 1996 s.34(1)) and of payments within 12
months (s.36(2)) of a valid application."""

from __future__ import annotations

import datetime as dt

from homeward.adaptations.selectors import visible_cases
from homeward.casework.kpis import KPI, Months, Point, count_point, median_point, monthly, share_point, within
from homeward.casework.workdays import working_days_between
from homeward.engines.dfg import add_months
from homeward.governance.access import Actor

Row = tuple[dt.date, dt.date | None, dt.date | None, dt.date | None, dt.date | None, dt.date | None]


def adaptation_kpis(actor: Actor, months: Months) -> list[KPI]:
    rows: list[Row] = list(
        visible_cases(actor)
        .filter(organisation_id=actor.organisation_id)
        .values_list(
            "enquiry_received_on",
            "application_valid_on",
            "decision_on",
            "approved_on",
            "works_completed_on",
            "paid_on",
        )
    )

    def opened(label: str, spans: Months) -> Point:
        return count_point(label, sum(within(r[0], spans) for r in rows))

    def end_to_end(label: str, spans: Months) -> Point:
        return median_point(label, [float((r[4] - r[0]).days) for r in rows if r[4] and within(r[4], spans)])

    def end_to_end_working(label: str, spans: Months) -> Point:
        return median_point(
            label, [float(working_days_between(r[0], r[4])) for r in rows if r[4] and within(r[4], spans)]
        )

    def to_approval(label: str, spans: Months) -> Point:
        return median_point(
            label, [float((r[3] - r[1]).days) for r in rows if r[1] and r[3] and within(r[3], spans)]
        )

    def in_time(label: str, spans: Months) -> Point:
        decided = [r for r in rows if r[1] and r[2] and within(r[2], spans)]
        return share_point(
            label, sum(r[2] <= add_months(r[1], 6) for r in decided if r[1] and r[2]), len(decided)
        )

    def paid_in_time(label: str, spans: Months) -> Point:
        paid = [(r[1], r[5]) for r in rows if r[1] and r[5] and within(r[5], spans)]
        return share_point(label, sum(p <= add_months(v, 12) for v, p in paid if v and p), len(paid))

    out = []
    for key, label, unit, better, fn, note in [
        ("adaptations_opened", "Adaptations cases opened", "count", "higher", opened, "By month of enquiry"),
        (
            "adaptations_days_end_to_end",
            "Median days from enquiry to works completed",
            "days",
            "lower",
            end_to_end,
            "Calendar days, by month the works were completed",
        ),
        (
            "adaptations_working_days_end_to_end",
            "Median working days from enquiry to works completed",
            "days",
            "lower",
            end_to_end_working,
            "Working days in England and Wales, by month the works were completed",
        ),
        (
            "adaptations_days_to_approval",
            "Median days from valid application to approval",
            "days",
            "lower",
            to_approval,
            "By month of approval",
        ),
        (
            "adaptations_decided_in_time",
            "Share of decisions within 6 months of a valid application",
            "share",
            "higher",
            in_time,
            "HGCRA 1996 s.34(1); by month of the decision",
        ),
        (
            "adaptations_paid_in_time",
            "Share of payments within 12 months of the application",
            "share",
            "higher",
            paid_in_time,
            "HGCRA 1996 s.36(2); by month of payment",
        ),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, note))
    return out
