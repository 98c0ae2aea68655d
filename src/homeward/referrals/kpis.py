"""Referral KPIs by month: how many were sent, how many were taken up, and how many ended with help."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.casework.kpis import KPI, Months, Point, count_point, median_point, monthly, share_point
from homeward.governance.access import Actor
from homeward.referrals.codes import COMPLETED_OUTCOMES, ReferralStatus
from homeward.referrals.selectors import visible_referrals


def referral_kpis(actor: Actor, months: Months) -> list[KPI]:
    start = timezone.make_aware(dt.datetime.combine(months[0][0], dt.time.min))
    rows = list(
        visible_referrals(actor)
        .filter(from_organisation_id=actor.organisation_id, requested_at__gte=start)
        .values_list("requested_at", "answered_at", "status", "outcome")
    )

    def sent_in(
        spans: Months,
    ) -> list[tuple[dt.datetime, dt.datetime | None, str, str]]:
        return [r for r in rows if any(a <= timezone.localtime(r[0]).date() < b for a, b in spans)]

    def sent(label: str, spans: Months) -> Point:
        return count_point(label, len(sent_in(spans)))

    def accepted(label: str, spans: Months) -> Point:
        answered = [r for r in sent_in(spans) if r[1] is not None]
        return share_point(label, sum(r[2] != ReferralStatus.REJECTED for r in answered), len(answered))

    def helped(label: str, spans: Months) -> Point:
        closed = [r for r in sent_in(spans) if r[2] in (ReferralStatus.COMPLETED, ReferralStatus.FAILED)]
        return share_point(label, sum(r[3] in COMPLETED_OUTCOMES for r in closed), len(closed))

    def days_to_answer(label: str, spans: Months) -> Point:
        return median_point(label, [(r[1] - r[0]).total_seconds() / 86400 for r in sent_in(spans) if r[1]])

    out = []
    for key, label, unit, better, fn in [
        ("referrals_sent", "Onward referrals sent", "count", "higher", sent),
        ("referrals_accepted", "Share accepted (of those answered)", "share", "higher", accepted),
        ("referrals_helped", "Share closed with the need met or partly met", "share", "higher", helped),
        ("referrals_days_to_answer", "Median days to an answer", "days", "lower", days_to_answer),
    ]:
        points, base = monthly(months, fn)
        out.append(KPI(key, label, unit, better, points, base, "By month the referral was sent"))
    return out
