"""Outcome contract pages: the list, setting one up, the rate card, claims and their review, and the
payer's export. Claims carry pseudonyms and case references, never names."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from homeward.contracts import export, services
from homeward.contracts.codes import ClaimStatus
from homeward.contracts.forms import ContractForm, LineForm, ReviewForm
from homeward.core.errors import NotFound
from homeward.core.roles import Permission
from homeward.governance.routes import no_personal_data
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

PSEUDONYMOUS = "claims show pseudonyms and case references, never names"


NO_ACCESS = "Your role has no outcome contracts"


def _contract(request: ActorRequest, contract_id: int) -> Any:
    need(request, Permission.VIEW_CONTRACTS, NO_ACCESS)
    try:
        return services.get_contract(request.actor, contract_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@no_personal_data("the contracts an organisation commissions or provides")
def contract_list(request: ActorRequest) -> HttpResponse:
    need(request, Permission.VIEW_CONTRACTS, NO_ACCESS)
    contracts = [(c, services.totals(c)) for c in services.visible_contracts(request.actor)]
    return render(
        request,
        "contracts/list.html",
        {"contracts": contracts, "can_create": request.actor.can(Permission.MANAGE_CONTRACTS)},
    )


@actor_required
@no_personal_data("setting up a contract (terms and prices only)")
def contract_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_CONTRACTS, NO_ACCESS)
    form = ContractForm(request.POST or None, actor=request.actor)

    def _save(data: dict[str, Any]) -> Any:
        return services.create_contract(
            actor=request.actor,
            reference=data["reference"],
            title=data["title"],
            provider_id=data["provider"].pk,
            start_date=data["start_date"],
            end_date=data["end_date"],
            total_cap=data["total_cap"],
            person_cap=data["person_cap"],
        )

    contract = save_form(request, form, _save)
    if contract is not None:
        return redirect("contracts:detail", contract_id=contract.pk)
    return render_form(request, "contracts/new.html", {"form": form})


def _detail(
    request: ActorRequest,
    contract: Any,
    run: Any = None,
    line_form: Any = None,
    review_form: ReviewForm | None = None,
) -> HttpResponse:
    """The contract page; `line_form` or `review_form` is a refused one, shown again as typed (400)."""
    status = request.GET.get("status", "")
    claims = contract.claims.select_related("line").order_by("achieved_on", "pk")
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    is_commissioner = contract.commissioner_id == request.actor.organisation_id
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    attach_row_forms(page.object_list, ReviewForm, "review_form", review_form)
    context = {
        "contract": contract,
        "totals": services.totals(contract),
        "claims": page,
        "status": status,
        "statuses": ClaimStatus.choices,
        "run": run,
        "is_commissioner": is_commissioner,
        "can_review": is_commissioner and request.actor.can(Permission.REVIEW_CLAIMS),
        "can_price": is_commissioner and request.actor.can(Permission.MANAGE_CONTRACTS),
        "can_claim": contract.provider_id == request.actor.organisation_id
        and request.actor.can(Permission.MAKE_CLAIMS),
        "line_form": line_form or LineForm(),
        "form": review_form,  # the error summary
        "query": request.GET.urlencode(),  # the review forms post back to this page and filter
    }
    refused = line_form is not None or review_form is not None
    return render(request, "contracts/detail.html", context, status=400 if refused else 200)


@actor_required
@no_personal_data(f"a contract's terms, totals and claims; {PSEUDONYMOUS}")
def contract_detail(request: ActorRequest, contract_id: int) -> HttpResponse:
    return _detail(request, _contract(request, contract_id))


@require_POST
@actor_required
@no_personal_data("adding a rate-card line (an outcome and its price)")
def add_line(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    need(request, Permission.MANAGE_CONTRACTS, NO_ACCESS)
    form = LineForm(request.POST)

    def _save(data: dict[str, Any]) -> Any:
        return services.add_line(actor=request.actor, contract_id=contract.pk, **data)

    if save_form(request, form, _save) is None:
        return _detail(request, contract, line_form=form)
    return redirect("contracts:detail", contract_id=contract.pk)


@require_POST
@actor_required
@no_personal_data(f"claiming for outcomes (reads cases through the access layer, audited); {PSEUDONYMOUS}")
def generate(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    need(request, Permission.MAKE_CLAIMS, NO_ACCESS)
    try:
        run = services.generate_claims(actor=request.actor, contract_id=contract.pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return _detail(request, contract, run=run)


@require_POST
@actor_required
@no_personal_data(f"reviewing a claim; {PSEUDONYMOUS}")
def review(request: ActorRequest, contract_id: int, claim_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    need(request, Permission.REVIEW_CLAIMS, NO_ACCESS)
    form = row_form(ReviewForm, claim_id, request.POST)
    query = request.GET.urlencode()

    def _review(data: dict[str, Any]) -> Any:
        return services.review_claim(actor=request.actor, claim_id=claim_id, **data)

    return submit_form(
        request,
        form,
        _review,
        done=lambda claim: f"Claim {claim.pk} {claim.get_status_display().lower()}",
        back=reverse("contracts:detail", args=[contract.pk]) + (f"?{query}" if query else "") + "#claims",
        again=lambda: _detail(request, contract, review_form=form),
    )


@actor_required
@no_personal_data(f"the payer's export; {PSEUDONYMOUS}")
def claims_csv(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    response = HttpResponse(export.to_csv(contract), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contract.reference}-claims.csv"'
    return response


@actor_required
@no_personal_data(f"the payer's export; {PSEUDONYMOUS}")
def claims_xlsx(request: ActorRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    response = HttpResponse(
        export.to_xlsx(contract),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{contract.reference}-claims.xlsx"'
    return response
