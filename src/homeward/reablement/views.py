"""Reablement pages: the units, a unit's live bed board (htmx refresh), a bed's status, a referral (new,
decide, admit). Stay pages are in `views_stay.py`. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data, personal_data
from homeward.people.selectors import get_person
from homeward.reablement import beds, board, board_version, selectors, services
from homeward.reablement.forms import AdmitForm, BedStatusForm, DecisionForm, ReferralForm, moment
from homeward.reablement.lifecycle import ADMISSION_STANDARD_DAYS
from homeward.reablement.models import Referral, Unit
from homeward.web.views import ActorRequest, actor_required, need, render_form, run_action, save_form

EDIT_REFUSAL = "Your role cannot change reablement records"


def unit_or_404(unit_id: int) -> Unit:
    try:
        return selectors.get_unit(unit_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def referral_or_404(
    request: ActorRequest, referral_id: int, purpose: str = "View reablement referral"
) -> Referral:
    try:
        return selectors.get_referral(actor=request.actor, referral_id=referral_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@no_personal_data("Units, their addresses and bed counts: no person is named")
def units(request: ActorRequest) -> HttpResponse:
    rows = selectors.units().filter(organisation_id=request.actor.organisation_id)
    return render(request, "reablement/units.html", {"units": rows})


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def unit_board(request: ActorRequest, unit_id: int) -> HttpResponse:
    """Every bed and its status; initials, days in and expected discharge only where the viewer may see
    the stay. An open board asks every second for the board alone with the token of the version it holds
    (`?since=`): while nothing it shows has changed the answer is 204 No Content, after the same access
    check as the page and one query, and is not audited (it shows nothing)."""
    unit = unit_or_404(unit_id)
    need(request, Permission.VIEW_PERSON, "No reablement unit with that id")
    current = board_version.token(request.actor, [(unit.pk, unit.board_version)])
    refresh = bool(request.headers.get("HX-Request"))
    if refresh and request.GET.get("since") == current:
        return unchanged(current)
    shown = board.unit_board(request.actor, unit)
    selectors.record_board_view(
        actor=request.actor, unit=unit, stay_ids=shown.stay_ids, version=unit.board_version, refresh=refresh
    )
    is_own = unit.organisation_id == request.actor.organisation_id
    waiting = list(selectors.referrals_waiting(request.actor, unit)[:50]) if is_own and not refresh else []
    context = {
        "board": shown,
        "unit": unit,
        "waiting": waiting,
        "is_own": is_own,
        "standard": ADMISSION_STANDARD_DAYS,
        "since": current,
    }
    return render(request, "reablement/_board.html" if refresh else "reablement/board.html", context)


def unchanged(current: str) -> HttpResponse:
    """The board the viewer holds is current: nothing to swap (htmx leaves the page as it is on 204)."""
    response = HttpResponse(status=204)  # the site's middleware marks it no-store, like every page
    response["X-Board-Version"] = current
    return response


@actor_required
@personal_data("bed_id", Permission.EDIT_PERSON, reach="own")
def bed_status(request: ActorRequest, bed_id: int) -> HttpResponse:
    """Set a bed clean, awaiting clean, reserved for a waiting referral, or closed (a confirmation page with
    the reason and date)."""
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        bed = selectors.get_bed(bed_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if bed.unit.organisation_id != request.actor.organisation_id:
        raise Http404("No bed with that id")
    waiting = selectors.referrals_waiting(request.actor, bed.unit)
    initial = {
        "status": bed.status,
        "referral": bed.reserved_for_id,
        "reason": bed.closed_reason,
        "on": bed.closed_on,
    }
    form = BedStatusForm(request.POST or None, initial=initial, waiting=waiting)

    def _save(data: dict[str, Any]) -> object:
        referral = data.pop("referral")
        return beds.set_bed_status(
            actor=request.actor, bed_id=bed.pk, referral_id=referral.pk if referral else None, **data
        )

    try:
        saved = save_form(request, form, _save)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("reablement:board", unit_id=bed.unit_id)
    if saved is not None:
        messages.info(request, f"Bed {bed.label}: status saved")
        return redirect("reablement:board", unit_id=bed.unit_id)
    return render_form(request, "reablement/bed.html", {"form": form, "bed": bed})


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_referral(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Refer to reablement")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ReferralForm(request.POST or None)

    def _refer(data: dict[str, Any]) -> Referral:
        unit = data.pop("unit")
        return services.refer(actor=request.actor, person_id=person.pk, unit_id=unit.pk, **data)

    referral = save_form(request, form, _refer, rename={"unit_id": "unit"})
    if referral is not None:
        messages.info(request, f"Referral {referral.reference} sent to {referral.unit.name}")
        return redirect("reablement:referral", reablement_id=referral.pk)
    return render_form(request, "reablement/new_referral.html", {"form": form, "person": person})


@actor_required
@personal_data("reablement_id", Permission.VIEW_PERSON)
def referral_detail(request: ActorRequest, reablement_id: int) -> HttpResponse:
    referral = referral_or_404(request, reablement_id)
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    context = {
        "referral": referral,
        "person": referral.person,
        "stay": getattr(referral, "stay", None),
        "events": referral.events.select_related("actor", "organisation"),
        "can_edit": can_edit,
        "is_unit": referral.unit.organisation_id == request.actor.organisation_id,
        "decision_form": DecisionForm(),
    }
    return render(request, "reablement/referral.html", context)


@require_POST
@actor_required
@personal_data("reablement_id", Permission.EDIT_PERSON)
def decide(request: ActorRequest, reablement_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    referral = referral_or_404(request, reablement_id, purpose="Update reablement referral")
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")[:600]

    def _decide() -> str:
        done = services.decide_referral(
            actor=request.actor, referral_id=referral.pk, decision=decision, reason=reason
        )
        return f"{done.reference}: {done.get_status_display().lower()}"

    run_action(request, _decide)
    return redirect("reablement:referral", reablement_id=referral.pk)


@actor_required
@personal_data("reablement_id", Permission.EDIT_PERSON)
def admit(request: ActorRequest, reablement_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    referral = referral_or_404(request, reablement_id, purpose="Update reablement referral")
    form = AdmitForm(request.POST or None, unit=referral.unit, initial={"bed": request.GET.get("bed")})

    def _admit(data: dict[str, Any]) -> object:
        return services.admit(
            actor=request.actor,
            referral_id=referral.pk,
            bed_id=data["bed"].pk,
            admitted_at=moment(data["admitted_on"], data["admitted_time"]),
            expected_discharge_on=data["expected_discharge_on"],
        )

    try:
        stay = save_form(request, form, _admit, rename={"bed_id": "bed", "admitted_at": "admitted_on"})
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("reablement:referral", reablement_id=referral.pk)
    if stay is not None:
        messages.info(request, f"Admitted to bed {form.cleaned_data['bed'].label}")
        return redirect("reablement:board", unit_id=referral.unit_id)
    return render_form(request, "reablement/admit.html", {"form": form, "referral": referral})
