"""Unit costs and business cases: the cost database, the builder, scenario comparison and the report in
HTML, PDF and XLSX. Counts, rates and money only: no personal data on any of these pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homeward.casework import proposers
from homeward.core.errors import NotFound, ValidationFailed
from homeward.engines.cba import load_model
from homeward.engines.cba.prices import DEFLATOR_SOURCE
from homeward.governance.routes import no_personal_data
from homeward.outcomes import business_case as bc
from homeward.outcomes import report, selectors, unitcosts
from homeward.outcomes.forms import AssumptionForm, BusinessCaseForm, ScenarioNameForm, UnitCostForm
from homeward.outcomes.models import BusinessCase, UnitCost
from homeward.outcomes.workbook import build_workbook
from homeward.web.views import ActorRequest, actor_required, flash_errors, render_form, save_form


def _readers(request: ActorRequest) -> None:
    if not (bc.can_build(request.actor) or unitcosts.can_edit(request.actor)):
        raise Http404("No unit costs for your role")


def _case(request: ActorRequest, case_id: int) -> BusinessCase:
    if not bc.can_build(request.actor):
        raise Http404("No business cases for your role")
    try:
        return bc.get_case(request.actor, case_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _apply(form: Any, exc: ValidationFailed) -> None:
    for f, message in exc.errors.items():
        form.add_error(f if f in form.fields else None, message if f in form.fields else f"{f}: {message}")


# --- unit costs -----------------------------------------------------------------------------------


@actor_required
@no_personal_data("unit costs: reference figures")
def unit_costs(request: ActorRequest) -> HttpResponse:
    _readers(request)
    years = unitcosts.price_years()
    try:
        year = int(request.GET.get("price_year") or years[-1])
    except ValueError:
        year = years[-1]
    error = None if year in years else f"Price year must be between {years[0]} and {years[-1]}"
    unitcosts.ensure_seeded()
    rows = []
    for uc in UnitCost.objects.all():
        rows.append((uc, selectors.rebased_unit_cost(uc, year if error is None else uc.price_year)))
    context = {
        "rows": rows,
        "year": year,
        "years": list(reversed(years)),
        "error": error,
        "can_edit": unitcosts.can_edit(request.actor),
        "deflator_source": DEFLATOR_SOURCE,
    }
    return render(request, "outcomes/unit_costs.html", context, status=400 if error else 200)


@actor_required
@no_personal_data("unit costs: reference figures")
def unit_cost(request: ActorRequest, key: str) -> HttpResponse:
    _readers(request)
    try:
        uc = selectors.unit_cost(key)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    changes = uc.changes.select_related("by")
    return render(
        request,
        "outcomes/unit_cost.html",
        {"uc": uc, "changes": changes, "can_edit": unitcosts.can_edit(request.actor)},
    )


@actor_required
@no_personal_data("unit costs: reference figures")
def unit_cost_edit(request: ActorRequest, key: str | None = None) -> HttpResponse:
    if not unitcosts.can_edit(request.actor):
        raise Http404("Only administrators change unit costs")
    existing = None
    if key is not None:
        try:
            existing = selectors.unit_cost(key)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
    if request.method == "POST":
        form = UnitCostForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                data["bearers"] = unitcosts.parse_bearers(data["bearers"])
                if (
                    UnitCost.objects.filter(key=data["key"])
                    .exclude(pk=existing.pk if existing else 0)
                    .exists()
                ):
                    raise ValidationFailed({"key": "Another unit cost already uses this short name"})
                uc = unitcosts.save_unit_cost(request.actor, data, reason, existing)
            except ValidationFailed as exc:
                _apply(form, exc)
            else:
                messages.info(request, f"Saved {uc.name}")
                return redirect("outcomes:unit_cost", key=uc.key)
    elif existing is not None:
        initial = unitcosts.snapshot(existing)
        initial["bearers"] = unitcosts.bearers_text(existing.bearers)
        form = UnitCostForm(initial=initial)
    else:
        form = UnitCostForm(initial={"price_year": unitcosts.price_years()[-1], "confidence_grade": 4})
    return render_form(request, "outcomes/unit_cost_edit.html", {"form": form, "uc": existing})


# --- business cases -------------------------------------------------------------------------------


def _case_form(request: ActorRequest, data: Any = None) -> BusinessCaseForm:
    today = timezone.localdate()
    years = list(unitcosts.price_years())
    initial = {
        "period_start": today.replace(day=1, month=1)
        if today.month > 6
        else today.replace(year=today.year - 1, day=1),
        "period_end": today,
        "years": 3,
        "price_year": years[-1],
        "cost_agency": request.actor.organisation.name,
        "cost_optimism_bias": 0.1,
    }
    return BusinessCaseForm(data, initial=initial, services=proposers.services(), years=years)


@actor_required
@no_personal_data("business cases: counts, rates and money only")
def cases(request: ActorRequest) -> HttpResponse:
    if not bc.can_build(request.actor):
        raise Http404("No business cases for your role")
    if request.method == "POST":
        form = _case_form(request, request.POST)
        if form.is_valid():
            try:
                case = bc.create_case(request.actor, **form.cleaned_data)
            except ValidationFailed as exc:
                _apply(form, exc)
            else:
                return redirect("outcomes:case", case_id=case.pk)
    else:
        form = _case_form(request)
    listed = bc.visible_cases(request.actor).filter(parent=None).select_related("created_by")
    return render_form(request, "outcomes/cases.html", {"form": form, "cases": listed})


@actor_required
@no_personal_data("business cases: counts, rates and money only")
def case(request: ActorRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    inputs = bc.editable_inputs(case)
    form = AssumptionForm(request.POST or None, inputs=inputs, initial={"path": request.GET.get("path")})
    if request.method == "POST" and form.is_valid():
        try:
            change = bc.change_assumption(
                request.actor,
                case,
                form.cleaned_data["path"],
                form.cleaned_data["value"],
                form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            _apply(form, exc)
        else:
            messages.info(request, f"Changed {change.label}")
            return redirect("outcomes:case", case_id=case.pk)
    return _case_page(request, case, form)


def _case_page(
    request: ActorRequest,
    case: BusinessCase,
    form: AssumptionForm,
    scenario_form: ScenarioNameForm | None = None,
) -> HttpResponse:
    """The business case page; a refused assumption change or scenario name is shown again as typed (400)."""
    a = bc.appraise_case(case, draws=2_000)
    context = {
        "case": case,
        "form": form,
        "ap": a.appraisal,
        "mc": a.monte_carlo,
        "summary": report.summary(a),
        "assumptions": report.assumptions(case),
        "changes": case.changes.select_related("by")[:50],
        "family": bc.family(case),
        "scenario_form": scenario_form or ScenarioNameForm(),
    }
    refused = form.errors or (scenario_form is not None and scenario_form.errors)
    return render(request, "outcomes/case.html", context, status=400 if refused else 200)


@actor_required
@no_personal_data("business cases: counts, rates and money only")
def add_scenario(request: ActorRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    if request.method != "POST":
        return redirect("outcomes:case", case_id=case.pk)
    form = ScenarioNameForm(request.POST)
    scenario = save_form(request, form, lambda data: bc.add_scenario(request.actor, case, data["name"]))
    if scenario is None:
        assumption_form = AssumptionForm(inputs=bc.editable_inputs(case))
        return _case_page(request, case, assumption_form, scenario_form=form)
    messages.info(request, f"Scenario '{scenario.name}' added: change its assumptions below")
    return redirect("outcomes:case", case_id=scenario.pk)


@actor_required
@no_personal_data("business cases: counts, rates and money only")
def compare(request: ActorRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    rows = []
    for member in bc.family(case):
        a = bc.appraise_case(member, draws=2_000)
        rows.append(
            {"case": member, "ap": a.appraisal, "mc": a.monte_carlo, "changes": member.changes.count()}
        )
    return render(request, "outcomes/case_compare.html", {"case": case, "rows": rows})


@actor_required
@no_personal_data("business cases: counts, rates and money only")
def case_report(request: ActorRequest, case_id: int, fmt: str = "html") -> HttpResponse:
    case = _case(request, case_id)
    slug = f"business-case-{case.pk}"
    if fmt == "pdf":
        response = HttpResponse(
            report.pdf(case, request.build_absolute_uri("/")), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{slug}.pdf"'
        return response
    if fmt == "xlsx":
        sources = [(row["label"], f"[{row['kind']}] {row['text']}") for row in report.assumptions(case)]
        data = build_workbook(load_model(case.model), case.name, sources)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{slug}.xlsx"'
        return response
    return render(request, "outcomes/business_case_report.html", report.context(case))


@require_POST
@actor_required
@no_personal_data("business cases: counts, rates and money only")
def case_export(request: ActorRequest, case_id: int) -> HttpResponse:
    """Build the PDF or the workbook in the background; the job's page offers the download."""
    case = _case(request, case_id)
    try:
        job = report.start_report(
            actor=request.actor,
            case=case,
            fmt=request.POST.get("format", ""),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("outcomes:case_report", case_id=case.pk)
    return redirect("jobs:job", job_id=job.pk)
