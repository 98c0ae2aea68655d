"""The people and place team's light-touch case page: what help, where the case came from (a prevention
alert's decision links back to the alert)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.housing import selectors
from homeward.housing.codes import PeoplePlaceHelp
from homeward.housing.models import PeoplePlaceCase
from homeward.web.views import ActorRequest, actor_required

#: Where a case can come from: source_type -> (words, URL name of the source's page).
SOURCES = {"prevention.alert": ("a tenancy-trigger alert", "prevention:alert")}


def source_link(case: PeoplePlaceCase) -> tuple[str, str] | None:
    """(words, URL) for the record the case was opened from, or None."""
    if case.source_id is None or case.source_type not in SOURCES:
        return None
    words, url_name = SOURCES[case.source_type]
    return words, reverse(url_name, args=[case.source_id])


@actor_required
@personal_data("people_place_id", Permission.VIEW_PERSON, reach="own")
def people_place_case(request: ActorRequest, people_place_id: int) -> HttpResponse:
    try:
        case = selectors.get_people_place_case(actor=request.actor, case_id=people_place_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context = {
        "case": case,
        "help": [PeoplePlaceHelp(h).label for h in case.help if h in PeoplePlaceHelp.values],
        "source": source_link(case),
    }
    return render(request, "housing/people_place_case.html", context)
