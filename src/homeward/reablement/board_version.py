"""The bed board's version: one counter per unit (`Unit.board_version`) that every service changing what a
board shows bumps, in its own transaction, through `changed` (the one place). An open board polls with the
token of the version it holds (`?since=`); while the token still matches, the server answers 204 No Content
after the access check and one query, instead of rebuilding the board.

The token covers the versions of the units shown, the day (days in a stay and today's admissions move at
midnight) and the viewer's membership and role. It also moves every `REVALIDATE_S` seconds, staggered per
membership, so that what changes outside this app without a bump (an agreement that ends, a person's name
corrected) reaches an open board within that time."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from homeward.governance.access import Actor
from homeward.reablement.models import Unit

REVALIDATE_S = 30


def changed(*unit_ids: int | None) -> None:
    """Record that what the bed board of each unit shows has changed (a stay admitted, moved or discharged,
    a bed's status, a red day, a blocker, an expected discharge date...). Call it last in the service's
    transaction, after its audit row, so the unit row is locked only until the commit."""
    ids = sorted({pk for pk in unit_ids if pk is not None})
    if ids:
        Unit.objects.filter(pk__in=ids).update(board_version=F("board_version") + 1)


def token(actor: Actor, versions: Iterable[tuple[int, int]], now: dt.datetime | None = None) -> str:
    """The token of the boards of the units `versions` ((unit id, version) pairs) as this actor sees them
    now. Equal tokens mean the board the viewer holds is still the board the server would build."""
    now = now or timezone.now()
    membership = actor.membership.pk
    stagger = (membership * 7919) % REVALIDATE_S
    window = int(now.timestamp() + stagger) // REVALIDATE_S
    shown = ",".join(f"{unit}.{version}" for unit, version in sorted(versions))
    raw = f"{membership}|{actor.role}|{timezone.localdate(now).isoformat()}|{window}|{shown}"
    return hashlib.blake2s(raw.encode(), digest_size=9).hexdigest()


def provider_versions(organisation_id: int) -> list[tuple[int, int]]:
    """The (unit id, version) pairs of every unit the organisation runs: one query."""
    return list(
        Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "board_version").order_by("pk")
    )
