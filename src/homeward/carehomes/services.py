"""Writes for care homes: homes and rooms, residents and the rooms they live in, advance care plans.

Each is one transaction, validates its input (errors name the field), is audited, and writes only records
the actor's own organisation holds: a GP practice or hospital that can see a resident never changes it.
Observations, triage calls and hospital transfers are in `clinical.py`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homeward.carehomes.codes import AgreedWith, Deterioration, Funding, HomeKind, PlaceOfCare, Resuscitation
from homeward.carehomes.models import CareHome, CarePlan, Occupancy, Resident, Room
from homeward.carehomes.protocols import settle_pre_admission
from homeward.carehomes.selectors import CASE_TYPE, visible_residents
from homeward.core.errors import NotFound, ValidationFailed, check_choice
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.discharge.selectors import visible_cases
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, Participation
from homeward.governance.services import add_participant


def check_text(errors: dict[str, str], field: str, value: str, limit: int, *, required: str = "") -> None:
    if required and not value.strip():
        errors[field] = required
    elif len(value) > limit:
        errors[field] = f"Must be {limit} characters or fewer"


def check_day(
    errors: dict[str, str], field: str, value: dt.date | None, label: str, *, future: bool = False
) -> None:
    if value is None:
        return
    if not future and value > timezone.localdate():
        errors[field] = f"{label} cannot be in the future"
    check_date(errors, field, value, label=label)


def own_home(actor: Actor, home_id: int) -> CareHome:
    actor.require(Permission.EDIT_PERSON)
    home = CareHome.objects.filter(pk=home_id, organisation_id=actor.organisation_id).first()
    if home is None:
        raise NotFound("No care home with that id")
    return home


def locked_resident(actor: Actor, resident_id: int) -> Resident:
    """The resident, locked for update, if the actor's organisation runs their home and may edit."""
    actor.require(Permission.EDIT_PERSON)
    resident = (
        visible_residents(actor)
        .select_for_update()
        .filter(pk=resident_id, home__organisation_id=actor.organisation_id)
        .first()
    )
    if resident is None:
        raise NotFound("No care home resident with that id")
    return resident


@transaction.atomic
def create_home(
    *, actor: Actor, name: str, kind: str, address: str = "", postcode: str = "", video_link: str = ""
) -> CareHome:
    actor.require(Permission.EDIT_PERSON)
    errors: dict[str, str] = {}
    if actor.organisation.kind != OrganisationKind.CARE_PROVIDER:
        errors["name"] = "Only a care provider runs care homes"
    check_text(errors, "name", name, 200, required="Give the home's name")
    check_choice(errors, "kind", kind, HomeKind)
    check_text(errors, "address", address, 300)
    check_text(errors, "postcode", postcode, 8)
    if video_link and not video_link.startswith("https://"):
        errors["video_link"] = "The video link must start with https://"
    if CareHome.objects.filter(organisation_id=actor.organisation_id, name=name.strip()).exists():
        errors.setdefault("name", "Your organisation already has a home with that name")
    if errors:
        raise ValidationFailed(errors)
    home = CareHome.objects.create(
        organisation_id=actor.organisation_id,
        name=name.strip(),
        kind=kind,
        address=address.strip(),
        postcode=postcode.strip().upper(),
        video_link=video_link,
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Add a care home", obj=home)
    return home


@transaction.atomic
def add_room(*, actor: Actor, home_id: int, name: str) -> Room:
    home = own_home(actor, home_id)
    errors: dict[str, str] = {}
    check_text(errors, "name", name, 40, required="Give the room's name or number")
    if home.rooms.filter(name=name.strip()).exists():
        errors.setdefault("name", "The home already has a room with that name")
    if errors:
        raise ValidationFailed(errors)
    room = Room.objects.create(home=home, name=name.strip())
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Add a care home room", obj=room)
    return room


def _overlapping(starts_on: dt.date, ends_on: dt.date | None) -> Q:
    """Intervals [a, b) that overlap [starts_on, ends_on) (an open end is infinity)."""
    overlap = Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    if ends_on is not None:
        overlap &= Q(starts_on__lt=ends_on)
    return overlap


def _occupy(resident: Resident, room: Room, starts_on: dt.date, ends_on: dt.date | None = None) -> Occupancy:
    """Put a resident in a room from `starts_on`, refusing a room someone else holds then. PostgreSQL's
    exclusion constraint is the guarantee; this check gives the clear message (and is the guard on SQLite,
    whose IMMEDIATE transactions serialise writers)."""
    overlap = _overlapping(starts_on, ends_on)
    taken = Occupancy.objects.select_for_update().filter(overlap, room=room).exclude(resident=resident)
    if taken.exists():
        raise ValidationFailed.single(
            "room_id", f"Room {room.name} has another resident on {starts_on:%-d %b %Y}"
        )
    if resident.occupancies.filter(overlap).exists():
        raise ValidationFailed.single("starts_on", "The resident already has a room then; move them instead")
    return Occupancy.objects.create(resident=resident, room=room, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def admit_resident(
    *,
    actor: Actor,
    home_id: int,
    person_id: int,
    admitted_on: dt.date,
    funding: str,
    room_id: int | None = None,
    gp_practice_id: int | None = None,
    next_of_kin: str = "",
    next_of_kin_contact: str = "",
    contact_preferences: str = "",
    capacity_notes: str = "",
    consent_notes: str = "",
    discharge_case_id: int | None = None,
) -> Resident:
    """A person the care provider holds a record of moves into one of its homes (and a room). Their GP
    practice takes part, and sees the resident while an agreement with the provider is in force. From a
    Hospital to Home case (`discharge_case_id`, one the provider takes part in, about the same person), the
    trusted assessment is accepted under the home's protocol or the home's own assessment is asked for."""
    home = own_home(actor, home_id)
    person = visible_people(actor).filter(pk=person_id, organisation_id=actor.organisation_id).first()
    if person is None:
        raise NotFound("No person with that id held by your organisation")
    errors: dict[str, str] = {}
    check_day(errors, "admitted_on", admitted_on, "Date moved in")
    check_choice(errors, "funding", funding, Funding)
    for field, value, limit in (
        ("next_of_kin", next_of_kin, 200),
        ("next_of_kin_contact", next_of_kin_contact, 200),
        ("contact_preferences", contact_preferences, 500),
        ("capacity_notes", capacity_notes, 2000),
        ("consent_notes", consent_notes, 2000),
    ):
        check_text(errors, field, value, limit)
    room = None
    if room_id is not None:
        room = home.rooms.filter(pk=room_id).first()
        if room is None:
            errors["room_id"] = "No room with that id in this home"
    if (
        gp_practice_id is not None
        and not Organisation.objects.filter(pk=gp_practice_id, kind=OrganisationKind.GP_PRACTICE).exists()
    ):
        errors["gp_practice_id"] = "No GP practice with that id"
    case = None
    if discharge_case_id is not None:
        case = visible_cases(actor).filter(pk=discharge_case_id).first()
        if case is None:
            errors["discharge_case_id"] = (
                "No Hospital to Home case with that id that your organisation takes part in"
            )
        elif case.person_id != person.pk:
            errors["discharge_case_id"] = "That Hospital to Home case is about someone else"
    if Resident.objects.filter(person=person, left_on__isnull=True).exists():
        errors.setdefault(
            "person_id", "This person already lives in a care home; record that they left first"
        )
    if errors:
        raise ValidationFailed(errors)
    resident = Resident.objects.create(
        person=person,
        home=home,
        admitted_on=admitted_on,
        funding=funding,
        gp_practice_id=gp_practice_id,
        next_of_kin=next_of_kin.strip(),
        next_of_kin_contact=next_of_kin_contact.strip(),
        contact_preferences=contact_preferences.strip(),
        capacity_notes=capacity_notes.strip(),
        consent_notes=consent_notes.strip(),
        created_by=actor.user,
    )
    if room is not None:
        _occupy(resident, room, admitted_on)
    if gp_practice_id is not None:
        share_with(actor, resident, gp_practice_id, "Registered GP practice")
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Admit a care home resident",
        obj=resident,
        person_id=person.pk,
    )
    if case is not None:
        settle_pre_admission(actor=actor, resident=resident, case=case)
    return resident


def share_with(actor: Actor, resident: Resident, organisation_id: int, reason: str) -> None:
    """Let another organisation (the GP practice, a hospital the resident is a patient of) take part in the
    resident's record; it sees it only while an agreement with the provider is in force."""
    already = Participation.objects.filter(
        case_type=CASE_TYPE, case_id=resident.pk, organisation_id=organisation_id, ended_at__isnull=True
    )
    if organisation_id != actor.organisation_id and not already.exists():
        add_participant(
            actor=actor,
            person_id=resident.person_id,
            organisation_id=organisation_id,
            case_type=CASE_TYPE,
            case_id=resident.pk,
            reason=reason,
        )


@transaction.atomic
def move_room(*, actor: Actor, resident_id: int, room_id: int, starts_on: dt.date) -> Occupancy:
    """Move a resident into a room from `starts_on`, ending the room they had (on the same day)."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    check_day(errors, "starts_on", starts_on, "Date of the move")
    if starts_on is not None and starts_on < resident.admitted_on:
        errors["starts_on"] = "Date of the move cannot be before the resident moved in"
    room = resident.home.rooms.filter(pk=room_id).first()
    if room is None:
        errors["room_id"] = "No room with that id in this home"
    if errors:
        raise ValidationFailed(errors)
    assert room is not None
    for current in resident.occupancies.select_for_update().filter(_overlapping(starts_on, None)):
        if current.starts_on >= starts_on:
            raise ValidationFailed.single(
                "starts_on", "The resident's current room starts on or after this date"
            )
        current.ends_on = starts_on
        current.save(update_fields=["ends_on"])
    occupancy = _occupy(resident, room, starts_on)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Move a resident's room",
        obj=occupancy,
        person_id=resident.person_id,
    )
    return occupancy


@transaction.atomic
def record_plan(
    *,
    actor: Actor,
    resident_id: int,
    agreed_on: dt.date,
    agreed_with: str,
    gp_name: str,
    what_matters: str,
    preferred_place: str,
    if_unwell: str,
    resuscitation: str,
    review_on: dt.date,
    representative: str = "",
    treatment_preferences: str = "",
    resuscitation_decided_by: str = "",
    resuscitation_decided_on: dt.date | None = None,
) -> CarePlan:
    """Record an advance care plan agreed with the resident (or their representative) and their GP; it
    replaces the current one. A resuscitation decision says who made it and when."""
    resident = locked_resident(actor, resident_id)
    errors: dict[str, str] = {}
    check_day(errors, "agreed_on", agreed_on, "Date agreed")
    check_choice(errors, "agreed_with", agreed_with, AgreedWith)
    check_text(errors, "gp_name", gp_name, 200, required="Name the GP who agreed the plan")
    check_text(errors, "what_matters", what_matters, 2000, required="Say what matters to the resident")
    check_text(errors, "treatment_preferences", treatment_preferences, 2000)
    check_choice(errors, "preferred_place", preferred_place, PlaceOfCare)
    check_choice(errors, "if_unwell", if_unwell, Deterioration)
    check_choice(errors, "resuscitation", resuscitation, Resuscitation)
    check_text(
        errors,
        "representative",
        representative,
        200,
        required="Name the representative" if agreed_with == AgreedWith.REPRESENTATIVE else "",
    )
    decided = resuscitation in (Resuscitation.ATTEMPT, Resuscitation.DO_NOT_ATTEMPT)
    check_text(
        errors,
        "resuscitation_decided_by",
        resuscitation_decided_by,
        200,
        required="Say who made the resuscitation decision" if decided else "",
    )
    if decided and resuscitation_decided_on is None:
        errors["resuscitation_decided_on"] = "Say when the resuscitation decision was made"
    check_day(
        errors, "resuscitation_decided_on", resuscitation_decided_on, "Date of the resuscitation decision"
    )
    check_day(errors, "review_on", review_on, "Review date", future=True)
    if agreed_on and review_on and review_on <= agreed_on and "review_on" not in errors:
        errors["review_on"] = "Review date must be after the date the plan was agreed"
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    resident.care_plans.filter(superseded_at__isnull=True).update(superseded_at=now)
    plan = CarePlan.objects.create(
        resident=resident,
        agreed_on=agreed_on,
        agreed_with=agreed_with,
        representative=representative.strip(),
        gp_name=gp_name.strip(),
        what_matters=what_matters.strip(),
        treatment_preferences=treatment_preferences.strip(),
        preferred_place=preferred_place,
        if_unwell=if_unwell,
        resuscitation=resuscitation,
        resuscitation_decided_by=resuscitation_decided_by.strip() if decided else "",
        resuscitation_decided_on=resuscitation_decided_on if decided else None,
        review_on=review_on,
        recorded_by=actor.user,
        recorded_at=now,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record an advance care plan",
        obj=plan,
        person_id=resident.person_id,
    )
    return plan
