"""NHS England's community discharge delay reasons on a stay's blockers and red days.

The lists are versioned data loaded by the discharge app (`discharge/data/delay_reasons/`, the community
sitrep's Table 5 of January 2024 first): a reason comes from the community list in force on the day, so
the next revision is a new list, not a code change. A blocker's category maps to a reason through that
list's mapping; the person recording it may choose another reason of the same list."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from homeward.discharge.codes import SitrepCollection
from homeward.discharge.models import DelayReason, DelayReasonList, DelayReasonMapping


def community_list(day: dt.date) -> DelayReasonList | None:
    """The community sitrep list in force on `day`: the one that came into use last, on or before it."""
    return (
        DelayReasonList.objects.filter(collection=SitrepCollection.COMMUNITY, in_use_from__lte=day)
        .order_by("-in_use_from")
        .first()
    )


def community_reasons(day: dt.date) -> QuerySet[DelayReason]:
    reason_list = community_list(day)
    if reason_list is None:
        return DelayReason.objects.none()
    return reason_list.reasons.order_by("order")


def check_reason(errors: dict[str, str], field: str, reason_id: int | None, day: dt.date) -> None:
    """A chosen reason must belong to the community list in force on `day`."""
    if reason_id is not None and not community_reasons(day).filter(pk=reason_id).exists():
        reason_list = community_list(day)
        errors[field] = (
            f"Choose a reason from {reason_list.title}"
            if reason_list
            else "No community delay-reason list is in force on that day"
        )


def reason_for_category(category: str, day: dt.date) -> int | None:
    """The community reason a blocker category counts as on `day`, by the list's own mapping."""
    reason_list = community_list(day)
    if reason_list is None:
        return None
    mapping = DelayReasonMapping.objects.filter(reason_list=reason_list, category=category).first()
    return mapping.reason_id if mapping else None
