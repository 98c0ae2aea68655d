"""The co-located team on a case: the holder brings in other organisations (the county's occupational
therapists, a home improvement agency), each seeing the case only under an agreement in force."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase
from homeward.adaptations.selectors import CASE_TYPE
from homeward.adaptations.services import case_event, check_text, locked_case
from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation, User
from homeward.governance.access import Actor, has_active_agreement
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, Participation


@transaction.atomic
def add_participant(*, actor: Actor, case_id: int, organisation_id: int, reason: str) -> Participation:
    """Bring another organisation (the county's OT service, a home improvement agency) into the case. It
    sees the case and the person only while an agreement with the holder is in force."""
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    other = Organisation.objects.filter(pk=organisation_id).first()
    if case.organisation_id != actor.organisation_id:
        errors["organisation_id"] = "Only the organisation holding the case brings others into it"
    elif other is None:
        errors["organisation_id"] = "No organisation with that id"
    elif other.pk == case.organisation_id:
        errors["organisation_id"] = "Your organisation already holds the case"
    elif not has_active_agreement(case.organisation_id, other.pk):
        errors["organisation_id"] = f"There is no data-sharing agreement in force with {other.name}"
    elif Participation.objects.filter(
        case_type=CASE_TYPE, case_id=case.pk, organisation=other, ended_at__isnull=True
    ).exists():
        errors["organisation_id"] = f"{other.name} already takes part in this case"
    check_text(errors, "reason", reason, 200, required="Say what the organisation does on the case")
    if not case.is_open:
        errors["organisation_id"] = "The case is no longer open"
    if errors:
        raise ValidationFailed(errors)
    assert other is not None
    participation = Participation.objects.create(
        person_id=case.person_id,
        owner_id=case.organisation_id,
        organisation=other,
        case_type=CASE_TYPE,
        case_id=case.pk,
        reason=reason.strip(),
        started_at=timezone.now(),
    )
    case_event(case, actor, f"{other.name} joined the case", reason.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Share an adaptations case",
        obj=case,
        person_id=case.person_id,
        detail={"organisation_id": other.pk},
    )
    return participation


@transaction.atomic
def assign_case(*, actor: Actor, case_id: int, user_id: int | None) -> AdaptationCase:
    """Give the case to someone at the holding organisation (or back to its team with None)."""
    case = locked_case(actor, case_id)
    if case.organisation_id != actor.organisation_id:
        raise ValidationFailed.single("user_id", "Only the organisation holding the case assigns it")
    worker = None
    if user_id is not None:
        worker = User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__organisation_id=case.organisation_id,
            memberships__is_active=True,
        ).first()
        if worker is None:
            raise ValidationFailed.single(
                "user_id", "Choose someone who works for the organisation holding the case"
            )
    if case.assigned_to_id != user_id:
        case.assigned_to = worker
        case.save(update_fields=["assigned_to"])
        case_event(case, actor, f"Assigned to {worker.display_name}" if worker else "Unassigned")
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Assign an adaptations case",
            obj=case,
            person_id=case.person_id,
            detail={"assigned_to": user_id},
        )
    return case
