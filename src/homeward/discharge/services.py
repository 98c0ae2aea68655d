"""Writes for Hospital to Home: refer, screen, blockers, moves through the lifecycle, follow-up.

Each is one transaction, validates its input (errors name the field), writes the case timeline and the
audit trail, and goes through the access layer.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.models import Hospital, Membership, Organisation, Team, User, Ward
from homeward.core.roles import Permission, Role
from homeward.core.validators import check_date, control_character_problem
from homeward.discharge.bed_days import record_lost_bed_days
from homeward.discharge.codes import (
    AssessmentStatus,
    BlockerCategory,
    CaseStatus,
    Destination,
    Pathway,
    Setting,
)
from homeward.discharge.delay_reasons import list_in_force
from homeward.discharge.delayed_days import record_delayed_days
from homeward.discharge.lifecycle import GRAVE, LIFECYCLE, READMISSION_WINDOW_DAYS
from homeward.discharge.models import (
    Blocker,
    CaseEvent,
    DelayReason,
    DelayReasonOverride,
    DischargeCase,
    FollowUpKind,
    FollowUpTask,
    Screen,
    ScreenItem,
    TrustedAssessment,
)
from homeward.discharge.selectors import CASE_TYPE, OPEN_STATUSES, housing_teams, visible_cases
from homeward.governance.access import Actor, has_active_agreement, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, ConsentPurpose, ConsentStatus, LawfulBasis, Participation
from homeward.governance.services import check_sharing_basis, record_sharing_consent

# What each screen item usually needs: the blocker the housing officer is offered (they decide).
SUGGESTED_BLOCKERS: dict[str, str] = {
    ScreenItem.HOMELESS: BlockerCategory.HOMELESS,
    ScreenItem.HOME_UNSUITABLE: BlockerCategory.HOME_UNSUITABLE,
    ScreenItem.DISREPAIR: BlockerCategory.DISREPAIR,
    ScreenItem.UTILITIES: BlockerCategory.UTILITIES,
    ScreenItem.FURNITURE: BlockerCategory.FURNITURE,
    ScreenItem.FINANCE: BlockerCategory.FINANCE,
    ScreenItem.IMMIGRATION: BlockerCategory.IMMIGRATION,
    ScreenItem.HOARDING: BlockerCategory.HOARDING,
}


def case_event(
    case: DischargeCase, actor: Actor, title: str, note: str = "", from_status: str = "", to_status: str = ""
) -> None:
    CaseEvent.objects.create(
        case=case,
        occurred_at=timezone.now(),
        actor=actor.user,
        organisation_id=actor.organisation_id,
        title=title,
        note=note[:2000],
        from_status=from_status,
        to_status=to_status,
    )


def participating_organisations(case: DischargeCase) -> set[int]:
    """The trust holding the case, its housing team, and anyone brought in (e.g. a care provider)."""
    others = Participation.objects.filter(case_type=CASE_TYPE, case_id=case.pk, ended_at__isnull=True)
    return {
        case.organisation_id,
        case.housing_organisation_id,
        *others.values_list("organisation_id", flat=True),
    }


def bring_in_care_provider(*, case: DischargeCase, provider_id: int, reason: str) -> bool:
    """The care provider takes part in the case (once): it sees it while an agreement with the trust holding
    the case is in force. Used by a trusted assessment and by a care home whose resident is admitted
    (carehomes). True when it was brought in now, False when it already took part."""
    already = Participation.objects.filter(
        case_type=CASE_TYPE, case_id=case.pk, organisation_id=provider_id, ended_at__isnull=True
    )
    if already.exists() or provider_id == case.organisation_id:
        return False
    Participation.objects.create(
        person_id=case.person_id,
        owner_id=case.organisation_id,
        organisation_id=provider_id,
        case_type=CASE_TYPE,
        case_id=case.pk,
        reason=reason[:300],
        started_at=timezone.now(),
    )
    return True


@transaction.atomic
def decide_assessment(*, actor: Actor, assessment_id: int, accept: bool, note: str = "") -> TrustedAssessment:
    """The care provider accepts the trusted assessment (no re-assessment) or declines it with a reason; a
    service, so that a care home admitting the patient under its trusted assessor protocol (carehomes)
    accepts it the same way."""
    assessment = (
        TrustedAssessment.objects.select_for_update()
        .select_related("case", "care_provider")
        .filter(pk=assessment_id, case__in=visible_cases(actor))
        .first()
    )
    if assessment is None:
        raise NotFound("No trusted assessment with that id")
    if assessment.care_provider_id != actor.organisation_id or not actor.can(Permission.RESPOND_REFERRAL):
        raise NotAllowed(f"Only {assessment.care_provider.name} can accept or decline this assessment")
    errors: dict[str, str] = {}
    if assessment.status != AssessmentStatus.SUBMITTED:
        errors["status"] = f"This assessment is already {assessment.get_status_display().lower()}"
    if not accept and not note.strip():
        errors["decision_note"] = "Say why the assessment is declined and what would make it acceptable"
    if len(note) > 500:
        errors["decision_note"] = "Note must be 500 characters or fewer"
    elif problem := control_character_problem(note, label="Note"):
        errors["decision_note"] = problem  # the page reads it from the POST, without a form's validators
    if errors:
        raise ValidationFailed(errors)
    assessment.status = AssessmentStatus.ACCEPTED if accept else AssessmentStatus.DECLINED
    assessment.decided_by, assessment.decided_at = actor.user, timezone.now()
    assessment.decision_note = note.strip()
    assessment.save()
    title = (
        f"{assessment.care_provider.name} accepted the trusted assessment: no re-assessment needed"
        if accept
        else f"{assessment.care_provider.name} declined the trusted assessment"
    )
    case_event(assessment.case, actor, title, note.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Decide on a trusted assessment",
        obj=assessment,
        person_id=assessment.case.person_id,
        detail={"accepted": accept},
    )
    return assessment


def locked_case(actor: Actor, case_id: int, *, core_team: bool = False) -> DischargeCase:
    """The case, locked for update. `core_team`: only the trust and the housing team may do this."""
    actor.require(Permission.EDIT_PERSON)
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("No case with that id")
    if core_team and not case.is_core_team(actor.organisation_id):
        raise NotAllowed(
            "Only the trust and the housing team screen and move this case; "
            "partners raise blockers and answer assessments"
        )
    return case


@transaction.atomic
def refer_patient(
    *,
    actor: Actor,
    person_id: int,
    housing_organisation_id: int,
    hospital_id: int,
    admitted_on: dt.date,
    referral_reason: str,
    ward_id: int | None = None,
    setting: str = Setting.WARD,
    discharge_ready_on: dt.date | None = None,
    pathway: str = "",
    consent_status: str = ConsentStatus.GIVEN,
    lawful_basis: str = LawfulBasis.CONSENT,
    second_case_reason: str = "",
) -> DischargeCase:
    """A ward, A&E or mental-health clinician refers a patient to the housing team in under a minute.

    A patient with a case still open is refused (the error names the open case) unless
    `second_case_reason` says why a second one is right, such as a different admission."""
    actor.require(Permission.EDIT_PERSON)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        errors["person_id"] = "No person with that id"
    hospital = Hospital.objects.filter(pk=hospital_id, organisation_id=actor.organisation_id).first()
    if hospital is None:
        errors["hospital_id"] = "Choose a hospital run by your organisation"
    ward = Ward.objects.filter(pk=ward_id, hospital_id=hospital_id).first() if ward_id else None
    if ward_id and ward is None:
        errors["ward_id"] = "That ward is not in the chosen hospital"
    housing = Organisation.objects.filter(pk=housing_organisation_id).first()
    if housing is None:
        errors["housing_organisation_id"] = "No organisation with that id"
    elif not has_active_agreement(actor.organisation_id, housing.pk):
        errors["housing_organisation_id"] = f"There is no data-sharing agreement in force with {housing.name}"
    elif not housing_teams().filter(pk=housing.pk).exists():
        errors["housing_organisation_id"] = (
            f"{housing.name} has no housing team in Homeward to act on a Hospital to Home referral"
        )
    open_case = (
        DischargeCase.objects.filter(person_id=person_id, status__in=OPEN_STATUSES)
        .order_by("-referred_at")
        .first()
        if person is not None
        else None
    )
    if open_case is not None and not second_case_reason.strip():
        errors["second_case_reason"] = (
            f"{open_case.reference} is still open for this patient. Work on that case, or say why a second "
            "case is right (for example, a different admission)"
        )
    elif len(second_case_reason) > 500:
        errors["second_case_reason"] = "Reason must be 500 characters or fewer"
    if admitted_on > today:
        errors["admitted_on"] = "Admission date cannot be in the future"
    check_date(errors, "admitted_on", admitted_on, label="Admission date")
    check_date(errors, "discharge_ready_on", discharge_ready_on, label="Discharge-ready date")
    if discharge_ready_on is not None and discharge_ready_on < admitted_on:
        errors["discharge_ready_on"] = "Discharge-ready date cannot be before the admission date"
    if not referral_reason.strip():
        errors["referral_reason"] = "Say why the patient needs the housing team"
    elif len(referral_reason) > 2000:
        errors["referral_reason"] = "Reason must be 2000 characters or fewer"
    check_choice(errors, "setting", setting, Setting)
    check_choice(errors, "pathway", pathway, Pathway, blank=True)
    check_sharing_basis(errors, consent_status, lawful_basis)
    if errors:
        raise ValidationFailed(errors)
    assert person is not None and hospital is not None and housing is not None
    previous = (
        DischargeCase.objects.filter(
            person=person,
            discharged_on__isnull=False,
            discharged_on__gte=admitted_on - dt.timedelta(days=READMISSION_WINDOW_DAYS),
            discharged_on__lte=admitted_on,
        )
        .order_by("-discharged_on")
        .first()
    )
    case = DischargeCase.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        housing_organisation=housing,
        referred_by=actor.user,
        hospital=hospital,
        ward=ward,
        setting=setting,
        pathway=pathway,
        referral_reason=referral_reason.strip(),
        admitted_on=admitted_on,
        referred_at=timezone.now(),
        discharge_ready_on=discharge_ready_on,
        previous_case=previous,
    )
    Participation.objects.create(
        person=person,
        owner_id=actor.organisation_id,
        organisation=housing,
        case_type=CASE_TYPE,
        case_id=case.pk,
        reason="Hospital to Home referral",
        started_at=timezone.now(),
    )
    record_sharing_consent(
        actor=actor,
        person_id=person.pk,
        purpose=ConsentPurpose.SHARE_WITH_HOUSING,
        consent_status=consent_status,
        lawful_basis=lawful_basis,
        note=f"Recorded at referral {case.reference}",
    )
    case_event(case, actor, "Referred to the housing team", referral_reason.strip(), "", CaseStatus.REFERRED)
    if open_case is not None:
        case_event(
            case, actor, f"Second open case alongside {open_case.reference}", second_case_reason.strip()
        )
    if previous is not None:
        case_event(case, actor, f"Readmission within {READMISSION_WINDOW_DAYS} days of {previous.reference}")
        if LIFECYCLE.can_move(previous.status, CaseStatus.READMITTED):
            old = previous.status
            previous.status = CaseStatus.READMITTED
            previous.save(update_fields=["status"])
            case_event(
                previous, actor, "Readmitted", f"New case {case.reference}", old, CaseStatus.READMITTED
            )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Refer to Hospital to Home",
        obj=case,
        person_id=person.pk,
        detail={"housing_organisation_id": housing.pk, "readmission_of": previous.pk if previous else None},
    )
    return case


@transaction.atomic
def screen_case(
    *, actor: Actor, case_id: int, items: list[str], landlord: str = "", notes: str = ""
) -> list[str]:
    """Record the housing and welfare screen; returns the blocker categories it suggests."""
    case = locked_case(actor, case_id, core_team=True)
    unknown = [item for item in items if item not in ScreenItem.values]
    if unknown:
        raise ValidationFailed.single("items", f"Unknown screen items: {', '.join(unknown)}")
    if len(landlord) > 200 or len(notes) > 4000:
        raise ValidationFailed(
            {
                k: "too long"
                for k, v in (("landlord", landlord), ("notes", notes))
                if len(v) > (200 if k == "landlord" else 4000)
            }
        )
    Screen.objects.update_or_create(
        case=case,
        defaults={
            "items": sorted(set(items)),
            "landlord": landlord.strip(),
            "notes": notes.strip(),
            "screened_by": actor.user,
            "screened_at": timezone.now(),
        },
    )
    if case.status == CaseStatus.REFERRED:
        _move(case, actor, CaseStatus.SCREENING, "Housing and welfare screen done")
    else:
        case_event(case, actor, "Screen updated")
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Housing and welfare screen",
        obj=case,
        person_id=case.person_id,
        detail={"items": sorted(set(items))},
    )
    return [SUGGESTED_BLOCKERS[item] for item in sorted(set(items)) if item in SUGGESTED_BLOCKERS]


def _move(case: DischargeCase, actor: Actor, target: str, note: str = "") -> None:
    LIFECYCLE.check(case.status, target)
    old = case.status
    case.status = target
    stamp = LIFECYCLE.stamps.get(target)
    if stamp:
        setattr(case, stamp, timezone.now())
    case.save()
    case_event(case, actor, f"Moved to {CaseStatus(target).label}", note, old, target)


@transaction.atomic
def transition_case(
    *,
    actor: Actor,
    case_id: int,
    to_status: str,
    note: str = "",
    discharge_ready_on: dt.date | None = None,
    discharged_on: dt.date | None = None,
    destination: str = "",
    pathway: str = "",
    died_on: dt.date | None = None,
) -> DischargeCase:
    """Move a case; discharge needs a date and destination, ready needs the discharge-ready date, died needs
    the date of death and cancelled needs a reason (the note)."""
    case = locked_case(actor, case_id, core_team=True)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if to_status not in CaseStatus.values:
        raise ValidationFailed.single("to_status", f"'{to_status}' is not a case status")
    LIFECYCLE.check(case.status, to_status)
    if to_status == CaseStatus.READY:
        ready = discharge_ready_on or case.discharge_ready_on or today
        if ready < case.admitted_on:
            errors["discharge_ready_on"] = "Discharge-ready date cannot be before the admission date"
        elif ready > today:
            errors["discharge_ready_on"] = "Discharge-ready date cannot be in the future when marking ready"
        case.discharge_ready_on = ready
    if to_status == CaseStatus.DISCHARGED:
        if discharged_on is None:
            errors["discharged_on"] = "Enter the discharge date"
        elif discharged_on < case.admitted_on:
            errors["discharged_on"] = "Discharge date cannot be before the admission date"
        elif discharged_on > today:
            errors["discharged_on"] = "Discharge date cannot be in the future"
        elif case.discharge_ready_on and discharged_on < case.discharge_ready_on:
            errors["discharged_on"] = "Discharge date cannot be before the discharge-ready date"
        if destination not in Destination.values:
            errors["destination"] = "Choose where the patient went"
        if pathway and pathway not in Pathway.values:
            errors["pathway"] = "Unknown discharge pathway"
        case.discharged_on, case.destination = discharged_on, destination
        case.pathway = pathway or case.pathway
    if to_status == CaseStatus.DIED:
        if died_on is None:
            errors["died_on"] = "Enter the date of death"
        elif died_on > today:
            errors["died_on"] = "Date of death cannot be in the future"
        elif died_on < case.admitted_on:
            errors["died_on"] = "Date of death cannot be before the admission date"
        case.died_on = died_on
    if to_status == CaseStatus.CANCELLED and not note.strip():
        errors["note"] = "Say why the case is cancelled"
    if errors:
        raise ValidationFailed(errors)
    if to_status == CaseStatus.DIED and died_on is not None:
        note = f"Date of death {died_on:%d %b %Y}" + (f". {note.strip()}" if note.strip() else "")
    _move(case, actor, to_status, note)
    if to_status == CaseStatus.DISCHARGED:
        record_lost_bed_days(case)
        record_delayed_days(case)
    if to_status == CaseStatus.DISCHARGED and discharged_on is not None:
        for kind, days in ((FollowUpKind.WELFARE_CALL_7, 7), (FollowUpKind.WELFARE_CALL_28, 28)):
            FollowUpTask.objects.create(
                case=case,
                kind=kind,
                due_on=discharged_on + dt.timedelta(days=days),
                owner_user=case.assigned_to,
            )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Move a Hospital to Home case",
        obj=case,
        person_id=case.person_id,
        detail={"to_status": to_status},
    )
    return case


#: Who may correct an ending recorded in error: the IG officer (the record's accuracy, UK GDPR Article 16)
#: and a team lead of the trust or the housing team.
CORRECTORS = (Role.IG_OFFICER, Role.TEAM_LEAD)


@transaction.atomic
def correct_ending(*, actor: Actor, case_id: int, reason: str) -> DischargeCase:
    """Undo a grave move (died, cancelled, closed) recorded in error: the case goes back to the status it
    had before, the date of death is cleared, and the correction and its reason go on the timeline."""
    if actor.role not in CORRECTORS:
        raise NotAllowed("Only an IG officer or a team lead can correct how a case ended")
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("No case with that id")
    if actor.role == Role.TEAM_LEAD and not case.is_core_team(actor.organisation_id):
        raise NotAllowed("Only a team lead of the trust or the housing team can correct this case")
    errors: dict[str, str] = {}
    if case.status not in GRAVE:
        errors["case"] = f"A case that is {case.get_status_display().lower()} has no ending to correct"
    if not reason.strip():
        errors["reason"] = "Say why the ending was wrong"
    elif len(reason) > 500:
        errors["reason"] = "Reason must be 500 characters or fewer"
    elif problem := control_character_problem(reason, label="Reason", multiline=True):
        errors["reason"] = problem
    last = case.events.filter(to_status=case.status).order_by("-occurred_at", "-pk").first()
    if not errors and (last is None or not last.from_status):
        errors["case"] = "The status before this ending is not on the timeline"
    if errors:
        raise ValidationFailed(errors)
    assert last is not None
    ended = case.status
    case.status = last.from_status
    case.died_on = None
    if ended == CaseStatus.CLOSED:
        case.closed_at = None
    case.save(update_fields=["status", "died_on", "closed_at"])
    case_event(
        case,
        actor,
        f"Correction: {CaseStatus(ended).label.lower()} was recorded in error; back to "
        f"{CaseStatus(case.status).label.lower()}",
        reason.strip(),
        ended,
        case.status,
    )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Correct how a Hospital to Home case ended",
        obj=case,
        person_id=case.person_id,
        detail={"from_status": ended, "to_status": case.status},
    )
    return case


@transaction.atomic
def assign_case(*, actor: Actor, case_id: int, user_id: int | None) -> DischargeCase:
    """Give the case to a housing officer (or take it yourself); None leaves it with the team."""
    case = locked_case(actor, case_id, core_team=True)
    officer = None
    if user_id is not None:
        officer = User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__organisation_id=case.housing_organisation_id,
            memberships__is_active=True,
        ).first()
        if officer is None:
            raise ValidationFailed.single("user_id", "Choose someone who works for the housing team")
    if case.assigned_to_id != user_id:
        case.assigned_to = officer
        if officer is not None and case.team_id is None:
            membership = officer.memberships.filter(organisation_id=case.housing_organisation_id).first()
            case.team_id = membership.team_id if membership else None
        case.save(update_fields=["assigned_to", "team"])
        case_event(case, actor, f"Assigned to {officer.display_name}" if officer else "Unassigned")
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Assign a Hospital to Home case",
            obj=case,
            person_id=case.person_id,
            detail={"assigned_to": user_id},
        )
    return case


@transaction.atomic
def raise_blocker(
    *,
    actor: Actor,
    case_id: int,
    category: str,
    description: str,
    due_on: dt.date,
    owner_organisation_id: int | None = None,
    owner_team_id: int | None = None,
    owner_user_id: int | None = None,
) -> Blocker:
    case = locked_case(actor, case_id)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    check_choice(errors, "category", category, BlockerCategory)
    if not description.strip():
        errors["description"] = "Describe what is blocking discharge"
    elif len(description) > 500:
        errors["description"] = "Description must be 500 characters or fewer"
    if due_on < today:
        errors["due_on"] = "Due date cannot be in the past"
    check_date(errors, "due_on", due_on, label="Due date")
    owner_org_id = owner_organisation_id or actor.organisation_id
    if owner_org_id not in participating_organisations(case):
        errors["owner_organisation_id"] = "The owner must be an organisation taking part in this case"
    if owner_team_id and not Team.objects.filter(pk=owner_team_id, organisation_id=owner_org_id).exists():
        errors["owner_team_id"] = "That team is not in the owning organisation"
    if (
        owner_user_id
        and not User.objects.filter(
            pk=owner_user_id, memberships__organisation_id=owner_org_id, memberships__is_active=True
        ).exists()
    ):
        errors["owner_user_id"] = "That person is not a member of the owning organisation"
    if case.status in LIFECYCLE.final_statuses or case.status in (
        CaseStatus.DISCHARGED,
        CaseStatus.FOLLOW_UP,
    ):
        errors["case"] = f"Blockers cannot be raised on a case that is {case.get_status_display().lower()}"
    if errors:
        raise ValidationFailed(errors)
    blocker = Blocker.objects.create(
        case=case,
        category=category,
        description=description.strip(),
        owner_organisation_id=owner_org_id,
        owner_team_id=owner_team_id,
        owner_user_id=owner_user_id,
        raised_by_organisation_id=actor.organisation_id,
        raised_on=today,
        due_on=due_on,
    )
    case_event(case, actor, f"Blocker raised: {blocker.get_category_display()}", description.strip())
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Raise a discharge blocker",
        obj=blocker,
        person_id=case.person_id,
        detail={"category": category},
    )
    return blocker


@transaction.atomic
def resolve_blocker(
    *, actor: Actor, blocker_id: int, resolution: str, resolved_on: dt.date | None = None
) -> Blocker:
    blocker = Blocker.objects.select_for_update().filter(pk=blocker_id, case__in=visible_cases(actor)).first()
    if blocker is None:
        raise NotFound("No blocker with that id")
    actor.require(Permission.EDIT_PERSON)
    today = timezone.localdate()
    resolved_on = resolved_on or today
    errors: dict[str, str] = {}
    if blocker.resolved_on is not None:
        errors["blocker"] = "This blocker is already resolved"
    if resolved_on > today:
        errors["resolved_on"] = "Resolution date cannot be in the future"
    elif resolved_on < blocker.raised_on:
        errors["resolved_on"] = "Resolution date cannot be before the blocker was raised"
    if not resolution.strip():
        errors["resolution"] = "Say how it was resolved"
    if errors:
        raise ValidationFailed(errors)
    blocker.resolved_on, blocker.resolution = resolved_on, resolution.strip()[:500]
    blocker.save(update_fields=["resolved_on", "resolution"])
    if blocker.case.discharged_on is not None:
        record_delayed_days(blocker.case)
    case_event(blocker.case, actor, f"Blocker resolved: {blocker.get_category_display()}", resolution.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Resolve a discharge blocker",
        obj=blocker,
        person_id=blocker.case.person_id,
    )
    return blocker


@transaction.atomic
def complete_follow_up(
    *, actor: Actor, task_id: int, outcome: str, done_on: dt.date | None = None
) -> FollowUpTask:
    """Record that a follow-up (a welfare call, a benefits claim...) was done, and what came of it."""
    actor.require(Permission.EDIT_PERSON)
    task = FollowUpTask.objects.select_for_update().filter(pk=task_id, case__in=visible_cases(actor)).first()
    if task is None:
        raise NotFound("No follow-up task with that id")
    today = timezone.localdate()
    done_on = done_on or today
    errors: dict[str, str] = {}
    if task.done_on is not None:
        errors["task"] = "This follow-up is already done"
    if done_on > today:
        errors["done_on"] = "Date done cannot be in the future"
    if not outcome.strip():
        errors["outcome"] = "Say what came of it"
    elif len(outcome) > 500:
        errors["outcome"] = "Outcome must be 500 characters or fewer"
    elif problem := control_character_problem(outcome, label="Outcome"):
        errors["outcome"] = problem  # the page reads it from the POST, without a form's validators
    if errors:
        raise ValidationFailed(errors)
    task.done_on, task.outcome = done_on, outcome.strip()
    task.save(update_fields=["done_on", "outcome"])
    case_event(task.case, actor, f"Follow-up done: {task.get_kind_display()}", outcome.strip())
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record a follow-up",
        obj=task,
        person_id=task.case.person_id,
    )
    return task


@transaction.atomic
def escalate_overdue_blockers(*, today: dt.date | None = None) -> list[Blocker]:
    """Mark every unresolved blocker past its due date as escalated, once, with a line on the case timeline,
    and email the people who must act: the blocker's owner (a named person, or the owning team's leads, or
    the owning organisation's team leads), and the case's housing officer.

    Run daily (`homeward discharge escalate`). A system task: emails carry the case reference, the blocker
    and a link, never the patient's name or NHS number (NHS email guidance for non-secure mail).
    """
    today = today or timezone.localdate()
    overdue = list(
        Blocker.objects.select_for_update(of=("self",))
        .select_related("case__assigned_to", "owner_user")
        .filter(resolved_on__isnull=True, due_on__lt=today, escalated_at__isnull=True)
    )
    now = timezone.now()
    for blocker in overdue:
        blocker.escalated_at = now
        CaseEvent.objects.create(
            case=blocker.case,
            occurred_at=now,
            actor=None,
            organisation=blocker.case.organisation,
            title=f"Blocker overdue, escalated to the team lead: {blocker.get_category_display()}",
            note=f"Was due {blocker.due_on:%d %b %Y}",
        )
    Blocker.objects.bulk_update(overdue, ["escalated_at"])
    transaction.on_commit(lambda: notify_escalations(overdue))
    return overdue


def escalation_recipients(blocker: Blocker, leads: dict[tuple[int, int | None], list[User]]) -> set[str]:
    """Email addresses of who must act on an overdue blocker. `leads` caches the team leads of each owning
    (organisation, team) for one run, so a run with many blockers asks once per owner."""
    users: list[User] = []
    if blocker.owner_user is not None:
        users.append(blocker.owner_user)
    else:
        key = (blocker.owner_organisation_id, blocker.owner_team_id)
        if key not in leads:
            found = Membership.objects.filter(organisation_id=key[0], role=Role.TEAM_LEAD, is_active=True)
            if key[1] is not None:
                found = found.filter(team_id=key[1])
            leads[key] = [m.user for m in found.select_related("user")]
        users.extend(leads[key])
    if blocker.case.assigned_to is not None:
        users.append(blocker.case.assigned_to)
    return {user.email for user in users if user.email and user.is_active}


def notify_escalations(blockers: list[Blocker]) -> int:
    """One email per recipient listing their newly overdue blockers; returns how many were sent."""
    from django.conf import settings
    from django.core.mail import send_mass_mail
    from django.urls import reverse

    by_recipient: dict[str, list[Blocker]] = {}
    leads: dict[tuple[int, int | None], list[User]] = {}
    for blocker in blockers:
        for address in escalation_recipients(blocker, leads):
            by_recipient.setdefault(address, []).append(blocker)
    messages = []
    for address, theirs in sorted(by_recipient.items()):
        lines = [
            f"- {b.case.reference}: {b.get_category_display()} – {b.description} "
            f"(due {b.due_on:%d %b %Y})\n  {settings.HOMEWARD_BASE_URL}"
            f"{reverse('discharge:case', args=[b.case_id])}#blockers"
            for b in theirs
        ]
        body = (
            "These Hospital to Home discharge blockers are overdue and have been escalated to you:\n\n"
            + "\n".join(lines)
            + "\n\nEach day a discharge-ready patient waits is a bed-day lost. Sign in to Homeward to act.\n"
        )
        subject = f"Homeward: {len(theirs)} overdue discharge blocker{'s' if len(theirs) != 1 else ''}"
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


@transaction.atomic
def set_delay_reason(
    *,
    actor: Actor,
    case_id: int,
    reason_id: int | None,
    starts_on: dt.date | None = None,
    note: str = "",
) -> DelayReasonOverride | None:
    """The housing officer or the ward overrides the NHS delay reason of a delayed patient from `starts_on`
    (default today), or with `reason_id` None removes the override so that the oldest open blocker's reason
    applies again. Either way the case timeline says so. Returns the new override, if any."""
    case = locked_case(actor, case_id, core_team=True)
    today = timezone.localdate()
    starts_on = starts_on or today
    errors: dict[str, str] = {}
    reason = None
    if reason_id is not None:
        reason = DelayReason.objects.select_related("reason_list").filter(pk=reason_id).first()
        if reason is None:
            errors["reason_id"] = "No delay reason with that id"
        elif reason.reason_list != list_in_force(reason.reason_list.collection, starts_on):
            errors["reason_id"] = f"That reason's list is not in force on {starts_on:%d %b %Y}"
    if case.discharge_ready_on is None:
        errors["case"] = "Set the discharge-ready date first: a delay reason applies from that date"
    elif starts_on < case.discharge_ready_on:
        errors["starts_on"] = "The override cannot start before the discharge-ready date"
    if starts_on > today:
        errors["starts_on"] = "The override cannot start in the future"
    elif case.discharged_on is not None and starts_on >= case.discharged_on:
        errors["starts_on"] = "The patient was discharged by then"
    if len(note) > 500:
        errors["note"] = "Note must be 500 characters or fewer"
    open_overrides = list(DelayReasonOverride.objects.filter(case=case, ends_on__isnull=True))
    if reason is None and not open_overrides and not errors:
        errors["reason_id"] = "There is no override to remove"
    if errors:
        raise ValidationFailed(errors)
    for old in open_overrides:
        old.ends_on = max(old.starts_on, starts_on)
        old.save(update_fields=["ends_on"])
    override = None
    if reason is not None:
        override = DelayReasonOverride.objects.create(
            case=case,
            reason=reason,
            starts_on=starts_on,
            note=note.strip(),
            set_by=actor.user,
            organisation_id=actor.organisation_id,
            set_at=timezone.now(),
        )
        title = f"NHS delay reason set from {starts_on:%d %b %Y}: {reason.text}"[:200]
    else:
        title = (
            f"NHS delay reason override removed from {starts_on:%d %b %Y}: the oldest open blocker applies"
        )
    case_event(case, actor, title, note.strip())
    if case.discharged_on is not None:
        record_delayed_days(case)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Override the NHS delay reason",
        obj=case,
        person_id=case.person_id,
        detail={"reason_id": reason_id, "starts_on": starts_on.isoformat()},
    )
    return override
