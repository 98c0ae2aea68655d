"""A person's timeline, built from entries that each module contributes.

Modules call `register_provider(fn)` in their AppConfig.ready(); fn(actor, person) returns entries the
actor may see. The core contributes the record's creation, tenancies, consent and sharing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    title: str
    detail: str = ""
    kind: str = "record"
    url: str = ""


Provider = Callable[[Any, Any], Iterable[TimelineEntry]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def at_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def core_entries(actor: Any, person: Any) -> Iterable[TimelineEntry]:
    yield TimelineEntry(person.created_at, "Record created", f"Held by {person.organisation}", "record")
    for tenancy in person.tenancies.select_related("property"):
        yield TimelineEntry(
            at_midnight(tenancy.start_date),
            "Tenancy started",
            f"{tenancy.get_tenure_display()}, {tenancy.property}",
            "housing",
        )
        if tenancy.end_date:
            yield TimelineEntry(
                at_midnight(tenancy.end_date), "Tenancy ended", str(tenancy.property), "housing"
            )
    for consent in person.consents.all():
        yield TimelineEntry(
            consent.recorded_at,
            f"Consent {consent.get_status_display().lower()}",
            consent.get_purpose_display(),
            "consent",
        )
        if consent.withdrawn_at:
            yield TimelineEntry(
                consent.withdrawn_at, "Consent withdrawn", consent.withdrawal_reason, "consent"
            )
    for correction in person.corrections.select_related("organisation"):
        if (
            person.organisation_id != actor.organisation_id
            and correction.organisation_id != actor.organisation_id
        ):
            continue
        fields = ", ".join(sorted(correction.changes))
        yield TimelineEntry(
            correction.proposed_at, f"Correction proposed by {correction.organisation}", fields, "record"
        )
        if correction.decided_at:
            yield TimelineEntry(
                correction.decided_at,
                f"Correction from {correction.organisation} {correction.status}",
                correction.decision_note,
                "record",
            )
    for share in person.participations.select_related("organisation"):
        yield TimelineEntry(share.started_at, f"Shared with {share.organisation}", share.reason, "sharing")


def timeline_for(actor: Any, person: Any) -> list[TimelineEntry]:
    """Newest first. `person` must already have come through the access layer."""
    entries: list[TimelineEntry] = list(core_entries(actor, person))
    for provider in _PROVIDERS:
        entries.extend(provider(actor, person))
    return sorted(entries, key=lambda e: e.when, reverse=True)


# What is open for a person right now, contributed by each module like the timeline: fn(actor, person)
# returns the open items the actor may see, so the person page links to them instead of offering to start
# the same work again.


@dataclass(frozen=True)
class OpenItem:
    kind: str  # e.g. "hospital_to_home": the page hides its "start" action while one is open
    label: str  # e.g. "H2H-000021 (discharge-ready)"
    url: str


OpenWorkProvider = Callable[[Any, Any], Iterable[OpenItem]]
_OPEN_WORK: list[OpenWorkProvider] = []


def register_open_work(provider: OpenWorkProvider) -> None:
    if provider not in _OPEN_WORK:
        _OPEN_WORK.append(provider)


def open_work_for(actor: Any, person: Any) -> list[OpenItem]:
    return [item for provider in _OPEN_WORK for item in provider(actor, person)]


# Which other organisations also hold a record of this person (names only, never their records), from
# person linkage under an agreement that allows it, and whether each is working with the person now (an open
# case or referral of its own): fn(actor, person) -> KnownElsewhere entries (or bare organisation names).


@dataclass(frozen=True)
class KnownElsewhere:
    organisation: str
    working_now: bool = False


KnownElsewhereProvider = Callable[[Any, Any], Iterable["str | KnownElsewhere"]]
_KNOWN_ELSEWHERE: list[KnownElsewhereProvider] = []


def register_known_elsewhere(provider: KnownElsewhereProvider) -> None:
    if provider not in _KNOWN_ELSEWHERE:
        _KNOWN_ELSEWHERE.append(provider)


def known_elsewhere_for(actor: Any, person: Any) -> list[KnownElsewhere]:
    """One entry per organisation, by name; working now if any provider says so."""
    working: dict[str, bool] = {}
    for provider in _KNOWN_ELSEWHERE:
        for entry in provider(actor, person):
            known = entry if isinstance(entry, KnownElsewhere) else KnownElsewhere(entry)
            working[known.organisation] = working.get(known.organisation, False) or known.working_now
    return [KnownElsewhere(name, working[name]) for name in sorted(working)]
