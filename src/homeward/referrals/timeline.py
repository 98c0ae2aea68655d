"""What referrals add to a person's timeline and to their subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import TimelineEntry
from homeward.referrals.codes import ReferralStatus
from homeward.referrals.models import Referral
from homeward.referrals.selectors import visible_referrals


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    referrals = visible_referrals(actor).filter(person=person).select_related("to_organisation")
    for referral in referrals.prefetch_related("events"):
        for event in referral.events.all():
            label = ReferralStatus(event.to_status).label if event.to_status else "Updated"
            yield TimelineEntry(
                event.occurred_at,
                f"{referral.reference} to {referral.to_organisation.name}: {label}",
                event.note[:200],
                "referral",
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [
        model_to_dict(referral)
        | {"reference": referral.reference, "timeline": [model_to_dict(e) for e in referral.events.all()]}
        for referral in Referral.objects.filter(person=person)
    ]
