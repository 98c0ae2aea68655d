"""What Hospital to Home adds to a person's timeline and to their subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.core.models import Person
from homeward.discharge.attendances import visible_attendances
from homeward.discharge.codes import NonClinicalNeed
from homeward.discharge.models import Attendance, DischargeCase
from homeward.discharge.selectors import OPEN_STATUSES, visible_cases
from homeward.governance.access import Actor
from homeward.people.timeline import OpenItem, TimelineEntry
from homeward.referrals.sources import Source


def referral_source(actor: Actor, case_id: int) -> Source | None:
    """A Hospital to Home case that an onward referral comes from, if the actor may see it."""
    case = visible_cases(actor).filter(pk=case_id).values("pk", "person_id").first()
    if case is None:
        return None
    return Source(f"H2H-{case_id:06d}", reverse("discharge:case", args=[case_id]), case["person_id"])


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for attendance in visible_attendances(actor).filter(person=person).select_related("hospital"):
        needs = ", ".join(NonClinicalNeed(code).label for code in attendance.needs)
        yield TimelineEntry(
            attendance.arrived_at,
            f"A&E attendance at {attendance.hospital.name}: {attendance.complaint}",
            f"Needs noticed: {needs}" if needs else "",
            "attendance",
        )
    cases = visible_cases(actor).filter(person=person).select_related("hospital").prefetch_related("events")
    for case in cases:
        for event in case.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{case.reference}: {event.title}", event.note[:200], "discharge"
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    return [
        model_to_dict(case)
        | {
            "reference": case.reference,
            "blockers": [model_to_dict(b) for b in case.blockers.all()],
            "follow_ups": [model_to_dict(t) for t in case.follow_ups.all()],
            "timeline": [model_to_dict(e) for e in case.events.all()],
            "screen": model_to_dict(case.screen) if hasattr(case, "screen") else None,
            "trusted_assessments": [model_to_dict(a) for a in case.assessments.all()],
            "delay_reason_overrides": [
                model_to_dict(o) | {"reason": o.reason.text} for o in case.delay_reason_overrides.all()
            ],
        }
        for case in DischargeCase.objects.filter(person=person)
    ] + [model_to_dict(a) | {"kind": "A&E attendance"} for a in Attendance.objects.filter(person=person)]


def open_cases(actor: Any, person: Any) -> list[OpenItem]:
    """The person's open Hospital to Home cases the actor can see, for the person page."""
    cases = visible_cases(actor).filter(person_id=person.pk, status__in=OPEN_STATUSES)
    cases = cases.order_by("-referred_at")
    return [
        OpenItem(
            "hospital_to_home",
            f"Hospital to Home {case.reference} ({case.get_status_display().lower()})",
            reverse("discharge:case", args=[case.pk]),
        )
        for case in cases[:5]
    ]
