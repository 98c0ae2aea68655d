"""Directory pages: search, one service, a provider's referral settings, import and export."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
from homeward.referrals import directory, directory_services, openreferral
from homeward.referrals.forms import DirectoryImportForm, DirectorySearchForm, ServiceSettingsForm
from homeward.referrals.models import Service
from homeward.web.views import (
    ActorRequest,
    actor_required,
    add_errors,
    counted_page,
    need,
    render_form,
    save_form,
)


def _choices(taxonomy: str) -> list[tuple[str, str]]:
    return [(str(t.pk), t.name) for t in directory.terms_of(taxonomy)]


def _service_or_404(service_id: Any) -> Service:
    try:
        return directory.get_service(str(service_id))
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@no_personal_data("The service directory lists services, not people")
def search(request: ActorRequest) -> HttpResponse:
    form = DirectorySearchForm(
        request.GET or None,
        needs=_choices(directory.NEEDS_TAXONOMY),
        eligibility=_choices(directory.ELIGIBILITY_TAXONOMY),
    )
    page, searched = None, False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = directory.ServiceSearch(
            text=data["text"] or "",
            need=data["need"] or "",
            eligibility=data["eligibility"] or "",
            postcode=data["postcode"] or "",
            within_km=data["within_km"] if data["within_km"] is not None else 5.0,
            age=data["age"],
            open_now=data["open_now"],
            accepts_referrals=data["accepts_referrals"],
        )
        try:
            results = directory.search_services(query)
            page = counted_page(results, request.GET.get("page"), per_page=20)
            searched = True
        except ValidationFailed as exc:
            add_errors(form, exc)
    elif not form.is_bound:
        page = counted_page(directory.search_services(directory.ServiceSearch()), request.GET.get("page"), 20)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searched": searched,
        "query_string": params.urlencode(),
        **_referring(request),
        "can_import": request.actor.can(Permission.MANAGE_ORGANISATION),
    }
    return render_form(request, "referrals/directory/search.html", context)


def _referring(request: ActorRequest) -> dict[str, str]:
    """Who is being referred, and from which case, carried from the directory to the referral form."""
    person = request.GET.get("person", "")
    if not person.isdigit():
        return {"person_id": "", "carry": "", "source_carry": ""}
    source = {k: request.GET.get(k, "") for k in ("source_type", "source_id")}
    source_ok = (
        source["source_id"].isdigit() and source["source_type"].replace(".", "").replace("_", "").isalnum()
    )
    source_carry = urlencode(source) if source_ok else ""
    return {
        "person_id": person,
        "carry": urlencode({"person": person}) + (f"&{source_carry}" if source_carry else ""),
        "source_carry": source_carry,
        "source_type": source["source_type"] if source_ok else "",
        "source_id": source["source_id"] if source_ok else "",
    }


@actor_required
@no_personal_data("A directory service's public details")
def service_detail(request: ActorRequest, service_id: str) -> HttpResponse:
    service = _service_or_404(service_id)
    now = timezone.now()
    context = {
        "service": service,
        "is_open_now": directory.Service.objects.filter(pk=service.pk)
        .filter(directory.open_at(now))
        .exists(),
        "this_week": directory.referrals_this_week(service),
        "has_room": directory.has_room(service),
        "can_manage": directory_services.can_manage_service(request.actor, service),
        **_referring(request),
        "needs": [
            a.term
            for a in service.attributes.all()
            if a.term.taxonomy and a.term.taxonomy.name == directory.NEEDS_TAXONOMY
        ],
        "eligibility": [
            a.term
            for a in service.attributes.all()
            if a.term.taxonomy and a.term.taxonomy.name == directory.ELIGIBILITY_TAXONOMY
        ],
    }
    return render(request, "referrals/directory/service.html", context)


@actor_required
@no_personal_data("A directory service's referral settings")
def service_settings(request: ActorRequest, service_id: str) -> HttpResponse:
    service = _service_or_404(service_id)
    if not directory_services.can_manage_service(request.actor, service):
        raise Http404("Only the provider can change these settings")
    initial = {
        "accepts_referrals": service.accepts_referrals,
        "capacity": service.capacity,
        "acknowledge_within_days": service.acknowledge_within_days,
    }
    form = ServiceSettingsForm(request.POST or None, initial=initial)

    def _save(data: dict[str, Any]) -> Any:
        return directory_services.update_service_settings(actor=request.actor, service_id=service_id, **data)

    if save_form(request, form, _save) is not None:
        messages.info(request, "Referral settings saved")
        return redirect("referrals:service", service_id=service_id)
    return render_form(request, "referrals/directory/settings.html", {"form": form, "service": service})


@actor_required
@no_personal_data("Importing the service directory (no people in it)")
def import_file(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, "Only administrators can import the directory")
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            payload = directory_services.parse_directory_file(form.cleaned_data["file"].read())
            count = directory_services.import_directory(actor=request.actor, payload=payload)
            messages.info(request, f"Imported {count} services")
            return redirect("referrals:directory")
        except ValidationFailed as exc:
            problems = [{"path": k, "problem": v} for k, v in exc.errors.items()]
            form.add_error(
                "file", f"Nothing was imported: {len(problems)} problem(s) in the file, listed below"
            )
    return render_form(request, "referrals/directory/import.html", {"form": form, "problems": problems})


@actor_required
@no_personal_data("Exporting the service directory (no people in it)")
def export_file(request: ActorRequest) -> HttpResponse:
    body = json.dumps(openreferral.export_services(), indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="homeward-directory-openreferral-uk.json"'
    return response
