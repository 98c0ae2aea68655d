"""What support cases add to a person's timeline, to their subject access export, and as the source of
onward referrals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import TimelineEntry, at_midnight
from homeward.referrals.sources import Source
from homeward.support.models import SupportCase
from homeward.support.selectors import visible_cases


def referral_source(actor: Actor, case_id: int) -> Source | None:
    case = visible_cases(actor).filter(pk=case_id).first()
    if case is None:
        return None
    return Source(case.reference, reverse("support:case", args=[case.pk]), case.person_id)


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for case in visible_cases(actor).filter(person=person):
        url = reverse("support:case", args=[case.pk])
        kind = case.get_kind_display()
        yield TimelineEntry(
            at_midnight(case.referred_on),
            f"{case.reference}: referred for {kind.lower()}",
            case.get_route_display(),
            "support",
            url,
        )
        if case.first_contact_on:
            yield TimelineEntry(
                at_midnight(case.first_contact_on), f"{case.reference}: first contact", "", "support", url
            )
        if case.discharged_on:
            yield TimelineEntry(
                at_midnight(case.discharged_on),
                f"{case.reference}: discharged",
                case.get_discharge_reason_display(),
                "support",
                url,
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [
        model_to_dict(case)
        | {
            "reference": case.reference,
            "goals": [model_to_dict(g) for g in case.goals.all()],
            "contacts": [model_to_dict(c) for c in case.contacts.all()],
            "wellbeing": [model_to_dict(m) for m in case.measures.all()],
        }
        for case in SupportCase.objects.filter(person=person)
    ]
