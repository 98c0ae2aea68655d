"""Simulator pages: a scenario prefilled from your own cases, results with charts, two scenarios side by
side, and the bed-days saved sent to the cost–benefit engine. Counts only: no personal data."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.engines.cba import ModelError, appraise
from homeward.governance.routes import no_personal_data
from homeward.outcomes import simulation
from homeward.outcomes.calibration import calibrate
from homeward.outcomes.forms import ScenarioForm, SendToCbaForm, field_for
from homeward.outcomes.models import SimulationRun
from homeward.web.views import ActorRequest, actor_required, render_form


def _allowed(request: ActorRequest) -> None:
    if not simulation.can_simulate(request.actor):
        raise Http404("No simulator for your role")


def _run_or_404(request: ActorRequest, run_id: str | int | None) -> SimulationRun:
    try:
        return simulation.get_run(request.actor, int(run_id or 0))
    except (NotFound, ValueError) as exc:
        raise Http404("No simulation with that id") from exc


@actor_required
@no_personal_data("simulation inputs and outputs: counts and durations only")
def scenario(request: ActorRequest) -> HttpResponse:
    _allowed(request)
    evidence: dict[str, Any] = {}
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                job = simulation.start_simulation(
                    actor=request.actor,
                    name=form.cleaned_data["name"],
                    scenario=form.scenario(),
                    replications=form.cleaned_data["replications"],
                    seed=form.cleaned_data["seed"],
                )
            except ValidationFailed as exc:
                for path, message in exc.errors.items():
                    target = path if path in form.fields else field_for(path)
                    form.add_error(target, f"{message} ({path})" if target is None else message)
            else:
                # The run happens in the background; the job's page shows its progress and links to it.
                return redirect("jobs:job", job_id=job.pk)
    else:
        source = request.GET.get("from")
        if source:
            base = _run_or_404(request, source)
            initial = ScenarioForm.initial_from(
                base.scenario, name=f"{base.name} (changed)", replications=base.replications, seed=base.seed
            )
        else:
            calibrated, evidence = calibrate(request.actor)
            initial = ScenarioForm.initial_from(calibrated, name=f"Our service, {timezone.localdate():%B %Y}")
        form = ScenarioForm(initial=initial)
    runs = simulation.visible_runs(request.actor)[:20]
    blockers = [[form[f"b{i}_{k}"] for k in ("name", "probability", "mean", "sd")] for i in range(6)]
    context = {"form": form, "evidence": evidence, "runs": runs, "blockers": blockers}
    return render_form(request, "outcomes/scenario.html", context)


@actor_required
@no_personal_data("simulation outputs: counts and durations only")
def simulation_result(request: ActorRequest, run_id: int) -> HttpResponse:
    _allowed(request)
    sim = _run_or_404(request, run_id)
    rows = [
        {"key": key, "label": label, "is_share": key in simulation.SHARE_METRICS, **sim.summary[key]}
        for key, label in simulation.METRIC_LABELS.items()
        if key in sim.summary
    ]
    others = simulation.visible_runs(request.actor).exclude(pk=sim.pk)[:20]
    context = {"sim": sim, "rows": rows, "specs": simulation.chart_specs(sim), "others": others}
    return render(request, "outcomes/result.html", context)


@actor_required
@no_personal_data("simulation outputs: counts and durations only")
def compare(request: ActorRequest) -> HttpResponse:
    _allowed(request)
    base, other = (
        _run_or_404(request, request.GET.get("base")),
        _run_or_404(request, request.GET.get("other")),
    )
    cmp = simulation.comparison(base, other)
    context = {
        "base": base,
        "other": other,
        "cmp": cmp,
        "summary": simulation.plain_summary(cmp, base.name, other.name),
    }
    return render(request, "outcomes/compare.html", context)


@actor_required
@no_personal_data("simulation outputs and costs: no personal data")
def send_to_cba(request: ActorRequest) -> HttpResponse:
    """The bed-days the change saves, valued and appraised by the cost–benefit engine."""
    _allowed(request)
    base, other = (
        _run_or_404(request, request.GET.get("base")),
        _run_or_404(request, request.GET.get("other")),
    )
    cmp = simulation.comparison(base, other)
    form = SendToCbaForm(
        request.POST or None,
        initial={"years": 3, "discount_rate": 0.035, "optimism_bias": 0.25},
    )
    result = model = None
    saves = cmp["bed_days_saved_per_patient"] > 0
    if request.method == "POST" and not saves:
        form.add_error(
            None, "This change saves no bed-days, so there is nothing to value: compare the other way round"
        )
    elif request.method == "POST" and form.is_valid():
        model = cba_model(base, other, cmp, form.cleaned_data)
        try:
            result = appraise(model)
        except ModelError as exc:
            form.add_error(None, str(exc))
        if result is not None and request.POST.get("format") == "json":
            response = JsonResponse(model, json_dumps_params={"indent": 2})
            response["Content-Disposition"] = f'attachment; filename="cba-{base.pk}-vs-{other.pk}.json"'
            return response
    context = {
        "base": base,
        "other": other,
        "cmp": cmp,
        "form": form,
        "result": result,
        "model": model,
        "saves": saves,
    }
    return render_form(request, "outcomes/cba.html", context)


def cba_model(
    base: SimulationRun, other: SimulationRun, cmp: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """A cost–benefit model (docs/cba.md) whose one outcome is the excess bed-days the change avoids."""
    patients = cmp["patients_per_year"]
    years = int(data["years"])
    return {
        "name": f"{other.name} compared with {base.name}",
        "discount_rate": data["discount_rate"],
        "years": years,
        "price_year": timezone.localdate().year,
        "costs": [
            {"year": y, "amount": data["service_cost"], "agency": "Housing provider"} for y in range(years)
        ],
        "cohorts": [{"year": y, "participants": patients} for y in range(years)],
        "outcomes": [
            {
                "name": "Excess bed-days avoided (simulated)",
                "engagement_rate": 1.0,
                "success_rate": 1.0,
                "deadweight": 0.0,
                "attribution": 1.0,
                # Per patient referred: the bed-days the change saves on average, valued at the stated cost.
                "unit_value": round(cmp["bed_days_saved_per_patient"] * data["bed_day_cost"], 2),
                "optimism_bias": data["optimism_bias"],
                "duration_years": 1,
                "drop_off": 0.0,
                "source": f"Homeward simulation {base.pk} vs {other.pk}; "
                f"bed-day cost: {data['bed_day_source']}",
                "beneficiaries": [{"agency": "NHS trust", "kind": "fiscal", "share": 1.0, "cashable": False}],
            }
        ],
    }


def _kpi_sections(request: ActorRequest) -> list[tuple[str, list[Any]]]:
    from homeward.outcomes.kpi_page import kpi_sections

    return kpi_sections(request.actor, timezone.localdate())


@actor_required
@no_personal_data("KPIs: counts, rates and medians only")
def kpis(request: ActorRequest) -> HttpResponse:
    """Every KPI the installed modules provide: a headline in words (the last full month against the
    baseline, the change with its 95% interval), a small chart, and the months as a table on demand."""
    from homeward.outcomes.kpi_page import cards, chart_specs

    _allowed(request)
    sections = cards(_kpi_sections(request), timezone.localdate())
    return render(request, "outcomes/kpis.html", {"sections": sections, "specs": chart_specs(sections)})


@actor_required
@no_personal_data("KPIs: counts, rates and medians only")
def kpis_csv(request: ActorRequest) -> HttpResponse:
    """The KPI page as CSV: the months, the baseline as the page shows it, and the headline's change."""
    import csv

    from homeward.outcomes.kpi_page import CSV_HEADER, csv_rows

    _allowed(request)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="homeward-kpis.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(_kpi_sections(request), timezone.localdate()))
    return response
