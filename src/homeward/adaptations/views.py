"""Adaptations pages: the worklist, a new case, the case page, moves (with confirmation for refusal and
withdrawal), the dates, the grant and who takes part. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.adaptations import grants, means_test, selectors, services, tasks, team, works
from homeward.adaptations.clocks import case_clocks, plain_words
from homeward.adaptations.codes import AdaptationStatus, TeamRole
from homeward.adaptations.fast_track import fast_track_blocker, open_fast_track
from homeward.adaptations.forms import (
    CaseForm,
    DatesForm,
    FastTrackForm,
    GrantForm,
    MoveForm,
    ParticipantForm,
)
from homeward.adaptations.lifecycle import (
    ACTION_LABELS,
    DONE_LABELS,
    GRAVE,
    LIFECYCLE,
    MOVE_DATES,
    NEXT_STEP,
    WHAT_NEXT,
    move_kind,
)
from homeward.adaptations.models import AdaptationCase
from homeward.adaptations.stages import stage_rows
from homeward.casework.workdays import working_days_between
from homeward.core.errors import NotAllowed, NotFound
from homeward.core.roles import Permission
from homeward.governance.models import Participation
from homeward.governance.routes import personal_data
from homeward.people.selectors import get_person
from homeward.referrals.selectors import referrals_from
from homeward.web.forms import AssignForm
from homeward.web.views import (
    ActorRequest,
    actor_required,
    counted_page,
    need,
    render_form,
    save_form,
    submit_form,
)

EDIT_REFUSAL = "Your role cannot change adaptations cases"


def case_or_404(
    request: ActorRequest, case_id: int, purpose: str = "View adaptations case"
) -> AdaptationCase:
    try:
        return selectors.get_case(actor=request.actor, case_id=case_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def worklist(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no worklist")
    view = request.GET.get("view", "all")
    if view not in selectors.WORKLIST_VIEWS:
        view = "all"
    page = counted_page(selectors.worklist(actor=request.actor, view=view), request.GET.get("page"))
    today = timezone.localdate()
    for case in page:
        clocks = [c for c in case_clocks(case, today=today) if c.due_on and c.completed_on is None]
        case.next_clock = min(clocks, key=lambda c: c.days_left or 0) if clocks else None  # type: ignore[attr-defined]
    selectors.record_worklist_view(actor=request.actor, view=view, case_ids=[c.pk for c in page])
    context = {"page": page, "view": view, "views": selectors.WORKLIST_VIEWS, "query": request.GET}
    return render(request, "adaptations/worklist.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_case(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Open an adaptations case")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = CaseForm(request.POST or None)

    def _open(data: dict[str, Any]) -> AdaptationCase:
        return services.open_case(actor=request.actor, person_id=person.pk, **data)

    case = save_form(request, form, _open)
    if case is not None:
        messages.info(request, f"Adaptations case {case.reference} opened for {person.full_name}")
        return redirect("adaptations:case", adaptation_id=case.pk)
    return render_form(request, "adaptations/new_case.html", {"form": form, "person": person})


def _moves(case: AdaptationCase) -> list[dict[str, Any]]:
    moves = [
        {
            "status": status,
            "label": ACTION_LABELS.get(status, AdaptationStatus(status).label),
            "kind": move_kind(case.status, status),
        }
        for status in LIFECYCLE.allowed_from(case.status)
    ]
    return sorted(moves, key=lambda m: (m["kind"] != "next", m["kind"] == "grave", m["label"]))


@actor_required
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def case_detail(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    return case_page(request, case_or_404(request, adaptation_id))


def case_page(
    request: ActorRequest, case: AdaptationCase, *, assign_form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    """The case page; a refused assignment comes back with what was chosen and its error (400)."""
    today = timezone.localdate()
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    clocks = [(clock, plain_words(clock)) for clock in case_clocks(case, today=today)]
    participants = Participation.objects.filter(
        case_type=selectors.CASE_TYPE, case_id=case.pk, ended_at__isnull=True
    ).select_related("organisation")
    context = {
        "case": case,
        "stages": stage_rows(case),
        "clocks": clocks,
        "what_next": WHAT_NEXT.get(case.status, ""),
        "events": case.events.select_related("actor", "organisation"),
        "moves": _moves(case) if can_edit else [],
        "can_edit": can_edit,
        "is_holder": case.organisation_id == request.actor.organisation_id,
        "participants": list(participants),
        "can_assign": can_edit and case.organisation_id == request.actor.organisation_id and case.is_open,
        "assign_form": assign_form
        or AssignForm(initial={"user_id": case.assigned_to_id}, organisation_id=case.organisation_id),
        "form": assign_form,
        "resources_test": means_test.latest_test(case.pk),
        "my_organisation": request.actor.organisation_id,
        "tasks": [
            (task, working_days_between(today, task.due_on) if task.done_on is None else None)
            for task in case.tasks.select_related("organisation", "assigned_to")[:100]
        ],
        "assessors": ", ".join(TeamRole(role).label.lower() for role in tasks.assessors(case)),
        "grant_steps": [line for line in case.grant_statement.splitlines() if line],
        "can_record_grant": can_edit and case.route == "dfg" and case.status in grants.GRANT_STAGES,
        "referrals": referrals_from(request.actor, selectors.CASE_TYPE, case.pk),
        "refer_url": (
            reverse("referrals:send", args=[case.person_id])
            + f"?source_type={selectors.CASE_TYPE}&source_id={case.pk}"
            if can_edit and case.is_open
            else ""
        ),
    }
    return render(request, "adaptations/case.html", context, status=status)


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def move(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    """One move's page: the date it records (and, for approval, refusal and closing, what else it needs);
    refusal and withdrawal are shown as a confirmation with their consequences."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    to_status = request.POST.get("to_status") or request.GET.get("to_status", "")
    if not LIFECYCLE.can_move(case.status, to_status):
        messages.error(request, "That move is not open to this case now")
        return redirect("adaptations:case", adaptation_id=case.pk)
    initial = {"to_status": to_status, "on": timezone.localdate()}
    form = MoveForm(request.POST or None, initial=initial, to_status=to_status)

    def _move(data: dict[str, Any]) -> AdaptationCase:
        data.pop("confirmed")
        return services.move_case(actor=request.actor, case_id=case.pk, **data)

    try:
        moved = save_form(request, form, _move)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if moved is not None:
        messages.info(request, f"{moved.reference} {DONE_LABELS.get(to_status, to_status)}")
        return redirect("adaptations:case", adaptation_id=case.pk)
    context = {
        "form": form,
        "case": case,
        "to_status": to_status,
        "label": ACTION_LABELS.get(to_status, AdaptationStatus(to_status).label),
        "is_grave": to_status in GRAVE,
        "is_next": NEXT_STEP.get(case.status) == to_status,
        "visible_fields": form.fields_for(to_status, case.status),
        "records": MOVE_DATES.get(to_status, ("", ""))[1],
    }
    return render_form(request, "adaptations/move.html", context)


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def record_dates(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    initial = {name: getattr(case, name) for name in services.RECORDABLE}
    form = DatesForm(request.POST or None, initial=initial)

    def _save(data: dict[str, Any]) -> AdaptationCase:
        changed = {name: value for name, value in data.items() if value != getattr(case, name)}
        return services.record_dates(actor=request.actor, case_id=case.pk, **changed)

    try:
        saved = save_form(request, form, _save)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if saved is not None:
        messages.info(request, "Dates saved")
        return redirect("adaptations:case", adaptation_id=case.pk)
    return render_form(request, "adaptations/dates.html", {"form": form, "case": case})


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def record_grant(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    test = means_test.latest_test(case.pk)
    contribution = case.contribution if case.contribution is not None or test is None else test.contribution
    # The technical officer's priced schedule is offered, so the grants officer does not re-key it.
    approved_cost = works.totals(case).approved_cost
    cost = case.cost_of_works if case.cost_of_works is not None else approved_cost
    initial = {"cost_of_works": cost, "contribution": contribution}
    form = GrantForm(request.POST or None, initial=initial)

    def _save(data: dict[str, Any]) -> object:
        return grants.record_grant(actor=request.actor, case_id=case.pk, **data)

    try:
        decision = save_form(request, form, _save)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if decision is not None:
        messages.info(request, "Grant worked out and recorded")
        return redirect(reverse("adaptations:case", args=[case.pk]) + "#grant")
    context = {"form": form, "case": case, "approved_cost": approved_cost, "test": test}
    return render_form(request, "adaptations/grant.html", context)


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_participant(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    form = ParticipantForm(request.POST or None, holder_id=case.organisation_id)

    def _save(data: dict[str, Any]) -> Participation:
        return team.add_participant(
            actor=request.actor,
            case_id=case.pk,
            organisation_id=data["organisation"].pk,
            reason=data["reason"],
        )

    try:
        joined = save_form(request, form, _save, rename={"organisation_id": "organisation"})
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:case", adaptation_id=case.pk)
    if joined is not None:
        messages.info(request, f"{joined.organisation.name} now takes part in {case.reference}")
        return redirect("adaptations:case", adaptation_id=case.pk)
    return render_form(request, "adaptations/participant.html", {"form": form, "case": case})


@actor_required
@personal_data("blocker_id", Permission.EDIT_PERSON)
def fast_track(request: ActorRequest, blocker_id: int) -> HttpResponse:
    """From a Hospital to Home blocker awaiting equipment or adaptations: open an urgent, linked case."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        blocker = fast_track_blocker(request.actor, blocker_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = FastTrackForm(request.POST or None, initial={"needs": blocker.description})

    def _open(data: dict[str, Any]) -> AdaptationCase:
        return open_fast_track(actor=request.actor, blocker_id=blocker.pk, **data)

    case = save_form(request, form, _open)
    if case is not None:
        messages.info(request, f"Fast-track adaptations case {case.reference} opened")
        return redirect("adaptations:case", adaptation_id=case.pk)
    return render_form(request, "adaptations/fast_track.html", {"form": form, "blocker": blocker})


@require_POST
@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def assign(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    """Assign the case to one of the holder's staff, or to the team; refused, the case page again."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update adaptations case")
    form = AssignForm(request.POST, organisation_id=case.organisation_id)
    return submit_form(
        request,
        form,
        lambda data: team.assign_case(actor=request.actor, case_id=adaptation_id, user_id=data["user_id"]),
        done=lambda done: (
            f"Assigned to {done.assigned_to.display_name}" if done.assigned_to else "Unassigned"
        ),
        back=reverse("adaptations:case", args=[adaptation_id]),
        again=lambda: case_page(request, case, assign_form=form, status=400),
    )
