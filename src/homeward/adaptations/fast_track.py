"""Hospital fast track: a Hospital to Home blocker "awaiting equipment or adaptations" opens an urgent
adaptations case linked to it; the blocker shows the case's stage, and the works' completion resolves it.

Reaches Hospital to Home only through its selectors, services and models."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from homeward.adaptations import services
from homeward.adaptations.codes import Priority, Source
from homeward.adaptations.models import OPEN_STATUSES, AdaptationCase
from homeward.core.errors import NotFound, ValidationFailed
from homeward.discharge import selectors as discharge_selectors
from homeward.discharge import services as discharge_services
from homeward.discharge.codes import BlockerCategory
from homeward.discharge.models import Blocker
from homeward.governance.access import Actor


def fast_track_blocker(actor: Actor, blocker_id: int) -> Blocker:
    """The blocker, if the actor can see its Hospital to Home case; NotFound otherwise."""
    blocker = (
        Blocker.objects.select_related("case", "case__person")
        .filter(pk=blocker_id, case__in=discharge_selectors.visible_cases(actor))
        .first()
    )
    if blocker is None:
        raise NotFound("No blocker with that id")
    return blocker


@transaction.atomic
def open_fast_track(
    *, actor: Actor, blocker_id: int, tenure: str, needs: str, address: str = "", postcode: str = ""
) -> AdaptationCase:
    """Open an urgent adaptations case for a patient waiting in hospital, linked to the blocker that holds
    them there, with the discharge-ready date as the reason; the hospital case's timeline says so."""
    blocker = fast_track_blocker(actor, blocker_id)
    errors: dict[str, str] = {}
    if blocker.category != BlockerCategory.EQUIPMENT:
        errors["blocker"] = "Only a blocker awaiting equipment or adaptations opens a fast-track case"
    elif blocker.resolved_on is not None:
        errors["blocker"] = "This blocker is already resolved"
    elif AdaptationCase.objects.filter(discharge_blocker=blocker, status__in=OPEN_STATUSES).exists():
        errors["blocker"] = "This blocker already has an open fast-track adaptations case"
    if errors:
        raise ValidationFailed(errors)
    hospital_case = blocker.case
    ready = hospital_case.discharge_ready_on
    reason = f"Waiting in hospital ({hospital_case.reference})" + (
        f", discharge-ready since {ready:%-d %b %Y}" if ready else ""
    )
    case = services.open_case(
        actor=actor,
        person_id=hospital_case.person_id,
        source=Source.H2H_BLOCKER,
        tenure=tenure,
        needs=needs,
        enquiry_received_on=timezone.localdate(),
        address=address,
        postcode=postcode,
        priority=Priority.URGENT,
        priority_reason=reason,
        discharge_blocker_id=blocker.pk,
    )
    discharge_services.case_event(
        hospital_case, actor, f"Fast-track adaptations case {case.reference} opened", needs.strip()
    )
    return case
