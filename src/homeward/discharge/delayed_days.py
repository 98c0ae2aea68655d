"""Delayed days by NHS delay reason, stored per discharged case (see `models.DelayedDays`).

The same day-by-day history as the weekly report (`reason_days.py`): each day from the discharge-ready date
up to, not including, the discharge date counts once, for the reason in force that day in each
collection's list in force that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from homeward.discharge.codes import SitrepCollection
from homeward.discharge.delay_reasons import ReasonBook, book_for
from homeward.discharge.models import DelayedDays, DelayReasonList, DischargeCase
from homeward.discharge.reason_days import reason_on


def delayed_day_rows(case_ids: list[int]) -> list[DelayedDays]:
    """Rows for discharged cases (cases not discharged, or not delayed, give none)."""
    from homeward.discharge.sitrep import stays

    lists = list(DelayReasonList.objects.order_by("collection", "-in_use_from"))
    books: dict[int, ReasonBook] = {}

    def book_on(collection: str, day: dt.date) -> ReasonBook | None:
        found: Any = next((x for x in lists if x.collection == collection and x.in_use_from <= day), None)
        if found is None:
            return None
        if found.pk not in books:
            books[found.pk] = book_for(found)
        return books[found.pk]

    cases = DischargeCase.objects.filter(pk__in=case_ids, discharged_on__isnull=False)
    rows: list[DelayedDays] = []
    for stay in stays(cases, dt.date.min, dt.date.max):
        if stay.discharge_ready_on is None or stay.left_on is None:
            continue
        counted: Counter[tuple[str, int | None, bool]] = Counter()
        day = stay.discharge_ready_on
        while day < stay.left_on:
            for collection in SitrepCollection.values:
                book = book_on(collection, day)
                if book is not None:
                    reason = reason_on(stay, day, book.by_category, book.reason_ids).reason_id
                    counted[collection, reason, reason in book.housing_reason_ids] += 1
            day += dt.timedelta(days=1)
        rows += [
            DelayedDays(case_id=stay.case_id, collection=c, reason_id=r, housing=h, days=n)
            for (c, r, h), n in counted.items()
        ]
    return rows


def record_delayed_days(case: DischargeCase) -> None:
    """Store (replacing any earlier rows) a discharged case's delayed days by reason."""
    DelayedDays.objects.filter(case=case).delete()
    if case.discharged_on is not None:
        DelayedDays.objects.bulk_create(delayed_day_rows([case.pk]))


def backfill_delayed_days(*, batch: int = 5_000) -> int:
    """Write the delayed days of every discharged case with a discharge-ready date (replacing what was
    stored), a batch of cases per transaction; returns how many cases were done. For data discharged
    before `DelayedDays` existed, and after a new list is loaded with dates in the past."""
    from django.db import transaction

    ids = list(
        DischargeCase.objects.filter(discharged_on__isnull=False, discharge_ready_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            DelayedDays.objects.filter(case_id__in=chunk).delete()
            DelayedDays.objects.bulk_create(delayed_day_rows(chunk), batch_size=5_000)
    return len(ids)
