"""Reads of referrals, always through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals.codes import ReferralStatus
from homeward.referrals.lifecycle import OPEN_STATUSES
from homeward.referrals.models import Referral

CASE_TYPE = "referrals.referral"


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent, plus those sent to it while an agreement is in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return Referral.objects.none()
    me = actor.organisation_id
    shared = shared_participations(me).filter(case_type=CASE_TYPE, case_id=OuterRef("pk"))
    return Referral.objects.filter(Q(from_organisation_id=me) | Exists(shared))


@transaction.atomic  # the read and its audit row commit together, or neither
def get_referral(*, actor: Actor, referral_id: int, purpose: str = "View referral") -> Referral:
    referral = (
        visible_referrals(actor)
        .select_related("person", "from_organisation", "to_organisation", "to_team", "referred_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise NotFound("No referral with that id")
    record_event(
        actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=referral, person_id=referral.person_id
    )
    return referral


def referrals_from(actor: Actor, source_type: str, source_id: int) -> list[Referral]:
    """Onward referrals made from one case (the case page has already audited the view of the case)."""
    return list(
        visible_referrals(actor)
        .filter(source_type=source_type, source_id=source_id)
        .select_related("to_organisation")
        .order_by("requested_at")
    )


# What a worklist row shows, and no more: a page of 50 loads 50 rows from five tables, and every
# timestamp costs a parse. (The answer's due date needs the service's acknowledgement level.)
ROW_FIELDS = (
    "person__given_name",
    "person__family_name",
    "from_organisation__name",
    "to_organisation__name",
    "service__acknowledge_within_days",
    "service_kind",
    "urgency",
    "status",
    "requested_at",
)


def _rows(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("person", "from_organisation", "to_organisation", "service").only(
        *ROW_FIELDS
    )


def open_referrals(actor: Actor, box: str = "incoming") -> QuerySet[Referral]:
    """Open referrals sent to us, sent by us, or both (`box`), urgent first then oldest first. Closed ones
    are in the history, which pages by date (see history)."""
    referrals = _rows(visible_referrals(actor).filter(status__in=OPEN_STATUSES))
    if box == "incoming":
        referrals = referrals.filter(to_organisation_id=actor.organisation_id)
    elif box == "outgoing":
        referrals = referrals.filter(from_organisation_id=actor.organisation_id)
    return referrals.order_by("-urgency", "requested_at", "pk")


HISTORY_PAGE = 50


@dataclass
class HistoryPage:
    """A page of history, newest first, without a total: each page ends with a cursor to the older ones."""

    object_list: list[Referral] = field(default_factory=list)
    older: str = ""  # cursor for the next (older) page; empty at the end
    is_first: bool = True
    paginator: None = None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.object_list)


def _cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    """'<ISO time>_<id>' as written by history(); anything else means the newest page."""
    when, _, pk = (value or "").rpartition("_")
    try:
        moment = dt.datetime.fromisoformat(when)
    except ValueError:
        return None
    if not pk.isdigit() or moment.tzinfo is None:
        return None
    return moment, int(pk)


def history(actor: Actor, before: str | None = None, box: str = "all") -> HistoryPage:
    """Every referral the organisation sent and/or received (`box`: all, outgoing, incoming), open or
    closed, newest first, a page at a time; `before` is the cursor the previous page ended with.

    Years of history are paged by "older" cursors, not page numbers: a total would count every referral
    the organisation ever saw. Each side walks its own date index from the cursor (see _newest_visible)."""
    if not actor.can(Permission.VIEW_PERSON):
        return HistoryPage()
    cursor = _cursor(before)
    me = actor.organisation_id
    sides = [
        where
        for name, where in (("outgoing", Q(from_organisation_id=me)), ("incoming", Q(to_organisation_id=me)))
        if box in ("all", name)
    ]
    rows = _newest_visible(actor, sides, HISTORY_PAGE + 1, _older_than(*cursor) if cursor else Q())
    shown = rows[:HISTORY_PAGE]
    return HistoryPage(
        object_list=shown,
        older=f"{shown[-1].requested_at.isoformat()}_{shown[-1].pk}" if len(rows) > HISTORY_PAGE else "",
        is_first=cursor is None,
    )


def _older_than(moment: dt.datetime, pk: int) -> Q:
    """(requested_at, id) < (moment, pk), written so that an index on the date can seek to the moment."""
    return Q(requested_at__lte=moment) & (Q(requested_at__lt=moment) | Q(pk__lt=pk))


def _newest_visible(actor: Actor, sides: list[Q], wanted: int, after: Q) -> list[Referral]:
    """The newest `wanted` referrals, older than `after`, on any of the `sides`, that the actor may see.

    In two steps, so that the database walks an index in date order and stops early: the keys of the
    newest candidates on each side (merged here), then the access layer's check and the full rows of just
    those. (Asked as one query, PostgreSQL underestimates how many referrals to us are shared with us and
    hashes every participation the organisation has before it sorts: most of a second at a million.)
    Candidates the actor may no longer see (an agreement suspended) are skipped by asking for more, four
    times as many each round."""
    rows: list[Referral] = []
    batch = wanted
    while len(rows) < wanted:
        keys = sorted(
            {
                key
                for where in sides
                for key in Referral.objects.filter(where, after)
                .order_by("-requested_at", "-pk")
                .values_list("requested_at", "pk")[:batch]
            },
            reverse=True,
        )[:batch]
        if not keys:
            break
        rows += _rows(visible_referrals(actor).filter(pk__in=[pk for _, pk in keys]))
        if len(keys) < batch:
            break
        after = _older_than(*keys[-1])
        batch = min(batch * 4, 10_000)
    rows.sort(key=lambda r: (r.requested_at, r.pk), reverse=True)
    return rows[:wanted]


def record_inbox_view(*, actor: Actor, box: str, referral_ids: list[int]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Referrals: {box}",
        detail={"referrals": referral_ids},
    )


def today_items(actor: Actor) -> list[Any]:
    """Referrals waiting for the actor's organisation to answer, for the home page."""
    from django.urls import reverse

    from homeward.casework.today import TodayItem

    if not actor.can(Permission.RESPOND_REFERRAL):
        return []
    waiting = open_referrals(actor, "incoming").filter(status=ReferralStatus.REQUESTED).count()
    return [
        TodayItem(
            "Referrals waiting for our answer",
            waiting,
            reverse("referrals:inbox") + "?box=incoming",
            urgent=True,
        )
    ]
