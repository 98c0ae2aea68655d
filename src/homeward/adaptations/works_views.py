"""The schedule of works page and its forms (items, quotes, the contractor, variations). Thin: parse, call
`works`, render; each form posts to its own route and the page shows again with errors and what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from homeward.adaptations import works
from homeward.adaptations.models import AdaptationCase
from homeward.adaptations.views import EDIT_REFUSAL, case_or_404
from homeward.adaptations.works_forms import ChooseForm, QuoteForm, VariationForm, WorkItemForm
from homeward.core.errors import NotAllowed
from homeward.core.roles import Permission
from homeward.governance.routes import personal_data
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

FORMS: dict[str, type[forms.Form]] = {
    "item_form": WorkItemForm,
    "quote_form": QuoteForm,
    "choose_form": ChooseForm,
    "variation_form": VariationForm,
}


def _form(name: str, data: Any = None) -> forms.Form:
    """Each form's ids are its own (`quote_amount`, `variation_amount`) on the one page."""
    return FORMS[name](data, auto_id=name.removesuffix("_form") + "_%s")


def _page(
    request: ActorRequest, case: AdaptationCase, bound: str = "", form: forms.Form | None = None
) -> HttpResponse:
    context: dict[str, Any] = {name: _form(name) for name in FORMS}
    if bound and form is not None:
        context[bound] = form
    can_edit = request.actor.can(Permission.EDIT_PERSON)
    context |= {
        "form": form or context["item_form"],
        "case": case,
        "items": list(case.work_items.all()),
        "quotes": works.compare(case),
        "variations": list(case.variations.all()),
        "totals": works.totals(case),
        "min_quotes": works.min_quotes(),
        "can_schedule": can_edit and case.status in works.SCHEDULE_STAGES,
        "can_vary": can_edit and case.status in works.VARIATION_STAGES,
        "can_add_items": can_edit and case.status in works.SCHEDULE_STAGES + works.VARIATION_STAGES,
    }
    return render_form(request, "adaptations/works.html", context)


@actor_required
@personal_data("adaptation_id", Permission.VIEW_PERSON)
def schedule(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    case = case_or_404(request, adaptation_id, purpose="View the schedule of works")
    return _page(request, case)


def _post(
    request: ActorRequest, adaptation_id: int, name: str, action: Callable[..., object], done: str
) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, EDIT_REFUSAL)
    case = case_or_404(request, adaptation_id, purpose="Update the schedule of works")
    if request.method != "POST":
        return redirect("adaptations:works", adaptation_id=case.pk)
    form = _form(name, request.POST)

    def _save(data: dict[str, Any]) -> object:
        return action(actor=request.actor, case_id=case.pk, **data)

    try:
        saved = save_form(request, form, _save)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("adaptations:works", adaptation_id=case.pk)
    if saved is not None:
        messages.info(request, done)
        return redirect(reverse("adaptations:works", args=[case.pk]) + f"#{name.removesuffix('_form')}")
    case.refresh_from_db()
    return _page(request, case, name, form)


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_item(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    return _post(request, adaptation_id, "item_form", works.add_item, "Item added to the schedule")


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_quote(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    return _post(request, adaptation_id, "quote_form", works.add_quote, "Quote recorded")


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def choose(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    return _post(request, adaptation_id, "choose_form", works.choose_contractor, "Contractor chosen")


@actor_required
@personal_data("adaptation_id", Permission.EDIT_PERSON)
def add_variation(request: ActorRequest, adaptation_id: int) -> HttpResponse:
    return _post(request, adaptation_id, "variation_form", works.add_variation, "Variation recorded")
