"""In-reach visits and MDT meetings at a home: who came (GP, modern matron, psychiatrist, pharmacist,
therapist), when, the residents seen, notes, and actions with an owner and a due date. One transaction,
errors name the field, audited; only the home's own organisation records them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from homeward.carehomes.codes import VisitRole
from homeward.carehomes.models import Visit, VisitAction
from homeward.carehomes.services import check_day, check_text, own_home
from homeward.core.errors import ValidationFailed, check_choice
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: The most residents one visit may record as seen (a home's size).
MAX_SEEN = 200


@transaction.atomic
def record_visit(
    *,
    actor: Actor,
    home_id: int,
    visited_on: dt.date,
    role: str,
    visitor: str,
    is_mdt: bool = False,
    resident_ids: list[int] | None = None,
    notes: str = "",
    action: str = "",
    action_owner: str = "",
    action_due_on: dt.date | None = None,
) -> Visit:
    """Record a visit (or an MDT meeting) and, optionally, one action from it with its owner and due date."""
    home = own_home(actor, home_id)
    errors: dict[str, str] = {}
    check_day(errors, "visited_on", visited_on, "Date of the visit")
    check_choice(errors, "role", role, VisitRole)
    check_text(errors, "visitor", visitor, 200, required="Name who visited")
    check_text(errors, "notes", notes, 4000)
    ids = list(dict.fromkeys(resident_ids or []))
    if len(ids) > MAX_SEEN:
        errors["resident_ids"] = f"At most {MAX_SEEN} residents on one visit"
    seen = list(home.residents.filter(pk__in=ids)) if ids else []
    if len(seen) != len(ids) and "resident_ids" not in errors:
        errors["resident_ids"] = "Every resident seen must live in this home"
    check_text(errors, "action", action, 500)
    if action.strip():
        check_text(errors, "action_owner", action_owner, 200, required="Say who owns the action")
        if action_due_on is None:
            errors["action_due_on"] = "Say when the action is due"
        check_day(errors, "action_due_on", action_due_on, "Due date", future=True)
    if errors:
        raise ValidationFailed(errors)
    visit = Visit.objects.create(
        home=home,
        visited_on=visited_on,
        role=role,
        visitor=visitor.strip(),
        is_mdt=is_mdt,
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    visit.residents.set(seen)
    if action.strip() and action_due_on is not None:
        VisitAction.objects.create(
            visit=visit, description=action.strip(), owner=action_owner.strip(), due_on=action_due_on
        )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record an in-reach visit",
        obj=visit,
        detail={"residents": [r.pk for r in seen]},
    )
    return visit
