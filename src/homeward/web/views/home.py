"""The home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from homeward.governance.routes import no_personal_data
from homeward.web.views import ActorRequest, actor_required


@actor_required
@no_personal_data("landing page with a search box")
def home(request: ActorRequest) -> HttpResponse:
    return render(request, "web/home.html")
