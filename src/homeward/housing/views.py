"""Supported housing pages: the schemes, a scheme's units and residents, the open placements, a referral,
a placement's page, and each step of the stay (one form page per step, see `forms.STEPS`). Thin: parse,
call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.housing import assessment, keywork, selectors, services
from homeward.housing.forms import STEPS as JOURNEY_STEPS
from homeward.housing.forms import ReferForm
from homeward.housing.forms_operations import PLACEMENT_STEPS
from homeward.housing.lifecycle import LIFECYCLE, OPEN_STATUSES
from homeward.housing.models import Placement
from homeward.housing.occupancy import scheme_figures
from homeward.people.selectors import get_person
from homeward.web.views import ActorRequest, actor_required, counted_page, need, render_form, save_form

EDIT_REFUSAL = "Your role cannot change supported housing records"
STEPS = JOURNEY_STEPS | PLACEMENT_STEPS
RENAME = {
    "unit_id": "unit",
    "worker_id": "worker",
    "key_worker_id": "key_worker",
    "scheme_id": "scheme",
    "checked_at": "checked_on",
    "arrived_at": "arrived_on",
    "left_at": "left_time",
}
#: Steps offered on the placement page in each status (the state machine decides what is allowed).
STATUS_STEPS: dict[str, list[str]] = {
    "referred": ["assess", "withdraw"],
    "assessed": ["offer", "withdraw"],
    "offered": ["answer", "withdraw"],
    "declined": ["offer", "withdraw"],
    "accepted": ["arrive", "withdraw"],
    "resident": [
        "assessment",
        "risk",
        "goal",
        "session",
        "wellbeing",
        "review",
        "welfare-check",
        "visit",
        "key-worker",
        "move-unit",
        "depart",
    ],
    "moved_on": ["follow-up", "wellbeing"],
}


def placement_or_404(
    request: ActorRequest, placement_id: int, purpose: str = "View supported housing placement"
) -> Placement:
    try:
        return selectors.get_placement(actor=request.actor, placement_id=placement_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@no_personal_data("Scheme names with counts of units and occupied nights; no names")
def schemes(request: ActorRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        (scheme, scheme_figures(scheme.pk, today - dt.timedelta(days=30), today))
        for scheme in selectors.visible_schemes(request.actor)[:200]
    ]
    return render(request, "housing/schemes.html", {"rows": rows})


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def scheme(request: ActorRequest, scheme_id: int) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role cannot see residents")
    try:
        found = selectors.get_scheme(actor=request.actor, scheme_id=scheme_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    units = selectors.units_with_occupants(found)
    waiting = list(selectors.waiting(actor=request.actor, scheme_id=found.pk)[:100])
    shown = [u.current.placement_id for u in units if u.current] + [p.pk for p in waiting]  # type: ignore[attr-defined]
    selectors.record_list_view(
        actor=request.actor, purpose=f"Scheme residents: {found.name}", placement_ids=shown
    )
    today = timezone.localdate()
    figures = scheme_figures(found.pk, today - dt.timedelta(days=30), today)
    context = {"scheme": found, "units": units, "waiting": waiting, "figures": figures}
    return render(request, "housing/scheme.html", context)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def caseload(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_PERSON, "Your role has no caseload")
    mine = request.GET.get("view") == "mine"
    placements = selectors.visible_placements(request.actor).filter(status__in=OPEN_STATUSES)
    if mine:
        placements = placements.filter(key_worker=request.actor.user)
    placements = selectors.with_review_due(
        placements.select_related("person", "scheme", "key_worker").order_by("scheme__name", "status", "pk")
    )
    page = counted_page(placements, request.GET.get("page"))
    today = timezone.localdate()
    for p in page.object_list:
        p.flags = assessment.caseload_flags(p, today)  # type: ignore[attr-defined]
    selectors.record_list_view(
        actor=request.actor, purpose="Supported housing caseload", placement_ids=[p.pk for p in page]
    )
    return render(request, "housing/caseload.html", {"page": page, "mine": mine})


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def refer(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Refer to supported housing")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    initial = {
        "discharge_case_id": request.GET.get("discharge_case", ""),
        "source": request.GET.get("source", ""),
    }
    form = ReferForm(request.POST or None, initial=initial, organisation_id=request.actor.organisation_id)

    def _refer(data: dict[str, Any]) -> Placement:
        return services.refer(
            actor=request.actor,
            person_id=person.pk,
            scheme_id=int(data["scheme"]),
            source=data["source"],
            needs=data["needs"],
            referred_on=data["referred_on"],
            discharge_case_id=data["discharge_case_id"],
        )

    placement = save_form(request, form, _refer, RENAME)
    if placement is not None:
        messages.info(request, f"Referral {placement.reference} recorded for {person.full_name}")
        return redirect("housing:placement", placement_id=placement.pk)
    return render_form(request, "housing/refer.html", {"form": form, "person": person})


@actor_required
@personal_data("placement_id", Permission.VIEW_PERSON)
def placement(request: ActorRequest, placement_id: int) -> HttpResponse:
    found = placement_or_404(request, placement_id)
    holder = found.organisation_id == request.actor.organisation_id and request.actor.can(
        Permission.EDIT_PERSON
    )
    steps = [
        (slug, STEPS[slug].title)
        for slug in STATUS_STEPS.get(found.status, [])
        if slug not in ("withdraw",) or LIFECYCLE.can_move(found.status, "withdrawn")
    ]
    latest = found.assessments.first()
    context = {
        "placement": found,
        "steps": steps if holder else [],
        "stays": found.occupancies.select_related("unit"),
        "goals": found.goals.all(),
        "sessions": found.sessions.select_related("worker")[:20],
        "reviews": found.reviews.all()[:10],
        "follow_ups": found.follow_ups.all(),
        "events": found.events.select_related("actor").order_by("-occurred_at", "-pk")[:50],
        "plan_due_on": keywork.plan_due_on(found),
        "review_due_on": keywork.next_review_due(found),
        "plan_overdue": assessment.is_plan_overdue(found),
        "assessment_overdue": assessment.is_assessment_overdue(found),
        "review_overdue": assessment.is_review_overdue(found),
        "latest_assessment": latest,
        "needs_rows": assessment.needs_rows(latest),
        "risks": found.risks.all(),
        "welfare_checks": found.welfare_checks.select_related("checked_by")[:10],
        "visits": found.visits.all()[:10],
        "activities": found.activity_sessions.select_related("activity").order_by("-held_on")[:10],
        "today": timezone.localdate(),
    }
    return render(request, "housing/placement.html", context)


@actor_required
@personal_data("placement_id", Permission.EDIT_PERSON, reach="own")
def step(request: ActorRequest, placement_id: int, step: str) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    found = placement_or_404(request, placement_id, purpose="Change a supported housing placement")
    if found.organisation_id != request.actor.organisation_id or step not in STEPS:
        raise Http404("No such step for this placement")
    spec = STEPS[step]
    extra = {"placement": found} if spec.takes_placement else {}
    form = spec.form(request.POST or None, **extra)
    done = save_form(request, form, lambda data: spec.save(request.actor, found, data), RENAME)
    if done is not None:
        messages.info(request, f"{spec.title}: saved")
        return redirect("housing:placement", placement_id=found.pk)
    return render_form(request, "housing/step.html", {"form": form, "placement": found, "title": spec.title})
