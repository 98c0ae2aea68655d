"""Writes for prevention: raise and triage concerns, decide alerts, edit trigger rules.

Each validates its input (errors name the field), is one transaction, and is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Membership, Tenancy
from homeward.core.roles import Permission, Role
from homeward.engines.risk import parse_rules
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.prevention.codes import ALERT_SOURCE, AlertDecision, ConcernCategory, TriageDecision, Urgency
from homeward.prevention.models import Concern, RiskAlert, TriggerRules
from homeward.prevention.selectors import visible_alerts, visible_concerns


@transaction.atomic
def raise_concern(
    *,
    actor: Actor,
    person_id: int,
    category: str,
    seen: str,
    urgency: str = Urgency.ROUTINE,
    tenancy_id: int | None = None,
) -> Concern:
    """A frontline concern; a safeguarding or domestic-abuse concern emails the team leads at once."""
    actor.require(Permission.VIEW_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "category", category, ConcernCategory)
    check_choice(errors, "urgency", urgency, Urgency)
    if not seen.strip():
        errors["seen"] = "Say what you saw or heard, in a sentence"
    elif len(seen) > 1000:
        errors["seen"] = "What you saw must be 1000 characters or fewer"
    tenancy = None
    if tenancy_id is not None:
        tenancy = Tenancy.objects.filter(pk=tenancy_id, person=person).first()
        if tenancy is None:
            errors["tenancy_id"] = "That tenancy is not this person's"
    if errors:
        raise ValidationFailed(errors)
    concern = Concern.objects.create(
        person=person,
        tenancy=tenancy,
        organisation_id=actor.organisation_id,
        raised_by=actor.user,
        raised_at=timezone.now(),
        category=category,
        seen=seen.strip(),
        urgency=urgency,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Raise a frontline concern",
        obj=concern,
        person_id=person.pk,
        detail={"category": category, "urgency": urgency},
    )
    if concern.is_safeguarding:
        concern.safeguarding_alerted_at = timezone.now()
        concern.save(update_fields=["safeguarding_alerted_at"])
        transaction.on_commit(lambda: alert_team_leads(concern))
    return concern


def alert_team_leads(concern: Concern) -> int:
    """Email the organisation's team leads about a safeguarding concern: a link, no personal details."""
    leads = Membership.objects.filter(
        organisation_id=concern.organisation_id, role=Role.TEAM_LEAD, is_active=True, user__is_active=True
    ).exclude(user__email="")
    addresses = sorted({m.user.email for m in leads.select_related("user")})
    if not addresses:
        return 0
    link = settings.HOMEWARD_BASE_URL + reverse("prevention:concerns") + f"#concern-{concern.pk}"
    return send_mail(
        f"Homeward: {concern.get_category_display().lower()} concern raised – act today",
        f"A {concern.get_category_display().lower()} concern ({concern.get_urgency_display().lower()}) was "
        f"raised by {concern.raised_by.display_name} at "
        f"{timezone.localtime(concern.raised_at):%H:%M on %d %b}.\n\n"
        f"Sign in to Homeward to triage it: {link}\n",
        settings.DEFAULT_FROM_EMAIL,
        addresses,
    )


@transaction.atomic
def triage_concern(*, actor: Actor, concern_id: int, decision: str, note: str = "") -> Concern:
    actor.require(Permission.EDIT_PERSON)
    concern = visible_concerns(actor).select_for_update(of=("self",)).filter(pk=concern_id).first()
    if concern is None:
        raise NotFound("No concern with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "decision", decision, TriageDecision)
    if concern.triaged_at is not None:
        errors["decision"] = "This concern has already been triaged"
    if decision == TriageDecision.NO_ACTION and not note.strip():
        errors["note"] = "Say why no action is needed"
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    concern.decision, concern.decision_note = decision, note.strip()
    concern.triaged_by, concern.triaged_at = actor.user, timezone.now()
    concern.save()
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Triage a frontline concern",
        obj=concern,
        person_id=concern.person_id,
        detail={"decision": decision},
    )
    return concern


@transaction.atomic
def decide_alert(
    *, actor: Actor, alert_id: int, decision: str, note: str = "", help: list[str] | None = None
) -> RiskAlert:
    """What the team did about an alert; it feeds precision and time-to-action. Opening a people and place
    case (`help`: what the tenant needs) goes through the housing app's service, linked to the alert; any
    error there names its field and nothing is written."""
    actor.require(Permission.EDIT_PERSON)
    alert = visible_alerts(actor).select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("No alert with that id")
    errors: dict[str, str] = {}
    check_choice(errors, "decision", decision, AlertDecision)
    if alert.decided_on is not None:
        errors["decision"] = "This alert has already been decided"
    if decision in (AlertDecision.NO_ACTION, AlertDecision.FALSE_ALARM) and not note.strip():
        errors["note"] = "Say why, so the rules can learn from it"
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    if decision == AlertDecision.PEOPLE_PLACE:
        if alert.person_id is None:
            errors["decision"] = "This tenancy is not matched to a person, so no case can be opened"
        if not help:
            errors["help"] = "Choose what help the tenant needs"
    if errors:
        raise ValidationFailed(errors)
    alert.decision, alert.decision_note = decision, note.strip()
    alert.decided_by, alert.decided_on = actor.user, timezone.localdate()
    alert.save()
    if decision == AlertDecision.PEOPLE_PLACE:
        from homeward.housing.services import open_people_place_case

        assert alert.person_id is not None and help
        open_people_place_case(
            actor=actor,
            person_id=alert.person_id,
            help=help,
            note=note,
            source_type=ALERT_SOURCE,
            source_id=alert.pk,
            on=alert.decided_on,
        )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Decide a tenancy-trigger alert",
        obj=alert,
        person_id=alert.person_id,
        detail={"decision": decision},
    )
    return alert


@transaction.atomic
def save_rules(*, actor: Actor, text: str, threshold: float) -> TriggerRules:
    """Replace the organisation's trigger rules; they are checked by the engine before anything is saved."""
    actor.require(Permission.VIEW_PSEUDONYMISED)  # team leads: they own the service's rules
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    try:
        parse_rules(text)
    except ValueError as exc:
        errors["text"] = " ".join(str(exc).split())[:500] or "The rules are not valid"
    if not 1 <= threshold <= 1000:
        errors["threshold"] = "The alert threshold is a number of points from 1 to 1000"
    if errors:
        raise ValidationFailed(errors)
    rules, _ = TriggerRules.objects.update_or_create(
        organisation_id=actor.organisation_id,
        defaults={
            "text": text,
            "threshold": threshold,
            "updated_by": actor.user,
            "updated_at": timezone.now(),
        },
    )
    record_event(actor=actor, action=AuditAction.UPDATE, purpose="Edit trigger rules", obj=rules)
    return rules
