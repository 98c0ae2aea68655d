"""The home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from homeward.casework.today import today_for
from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required


@actor_required
@no_personal_data("landing page with a search box and counts of work waiting: no names")
def home(request: ActorRequest) -> HttpResponse:
    """What needs me today (counts for the actor's role, each linking to its filtered list), then search."""
    return render(request, "web/home.html", {"today": today_for(request.actor)})
