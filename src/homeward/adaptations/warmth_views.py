"""The warm-homes check page of a visit. Thin: parse, call `warmth`, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from homeward.adaptations import warmth
from homeward.adaptations.healthy_forms import WarmHomesForm
from homeward.adaptations.healthy_views import EDIT_REFUSAL, _visit
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form


@actor_required
@personal_data("visit_id", Permission.EDIT_PERSON)
def warm_homes(request: ActorRequest, visit_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    visit = _visit(request, visit_id, "Record a warm-homes check")
    form = WarmHomesForm(request.POST or None)

    def _save(data: dict[str, Any]) -> object:
        return warmth.record_warm_homes_check(actor=request.actor, visit_id=visit.pk, **data)

    saved = save_form(request, form, _save)
    if saved is not None:
        return redirect(reverse("adaptations:visit", args=[visit.pk]) + "#warm-homes")
    return render_form(request, "adaptations/warm_homes.html", {"form": form, "visit": visit})
