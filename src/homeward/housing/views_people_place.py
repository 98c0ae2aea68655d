"""The people and place team's light-touch case: open one by hand (or from a prevention alert's decision),
see what help it is for and where it came from, send its referrals through the referral model (money
advice, a handyperson, adaptations through the partner's service) and close it with the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.housing import selectors, services
from homeward.housing.codes import PeoplePlaceHelp
from homeward.housing.models import PeoplePlaceCase
from homeward.housing.options_forms import PeoplePlaceCloseForm, PeoplePlaceForm
from homeward.people.selectors import get_person
from homeward.referrals.selectors import referrals_from
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

#: Where a case can come from: source_type -> (words, URL name of the source's page).
SOURCES = {"prevention.alert": ("a tenancy-trigger alert", "prevention:alert")}
#: The case type its referrals carry (registered with referrals.sources in apps.py).
CASE_TYPE = "housing.people_place"
REFUSAL = "Your role cannot record people and place cases"


def source_link(case: PeoplePlaceCase) -> tuple[str, str] | None:
    """(words, URL) for the record the case was opened from, or None."""
    if case.source_id is None or case.source_type not in SOURCES:
        return None
    words, url_name = SOURCES[case.source_type]
    return words, reverse(url_name, args=[case.source_id])


def _case(request: ActorRequest, case_id: int) -> PeoplePlaceCase:
    try:
        return selectors.get_people_place_case(actor=request.actor, case_id=case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def new_people_place_case(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    try:
        person = get_person(actor=request.actor, person_id=person_id, purpose="Open a people and place case")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = PeoplePlaceForm(request.POST or None)

    def _open(data: dict[str, Any]) -> PeoplePlaceCase:
        return services.open_people_place_case(
            actor=request.actor, person_id=person.pk, help=data["help"], note=data["note"], on=data["on"]
        )

    done = save_form(request, form, _open)
    if done is not None:
        messages.info(request, f"People and place case {done.reference} opened")
        return redirect("housing:people_place", people_place_id=done.pk)
    return render_form(request, "housing/people_place_new.html", {"form": form, "person": person})


@actor_required
@personal_data("people_place_id", Permission.VIEW_PERSON, reach="own")
def people_place_case(request: ActorRequest, people_place_id: int) -> HttpResponse:
    case = _case(request, people_place_id)
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    context = {
        "case": case,
        "help": [PeoplePlaceHelp(h).label for h in case.help if h in PeoplePlaceHelp.values],
        "source": source_link(case),
        "referrals": referrals_from(request.actor, CASE_TYPE, case.pk),
        "can_edit": can_edit and case.closed_on is None,
        "refer_url": reverse("referrals:send", args=[case.person_id])
        + f"?source_type={CASE_TYPE}&source_id={case.pk}",
    }
    return render(request, "housing/people_place_case.html", context)


@actor_required
@personal_data("people_place_id", Permission.EDIT_PERSON, reach="own")
def close_people_place_case(request: ActorRequest, people_place_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, REFUSAL)
    case = _case(request, people_place_id)
    form = PeoplePlaceCloseForm(request.POST or None)
    done = save_form(
        request,
        form,
        lambda data: services.close_people_place_case(actor=request.actor, case_id=case.pk, **data),
    )
    if done is not None:
        messages.info(request, f"{done.reference} closed")
        return redirect("housing:people_place", people_place_id=case.pk)
    return render_form(request, "housing/people_place_close.html", {"form": form, "case": case})
