"""Finding people and their record: search, person page with timeline, register, edit, consent, SAR."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.governance import services as governance
from homeward.governance.access import shared_fields_of
from homeward.governance.fields import FIELD_GROUPS
from homeward.governance.models import CorrectionStatus, PersonCorrection
from homeward.governance.routes import personal_data
from homeward.governance.subject_access import export_subject_access
from homeward.people import merges, selectors, services
from homeward.people.forms import ConsentForm, DecisionForm, PersonForm, WithdrawForm
from homeward.people.timeline import known_elsewhere_for, open_work_for, timeline_for
from homeward.web.views import (
    ActorRequest,
    actor_required,
    attach_row_forms,
    need,
    render_form,
    row_form,
    save_form,
    submit_form,
)


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def people(request: ActorRequest) -> HttpResponse:
    """Search by name, date of birth or NHS number. htmx asks for just the results as you type."""
    need(request, Permission.VIEW_PERSON, "Your role cannot search for people")
    query = request.GET.get("q", "").strip()
    results: list[Person] = []
    error: str | None = None
    if query:
        try:
            results = selectors.search_people(actor=request.actor, query=query)
        except ValidationFailed as exc:
            error = exc.errors.get("q", str(exc))
    context = {
        "query": query,
        "results": results,
        "error": error,
        "can_register": request.actor.can(Permission.EDIT_PERSON),
    }
    partial = bool(request.headers.get("HX-Request"))
    context["partial"] = partial
    template = "people/_results.html" if partial else "people/search.html"
    return render(
        request, template, context, status=400 if error and not request.headers.get("HX-Request") else 200
    )


def _person_or_404(request: ActorRequest, person_id: int, purpose: str = "View person record") -> Person:
    try:
        return selectors.get_person(actor=request.actor, person_id=person_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("person_id", Permission.VIEW_PERSON)
def person_detail(request: ActorRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    merge = merges.standing_merge_of(person.pk)
    if merge is not None:  # a merged record's old address says where it went
        messages.info(
            request,
            f"Record {person.pk} was merged into this record on {merge.merged_at:%d %B %Y}: "
            "its cases and history are here",
        )
        return redirect("people:person", person_id=merge.survivor_id)
    return _person_page(request, person)


def _person_page(
    request: ActorRequest,
    person: Person,
    *,
    withdraw: tuple[int, WithdrawForm] | None = None,
    decision: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The person page; `withdraw` is a refused withdrawal (the consent's id and the form), and `decision` a
    refused decision on a proposed correction, shown again as typed with the error summary."""
    groups = shared_fields_of(request.actor, person)
    corrections = [
        c
        for c in selectors.corrections_for(actor=request.actor, person=person)[:50]
        if c.status == CorrectionStatus.PENDING
    ]
    attach_row_forms(corrections, DecisionForm, "decision_form", decision)
    context = {
        "person": person,
        "restricted": groups is not None,
        "shows": {key: groups is None or key in groups for key in FIELD_GROUPS},
        "timeline": timeline_for(request.actor, person),
        "open_work": (open_work := open_work_for(request.actor, person)),
        "open_kinds": {item.kind for item in open_work},
        "known_elsewhere": (known := known_elsewhere_for(request.actor, person)),
        "working_now": [k.organisation for k in known if k.working_now],
        "consents": (consents := list(person.consents.all())),
        "tenancies": person.tenancies.select_related("property"),
        "can_edit": groups is None and request.actor.can(Permission.EDIT_PERSON),
        "can_export": groups is None and request.actor.can(Permission.EXPORT_SUBJECT_ACCESS),
        "holder": (holder := person.organisation_id == request.actor.organisation_id),
        "can_merge": holder and request.actor.can(Permission.MERGE_PEOPLE),
        "merges": merges.merges_of(person) if holder and request.actor.can(Permission.MERGE_PEOPLE) else [],
        "corrections": corrections,
        "form": withdraw[1] if withdraw else decision,  # the error summary
    }
    for consent in consents:  # the refused withdrawal's reason as typed, and its error, at its consent
        error, typed = "", ""
        if withdraw is not None and withdraw[0] == consent.pk:
            form = withdraw[1]
            error = " ".join(str(e) for e in form.errors.get("reason", []))
            typed = form["reason"].value() or ""
        consent.withdraw_error, consent.withdraw_typed = error, typed  # type: ignore[attr-defined]
    return render(request, "people/detail.html", context, status=status)


@actor_required
@personal_data("create", Permission.EDIT_PERSON)
def person_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot register people")
    form = PersonForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "title": "Register a person"}
    if request.method == "POST" and form.is_valid() and request.POST.get("not_a_duplicate") != "yes":
        data = form.cleaned_data
        duplicates = selectors.likely_duplicates(
            actor=request.actor,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            postcode=data.get("postcode", ""),
        )
        if duplicates:
            # Shown before saving: the same name, date of birth and postcode is probably the same person.
            return render(request, "people/form.html", context | {"duplicates": duplicates})
    person = save_form(request, form, lambda data: services.register_person(actor=request.actor, **data))
    if person is not None:
        messages.info(request, f"{person.full_name} has been registered")
        return redirect("people:person", person_id=person.pk)
    if form.errors.get("nhs_number") and form.data.get("nhs_number"):
        context["existing"] = selectors.already_registered(
            actor=request.actor, nhs_number=str(form.data["nhs_number"])
        )
    return render_form(request, "people/form.html", context)


@actor_required
@personal_data("person_id", Permission.EDIT_PERSON)
def person_edit(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot change people's details")
    person = _person_or_404(request, person_id, purpose="Edit person record")
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.update_person(actor=request.actor, person_id=person.pk, changes=data),
    )
    if isinstance(saved, PersonCorrection):
        messages.info(
            request,
            f"{person.organisation} holds this record, so your changes were sent to them as a proposed "
            "correction: they will accept or reject it",
        )
        return redirect("people:person", person_id=person.pk)
    if saved is not None:
        messages.info(request, "Details saved")
        return redirect("people:person", person_id=person.pk)
    context = {"form": form, "person": person, "title": "Change details"}
    return render_form(request, "people/form.html", context)


@require_POST
@actor_required
# Only the organisation holding the record decides; a partner (even the proposer) gets a 404.
@personal_data("person_id", Permission.EDIT_PERSON, reach="own")
def correction_decide(request: ActorRequest, person_id: int, correction_id: int) -> HttpResponse:
    need(request, Permission.EDIT_PERSON, "Your role cannot change people's details")
    person = _person_or_404(request, person_id, purpose="Decide on a proposed correction")
    form = row_form(DecisionForm, correction_id, request.POST)

    def _decide(data: dict[str, Any]) -> PersonCorrection:
        return services.decide_correction(
            actor=request.actor,
            person_id=person.pk,
            correction_id=correction_id,
            accept=data["decision"] == "accept",
            note=data["note"],
        )

    return submit_form(
        request,
        form,
        _decide,
        done=lambda correction: f"Correction from {correction.organisation} {correction.status}",
        back=reverse("people:person", args=[person.pk]),
        again=lambda: _person_page(request, person, decision=form),
    )


@actor_required
@personal_data("person_id", Permission.RECORD_CONSENT)
def consent_new(request: ActorRequest, person_id: int) -> HttpResponse:
    need(request, Permission.RECORD_CONSENT, "Your role cannot record consent")
    person = _person_or_404(request, person_id, purpose="Record consent")
    form = ConsentForm(request.POST or None)
    recorded = save_form(
        request,
        form,
        lambda data: governance.record_consent(actor=request.actor, person_id=person.pk, **data),
    )
    if recorded is not None:
        messages.info(request, "Consent recorded")
        return redirect("people:person", person_id=person.pk)
    return render_form(request, "people/consent.html", {"form": form, "person": person})


@require_POST
@actor_required
@personal_data("person_id", Permission.RECORD_CONSENT)
def consent_withdraw(request: ActorRequest, person_id: int, consent_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id, purpose="Withdraw consent")
    form = WithdrawForm(request.POST, auto_id=f"%s-{consent_id}")  # the page's id for this consent's reason

    def withdraw(data: dict[str, Any]) -> bool:
        governance.withdraw_consent(actor=request.actor, consent_id=consent_id, **data)
        return True

    try:
        withdrawn = save_form(request, form, withdraw)
    except (NotFound, NotAllowed) as exc:
        raise Http404(str(exc)) from exc
    if withdrawn:
        messages.info(request, "Consent withdrawn")
        return redirect("people:person", person_id=person.pk)
    # Refused (no reason, too long, a control character): the page again with the reason as typed.
    return _person_page(request, person, withdraw=(consent_id, form), status=400)


@actor_required
@personal_data("person_id", Permission.EXPORT_SUBJECT_ACCESS)
def subject_access(request: ActorRequest, person_id: int) -> HttpResponse:
    try:
        document = export_subject_access(actor=request.actor, person_id=person_id)
    except (NotFound, NotAllowed) as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.json"'
    return response
