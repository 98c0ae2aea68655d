"""The co-located team's work on a case: tasks with the role that does them, the organisation (the holder or
one taking part under an agreement), who and a due date in working days (`casework.workdays`); the case's
complexity, which decides who may assess; and the cases near a statutory deadline, for escalation.

**Complexity rule** (Homeward's own, following issue 17's "trained housing/HIA staff for simple cases,
trusted assessor, OT for complex cases"; an organisation with a different rule should not rely on it):

- *complex* when any of: structural works (an extension, a through-floor lift, works needing building
  regulations approval); the disabled occupant is a child (under 16 on the day it is rated); a progressive or
  fluctuating condition, so the need is expected to change;
- otherwise *simple* for a minor adaptation (route "minor", £1,000 or less), *moderate* for any other route.

Who may assess: simple: trained housing or home improvement agency staff, a trusted assessor or an OT;
moderate: a trusted assessor or an OT; complex: an OT only.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeward.adaptations.codes import AdaptationStatus, Complexity, Route, TaskKind, TeamRole
from homeward.adaptations.models import AdaptationCase, TeamTask
from homeward.adaptations.selectors import CASE_TYPE
from homeward.adaptations.services import case_event, check_text, locked_case
from homeward.casework.workdays import add_working_days
from homeward.core.errors import ValidationFailed, check_choice
from homeward.core.models import Membership
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, Participation

MAY_ASSESS: dict[str, tuple[str, ...]] = {
    Complexity.SIMPLE: (TeamRole.HOUSING_STAFF, TeamRole.TRUSTED_ASSESSOR, TeamRole.OT),
    Complexity.MODERATE: (TeamRole.TRUSTED_ASSESSOR, TeamRole.OT),
    Complexity.COMPLEX: (TeamRole.OT,),
}
#: Defaults the task form offers (Homeward's suggestions, not statutory: the team sets its own).
DEFAULT_ROLE = {
    TaskKind.ASSESSMENT: TeamRole.OT,
    TaskKind.SURVEY: TeamRole.TECHNICAL_OFFICER,
    TaskKind.TEST_OF_RESOURCES: TeamRole.GRANTS_OFFICER,
    TaskKind.APPROVAL: TeamRole.GRANTS_OFFICER,
    TaskKind.CONTRACTOR: TeamRole.TECHNICAL_OFFICER,
    TaskKind.INSPECTION: TeamRole.TECHNICAL_OFFICER,
    TaskKind.OTHER: TeamRole.CASEWORKER,
}
MAX_WORKING_DAYS = 260
MAX_OPEN_TASKS = 50


def rate_complexity(
    case: AdaptationCase, *, structural_works: bool, progressive_condition: bool, on: dt.date
) -> tuple[str, list[str]]:
    """The complexity level by the rule above, and the reasons in words."""
    born = case.person.date_of_birth
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    reasons = []
    if structural_works:
        reasons.append("structural works")
    if age < 16:
        reasons.append("the disabled occupant is a child")
    if progressive_condition:
        reasons.append("a progressive or fluctuating condition")
    if reasons:
        return Complexity.COMPLEX, reasons
    if case.route == Route.MINOR:
        return Complexity.SIMPLE, ["a minor adaptation with none of the complex factors"]
    return Complexity.MODERATE, [f"{case.get_route_display()} with none of the complex factors"]


def assessors(case: AdaptationCase) -> list[str]:
    return list(MAY_ASSESS.get(case.complexity, ()))


@transaction.atomic
def set_complexity(
    *, actor: Actor, case_id: int, structural_works: bool, progressive_condition: bool
) -> AdaptationCase:
    case = locked_case(actor, case_id)
    if not case.is_open:
        raise ValidationFailed.single("case", "The case is no longer open")
    level, reasons = rate_complexity(
        case,
        structural_works=structural_works,
        progressive_condition=progressive_condition,
        on=timezone.localdate(),
    )
    case.complexity, case.complexity_reasons = level, "; ".join(reasons)[:500]
    case.save(update_fields=["complexity", "complexity_reasons"])
    who = ", ".join(TeamRole(role).label.lower() for role in MAY_ASSESS[level])
    case_event(case, actor, f"Complexity rated {level}", f"{case.complexity_reasons}. May assess: {who}")
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Rate an adaptations case's complexity",
        obj=case,
        person_id=case.person_id,
        detail={"complexity": level},
    )
    return case


def team_organisations(case: AdaptationCase) -> list[int]:
    """The holder and the organisations taking part now."""
    taking_part = Participation.objects.filter(
        case_type=CASE_TYPE, case_id=case.pk, ended_at__isnull=True
    ).values_list("organisation_id", flat=True)
    return [case.organisation_id, *taking_part]


@transaction.atomic
def add_task(
    *,
    actor: Actor,
    case_id: int,
    kind: str,
    owner_role: str,
    organisation_id: int | None,
    working_days: int | None,
    assigned_to_id: int | None = None,
    note: str = "",
) -> TeamTask:
    """A task for one of the team's organisations, due `working_days` working days from today. An
    assessment needs the case's complexity, and a role the complexity allows."""
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    if not case.is_open:
        errors["case"] = "The case is no longer open"
    check_choice(errors, "kind", kind, TaskKind)
    check_choice(errors, "owner_role", owner_role, TeamRole)
    if kind == TaskKind.ASSESSMENT and "owner_role" not in errors:
        if not case.complexity:
            errors["owner_role"] = "Rate the case's complexity first: it decides who may assess"
        elif owner_role not in MAY_ASSESS[case.complexity]:
            allowed = ", ".join(TeamRole(role).label.lower() for role in MAY_ASSESS[case.complexity])
            errors["owner_role"] = f"A {case.complexity} case is assessed by: {allowed}"
    if organisation_id not in team_organisations(case):
        errors["organisation_id"] = "Choose the organisation holding the case or one taking part in it"
    if working_days is None or not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = f"Enter a number of working days from 1 to {MAX_WORKING_DAYS}"
    if (
        assigned_to_id is not None
        and organisation_id is not None
        and not Membership.objects.filter(
            user_id=assigned_to_id, organisation_id=organisation_id, is_active=True
        ).exists()
    ):
        errors["assigned_to_id"] = "Choose someone in the organisation doing the task"
    check_text(errors, "note", note, 500)
    if case.tasks.filter(done_on__isnull=True).count() >= MAX_OPEN_TASKS:
        errors["kind"] = f"A case has at most {MAX_OPEN_TASKS} open tasks"
    if errors:
        raise ValidationFailed(errors)
    assert working_days is not None and organisation_id is not None
    task = TeamTask.objects.create(
        case=case,
        kind=kind,
        owner_role=owner_role,
        organisation_id=organisation_id,
        assigned_to_id=assigned_to_id,
        note=note.strip(),
        due_on=add_working_days(timezone.localdate(), working_days),
        created_by=actor.user,
        created_at=timezone.now(),
    )
    case_event(
        case,
        actor,
        f"Task: {task.get_kind_display()}",
        f"{task.get_owner_role_display()}, due {task.due_on:%-d %b %Y}"
        + (f". {task.note}" if task.note else ""),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Add an adaptations team task",
        obj=task,
        person_id=case.person_id,
        detail={"kind": kind, "due_on": task.due_on.isoformat()},
    )
    return task


@transaction.atomic
def complete_task(*, actor: Actor, case_id: int, task_id: int, done_on: dt.date | None = None) -> TeamTask:
    """Mark a task done: by the organisation doing it (nobody re-keys another's work)."""
    case = locked_case(actor, case_id)
    task = case.tasks.select_for_update().filter(pk=task_id).first()
    if task is None:  # the case was found through the access layer; the task id is bad input
        raise ValidationFailed.single("task_id", "No task with that id on this case")
    day = done_on or timezone.localdate()
    errors: dict[str, str] = {}
    if task.organisation_id != actor.organisation_id:
        errors["task_id"] = f"{task.organisation.name} does this task: only they mark it done"
    elif task.done_on is not None:
        errors["task_id"] = "The task is already done"
    if day > timezone.localdate():
        errors["done_on"] = "The date done cannot be in the future"
    elif day < task.created_at.date():
        errors["done_on"] = "The date done cannot be before the task was set"
    if errors:
        raise ValidationFailed(errors)
    task.done_on, task.done_by = day, actor.user
    task.save(update_fields=["done_on", "done_by"])
    late = (day - task.due_on).days
    case_event(
        case, actor, f"Task done: {task.get_kind_display()}", f"{late} days late" if late > 0 else "In time"
    )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Complete an adaptations team task",
        obj=task,
        person_id=case.person_id,
        detail={"done_on": day.isoformat()},
    )
    return task


#: Why a case's open tasks are closed when it ends, by the status it ends in.
CANCELLED_BECAUSE: dict[str, str] = {
    AdaptationStatus.CLOSED: "Cancelled because the case was closed",
    AdaptationStatus.WITHDRAWN: "Cancelled because the case was withdrawn",
    AdaptationStatus.REFUSED: "Cancelled because the application was refused",
}


def cancel_open_tasks(*, actor: Actor, case: AdaptationCase, status: str) -> int:
    """Close the tasks still open on a case that has ended (closed, withdrawn or refused), with the reason,
    in the caller's transaction: an ended case asks nothing more of the team, so its tasks must not stay on
    anyone's "overdue" list. One timeline entry names them. Returns how many were closed."""
    reason = CANCELLED_BECAUSE[status]
    open_tasks = list(
        case.tasks.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(done_on__isnull=True)
        .order_by("due_on", "pk")
    )
    if not open_tasks:
        return 0
    today = timezone.localdate()
    for task in open_tasks:
        task.done_on, task.done_by, task.cancelled_reason = today, actor.user, reason
    TeamTask.objects.bulk_update(open_tasks, ["done_on", "done_by", "cancelled_reason"])
    kinds = ", ".join(f"{task.get_kind_display()} ({task.organisation.name})" for task in open_tasks)
    case_event(
        case,
        actor,
        f"{len(open_tasks)} open task{'s' if len(open_tasks) > 1 else ''} cancelled",
        f"{reason}: {kinds}",
    )
    return len(open_tasks)
