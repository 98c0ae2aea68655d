"""Stay pages: the stay (plan, goals, MDT reviews, blockers, beds used, follow-up), moving bed, discharge
(a confirmation page with its consequences), and the plan's actions. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.adaptations import selectors as adaptation_selectors
from homeward.adaptations.models import OPEN_STATUSES as ADAPTATION_OPEN
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.reablement import plans, selectors, services
from homeward.reablement.codes import GoalProgress
from homeward.reablement.daily import measures_for
from homeward.reablement.forms import (
    ActionForm,
    AdaptationArrangementForm,
    BlockerForm,
    DayForm,
    DischargeForm,
    FollowUpForm,
    GoalForm,
    GoalProgressForm,
    MoveForm,
    NoteForm,
    ResolveForm,
    ReviewForm,
    ScoreForm,
    SupportArrangementForm,
    TransitionPlanForm,
    moment,
)
from homeward.reablement.lifecycle import FOLLOW_UP_DAYS
from homeward.reablement.models import Stay
from homeward.reablement.occupancy import length_of_stay
from homeward.web.views import (
    ActorRequest,
    actor_required,
    need,
    render_form,
    run_action,
    save_form,
    submit_form,
)

EDIT_REFUSAL = "Your role cannot change reablement records"


def stay_or_404(request: ActorRequest, stay_id: int, purpose: str = "View reablement stay") -> Stay:
    try:
        return selectors.get_stay(actor=request.actor, stay_id=stay_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def back_to(stay: Stay, anchor: str = "") -> HttpResponse:
    return redirect(reverse("reablement:stay", args=[stay.pk]) + anchor)


#: Each inline form's field ids start with its own prefix, so two forms' "description" fields differ.
AUTO_IDS = {
    "blocker_form": "blocker-%s",
    "day_form": "day-%s",
    "note_form": "note-%s",
    "score_form": "score-%s",
    "action_form": "action-%s",
    "complete_form": "complete-%s",
    "adaptation_form": "adaptation-%s",
    "support_form": "support-%s",
    "plan_form": "plan-%s",
}


def open_adaptation_cases(request: ActorRequest, stay: Stay) -> Any:
    """The person's open adaptations cases the actor can see, to link one instead of opening another."""
    return adaptation_selectors.cases_of_person(request.actor, stay.referral.person_id).filter(
        status__in=ADAPTATION_OPEN
    )


def render_stay(request: ActorRequest, stay: Stay, **bound: Any) -> HttpResponse:
    """The stay page; `bound` holds a refused inline form (what was typed, and its errors) by name."""
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    in_unit = stay.status == "in_unit"
    org = stay.unit.organisation_id
    is_unit = org == request.actor.organisation_id
    today = timezone.localdate()
    forms_ = {
        "goal_form": GoalForm(auto_id="goal-%s"),
        "blocker_form": BlockerForm(auto_id=AUTO_IDS["blocker_form"]),
        "follow_up_form": FollowUpForm(initial={"done_on": today}, auto_id="follow-up-%s"),
        "day_form": DayForm(auto_id=AUTO_IDS["day_form"]),
        "note_form": NoteForm(auto_id=AUTO_IDS["note_form"]),
        "score_form": ScoreForm(organisation_id=org, auto_id=AUTO_IDS["score_form"]),
        "action_form": ActionForm(
            stay=stay, organisation_id=request.actor.organisation_id, auto_id=AUTO_IDS["action_form"]
        ),
        "adaptation_form": AdaptationArrangementForm(
            open_cases=open_adaptation_cases(request, stay), auto_id=AUTO_IDS["adaptation_form"]
        ),
        "support_form": SupportArrangementForm(
            organisation_id=request.actor.organisation_id, auto_id=AUTO_IDS["support_form"]
        ),
        "plan_form": TransitionPlanForm(
            initial={"plan": stay.transition_plan, "first_contact_on": stay.first_contact_on},
            auto_id=AUTO_IDS["plan_form"],
        ),
    } | bound
    context = {
        "stay": stay,
        "referral": stay.referral,
        "person": stay.referral.person,
        "days_in": length_of_stay(stay),
        "occupancies": list(stay.occupancies.all()),
        "goals": list(stay.goals.all()),
        "reviews": list(stay.reviews.all()),
        "actions": list(stay.actions.select_related("owner_user", "owner_team", "review", "done_by")),
        "blockers": list(
            stay.blockers.select_related("owner_organisation", "owner_team", "owner_user", "delay_reason")
        ),
        "days": list(stay.days.select_related("delay_reason")[:60]),
        "notes": list(stay.notes.select_related("author", "organisation")[:50]),
        "scores": list(stay.scores.select_related("measure")),
        "has_measures": bool(measures_for(org)),
        "follow_up": getattr(stay, "follow_up", None),
        "arrangements": list(
            stay.arrangements.select_related("adaptation_case", "referral__to_organisation", "arranged_by")
        ),
        "progress_choices": GoalProgress.choices,
        "can_edit": can_edit,
        "is_unit": is_unit,
        "in_unit": in_unit,
        "can_arrange": can_edit and stay.status != "followed_up",
        "follow_up_days": FOLLOW_UP_DAYS,
        "today": today,
        "refused": next(iter(bound.values()), None),
        **forms_,
    }
    status = 400 if bound else 200
    return render(request, "reablement/stay.html", context, status=status)


@actor_required
@personal_data("stay_id", Permission.VIEW_PERSON)
def stay_detail(request: ActorRequest, stay_id: int) -> HttpResponse:
    return render_stay(request, stay_or_404(request, stay_id))


@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def move(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = MoveForm(request.POST or None, unit=stay.unit)

    def _move(data: dict[str, Any]) -> Stay:
        return services.move_bed(
            actor=request.actor,
            stay_id=stay.pk,
            bed_id=data["bed"].pk,
            moved_at=moment(data["moved_on"], data["moved_time"]),
        )

    moved = save_form(request, form, _move, rename={"bed_id": "bed", "moved_at": "moved_on", "stay": "bed"})
    if moved is not None:
        messages.info(request, f"Moved to bed {form.cleaned_data['bed'].label}")
        return back_to(stay)
    return render_form(request, "reablement/move.html", {"form": form, "stay": stay})


@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def discharge(request: ActorRequest, stay_id: int) -> HttpResponse:
    """Discharge is grave (the bed is freed, the stay ends): a page of its own with what will happen."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = DischargeForm(request.POST or None)

    def _discharge(data: dict[str, Any]) -> Stay:
        return services.discharge(
            actor=request.actor,
            stay_id=stay.pk,
            discharged_at=moment(data["discharged_on"], data["discharged_time"]),
            destination=data["destination"],
            note=data["note"],
        )

    done = save_form(
        request, form, _discharge, rename={"discharged_at": "discharged_on", "status": "destination"}
    )
    if done is not None:
        messages.info(request, f"Discharged: {done.get_destination_display()}")
        return back_to(stay)
    context = {"form": form, "stay": stay, "follow_up_days": FOLLOW_UP_DAYS}
    return render_form(request, "reablement/discharge.html", context)


def _plan_action(request: ActorRequest, stay_id: int, form_class: Any, act: Any, anchor: str) -> HttpResponse:
    """A plan action posted from the stay page: done, or its field errors shown at the top of the page."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = form_class(request.POST)

    def _run() -> str:
        from homeward.web.views import form_errors

        if not form.is_valid():
            raise form_errors(form)
        return act(stay, dict(form.cleaned_data))

    run_action(request, _run)
    return back_to(stay, anchor)


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_goal(request: ActorRequest, stay_id: int) -> HttpResponse:
    def act(stay: Stay, data: dict[str, Any]) -> str:
        plans.add_goal(actor=request.actor, stay_id=stay.pk, **data)
        return "Goal added to the plan"

    return _plan_action(request, stay_id, GoalForm, act, "#plan")


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def goal_progress(request: ActorRequest, stay_id: int) -> HttpResponse:
    def act(stay: Stay, data: dict[str, Any]) -> str:
        if not stay.goals.filter(pk=data["goal_id"]).exists():
            raise NotFound("No goal with that id in this stay")
        plans.update_goal(actor=request.actor, goal_id=data["goal_id"], progress=data["progress"])
        return "Goal progress saved"

    return _plan_action(request, stay_id, GoalProgressForm, act, "#plan")


@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_review(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = ReviewForm(request.POST or None, organisation_id=request.actor.organisation_id)
    review = save_form(
        request,
        form,
        lambda _: plans.record_review(actor=request.actor, stay_id=stay.pk, **form.service_args()),
        ReviewForm.RENAME,
    )
    if review is not None:
        messages.info(request, "MDT review recorded")
        return back_to(stay, "#reviews")
    return render_form(request, "reablement/review.html", {"form": form, "stay": stay})


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def add_blocker(request: ActorRequest, stay_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    stay = stay_or_404(request, stay_id, purpose="Update reablement stay")
    form = BlockerForm(request.POST, auto_id=AUTO_IDS["blocker_form"])

    def _raise(data: dict[str, Any]) -> object:
        reason = data.pop("delay_reason")
        return plans.raise_blocker(
            actor=request.actor, stay_id=stay.pk, delay_reason_id=reason.pk if reason else None, **data
        )

    return submit_form(
        request,
        form,
        _raise,
        done=lambda _: "Blocker raised",
        back=reverse("reablement:stay", args=[stay.pk]) + "#blockers",
        again=lambda: render_stay(request, stay, blocker_form=form),
        rename={"delay_reason_id": "delay_reason"},
    )


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def resolve_blocker(request: ActorRequest, stay_id: int) -> HttpResponse:
    def act(stay: Stay, data: dict[str, Any]) -> str:
        plans.resolve_blocker(actor=request.actor, stay_id=stay.pk, **data)
        return "Blocker cleared"

    return _plan_action(request, stay_id, ResolveForm, act, "#blockers")


@require_POST
@actor_required
@personal_data("stay_id", Permission.EDIT_PERSON)
def follow_up(request: ActorRequest, stay_id: int) -> HttpResponse:
    def act(stay: Stay, data: dict[str, Any]) -> str:
        plans.record_follow_up(actor=request.actor, stay_id=stay.pk, **data)
        return "91-day follow-up recorded"

    return _plan_action(request, stay_id, FollowUpForm, act, "#follow-up")
