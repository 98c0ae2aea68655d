"""What supported housing adds to a person's timeline, their open work and their subject access export,
and how a referral finds the placement it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.housing.lifecycle import OPEN_STATUSES
from homeward.housing.models import Placement
from homeward.housing.selectors import visible_placements
from homeward.people.timeline import OpenItem, TimelineEntry
from homeward.referrals.sources import Source


def referral_source(actor: Actor, case_id: int) -> Source | None:
    placement = visible_placements(actor).filter(pk=case_id).values("pk", "person_id").first()
    if placement is None:
        return None
    return Source(f"SH-{case_id:06d}", reverse("housing:placement", args=[case_id]), placement["person_id"])


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for placement in visible_placements(actor).filter(person=person).prefetch_related("events"):
        url = reverse("housing:placement", args=[placement.pk])
        for event in placement.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{placement.reference}: {event.title}", event.note[:200], "housing", url
            )
    yield from people_place_entries(actor, person)


def people_place_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    """A people and place case: opened (with where it came from) and closed."""
    import datetime as dt

    from django.utils import timezone

    from homeward.housing.codes import PeoplePlaceHelp
    from homeward.housing.selectors import visible_people_place_cases

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))

    for case in visible_people_place_cases(actor).filter(person=person):
        url = reverse("housing:people_place", args=[case.pk])
        came = " from a tenancy-trigger alert" if case.source_type == "prevention.alert" else ""
        helps = ", ".join(PeoplePlaceHelp(h).label.lower() for h in case.help if h in PeoplePlaceHelp.values)
        yield TimelineEntry(
            at(case.opened_on), f"{case.reference}: people and place case opened{came}", helps, "housing", url
        )
        if case.closed_on:
            yield TimelineEntry(
                at(case.closed_on),
                f"{case.reference}: people and place case closed",
                case.get_outcome_display(),
                "housing",
                url,
            )


def open_placements(actor: Any, person: Any) -> list[OpenItem]:
    placements = visible_placements(actor).filter(person_id=person.pk, status__in=OPEN_STATUSES)
    return [
        OpenItem(
            "housing",
            f"Supported housing {p.reference} ({p.get_status_display()})",
            reverse("housing:placement", args=[p.pk]),
        )
        for p in placements.order_by("-opened_at")[:5]
    ]


def open_people_place(actor: Any, person: Any) -> list[OpenItem]:
    from homeward.housing.selectors import visible_people_place_cases

    cases = visible_people_place_cases(actor).filter(person_id=person.pk, closed_on__isnull=True)
    return [
        OpenItem(
            "people_place", f"People and place {c.reference}", reverse("housing:people_place", args=[c.pk])
        )
        for c in cases.order_by("-opened_on")[:5]
    ]


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    from homeward.housing.models import PeoplePlaceCase

    out: list[dict[str, Any]] = [
        model_to_dict(c) | {"reference": c.reference, "kind": "people and place case"}
        for c in PeoplePlaceCase.objects.filter(person=person)
    ]
    for p in Placement.objects.filter(person=person).prefetch_related(
        "events", "occupancies", "goals", "sessions", "reviews", "follow_ups"
    ):
        out.append(
            model_to_dict(p)
            | {
                "reference": p.reference,
                "stays": [model_to_dict(o) for o in p.occupancies.all()],
                "goals": [model_to_dict(g) for g in p.goals.all()],
                "sessions": [model_to_dict(s) for s in p.sessions.all()],
                "reviews": [model_to_dict(r) for r in p.reviews.all()],
                "follow_ups": [model_to_dict(f) for f in p.follow_ups.all()],
                "timeline": [model_to_dict(e) for e in p.events.all()],
            }
        )
    return out


def options_source(actor: Actor, case_id: int) -> Source | None:
    """A "stay or move?" conversation that a referral comes from, if the actor may see it."""
    from homeward.housing.selectors import visible_conversations

    found = visible_conversations(actor).filter(pk=case_id).values("person_id").first()
    if found is None:
        return None
    return Source(f"HO-{case_id:06d}", reverse("housing:options", args=[case_id]), found["person_id"])


def people_place_source(actor: Actor, case_id: int) -> Source | None:
    """A people and place case that a referral comes from, if the actor may see it."""
    from homeward.housing.selectors import visible_people_place_cases

    found = visible_people_place_cases(actor).filter(pk=case_id).values("person_id").first()
    if found is None:
        return None
    return Source(f"PP-{case_id:06d}", reverse("housing:people_place", args=[case_id]), found["person_id"])
