"""What healthy-homes visits and Awaab's Law reports add to a person's timeline and subject access export,
and how a referral finds the visit it comes from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.adaptations.healthy_models import AwaabReport, HomeVisit
from homeward.adaptations.healthy_selectors import visible_reports, visible_visits
from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import TimelineEntry
from homeward.referrals.sources import Source


def visit_source(actor: Actor, visit_id: int) -> Source | None:
    """A home visit an onward referral (falls service, warm homes) comes from, if the actor may see it."""
    visit = visible_visits(actor).filter(pk=visit_id).values("pk", "person_id").first()
    if visit is None:
        return None
    return Source(f"HV-{visit_id:06d}", reverse("adaptations:visit", args=[visit_id]), visit["person_id"])


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for visit in visible_visits(actor).filter(person=person).prefetch_related("events"):
        url = reverse("adaptations:visit", args=[visit.pk])
        for event in visit.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{visit.reference}: {event.title}", event.note[:200], "adaptations", url
            )
    for report in visible_reports(actor).filter(person=person).prefetch_related("events"):
        url = reverse("adaptations:awaab", args=[report.pk])
        for event in report.events.all():
            yield TimelineEntry(
                event.occurred_at, f"{report.reference}: {event.title}", event.note[:200], "adaptations", url
            )


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    """Everything held: visits with their hazards, jobs and timeline (photos by size, not their bytes), and
    Awaab's Law reports with their evidence."""
    out: list[dict[str, Any]] = []
    for visit in HomeVisit.objects.filter(person=person):
        out.append(
            model_to_dict(visit)
            | {
                "reference": visit.reference,
                "hazards": [
                    model_to_dict(f)
                    | {"photos": [{"id": p.pk, "width": p.width, "height": p.height} for p in f.photos.all()]}
                    for f in visit.findings.all()
                ],
                "jobs": [model_to_dict(j) for j in visit.jobs.all()],
                "timeline": [model_to_dict(e) for e in visit.events.all()],
            }
        )
    for report in AwaabReport.objects.filter(person=person):
        out.append(
            model_to_dict(report)
            | {
                "reference": report.reference,
                "evidence": [model_to_dict(e) for e in report.evidence.all()],
                "timeline": [model_to_dict(e) for e in report.events.all()],
            }
        )
    return out
