"""`{% referral_rows page %}`: the rows of a referral worklist.

Built here rather than in the template because the worklists are the pages staff reload all day: fifty rows
of ten values each cost the template engine about 10 ms a page, a quarter of the page's time at a million
referrals (benchmarks/bench_referral_worklists.py); built here they cost about 3 ms. The markup is the NHS.UK
responsive table's, as in the rest of the templates, and every value is escaped by format_html_join."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from homeward.referrals.codes import ReferralStatus, ServiceKind, Urgency
from homeward.referrals.models import Referral

register = template.Library()

STATUS = dict(ReferralStatus.choices)
SERVICE = dict(ServiceKind.choices)
URGENT = mark_safe(' <strong class="nhsuk-tag nhsuk-tag--red">Urgent</strong>')
OVERDUE = mark_safe(' <strong class="nhsuk-tag nhsuk-tag--orange">Answer overdue</strong>')


def _cell(heading: str, body: str) -> str:
    return (
        f'<td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading">{heading} </span>'
        f"{body}</td>"
    )


# A format_html pattern: each {} is one escaped value, in the order referral_rows passes them.
ROW = (
    '<tr role="row" class="nhsuk-table__row">'
    + _cell("Person", '<a href="/referrals/{}/">{}, {}</a>{}{}')
    + _cell("Service", "{}")
    + _cell("From → to", "{} → {}")
    + _cell("Sent", "{}")
    + _cell("Status", '<strong class="nhsuk-tag {}">{}</strong>')
    + "</tr>"
)


def _day(referral: Referral) -> str:
    """The day it was sent, in UK time, as "5 Nov 2026"."""
    return f"{timezone.localtime(referral.requested_at):%-d %b %Y}"


@register.simple_tag
def referral_rows(referrals: Iterable[Referral]) -> SafeString:
    return format_html_join(
        "\n",
        ROW,
        (
            (
                r.pk,
                r.person.family_name.upper(),
                r.person.given_name,
                URGENT if r.urgency == Urgency.URGENT else "",
                OVERDUE if r.is_overdue else "",
                SERVICE.get(r.service_kind, r.service_kind),
                r.from_organisation.name,
                r.to_organisation.name,
                _day(r),
                r.status_tag,
                STATUS.get(r.status, r.status),
            )
            for r in referrals
        ),
    )
