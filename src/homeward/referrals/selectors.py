"""Reads of referrals, always through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.access import Actor, shared_participations
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals.lifecycle import OPEN_STATUSES
from homeward.referrals.models import Referral

CASE_TYPE = "referrals.referral"


def _shared_with(organisation_id: int) -> Exists:
    """The referral (the outer row) is shared with the organisation under an agreement in force."""
    return Exists(shared_participations(organisation_id).filter(case_type=CASE_TYPE, case_id=OuterRef("pk")))


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent, plus those sent to it while an agreement is in force."""
    if not actor.can(Permission.VIEW_PERSON):
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(from_organisation_id=actor.organisation_id) | _shared_with(actor.organisation_id)
    )


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


def inbox(actor: Actor, box: str = "incoming", show: str = "open") -> QuerySet[Referral]:
    referrals = visible_referrals(actor).select_related("person", "from_organisation", "to_organisation")
    if box == "incoming":
        referrals = referrals.filter(to_organisation_id=actor.organisation_id)
    elif box == "outgoing":
        referrals = referrals.filter(from_organisation_id=actor.organisation_id)
    if show == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    return referrals.order_by("-urgency", "requested_at") if show == "open" else referrals


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


def history(actor: Actor, before: str | None = None) -> HistoryPage:
    """Every referral the organisation sent or received, open or closed, newest first, a page at a time.

    Two reads, each walking an index in date order from the cursor and stopping at the page (sent by us;
    sent to us and still shared), merged here. A single query with "sent by us OR shared with us" tests
    every referral in the table, and a total count visits years of history; with a million referrals that
    took seconds, so history pages by "older" cursors instead of page numbers."""
    cursor = _cursor(before)
    if not actor.can(Permission.VIEW_PERSON):
        return HistoryPage()
    me = actor.organisation_id
    related = ("person", "from_organisation", "to_organisation")
    wanted = HISTORY_PAGE + 1 + (HISTORY_PAGE if cursor is not None else 0)  # room for same-moment rows
    older = Q()
    if cursor is not None:
        # A range the index can seek to; rows of the cursor's own moment already shown are dropped below.
        older = Q(requested_at__lte=cursor[0])
    sent = list(
        Referral.objects.filter(older, from_organisation_id=me)
        .select_related(*related)
        .order_by("-requested_at", "-pk")[:wanted]
    )
    # The receiving side of visible_referrals, written as a plain AND so the database probes the
    # participation index row by row instead of hashing every participation the organisation has.
    received = list(
        Referral.objects.filter(older, _shared_with(me), to_organisation_id=me)
        .exclude(from_organisation_id=me)
        .select_related(*related)
        .order_by("-requested_at", "-pk")[:wanted]
    )
    merged = sorted(sent + received, key=lambda r: (r.requested_at, r.pk), reverse=True)
    if cursor is not None:
        merged = [r for r in merged if (r.requested_at, r.pk) < cursor]
    rows = merged[:HISTORY_PAGE]
    more = len(merged) > HISTORY_PAGE
    return HistoryPage(
        object_list=rows,
        older=f"{rows[-1].requested_at.isoformat()}_{rows[-1].pk}" if more else "",
        is_first=cursor is None,
    )


def record_inbox_view(*, actor: Actor, box: str, referral_ids: list[int]) -> None:
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose=f"Referrals: {box}",
        detail={"referrals": referral_ids},
    )
