"""The home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from homeward.casework.headlines import headline_kpis
from homeward.casework.today import today_for
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required


def sees_headline_kpis(request: ActorRequest) -> bool:
    """Those who see counts across services but no records (commissioners, analysts) start from the KPIs."""
    actor = request.actor
    return actor.can(Permission.VIEW_PSEUDONYMISED) and not actor.can(Permission.VIEW_PERSON)


@actor_required
@no_personal_data("landing page with a search box, counts of work waiting and headline KPIs: no names")
def home(request: ActorRequest) -> HttpResponse:
    """What needs me today (counts for the actor's role, each linking to its filtered list), headline KPIs
    for those who commission or analyse, then search."""
    headlines = headline_kpis(request.actor, timezone.localdate()) if sees_headline_kpis(request) else []
    today = today_for(request.actor)
    context = {
        "today": today,
        "waiting": [item for item in today if item.count],
        "clear": [item for item in today if not item.count],
        "headlines": headlines,
    }
    return render(request, "web/home.html", context)
