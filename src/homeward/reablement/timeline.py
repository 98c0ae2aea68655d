"""What reablement adds to a person's timeline, their open work and their subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import OpenItem, TimelineEntry
from homeward.reablement.models import Referral
from homeward.reablement.selectors import visible_referrals, visible_stays
from homeward.referrals.sources import Source


def referral_url(referral: Referral) -> str:
    return reverse("reablement:referral", args=[referral.pk])


def referral_source(actor: Actor, stay_id: int) -> Source | None:
    """A reablement stay that an onward referral (support arranged for going home) comes from, if the actor
    may see it."""
    stay = visible_stays(actor).filter(pk=stay_id).values("pk", "referral_id", "referral__person_id").first()
    if stay is None:
        return None
    label = f"RBL-{stay['referral_id']:06d} (reablement stay)"
    return Source(label, reverse("reablement:stay", args=[stay_id]), stay["referral__person_id"])


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for referral in visible_referrals(actor).filter(person=person).prefetch_related("events"):
        url = referral_url(referral)
        for event in referral.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{referral.reference}: {event.title}", event.note[:200], "reablement", url
            )


def open_work(actor: Any, person: Any) -> list[OpenItem]:
    """Referrals waiting and stays still in a unit (or awaiting their 91-day follow-up)."""
    referrals = (
        visible_referrals(actor)
        .filter(person_id=person.pk)
        .exclude(status__in=("declined", "withdrawn"))
        .exclude(stay__status="followed_up")
        .select_related("unit")
        .order_by("-referred_at")
    )
    return [
        OpenItem(
            "reablement",
            f"Reablement {r.reference} ({r.unit.name}: {r.get_status_display()})",
            referral_url(r),
        )
        for r in referrals[:5]
    ]


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    out = []
    for referral in Referral.objects.filter(person=person).select_related("stay"):
        entry = model_to_dict(referral) | {
            "reference": referral.reference,
            "timeline": [model_to_dict(e) for e in referral.events.all()],
        }
        stay = getattr(referral, "stay", None)
        if stay is not None:
            entry["stay"] = model_to_dict(stay) | {
                "beds": [model_to_dict(o) for o in stay.occupancies.all()],
                "goals": [model_to_dict(g) for g in stay.goals.all()],
                "reviews": [model_to_dict(r) for r in stay.reviews.all()],
                "blockers": [model_to_dict(b) for b in stay.blockers.all()],
                "actions": [model_to_dict(a) for a in stay.actions.all()],
                "days": [model_to_dict(d) for d in stay.days.all()],
                "notes": [model_to_dict(n) for n in stay.notes.all()],
                "scores": [model_to_dict(s) for s in stay.scores.all()],
            }
        out.append(entry)
    return out
