"""What care homes add to a person's timeline (moving in, plans, triage calls, hospital transfers) and to
their subject access export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from homeward.carehomes.models import Resident
from homeward.carehomes.selectors import visible_residents
from homeward.core.models import Person
from homeward.governance.access import Actor
from homeward.people.timeline import TimelineEntry, at_midnight

#: The most entries of each kind one person's timeline reads.
LIMIT = 50


def timeline_entries(actor: Actor, person: Person) -> Iterable[TimelineEntry]:
    for resident in visible_residents(actor).filter(person=person).select_related("home"):
        url = reverse("carehomes:resident", args=[resident.pk])
        yield TimelineEntry(
            at_midnight(resident.admitted_on), f"Moved into {resident.home.name}", "", "carehomes", url
        )
        for plan in resident.care_plans.all()[:LIMIT]:
            yield TimelineEntry(
                at_midnight(plan.agreed_on),
                "Advance care plan agreed",
                f"If unwell: {plan.get_if_unwell_display()}",
                "carehomes",
                url,
            )
        for call in resident.triage_calls.all()[:LIMIT]:
            yield TimelineEntry(
                call.called_at,
                f"Triage call: {call.get_decision_display()}",
                f"{call.get_clinician_role_display()} {call.clinician_name}",
                "carehomes",
                url,
            )
        for transfer in resident.transfers.all()[:LIMIT]:
            title = "Admitted to hospital" if transfer.admitted else "Went to hospital"
            yield TimelineEntry(transfer.left_at, title, transfer.reason[:200], "carehomes", url)


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    out = []
    for resident in Resident.objects.filter(person=person):
        out.append(
            model_to_dict(resident)
            | {
                "occupancies": [model_to_dict(o) for o in resident.occupancies.all()],
                "care_plans": [model_to_dict(p) for p in resident.care_plans.all()],
                "observations": [model_to_dict(o) for o in resident.observations.all()],
                "triage_calls": [model_to_dict(c) for c in resident.triage_calls.all()],
                "transfers": [model_to_dict(t) for t in resident.transfers.all()],
            }
        )
    return out
