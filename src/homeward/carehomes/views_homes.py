"""Pages about a provider's homes themselves (no names): add a home, add a room, and a home's KPIs by month.
Only a care provider's own staff who may edit records add homes and rooms; bad input re-renders (400) with
the error summary and what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.carehomes import selectors, services
from homeward.carehomes.forms import HomeForm, RoomForm
from homeward.carehomes.kpis import carehome_kpis
from homeward.carehomes.models import CareHome
from homeward.casework.kpis import months_back
from homeward.core.models import OrganisationKind
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

REFUSAL = "Your role cannot add care homes or rooms"


def own_home_or_404(request: ActorRequest, home_id: int) -> CareHome:
    found = selectors.own_homes(request.actor).filter(pk=home_id).first()
    if found is None:
        raise Http404("No care home with that id")
    return found


@actor_required
@no_personal_data("a care home's name, kind and address: no person's data")
def new_home(request: ActorRequest) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    if request.actor.organisation.kind != OrganisationKind.CARE_PROVIDER:
        raise PermissionDenied("Only a care provider runs care homes")
    form = HomeForm(request.POST or None)
    home = save_form(request, form, lambda data: services.create_home(actor=request.actor, **data))
    if home is not None:
        messages.info(request, f"{home.name} added")
        return redirect("carehomes:home", home_id=home.pk)
    return render_form(request, "carehomes/home_form.html", {"form": form, "title": "Add a care home"})


@actor_required
@no_personal_data("a room's name in the organisation's own home: no person's data")
def new_room(request: ActorRequest, home_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL, hide=False)
    found = own_home_or_404(request, home_id)
    form = RoomForm(request.POST or None)
    room = save_form(
        request, form, lambda data: services.add_room(actor=request.actor, home_id=found.pk, **data)
    )
    if room is not None:
        messages.info(request, f"Room {room.name} added")
        return redirect("carehomes:home", home_id=found.pk)
    rooms = list(found.rooms.all()[:500])
    context = {"form": form, "home": found, "rooms": rooms, "title": f"Add a room to {found.name}"}
    return render_form(request, "carehomes/home_form.html", context)


@actor_required
@no_personal_data("counts and rates by month for the organisation's own home, no names")
def home_kpis(request: ActorRequest, home_id: int) -> HttpResponse:
    found = own_home_or_404(request, home_id)
    months = months_back(timezone.localdate())
    kpis = carehome_kpis(request.actor, months, home_id=found.pk)
    return render(
        request,
        "carehomes/kpis.html",
        {"home": found, "kpis": kpis, "months": [f"{a:%Y-%m}" for a, _ in months]},
    )
