"""Unit-level pages: the provider-wide bed board, a unit's weekly MDT list, the open MDT actions of the
organisation's units (its task list), the organisation's functional measures, commissioners' contract
reports (HTML and CSV) and "What if we open more beds?". Thin: parse, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.routes import no_personal_data, personal_data
from homeward.reablement import board, board_version, daily, mdt, selectors, whatif
from homeward.reablement import contract_report as reports
from homeward.reablement.forms import ContractForm, MeasureForm, WhatIfForm
from homeward.reablement.models import FunctionalMeasure
from homeward.reablement.views import unchanged, unit_or_404
from homeward.web.views import ActorRequest, actor_required, add_errors, need, render_form, save_form


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def provider_board(request: ActorRequest) -> HttpResponse:
    """Every bed of every unit the organisation runs, on one screen. Polled like the unit board (htmx every
    2 seconds with `?since=`): 204 while no unit's version has moved, after one query."""
    need(request, Permission.VIEW_PERSON, "Your role does not see the bed board")
    versions = board_version.provider_versions(request.actor.organisation_id)
    current = board_version.token(request.actor, versions)
    refresh = bool(request.headers.get("HX-Request"))
    if refresh and request.GET.get("since") == current:
        return unchanged(current)
    boards = board.provider_board(request.actor)
    held = dict(versions)
    for shown in boards:
        selectors.record_board_view(
            actor=request.actor,
            unit=shown.unit,
            stay_ids=shown.stay_ids,
            version=held.get(shown.unit.pk, shown.unit.board_version),
            refresh=refresh,
        )
    template = "reablement/_provider_board.html" if refresh else "reablement/provider_board.html"
    return render(request, template, {"boards": boards, "is_own": True, "since": current})


@actor_required
@personal_data("search", Permission.VIEW_PERSON)
def mdt_list(request: ActorRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(unit_id)
    rows = mdt.mdt_list(request.actor, unit)
    record_event(
        actor=request.actor,
        action=AuditAction.SEARCH,
        purpose=f"Reablement MDT list: {unit.name}",
        detail={"unit": unit.pk, "stays": [r.stay.pk for r in rows]},
    )
    return render(request, "reablement/mdt_list.html", {"unit": unit, "rows": rows})


@actor_required
@personal_data("search", Permission.VIEW_PERSON, reach="own")
def my_actions(request: ActorRequest) -> HttpResponse:
    """Open MDT actions on stays in the organisation's units: the actor's own first, then the rest."""
    rows = list(mdt.open_actions_in_units(request.actor)[:200])
    record_event(
        actor=request.actor,
        action=AuditAction.SEARCH,
        purpose="Reablement MDT actions",
        detail={"actions": [a.pk for a in rows]},
    )
    mine = [a for a in rows if a.owner_user_id == request.actor.user.pk]
    others = [a for a in rows if a.owner_user_id != request.actor.user.pk]
    context = {"mine": mine, "others": others, "today": timezone.localdate()}
    return render(request, "reablement/actions.html", context)


@actor_required
@no_personal_data("The organisation's functional measures: names, ranges and licences")
def measures(request: ActorRequest) -> HttpResponse:
    can_manage = request.actor.can(Permission.MANAGE_ORGANISATION)
    form = MeasureForm(request.POST or None)
    if request.method == "POST":
        need(request, Permission.MANAGE_ORGANISATION, "Only an administrator sets up measures", hide=False)
        made = save_form(request, form, lambda data: daily.define_measure(actor=request.actor, **data))
        if made is not None:
            messages.info(request, f"Measure {made.name} added")
            return redirect("reablement:measures")
    rows = FunctionalMeasure.objects.filter(organisation_id=request.actor.organisation_id)
    return render_form(
        request, "reablement/measures.html", {"form": form, "rows": rows, "can_manage": can_manage}
    )


@actor_required
@no_personal_data("Contracts and their targets: no person")
def contracts(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_CONTRACTS, "Your role does not see contracts", hide=False)
    context = {
        "contracts": reports.visible_contracts(request.actor),
        "can_manage": request.actor.can(Permission.MANAGE_CONTRACTS),
    }
    return render(request, "reablement/contracts.html", context)


@actor_required
@no_personal_data("A contract's unit, dates and targets: no person")
def contract_new(request: ActorRequest) -> HttpResponse:
    """The commissioner sets up a contract with its targets."""
    need(request, Permission.MANAGE_CONTRACTS, "Only a commissioner sets up contracts", hide=False)
    form = ContractForm(request.POST or None, organisation_id=request.actor.organisation_id)
    made = save_form(
        request,
        form,
        lambda _: reports.create_contract(actor=request.actor, **form.service_args()),
        ContractForm.rename(),
    )
    if made is not None:
        messages.info(request, f"Contract {made.reference} set up")
        return redirect("reablement:contract", contract_id=made.pk)
    return render_form(request, "reablement/contract_form.html", {"form": form, "contract": None})


@actor_required
@no_personal_data("A contract's unit, dates and targets: no person")
def contract_edit(request: ActorRequest, contract_id: int) -> HttpResponse:
    """The commissioner changes its contract's unit, reference, dates and targets."""
    need(request, Permission.MANAGE_CONTRACTS, "Only a commissioner changes contracts", hide=False)
    try:
        contract = reports.editable_contract(request.actor, contract_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    form = ContractForm(
        request.POST or None,
        organisation_id=request.actor.organisation_id,
        initial=ContractForm.initial_for(contract),
    )
    saved = save_form(
        request,
        form,
        lambda _: reports.update_contract(
            actor=request.actor, contract_id=contract.pk, **form.service_args()
        ),
        ContractForm.rename(),
    )
    if saved is not None:
        messages.info(request, f"Contract {saved.reference} changed")
        return redirect("reablement:contract", contract_id=saved.pk)
    return render_form(request, "reablement/contract_form.html", {"form": form, "contract": contract})


def _report(request: ActorRequest, contract_id: int) -> tuple[Any, list[reports.ReportMonth], dt.date, int]:
    need(request, Permission.VIEW_CONTRACTS, "Your role does not see contracts", hide=False)
    try:
        contract = reports.get_contract(request.actor, contract_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    default_first = reports.default_first(contract)
    try:
        first = (
            dt.date.fromisoformat(request.GET.get("from", "") + "-01") if request.GET.get("from") else None
        )
        months = int(request.GET.get("months", "12"))
    except ValueError:
        first, months = None, 0
    try:
        rows = reports.contract_report(request.actor, contract, first or default_first, months)
    except (ValidationFailed, NotAllowed) as exc:
        raise Http404(str(exc)) from exc
    return contract, rows, first or default_first, months


@actor_required
@no_personal_data("Monthly counts, shares and medians per unit with their intervals: no person")
def contract_report(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract, rows, first, months = _report(request, contract_id)
    context = {
        "contract": contract,
        "rows": rows,
        "first": first,
        "months": months,
        "can_edit": request.actor.can(Permission.MANAGE_CONTRACTS)
        and contract.commissioner_id == request.actor.organisation_id,
    }
    return render(request, "reablement/contract.html", context)


def _download(body: bytes, content_type: str, contract: Any, first: dt.date, ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"reablement-contract-{contract.pk}-{first:%Y-%m}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@actor_required
@no_personal_data("Monthly counts, shares and medians per unit with their intervals: no person")
def contract_pdf(request: ActorRequest, contract_id: int) -> HttpResponse:
    """The monthly contract report as PDF (WeasyPrint, like the business-case report)."""
    contract, rows, first, months = _report(request, contract_id)
    body = reports.report_pdf(contract, rows, first, months, request.build_absolute_uri("/"))
    return _download(body, "application/pdf", contract, first, "pdf")


@actor_required
@no_personal_data("Monthly counts, shares and medians per unit with their intervals: no person")
def contract_xlsx(request: ActorRequest, contract_id: int) -> HttpResponse:
    """The monthly contract report as a workbook (XlsxWriter, like the business-case report)."""
    contract, rows, first, _ = _report(request, contract_id)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(reports.report_xlsx(contract, rows), kind, contract, first, "xlsx")


@actor_required
@no_personal_data("Monthly counts, shares and medians per unit with their intervals: no person")
def contract_csv(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract, rows, first, _ = _report(request, contract_id)
    response = HttpResponse(reports.report_csv(contract, rows), content_type="text/csv; charset=utf-8")
    name = f"reablement-contract-{contract.pk}-{first:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@actor_required
@no_personal_data("Bed counts, referral rates and lengths of stay of a unit: no person")
def what_if(request: ActorRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(unit_id)
    if unit.organisation_id != request.actor.organisation_id:
        raise Http404("No reablement unit with that id")
    from homeward.outcomes.services import can_keep_simulation_runs

    data = request.POST if request.method == "POST" else request.GET
    form = WhatIfForm(data if "extra_beds" in data else None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = whatif.what_if(unit, **form.cleaned_data)
            if request.method == "POST":  # keep both runs and value the bed-days saved
                base, other = whatif.keep_runs(request.actor, unit, result)
                return redirect(reverse("outcomes:send_to_cba") + f"?base={base}&other={other}")
        except ValidationFailed as exc:
            add_errors(form, exc)
    can_value = can_keep_simulation_runs(request.actor)
    context = {"unit": unit, "form": form, "result": result, "can_value": can_value}
    return render_form(request, "reablement/what_if.html", context)
