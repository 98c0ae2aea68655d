"""Writes for a supported-housing placement from referral to arrival: refer, check eligibility and risk,
offer a unit, accept or decline, arrive (the first stay interval), withdraw.

Each is one transaction, validates its input (errors name the field), writes the placement timeline and
the audit trail, and goes through the access layer; a refusal writes nothing. Key work is in
`keywork.py`, departures and follow-ups in `moveon.py`, schemes and units in `schemes.py`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Membership, Organisation
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor, has_active_agreement, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, Participation
from homeward.housing.codes import (
    DeclineReason,
    Occupation,
    PlacementSource,
    PlacementStatus,
    RiskLevel,
    UnitStatus,
)
from homeward.housing.lifecycle import LIFECYCLE
from homeward.housing.models import Occupancy, PeoplePlaceCase, Placement, PlacementEvent, Scheme, Unit
from homeward.housing.occupancy import check_free
from homeward.housing.schemes import check_text
from homeward.housing.selectors import CASE_TYPE, visible_placements

S = PlacementStatus


def placement_event(
    placement: Placement, actor: Actor, title: str, note: str = "", old: str = "", new: str = ""
) -> None:
    PlacementEvent.objects.create(
        placement=placement,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title[:200],
        note=note[:2000],
        from_status=old,
        to_status=new,
    )


def audit(
    actor: Actor, placement: Placement, purpose: str, action: str = AuditAction.UPDATE, **detail: object
) -> None:
    record_event(
        actor=actor,
        action=action,
        purpose=purpose,
        obj=placement,
        person_id=placement.person_id,
        detail=detail,
    )


def locked_placement(actor: Actor, placement_id: int) -> Placement:
    """The placement, locked for update, if the actor's organisation holds it and may change records (a
    partner taking part sees it but never writes the holder's record)."""
    actor.require(Permission.EDIT_PERSON)
    placement = (
        visible_placements(actor).select_for_update().filter(pk=placement_id).select_related("scheme").first()
    )
    if placement is None:
        raise NotFound("No supported housing placement with that id")
    if placement.organisation_id != actor.organisation_id:
        raise NotFound("No supported housing placement with that id held by your organisation")
    return placement


def check_day(
    errors: dict[str, str],
    field: str,
    value: dt.date | None,
    *,
    label: str,
    after: dt.date | None = None,
    after_label: str = "",
) -> None:
    """A date that is given, not in the future, plausible, and not before `after`."""
    if value is None:
        errors[field] = f"Enter the {label.lower()}"
        return
    if value > timezone.localdate():
        errors[field] = f"{label} cannot be in the future"
    elif after is not None and value < after:
        errors[field] = f"{label} cannot be before {after_label} ({after:%-d %b %Y})"
    check_date(errors, field, value, label=label)


def _move(placement: Placement, actor: Actor, target: str, title: str, note: str = "") -> None:
    LIFECYCLE.check(placement.status, target)
    old = placement.status
    placement.status = target
    stamp = LIFECYCLE.stamps.get(target)
    if stamp:
        setattr(placement, stamp, timezone.now())
    placement.save()
    placement_event(placement, actor, title, note, old, target)
    audit(actor, placement, title, from_status=old, to_status=target)


@transaction.atomic
def refer(
    *,
    actor: Actor,
    person_id: int,
    scheme_id: int,
    source: str,
    needs: str,
    referred_on: dt.date | None,
    referrer_organisation_id: int | None = None,
    discharge_case_id: int | None = None,
) -> Placement:
    """Record a referral to one of the organisation's schemes. A hospital referral names the Hospital to
    Home case it continues (the same person; discharged, if at all, to supported housing). A referrer from
    another organisation takes part in the placement, and sees it only while an agreement is in force."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    scheme = Scheme.objects.filter(pk=scheme_id, organisation_id=actor.organisation_id).first()
    errors: dict[str, str] = {}
    if scheme is None:
        errors["scheme_id"] = "Choose one of your organisation's schemes"
    check_choice(errors, "source", source, PlacementSource)
    check_text(errors, "needs", needs, 2000, required="Say what the person needs from the scheme")
    check_day(errors, "referred_on", referred_on, label="Referral date")
    if discharge_case_id is not None:
        _check_discharge_case(errors, actor, discharge_case_id, person.pk, source)
    elif source == PlacementSource.HOSPITAL:
        errors["discharge_case_id"] = "Choose the Hospital to Home case this referral continues"
    if referrer_organisation_id is not None:
        if referrer_organisation_id == actor.organisation_id:
            referrer_organisation_id = None
        elif not Organisation.objects.filter(pk=referrer_organisation_id).exists():
            errors["referrer_organisation_id"] = "No organisation with that id"
        elif not has_active_agreement(actor.organisation_id, referrer_organisation_id):
            errors["referrer_organisation_id"] = (
                "There is no data-sharing agreement in force with that organisation"
            )
    if errors:
        raise ValidationFailed(errors)
    assert referred_on is not None and scheme is not None
    previous = (
        Placement.objects.filter(person=person, organisation_id=actor.organisation_id, status=S.MOVED_ON)
        .order_by("-departed_on", "-pk")
        .first()
    )
    placement = Placement.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        scheme=scheme,
        source=source,
        referrer_organisation_id=referrer_organisation_id,
        discharge_case_id=discharge_case_id,
        previous_placement=previous,
        needs=needs.strip(),
        referred_on=referred_on,
        opened_by=actor.user,
        opened_at=timezone.now(),
    )
    note = needs.strip()
    if previous is not None:
        note += f" (returning: earlier stay {previous.reference})"
    placement_event(
        placement, actor, f"Referred by {PlacementSource(source).label.lower()}", note, "", S.REFERRED
    )
    if referrer_organisation_id is not None:
        Participation.objects.create(
            person=person,
            owner_id=actor.organisation_id,
            organisation_id=referrer_organisation_id,
            case_type=CASE_TYPE,
            case_id=placement.pk,
            reason="Referred the person to supported housing",
            started_at=timezone.now(),
        )
    audit(actor, placement, "Refer to supported housing", AuditAction.CREATE, source=source)
    return placement


def _check_discharge_case(
    errors: dict[str, str], actor: Actor, case_id: int, person_id: int, source: str
) -> None:
    from homeward.discharge.codes import Destination as DischargeDestination
    from homeward.discharge.selectors import visible_cases

    case = visible_cases(actor).filter(pk=case_id).values("person_id", "discharged_on", "destination").first()
    if case is None or case["person_id"] != person_id:
        errors["discharge_case_id"] = "No Hospital to Home case about this person that you can see"
    elif case["discharged_on"] is not None and case["destination"] != DischargeDestination.SUPPORTED:
        errors["discharge_case_id"] = "That patient was discharged somewhere other than supported housing"
    elif source != PlacementSource.HOSPITAL:
        errors["source"] = "A referral that continues a Hospital to Home case comes from hospital discharge"


@transaction.atomic
def assess(
    *,
    actor: Actor,
    placement_id: int,
    eligible: bool,
    on: dt.date | None,
    risk_level: str = "",
    risk_summary: str = "",
    reason: str = "",
) -> Placement:
    """The eligibility and risk check before an offer: eligible with a risk level and summary (the risks to
    the person and to others, and how they will be managed), or not eligible with the reason."""
    placement = locked_placement(actor, placement_id)
    errors: dict[str, str] = {}
    check_day(
        errors, "on", on, label="Date of the check", after=placement.referred_on, after_label="the referral"
    )
    if eligible:
        check_choice(errors, "risk_level", risk_level, RiskLevel)
        check_text(
            errors,
            "risk_summary",
            risk_summary,
            2000,
            required="Summarise the risks and how they will be managed",
        )
    else:
        check_text(errors, "reason", reason, 500, required="Say why the person is not eligible")
    if errors:
        raise ValidationFailed(errors)
    placement.assessed_on = on
    if eligible:
        placement.risk_level, placement.risk_summary = risk_level, risk_summary.strip()
        _move(
            placement,
            actor,
            S.ASSESSED,
            f"Eligible: {RiskLevel(risk_level).label.lower()} risk",
            risk_summary,
        )
    else:
        placement.not_eligible_reason = reason.strip()
        _move(placement, actor, S.NOT_ELIGIBLE, "Not eligible", reason)
    return placement


def _locked_unit(actor: Actor, placement: Placement, unit_id: int | None) -> Unit:
    if unit_id is None:
        raise ValidationFailed.single("unit_id", f"Choose a unit in {placement.scheme.name}")
    unit = Unit.objects.select_for_update().filter(pk=unit_id, scheme_id=placement.scheme_id).first()
    if unit is None:
        raise ValidationFailed.single("unit_id", f"Choose a unit in {placement.scheme.name}")
    return unit


@transaction.atomic
def offer(*, actor: Actor, placement_id: int, unit_id: int | None, on: dt.date | None) -> Placement:
    """Offer the person a unit that is not out of use and is free from the offer date."""
    placement = locked_placement(actor, placement_id)
    LIFECYCLE.check(placement.status, S.OFFERED)
    errors: dict[str, str] = {}
    after = placement.answered_on or placement.assessed_on or placement.referred_on
    check_day(errors, "on", on, label="Offer date", after=after, after_label="the eligibility check")
    if errors:
        raise ValidationFailed(errors)
    unit = _locked_unit(actor, placement, unit_id)
    if unit.status == UnitStatus.OUT_OF_USE:
        raise ValidationFailed.single("unit_id", f"{unit.name} is out of use")
    assert on is not None
    check_free(unit, on)
    placement.offered_unit, placement.offered_on, placement.answered_on, placement.decline_reason = (
        unit,
        on,
        None,
        "",
    )
    _move(placement, actor, S.OFFERED, f"Offered {unit.name}")
    return placement


@transaction.atomic
def answer_offer(
    *,
    actor: Actor,
    placement_id: int,
    accepted: bool,
    on: dt.date | None,
    decline_reason: str = "",
    note: str = "",
) -> Placement:
    placement = locked_placement(actor, placement_id)
    LIFECYCLE.check(placement.status, S.ACCEPTED if accepted else S.DECLINED)
    errors: dict[str, str] = {}
    check_day(
        errors, "on", on, label="Date of the answer", after=placement.offered_on, after_label="the offer"
    )
    if not accepted:
        check_choice(errors, "decline_reason", decline_reason, DeclineReason)
    check_text(errors, "note", note, 500)
    if errors:
        raise ValidationFailed(errors)
    placement.answered_on = on
    if accepted:
        _move(placement, actor, S.ACCEPTED, "Offer accepted", note)
    else:
        placement.decline_reason = decline_reason
        _move(placement, actor, S.DECLINED, f"Offer declined: {DeclineReason(decline_reason).label}", note)
    return placement


@transaction.atomic
def arrive(
    *,
    actor: Actor,
    placement_id: int,
    on: dt.date | None,
    occupation: str,
    key_worker_id: int | None = None,
) -> Placement:
    """The person moves into the unit they accepted: the first stay interval starts, with the licence or
    tenancy they hold, and the key-work case opens in `support` (whose wellbeing measures the stay uses)."""
    from homeward.support.codes import CaseKind, Route
    from homeward.support.services import open_case

    placement = locked_placement(actor, placement_id)
    LIFECYCLE.check(placement.status, S.RESIDENT)
    errors: dict[str, str] = {}
    check_day(errors, "on", on, label="Arrival date", after=placement.offered_on, after_label="the offer")
    check_choice(errors, "occupation", occupation, Occupation)
    check_worker(errors, actor, key_worker_id)
    if errors:
        raise ValidationFailed(errors)
    assert on is not None and placement.offered_unit_id is not None
    unit = _locked_unit(actor, placement, placement.offered_unit_id)
    check_free(unit, on, field="on")
    Occupancy.objects.create(placement=placement, unit=unit, starts_on=on)
    support = open_case(
        actor=actor,
        person_id=placement.person_id,
        kind=CaseKind.KEY_WORKER,
        route=Route.HOSPITAL if placement.source == PlacementSource.HOSPITAL else Route.HOUSING,
        referred_on=placement.referred_on,
        worker_id=key_worker_id,
    )
    placement.arrived_on, placement.occupation, placement.key_worker_id = on, occupation, key_worker_id
    placement.support_case_id = support.pk
    _move(placement, actor, S.RESIDENT, f"Arrived: {unit.name}", Occupation(occupation).label)
    return placement


def check_worker(
    errors: dict[str, str], actor: Actor, worker_id: int | None, field: str = "key_worker_id"
) -> None:
    if worker_id is None:
        return
    if not Membership.objects.filter(
        user_id=worker_id, organisation_id=actor.organisation_id, is_active=True
    ).exists():
        errors[field] = "Choose someone who works for your organisation"


@transaction.atomic
def withdraw(*, actor: Actor, placement_id: int, reason: str) -> Placement:
    placement = locked_placement(actor, placement_id)
    LIFECYCLE.check(placement.status, S.WITHDRAWN)
    errors: dict[str, str] = {}
    check_text(errors, "reason", reason, 500, required="Say why the referral is withdrawn")
    if errors:
        raise ValidationFailed(errors)
    placement.withdrawal_reason = reason.strip()
    _move(placement, actor, S.WITHDRAWN, "Withdrawn", reason)
    return placement


@transaction.atomic
def open_people_place_case(
    *,
    actor: Actor,
    person_id: int,
    help: list[str],
    note: str = "",
    source_type: str = "",
    source_id: int | None = None,
    on: dt.date | None = None,
) -> PeoplePlaceCase:
    """Open a people and place team's light-touch case for a tenant, held by the actor's organisation.
    Another app opens one through here (a prevention alert's decision gives `source_type` "prevention.alert"
    and the alert's id); a source opens at most one case. Errors name the field; nothing is written."""
    from homeward.housing.codes import PeoplePlaceHelp

    actor.require(Permission.EDIT_PERSON)
    if not visible_people(actor).filter(pk=person_id).exists():
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    help = sorted(set(help))
    if not help:
        errors["help"] = "Choose what help the tenant needs"
    elif set(help) - set(PeoplePlaceHelp.values):
        errors["help"] = f"Not known: {', '.join(sorted(set(help) - set(PeoplePlaceHelp.values)))}"
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    if on is not None:
        check_day(errors, "on", on, label="Date opened")
    if (
        source_id is not None
        and PeoplePlaceCase.objects.filter(source_type=source_type, source_id=source_id).exists()
    ):
        errors["source_id"] = "A people and place case is already open from this record"
    if errors:
        raise ValidationFailed(errors)
    case = PeoplePlaceCase.objects.create(
        person_id=person_id,
        organisation_id=actor.organisation_id,
        opened_by=actor.user,
        opened_on=on or timezone.localdate(),
        help=help,
        note=note.strip(),
        source_type=source_type,
        source_id=source_id,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Open a people and place case",
        obj=case,
        person_id=person_id,
        detail={"help": help, "source_type": source_type, "source_id": source_id},
    )
    return case


@transaction.atomic
def close_people_place_case(
    *, actor: Actor, case_id: int, outcome: str, on: dt.date | None, note: str = ""
) -> PeoplePlaceCase:
    """Close a people and place case with its outcome (helped, referred on, declined, no contact), the day
    and what was done. Only the holding organisation, only once, not before the case opened, never in the
    future. Errors name the field; nothing is written."""
    from homeward.housing.codes import PeoplePlaceOutcome
    from homeward.housing.selectors import visible_people_place_cases

    actor.require(Permission.EDIT_PERSON)
    case = visible_people_place_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("No people and place case with that id")
    errors: dict[str, str] = {}
    if case.closed_on is not None:
        errors["outcome"] = f"The case was closed on {case.closed_on:%-d %b %Y}"
    elif outcome not in PeoplePlaceOutcome.values:
        errors["outcome"] = "Choose the outcome"
    check_day(errors, "on", on, label="Date closed", after=case.opened_on, after_label="the case opened")
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    case.outcome, case.closed_on, case.outcome_note = outcome, on, note.strip()
    case.save(update_fields=["outcome", "closed_on", "outcome_note"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Close a people and place case",
        obj=case,
        person_id=case.person_id,
        detail={"outcome": outcome},
    )
    return case


def people_place_case_for_source(actor: Actor, source_type: str, source_id: int) -> PeoplePlaceCase | None:
    """The case opened from another app's record, if the actor may see it (the link shown on the source)."""
    from homeward.housing.selectors import visible_people_place_cases

    return visible_people_place_cases(actor).filter(source_type=source_type, source_id=source_id).first()
