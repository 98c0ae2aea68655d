"""Going home from the unit: what is arranged (adaptations through the adaptations module, every other
kind of support through an onward referral of the referral model) and the transition plan.

An adaptation opens an adaptations case with the adaptations module's own service (`open_case`, as
Hospital to Home's fast track does), or links an open case of the person's that the actor can see; other
support is sent with the referral model's `send_referral`, its source this stay ("reablement.stay"), so the
receiver's agreement, consent and what it may see are the referral model's rules. Nothing is copied."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.adaptations import selectors as adaptation_selectors
from homeward.adaptations import services as adaptation_services
from homeward.adaptations.codes import Priority, Source
from homeward.adaptations.models import OPEN_STATUSES
from homeward.core.errors import ValidationFailed, check_choice
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, ConsentStatus, LawfulBasis
from homeward.reablement.codes import ArrangementKind, StayStatus
from homeward.reablement.models import DischargeArrangement, Stay
from homeward.reablement.services import check_text, journey_event, locked_stay
from homeward.referrals import services as referral_services
from homeward.referrals.codes import ServiceKind, Urgency

SOURCE_TYPE = "reablement.stay"


def _still_open(errors: dict[str, str], stay: Stay) -> None:
    """Arrangements are made while the person is in the unit or until the 91-day follow-up is done."""
    if stay.status == StayStatus.FOLLOWED_UP:
        errors["stay"] = "The stay is closed: its 91-day follow-up is done"


def _record(actor: Actor, stay: Stay, arrangement: DischargeArrangement, title: str) -> None:
    journey_event(stay.referral, actor, title, arrangement.description)
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Arrange support for going home from reablement",
        obj=arrangement,
        person_id=stay.referral.person_id,
        detail={
            "kind": arrangement.kind,
            "adaptation_case": arrangement.adaptation_case_id,
            "referral": arrangement.referral_id,
        },
    )


@transaction.atomic
def arrange_adaptation(
    *,
    actor: Actor,
    stay_id: int,
    needs: str,
    tenure: str = "",
    adaptation_case_id: int | None = None,
    address: str = "",
    postcode: str = "",
) -> DischargeArrangement:
    """An adaptation for going home: link the person's open adaptations case `adaptation_case_id`, or open
    one through the adaptations module (urgent while the person is in the unit, since they wait in a bed
    for it; the address defaults to the person's own)."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    _still_open(errors, stay)
    check_text(errors, "needs", needs, 500, required="Say what adaptation the person needs")
    person_id = stay.referral.person_id
    case = None
    if adaptation_case_id is not None:
        case = (
            adaptation_selectors.cases_of_person(actor, person_id)
            .filter(pk=adaptation_case_id, status__in=OPEN_STATUSES)
            .first()
        )
        if case is None:
            errors["adaptation_case_id"] = "No open adaptations case of this person's with that number"
        elif DischargeArrangement.objects.filter(stay=stay, adaptation_case=case).exists():
            errors["adaptation_case_id"] = f"{case.reference} is already linked to this stay"
    elif not tenure:
        errors["tenure"] = "Choose the person's tenure, for the adaptations case"
    if errors:
        raise ValidationFailed(errors)
    if case is None:
        in_unit = stay.status == StayStatus.IN_UNIT
        case = adaptation_services.open_case(
            actor=actor,
            person_id=person_id,
            source=Source.REABLEMENT,
            tenure=tenure,
            needs=needs,
            enquiry_received_on=timezone.localdate(),
            address=address,
            postcode=postcode,
            priority=Priority.URGENT if in_unit else Priority.STANDARD,
            priority_reason=f"Waiting in reablement ({stay.unit.name}, {stay.referral.reference}) to go home"
            if in_unit
            else "",
        )
        title = f"Adaptations case {case.reference} opened for going home"
    else:
        title = f"Adaptations case {case.reference} linked for going home"
    arrangement = DischargeArrangement.objects.create(
        stay=stay,
        kind=ArrangementKind.ADAPTATION,
        description=needs.strip(),
        adaptation_case=case,
        arranged_by=actor.user,
        arranged_at=timezone.now(),
    )
    _record(actor, stay, arrangement, title)
    return arrangement


@transaction.atomic
def arrange_support(
    *,
    actor: Actor,
    stay_id: int,
    kind: str,
    description: str,
    to_organisation_id: int | None,
    service_kind: str = ServiceKind.OTHER,
    starts_on: dt.date | None = None,
    urgency: str = Urgency.ROUTINE,
    consent_status: str = ConsentStatus.GIVEN,
    lawful_basis: str = LawfulBasis.CONSENT,
) -> DischargeArrangement:
    """Support other than an adaptation (a care package, equipment, therapy, voluntary sector): an onward
    referral to the organisation that provides it, through the referral model, with this stay as its
    source."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    _still_open(errors, stay)
    check_choice(errors, "kind", kind, ArrangementKind)
    if kind == ArrangementKind.ADAPTATION:
        errors["kind"] = "An adaptation goes through the adaptations module: use 'Arrange an adaptation'"
    check_text(errors, "description", description, 500, required="Say what is arranged")
    if to_organisation_id is None:
        errors["to_organisation_id"] = "Choose the organisation that provides it"
    if starts_on is not None and starts_on < timezone.localdate(stay.admitted_at):
        errors["starts_on"] = "The support cannot start before the admission"
    if errors:
        raise ValidationFailed(errors)
    assert to_organisation_id is not None
    label = ArrangementKind(kind).label
    try:
        referral = referral_services.send_referral(
            actor=actor,
            person_id=stay.referral.person_id,
            to_organisation_id=to_organisation_id,
            service_kind=service_kind,
            reason=f"{label} for going home from reablement: {description.strip()}"[:2000],
            urgency=urgency,
            source_type=SOURCE_TYPE,
            source_id=stay.pk,
            consent_status=consent_status,
            lawful_basis=lawful_basis,
        )
    except ValidationFailed as exc:  # the referral's own checks, named as this arrangement's fields
        raise ValidationFailed(
            {("description" if field == "reason" else field): text for field, text in exc.errors.items()}
        ) from exc
    arrangement = DischargeArrangement.objects.create(
        stay=stay,
        kind=kind,
        description=description.strip(),
        referral=referral,
        starts_on=starts_on,
        arranged_by=actor.user,
        arranged_at=timezone.now(),
    )
    _record(actor, stay, arrangement, f"{label} arranged: referral {referral.reference}")
    return arrangement


@transaction.atomic
def set_transition_plan(
    *, actor: Actor, stay_id: int, plan: str, first_contact_on: dt.date | None = None
) -> Stay:
    """The transition plan: how the move home is handed over, and the first visit or call at home."""
    stay = locked_stay(actor, stay_id)
    errors: dict[str, str] = {}
    _still_open(errors, stay)
    check_text(errors, "plan", plan, 2000, required="Write the transition plan")
    if first_contact_on is not None and first_contact_on < timezone.localdate(stay.admitted_at):
        errors["first_contact_on"] = "The first contact at home cannot be before the admission"
    if errors:
        raise ValidationFailed(errors)
    stay.transition_plan = plan.strip()
    stay.first_contact_on = first_contact_on
    stay.save(update_fields=["transition_plan", "first_contact_on"])
    journey_event(stay.referral, actor, "Transition plan written", plan.strip()[:500])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Write the transition plan from reablement",
        obj=stay,
        person_id=stay.referral.person_id,
    )
    return stay
