"""What was done to whom, and from when: the interventions an analyst can evaluate from Homeward's own
records, each with the start date it gives a person. Only interventions whose data exist are offered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from homeward.adaptations.models import AdaptationCase
from homeward.discharge.models import DischargeCase
from homeward.support.codes import CaseKind
from homeward.support.models import Contact

Starts = Callable[[Iterable[int]], dict[int, dt.date]]
"""starts(organisation ids) -> {person id: the date the intervention began for them}."""


@dataclass(frozen=True)
class Intervention:
    key: str
    label: str
    description: str
    starts: Starts


def _hospital_to_home(organisations: Iterable[int]) -> dict[int, dt.date]:
    """The day of the first discharge home with the Hospital to Home service."""
    rows = (
        DischargeCase.objects.filter(organisation_id__in=list(organisations), discharged_on__isnull=False)
        .order_by("discharged_on", "pk")
        .values_list("person_id", "discharged_on")
    )
    out: dict[int, dt.date] = {}
    for person_id, day in rows:
        if day is not None:
            out.setdefault(person_id, day)
    return out


def _link_worker(organisations: Iterable[int], contacts: int = 3) -> dict[int, dt.date]:
    """The day of the third contact with a social-prescribing link worker."""
    rows = (
        Contact.objects.filter(
            case__organisation_id__in=list(organisations), case__kind=CaseKind.SOCIAL_PRESCRIBING
        )
        .order_by("occurred_on", "pk")
        .values_list("case__person_id", "occurred_on")
    )
    seen: dict[int, int] = {}
    out: dict[int, dt.date] = {}
    for person_id, day in rows:
        seen[person_id] = seen.get(person_id, 0) + 1
        if seen[person_id] == contacts:
            out[person_id] = day
    return out


def _adaptation(organisations: Iterable[int]) -> dict[int, dt.date]:
    """The day the works of the first completed adaptation were finished."""
    rows = (
        AdaptationCase.objects.filter(
            organisation_id__in=list(organisations), works_completed_on__isnull=False
        )
        .order_by("works_completed_on", "pk")
        .values_list("person_id", "works_completed_on")
    )
    out: dict[int, dt.date] = {}
    for person_id, day in rows:
        if day is not None:
            out.setdefault(person_id, day)
    return out


INTERVENTIONS: dict[str, Intervention] = {
    i.key: i
    for i in (
        Intervention(
            "hospital_to_home",
            "Helped by Hospital to Home",
            "Start: the day of the first discharge home with the service.",
            _hospital_to_home,
        ),
        Intervention(
            "link_worker_3",
            "Saw a link worker for 3 or more contacts",
            "Start: the day of the third contact with a social-prescribing link worker.",
            _link_worker,
        ),
        Intervention(
            "adaptation_completed",
            "Adaptation completed",
            "Start: the day the adaptation works were completed.",
            _adaptation,
        ),
    )
}


def available(organisations: Iterable[int]) -> list[Intervention]:
    """The interventions with at least one start in these organisations' records."""
    ids = list(organisations)
    return [i for i in INTERVENTIONS.values() if i.starts(ids)]
