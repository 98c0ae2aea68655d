"""Hospital to Home pages: refer, worklists, the case page and its actions, the dashboard."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.adaptations import selectors as adaptations_selectors
from homeward.core.errors import NotAllowed, NotFound
from homeward.core.roles import Permission
from homeward.discharge import selectors, services
from homeward.discharge.bed_days import BlockerSpan, bed_days_lost
from homeward.discharge.codes import (
    AssessmentStatus,
    BlockerCategory,
    CaseStatus,
    Destination,
    Pathway,
    Setting,
)
from homeward.discharge.dashboard import build_dashboard, chart_specs
from homeward.discharge.forms import (
    BlockerForm,
    CorrectEndingForm,
    DecideAssessmentForm,
    DelayReasonForm,
    FollowUpDoneForm,
    ReferralForm,
    ResolveForm,
    ScreenForm,
    TransitionForm,
    TrustedAssessmentForm,
)
from homeward.discharge.lifecycle import (
    ACTION_LABELS,
    DONE_LABELS,
    GRAVE,
    LIFECYCLE,
    NEXT_STEP,
    move_kind,
)
from homeward.discharge.models import DischargeCase, FollowUpTask
from homeward.discharge.sitrep import case_reasons
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people.selectors import get_person
from homeward.referrals.selectors import referrals_from
from homeward.web.forms import AssignForm
from homeward.web.views import (
    ActorRequest,
    actor_required,
    attach_row_forms,
    counted_page,
    need,
    render_form,
    row_form,
    save_form,
    submit_form,
)

#: The referral service's argument names for the form's fields, so its errors land on the right field.
SERVICE_FIELDS = {
    "hospital_id": "hospital",
    "ward_id": "ward",
    "housing_organisation_id": "housing_organisation",
}


def case_or_404(
    request: ActorRequest, case_id: int, purpose: str = "View Hospital to Home case"
) -> DischargeCase:
    try:
        return selectors.get_case(actor=request.actor, case_id=case_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def refer(request: ActorRequest, person_id: int) -> HttpResponse:
    """Refer a patient in under a minute: most fields are choices, the reason is one sentence."""
    need(request, Permission.EDIT_PERSON, "Your role cannot refer patients")
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Refer to Hospital to Home")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    initial = {"setting": request.GET["setting"]} if request.GET.get("setting") in Setting.values else {}
    form = ReferralForm(request.POST or None, actor=request.actor, initial=initial)

    def _refer(data: dict[str, Any]) -> DischargeCase:
        return services.refer_patient(
            actor=request.actor,
            person_id=person.pk,
            housing_organisation_id=data["housing_organisation"].pk,
            hospital_id=data["hospital"].pk,
            ward_id=data["ward"].pk if data["ward"] else None,
            setting=data["setting"],
            admitted_on=data["admitted_on"],
            discharge_ready_on=data["discharge_ready_on"],
            pathway=data["pathway"],
            referral_reason=data["referral_reason"],
            consent_status=data["consent_status"],
            lawful_basis=data["lawful_basis"],
            second_case_reason=data["second_case_reason"],
        )

    case = save_form(request, form, _refer, rename=SERVICE_FIELDS)
    if case is not None:
        messages.info(request, f"{person.full_name} has been referred ({case.reference})")
        return redirect("discharge:case", case_id=case.pk)
    open_cases = selectors.visible_cases(request.actor).filter(
        person_id=person.pk, status__in=selectors.OPEN_STATUSES
    )
    context = {"form": form, "person": person, "open_cases": list(open_cases.order_by("-referred_at")[:5])}
    return render_form(request, "discharge/refer.html", context)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def worklist(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no worklist")
    view = request.GET.get("view", "")
    if view not in selectors.WORKLIST_VIEWS:
        # Open on "My cases" for someone who has some, else on everything open.
        mine = selectors.visible_cases(request.actor).filter(
            assigned_to=request.actor.user, status__in=selectors.OPEN_STATUSES
        )
        view = "mine" if mine.exists() else "all"

    def _int(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    cases = selectors.worklist(
        actor=request.actor,
        view=view,
        hospital_id=_int("hospital"),
        ward_id=_int("ward"),
        pathway=request.GET.get("pathway", ""),
        category=request.GET.get("category", ""),
        order=request.GET.get("order", "ready"),
    )
    page = counted_page(cases, request.GET.get("page"))
    today = timezone.localdate()
    for case in page:
        ready = case.discharge_ready_on
        case.days_since_ready = (today - ready).days if ready and ready <= today else None  # type: ignore[attr-defined]
    selectors.record_worklist_view(actor=request.actor, view=view, case_ids=[c.pk for c in page])
    context = {
        "page": page,
        "view": view,
        "views": selectors.WORKLIST_VIEWS,
        "today": today,
        "pathways": Pathway.choices,
        "categories": BlockerCategory.choices,
        "query": request.GET,
    }
    template = (
        "discharge/_worklist_rows.html" if request.headers.get("HX-Request") else "discharge/worklist.html"
    )
    return render(request, template, context)


@actor_required
@personal_data("case_id", Permission.VIEW_PERSON)
def case_detail(request: ActorRequest, case_id: int) -> HttpResponse:
    return case_page(request, case_or_404(request, case_id))


def _moves(case: DischargeCase, refused: TransitionForm | None = None) -> list[dict[str, Any]]:
    """The moves offered on the case page: the next step forward first (the one green button), then the
    others; grave moves (died, cancelled, closed) go to a confirmation page. Each other move has its form;
    the refused one's comes back as typed, with its errors."""
    today = timezone.localdate()
    refused_status = refused.data.get("to_status") if refused is not None else None
    moves = []
    for status in LIFECYCLE.allowed_from(case.status):
        initial = {"discharged_on": today, "discharge_ready_on": case.discharge_ready_on or today}
        form = refused if refused is not None and refused_status == status else None
        form = form or TransitionForm(initial={"to_status": status, **initial}, auto_id="%s")
        form.fields["discharged_on"].widget.attrs["aria-describedby"] = "discharged_on-hint"
        moves.append(
            {
                "status": status,
                "label": ACTION_LABELS.get(status, CaseStatus(status).label),
                "kind": move_kind(case.status, status),
                "is_next": NEXT_STEP.get(case.status) == status,
                "form": form,
            }
        )
    return sorted(moves, key=lambda m: (not m["is_next"], m["kind"] == "grave", m["label"]))


def case_page(
    request: ActorRequest,
    case: DischargeCase,
    *,
    blocker_form: BlockerForm | None = None,
    assessment_form: TrustedAssessmentForm | None = None,
    correction_form: CorrectEndingForm | None = None,
    resolve_form: ResolveForm | None = None,
    follow_up_form: FollowUpDoneForm | None = None,
    decision_form: DecideAssessmentForm | None = None,
    delay_form: DelayReasonForm | None = None,
    screen_form: ScreenForm | None = None,
    assign_form: AssignForm | None = None,
    transition_form: TransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; a `*_form` given is a refused one, shown again with what was typed and its errors
    (the error summary at the top links to them). A blocker's or a follow-up's inline form is its row's."""
    today = timezone.localdate()
    blockers = list(case.blockers.select_related("owner_organisation", "owner_team", "owner_user"))
    fast_track = adaptations_selectors.fast_track_cases(request.actor, case.pk)
    for blocker in blockers:
        blocker.adaptations = fast_track.get(blocker.pk, [])  # type: ignore[attr-defined]
    attach_row_forms(blockers, ResolveForm, "resolve_form", resolve_form)
    follow_ups = list(case.follow_ups.all())
    attach_row_forms(follow_ups, FollowUpDoneForm, "done_form", follow_up_form)
    lost = bed_days_lost(
        discharge_ready_on=case.discharge_ready_on,
        discharged_on=case.discharged_on,
        blockers=[BlockerSpan(b.get_category_display(), b.raised_on, b.resolved_on) for b in blockers],
        today=today,
    )
    assessments = list(case.assessments.select_related("care_provider", "assessor", "decided_by"))
    attach_row_forms(assessments, DecideAssessmentForm, "decide_form", decision_form)
    context = {
        "case": case,
        "today": today,
        "blockers": blockers,
        "open_blockers": [b for b in blockers if b.resolved_on is None],
        "events": case.events.select_related("actor", "organisation"),
        "follow_ups": follow_ups,
        "moves": _moves(case, transition_form),
        "can_correct": case.status in GRAVE and request.actor.role in services.CORRECTORS,
        "screen_form": screen_form or _screen_form(case),
        "assign_form": assign_form
        or AssignForm(initial={"user_id": case.assigned_to_id}, organisation_id=case.housing_organisation_id),
        "blocker_form": blocker_form or BlockerForm(),
        "form": blocker_form
        or assessment_form
        or correction_form
        or resolve_form
        or follow_up_form
        or decision_form
        or delay_form
        or screen_form
        or assign_form
        or transition_form,
        "delay_form": delay_form or DelayReasonForm(),
        "correction_form": correction_form or CorrectEndingForm(),
        "can_edit": request.actor.can(Permission.EDIT_PERSON),
        "destinations": Destination.choices,
        "bed_days_lost": lost.total,
        "lost_by_category": sorted(lost.by_category.items(), key=lambda item: -item[1]),
        "days_since_ready": (today - case.discharge_ready_on).days if case.discharge_ready_on else None,
        "referrals": referrals_from(request.actor, selectors.CASE_TYPE, case.pk),
        "refer_url": (
            reverse("referrals:send", args=[case.person_id])
            + f"?source_type={selectors.CASE_TYPE}&source_id={case.pk}"
            if request.actor.can(Permission.EDIT_PERSON)
            and case.status in (*selectors.OPEN_STATUSES, CaseStatus.DISCHARGED, CaseStatus.FOLLOW_UP)
            else ""
        ),
        "assessments": assessments,
        "assessment_form": assessment_form
        or TrustedAssessmentForm(case_organisation_id=case.organisation_id),
        "is_core_team": case.is_core_team(request.actor.organisation_id),
        "can_respond": request.actor.can(Permission.RESPOND_REFERRAL),
        "submitted": AssessmentStatus.SUBMITTED,
        "is_open": case.status in selectors.OPEN_STATUSES,
        "delay": case_reasons(case),
    }
    return render(request, "discharge/case.html", context, status=status)


def _screen_form(case: DischargeCase, data: Any = None) -> ScreenForm:
    screen = getattr(case, "screen", None)
    initial = {"items": screen.items, "landlord": screen.landlord, "notes": screen.notes} if screen else {}
    return ScreenForm(data, initial=initial, auto_id="screen-%s")


def _case_form(
    request: ActorRequest,
    case_id: int,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    again: Callable[[DischargeCase], HttpResponse],
) -> HttpResponse:
    """One of the case page's own forms POSTed: saved, back to the case with a message; refused, the case
    page again (400) with the form as typed and the error summary."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    return submit_form(
        request,
        form,
        save,
        done=done,
        back=reverse("discharge:case", args=[case_id]),
        again=lambda: again(case),
    )


def _screened(suggested: list[str]) -> str:
    labels = ", ".join(BlockerCategory(c).label for c in suggested)
    return "Screen saved." + (f" Suggested blockers: {labels}." if labels else "")


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def screen(request: ActorRequest, case_id: int) -> HttpResponse:
    """Save the housing and welfare screen; refused, the case page again with the screen as ticked."""
    form = ScreenForm(request.POST, auto_id="screen-%s")
    return _case_form(
        request,
        case_id,
        form,
        lambda data: services.screen_case(actor=request.actor, case_id=case_id, **data),
        _screened,
        lambda case: case_page(request, case, screen_form=form),
    )


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def raise_blocker(request: ActorRequest, case_id: int) -> HttpResponse:
    """Raise a blocker; a refused one shows the case page again with what was typed and the error summary."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    form = BlockerForm(request.POST)

    def _raise(data: dict[str, Any]) -> object:
        return services.raise_blocker(actor=request.actor, case_id=case_id, **data)

    try:
        raised = save_form(request, form, _raise)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("discharge:case", case_id=case_id)
    if raised is not None:
        messages.info(request, "Blocker raised")
        return redirect(reverse("discharge:case", args=[case_id]) + "#blockers")
    return case_page(request, case, blocker_form=form, status=400)


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def transition(request: ActorRequest, case_id: int) -> HttpResponse:
    """Move a case on. A grave move (died, cancelled, closed) must come from its confirmation page."""
    to_status = request.POST.get("to_status", "")
    if to_status in GRAVE:
        need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
        case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
        if LIFECYCLE.can_move(case.status, to_status):
            if request.POST.get("confirmed") != "yes":
                return redirect(reverse("discharge:confirm_move", args=[case_id]) + f"?to_status={to_status}")
            return _confirm_or_move(request, case_id, to_status)
    form = TransitionForm(request.POST, auto_id="%s")

    def _move(data: dict[str, Any]) -> DischargeCase:
        data.pop("confirmed")
        return services.transition_case(actor=request.actor, case_id=case_id, **data)

    return _case_form(
        request,
        case_id,
        form,
        _move,
        lambda case: f"{case.reference} {DONE_LABELS.get(case.status, case.get_status_display().lower())}",
        lambda case: case_page(request, case, transition_form=form),
    )


def _confirm_page(
    request: ActorRequest, case: DischargeCase, to_status: str, form: TransitionForm, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "to_status": to_status,
        "label": ACTION_LABELS[to_status],
        "form": form,
        "today": timezone.localdate(),
        "open_blockers": case.blockers.filter(resolved_on__isnull=True).count(),
    }
    return render(request, "discharge/confirm_move.html", context, status=status)


def _confirm_or_move(request: ActorRequest, case_id: int, to_status: str) -> HttpResponse:
    """A confirmed grave move: done, or its confirmation page again with the errors and what was typed."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    form = TransitionForm(request.POST)

    def _move(data: dict[str, Any]) -> DischargeCase:
        data.pop("confirmed")
        return services.transition_case(actor=request.actor, case_id=case_id, **data)

    try:
        moved = save_form(request, form, _move)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("discharge:case", case_id=case_id)
    if moved is not None:
        messages.info(request, f"{moved.reference} {DONE_LABELS[to_status]}")
        return redirect("discharge:case", case_id=case_id)
    return _confirm_page(request, case, to_status, form, status=400)


@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def confirm_move(request: ActorRequest, case_id: int) -> HttpResponse:
    """The second thought before a grave move: the facts that go with it, then confirm or go back."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    to_status = request.GET.get("to_status", "")
    if to_status not in GRAVE or not LIFECYCLE.can_move(case.status, to_status):
        return redirect("discharge:case", case_id=case_id)
    return _confirm_page(request, case, to_status, TransitionForm(initial={"to_status": to_status}))


@require_POST
@actor_required
@personal_data("case_id", Permission.VIEW_PERSON)
def correct_ending(request: ActorRequest, case_id: int) -> HttpResponse:
    """An IG officer or a team lead undoes an ending recorded in error; it goes on the timeline."""
    case = case_or_404(request, case_id, purpose="Correct how a Hospital to Home case ended")
    form = CorrectEndingForm(request.POST)

    def correct(data: dict[str, Any]) -> DischargeCase:
        return services.correct_ending(actor=request.actor, case_id=case_id, reason=data["reason"])

    try:
        corrected = save_form(request, form, correct)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("discharge:case", case_id=case_id)
    if corrected is not None:
        messages.info(
            request, f"Corrected: {corrected.reference} is {corrected.get_status_display().lower()} again"
        )
        return redirect("discharge:case", case_id=case_id)
    # Refused (no reason, too long, a control character, an open case): the page again, the reason as typed.
    return case_page(request, case, correction_form=form, status=400)


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def assign(request: ActorRequest, case_id: int) -> HttpResponse:
    """Assign the case to an officer of the housing team, or to the team; refused, the page again."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    found = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    form = AssignForm(request.POST, organisation_id=found.housing_organisation_id)
    return _case_form(
        request,
        case_id,
        form,
        lambda data: services.assign_case(actor=request.actor, case_id=case_id, user_id=data["user_id"]),
        lambda case: f"Assigned to {case.assigned_to.display_name}" if case.assigned_to else "Unassigned",
        lambda case: case_page(request, case, assign_form=form),
    )


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def resolve_blocker(request: ActorRequest, case_id: int, blocker_id: int) -> HttpResponse:
    """Resolve a blocker; a refused resolution shows the case page again with it as typed (400)."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Update Hospital to Home case")
    if not case.blockers.filter(pk=blocker_id).exists():
        raise Http404("No blocker with that id on this case")
    form = row_form(ResolveForm, blocker_id, request.POST)
    return submit_form(
        request,
        form,
        lambda data: services.resolve_blocker(actor=request.actor, blocker_id=blocker_id, **data),
        done=lambda blocker: "Blocker resolved",
        back=reverse("discharge:case", args=[case_id]) + "#blockers",
        again=lambda: case_page(request, case, resolve_form=form),
    )


def _dashboard_allowed(request: ActorRequest) -> bool:
    return request.actor.can(Permission.VIEW_PSEUDONYMISED) or request.actor.can(Permission.VIEW_PERSON)


@actor_required
@no_personal_data("aggregate counts only: no names or identifiers")
def dashboard(request: ActorRequest) -> HttpResponse:
    if not _dashboard_allowed(request):
        raise PermissionDenied
    board = build_dashboard(actor=request.actor)
    return render(request, "discharge/dashboard.html", {"board": board, "specs": chart_specs(board)})


@actor_required
@no_personal_data("aggregate counts only: no names or identifiers")
def dashboard_csv(request: ActorRequest, table: str) -> HttpResponse:
    if not _dashboard_allowed(request):
        raise PermissionDenied
    rows = build_dashboard(actor=request.actor).tables().get(table)
    if rows is None:
        raise Http404("No such table")
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="hospital-to-home-{table}.csv"'
    if rows:
        writer = csv.DictWriter(response, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return response


@require_POST
@actor_required
@personal_data("case_id", Permission.EDIT_PERSON)
def follow_up_done(request: ActorRequest, case_id: int, task_id: int) -> HttpResponse:
    """Record a follow-up as done; a refused outcome shows the case page again with it as typed (400)."""
    need(request, Permission.EDIT_PERSON, "Your role cannot change cases")
    case = case_or_404(request, case_id, purpose="Record a follow-up")
    if not FollowUpTask.objects.filter(pk=task_id, case_id=case_id).exists():
        raise Http404("No follow-up task with that id on this case")
    form = row_form(FollowUpDoneForm, task_id, request.POST)
    return submit_form(
        request,
        form,
        lambda data: services.complete_follow_up(actor=request.actor, task_id=task_id, **data),
        done=lambda task: "Follow-up recorded",
        back=reverse("discharge:case", args=[case_id]),
        again=lambda: case_page(request, case, follow_up_form=form),
    )
