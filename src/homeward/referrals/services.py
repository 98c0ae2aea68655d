"""Writes for referrals: send one, and move it through its life-cycle from the right side.

Each is one transaction, validates its input (errors name the field), writes the referral's timeline and the
audit trail, and goes through the access layer.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import DomainError, NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation, Team
from homeward.core.roles import Permission
from homeward.governance.access import Actor, has_active_agreement, visible_people
from homeward.governance.audit import record_event
from homeward.governance.fields import FIELD_GROUPS, check_field_groups
from homeward.governance.models import AuditAction, ConsentPurpose, ConsentStatus, LawfulBasis, Participation
from homeward.governance.services import check_sharing_basis, end_participations, record_sharing_consent
from homeward.referrals.codes import (
    COMPLETED_OUTCOMES,
    FAILED_OUTCOMES,
    Outcome,
    ReferralStatus,
    ServiceKind,
    Urgency,
)
from homeward.referrals.directory import has_room
from homeward.referrals.lifecycle import LIFECYCLE, MOVED_BY, OPEN_STATUSES, RECEIVER, REFERRER
from homeward.referrals.models import Referral, ReferralEvent, ReferralMessage, Service
from homeward.referrals.selectors import CASE_TYPE, visible_referrals
from homeward.referrals.sources import resolve_source


class StaleVersion(DomainError):
    """The caller changed a referral from a version that is no longer the current one."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"The referral is at version {current}, not {expected}; read it again and retry")
        self.expected, self.current = expected, current


def referral_version(referral: Referral) -> int:
    """A referral's version: how many events (sending, then each move) it has had."""
    return max(1, referral.events.count())


def _event(referral: Referral, actor: Actor, from_status: str, to_status: str, note: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        from_status=from_status,
        to_status=to_status,
        note=note[:2000],
    )


@transaction.atomic
def send_referral(
    *,
    actor: Actor,
    person_id: int,
    to_organisation_id: int,
    service_kind: str,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    to_team_id: int | None = None,
    source_type: str = "",
    source_id: int | None = None,
    consent_status: str = ConsentStatus.GIVEN,
    lawful_basis: str = LawfulBasis.CONSENT,
    service_id: str | None = None,
    shared_fields: list[str] | None = None,
) -> Referral:
    """Refer a person to another organisation, or to one of its services in the directory.

    The receiver sees the person's name, the need, and only the parts of the record in `shared_fields`
    (None: every part), while the referral's data-sharing agreement is in force."""
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    service = None
    if service_id:
        service = Service.objects.select_related("organisation").filter(pk=service_id).first()
        if service is None:
            raise ValidationFailed.single("service_id", "No service in the directory with that id")
        provider = service.organisation.organisation_id if service.organisation else None
        if not service.accepts_referrals or provider is None:
            errors["service_id"] = (
                f"{service.name} does not take referrals through Homeward; contact it directly"
            )
        elif not has_room(service) and urgency != Urgency.URGENT:
            errors["service_id"] = (
                f"{service.name} is full this week ({service.capacity} referrals); choose another"
            )
        to_organisation_id = provider or 0
    groups = list(FIELD_GROUPS) if shared_fields is None else list(dict.fromkeys(shared_fields))
    check_field_groups(errors, "shared_fields", groups)
    receiver = Organisation.objects.filter(pk=to_organisation_id).first()
    # A service's provider is the receiver, so its problems are the service's.
    receiver_field = "service_id" if service is not None else "to_organisation_id"
    if receiver_field in errors:
        pass  # already said why (the service takes no referrals, or is full)
    elif receiver is None:
        errors[receiver_field] = "No organisation with that id"
    elif receiver.pk == actor.organisation_id:
        errors[receiver_field] = "Refer to another organisation; use a task for your own team"
    elif not has_active_agreement(actor.organisation_id, receiver.pk):
        errors[receiver_field] = f"There is no data-sharing agreement in force with {receiver.name}"
    team = None
    if to_team_id is not None:
        team = Team.objects.filter(pk=to_team_id, organisation_id=to_organisation_id).first()
        if team is None:
            errors["to_team_id"] = "That team is not part of the receiving organisation"
    check_choice(errors, "service_kind", service_kind, ServiceKind)
    check_choice(errors, "urgency", urgency, Urgency)
    if not reason.strip():
        errors["reason"] = "Say what the person needs from the service"
    elif len(reason) > 2000:
        errors["reason"] = "Reason must be 2000 characters or fewer"
    check_sharing_basis(errors, consent_status, lawful_basis)
    if source_type or source_id is not None:
        source = resolve_source(actor, source_type, source_id)
        if source is None or source.person_id != person.pk:
            errors["source_id"] = "No case of yours about this person with that id"
    if errors:
        raise ValidationFailed(errors)
    assert receiver is not None
    now = timezone.now()
    referral = Referral.objects.create(
        person=person,
        from_organisation_id=actor.organisation_id,
        referred_by=actor.user,
        to_organisation=receiver,
        to_team=team,
        service_kind=service_kind,
        reason=reason.strip(),
        urgency=urgency,
        source_type=source_type,
        source_id=source_id,
        status=ReferralStatus.REQUESTED,
        requested_at=now,
        service=service,
        shared_fields=groups,
    )
    Participation.objects.create(
        person=person,
        owner_id=actor.organisation_id,
        organisation=receiver,
        case_type=CASE_TYPE,
        case_id=referral.pk,
        reason=f"Referral to {service.name if service else ServiceKind(service_kind).label}",
        started_at=now,
        # Every group shared is the whole record; store that as "no limit" so search treats it so.
        fields=[] if set(groups) == set(FIELD_GROUPS) else groups,
    )
    record_sharing_consent(
        actor=actor,
        person_id=person.pk,
        purpose=ConsentPurpose.REFERRAL,
        consent_status=consent_status,
        lawful_basis=lawful_basis,
        note=f"Recorded at referral {referral.reference}",
    )
    _event(referral, actor, "", ReferralStatus.REQUESTED, reason.strip())
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Send a referral",
        obj=referral,
        person_id=person.pk,
        detail={
            "to_organisation_id": receiver.pk,
            "service_kind": service_kind,
            "service_id": str(service.pk) if service else "",
            "shared_fields": groups,
            "source": source_type,
        },
    )
    return referral


def side_of(actor: Actor, referral: Referral) -> str:
    return RECEIVER if referral.to_organisation_id == actor.organisation_id else REFERRER


def allowed_moves(actor: Actor, referral: Referral) -> list[str]:
    """The moves this actor may make now: right status, right side, right role."""
    side = side_of(actor, referral)
    if side == REFERRER and referral.from_organisation_id != actor.organisation_id:
        return []
    permission = Permission.RESPOND_REFERRAL if side == RECEIVER else Permission.EDIT_PERSON
    if not actor.can(permission):
        return []
    return [s for s in LIFECYCLE.allowed_from(referral.status) if MOVED_BY.get(s) == side]


@transaction.atomic
def move_referral(
    *,
    actor: Actor,
    referral_id: int,
    to_status: str,
    reason: str = "",
    outcome: str = "",
    outcome_note: str = "",
) -> Referral:
    """Accept, reject, start, hold, complete, fail, cancel or correct a referral.

    Rejecting, holding and cancelling need a reason; completing and failing need an outcome.
    """
    referral = visible_referrals(actor).select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("No referral with that id")
    if to_status not in ReferralStatus.values:
        raise ValidationFailed.single("to_status", f"'{to_status}' is not a referral status")
    LIFECYCLE.check(referral.status, to_status)
    side = MOVED_BY.get(to_status)
    if to_status not in allowed_moves(actor, referral):
        who = "the receiving organisation" if side == RECEIVER else "the referring organisation"
        raise NotAllowed(f"Only {who} can move a referral to '{ReferralStatus(to_status).label}'")
    errors: dict[str, str] = {}
    needs_reason = (ReferralStatus.REJECTED, ReferralStatus.ON_HOLD, ReferralStatus.CANCELLED)
    if to_status in needs_reason and not reason.strip():
        errors["reason"] = "Give a reason the other organisation can act on"
    if len(reason) > 500:
        errors["reason"] = "Reason must be 500 characters or fewer"
    if to_status in (ReferralStatus.COMPLETED, ReferralStatus.FAILED):
        fitting = COMPLETED_OUTCOMES if to_status == ReferralStatus.COMPLETED else FAILED_OUTCOMES
        if outcome not in Outcome.values:
            errors["outcome"] = "Choose what came of the referral"
        elif outcome not in fitting:
            labels = ", ".join(Outcome(o).label.lower() for o in fitting)
            errors["outcome"] = f"A {to_status} referral's outcome is one of: {labels}"
    elif outcome:
        errors["outcome"] = "An outcome is recorded only when the referral is completed or failed"
    if len(outcome_note) > 2000:
        errors["outcome_note"] = "Note must be 2000 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    old, now = referral.status, timezone.now()
    referral.status = to_status
    if to_status in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED):
        referral.answered_at = now
    if to_status not in OPEN_STATUSES and referral.closed_at is None:
        referral.closed_at = now
    if reason.strip():
        referral.status_reason = reason.strip()
    if outcome:
        referral.outcome, referral.outcome_note = outcome, outcome_note.strip()
    referral.save()
    if to_status in (ReferralStatus.REJECTED, ReferralStatus.CANCELLED, ReferralStatus.ENTERED_IN_ERROR):
        end_participations(
            actor=actor, case_type=CASE_TYPE, case_id=referral.pk, retain=False, reason=to_status
        )
    elif to_status in (ReferralStatus.COMPLETED, ReferralStatus.FAILED):
        end_participations(
            actor=actor, case_type=CASE_TYPE, case_id=referral.pk, retain=True, reason=to_status
        )
    note = reason.strip() or (f"{Outcome(outcome).label}. {outcome_note.strip()}".strip() if outcome else "")
    _event(referral, actor, old, to_status, note)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Move a referral",
        obj=referral,
        person_id=referral.person_id,
        detail={"to_status": to_status, "outcome": outcome},
    )
    return referral


@transaction.atomic
def move_referral_from_version(
    *,
    actor: Actor,
    referral_id: int,
    expected_version: int | None,
    to_status: str,
    reason: str = "",
    outcome: str = "",
    outcome_note: str = "",
) -> Referral:
    """move_referral, refused (StaleVersion) unless the referral is still at `expected_version` (None: any);
    the version is read under the row lock the move then holds, so two updates cannot both pass."""
    locked = visible_referrals(actor).select_for_update().filter(pk=referral_id).first()
    if locked is None:
        raise NotFound("No referral with that id")
    if expected_version is not None and expected_version != referral_version(locked):
        raise StaleVersion(expected_version, referral_version(locked))
    return move_referral(
        actor=actor,
        referral_id=referral_id,
        to_status=to_status,
        reason=reason,
        outcome=outcome,
        outcome_note=outcome_note,
    )


@transaction.atomic
def post_message(*, actor: Actor, referral_id: int, body: str) -> ReferralMessage:
    """Add to a referral's thread: either organisation, while it can see the referral."""
    actor.require(Permission.VIEW_PERSON)
    referral = visible_referrals(actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound("No referral with that id")
    if actor.organisation_id not in (referral.from_organisation_id, referral.to_organisation_id):
        raise NotAllowed("Only the referring and receiving organisations write on a referral's thread")
    if not body.strip():
        raise ValidationFailed.single("body", "Write a message")
    if len(body) > 2000:
        raise ValidationFailed.single("body", "Message must be 2000 characters or fewer")
    message = ReferralMessage.objects.create(
        referral=referral,
        sent_at=timezone.now(),
        author=actor.user,
        organisation_id=actor.organisation_id,
        body=body.strip(),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Message on a referral",
        obj=referral,
        person_id=referral.person_id,
        detail={"message_id": message.pk},
    )
    return message
