"""Evaluation pages, for analysts only (pseudonymised data): the list, the design form, the import of an
activity extract, the result with its report (HTML and PDF), and sending a result to a business case.
Every other role gets 404, as does another organisation's evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.evaluation import handoff, imports, report, selectors, services
from homeward.evaluation.activity import analytics_organisations
from homeward.evaluation.codes import RECORD_MEASURES
from homeward.evaluation.forms import DesignForm, ImportForm, SendForm, form_field
from homeward.evaluation.interventions import INTERVENTIONS, available
from homeward.evaluation.models import Evaluation
from homeward.governance.routes import personal_data
from homeward.web.views import ActorRequest, actor_required, add_errors, need, render_form

REFUSAL = "Only analysts see evaluations"


def _evaluation(request: ActorRequest, evaluation_id: int) -> Evaluation:
    need(request, Permission.RUN_EVALUATIONS, REFUSAL)
    try:
        return selectors.get_evaluation(request.actor, evaluation_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@actor_required
@personal_data("search", Permission.RUN_EVALUATIONS, reach="own")
def home(request: ActorRequest) -> HttpResponse:
    need(request, Permission.RUN_EVALUATIONS, REFUSAL)
    evaluations = list(selectors.visible_evaluations(request.actor)[:100])
    extracts = list(selectors.visible_extracts(request.actor)[:50])
    return render(request, "evaluation/home.html", {"evaluations": evaluations, "extracts": extracts})


def _choices(request: ActorRequest) -> tuple[list[tuple[str, str]], list[str]]:
    choices = [(i.key, i.label) for i in available(analytics_organisations(request.actor))]
    measures = set(RECORD_MEASURES)
    for extract in selectors.visible_extracts(request.actor)[:50]:
        choices.append((f"extract:{extract.pk}", f"Imported extract: {extract.name}"))
        measures.update(extract.measures)
    return choices, sorted(measures)


def _put_errors(form: DesignForm, exc: ValidationFailed) -> None:
    for field, message in exc.errors.items():
        target = form_field(field)
        text = message if target == field else f"{field}: {message}"
        form.add_error(target if target in form.fields else None, text)


@actor_required
@personal_data("create", Permission.RUN_EVALUATIONS, reach="own")
def new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.RUN_EVALUATIONS, REFUSAL)
    choices, measures = _choices(request)
    form = DesignForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        source, intervention, extract_id = form.source()
        label = (
            INTERVENTIONS[intervention].label
            if intervention in INTERVENTIONS
            else dict(choices)[form.cleaned_data["intervention"]].removeprefix("Imported extract: ")
        )
        try:
            evaluation = services.start_evaluation(
                actor=request.actor,
                source=source,
                intervention=intervention,
                extract_id=extract_id,
                spec=form.spec(label),
            )
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except ValidationFailed as exc:
            _put_errors(form, exc)
        else:
            messages.info(request, f"Evaluation #{evaluation.pk} is queued: its job runs the analysis")
            return redirect("jobs:job", job_id=evaluation.job_id)
    return render_form(request, "evaluation/design.html", {"form": form, "measures": measures})


@actor_required
@personal_data("create", Permission.RUN_EVALUATIONS, reach="own")
def import_extract(request: ActorRequest) -> HttpResponse:
    need(request, Permission.RUN_EVALUATIONS, REFUSAL)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = {
            field: (upload.name or field, upload.read())
            for field in ("activity", "people")
            if (upload := form.cleaned_data.get(field)) is not None
        }
        try:
            job = imports.start_import(actor=request.actor, name=form.cleaned_data["name"], files=files)
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            return redirect("jobs:job", job_id=job.pk)
    return render_form(request, "evaluation/import.html", {"form": form})


@actor_required
@personal_data("evaluation_id", Permission.RUN_EVALUATIONS, reach="own")
def evaluation(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    found = _evaluation(request, evaluation_id)
    context = report.context(found)
    context["send_form"] = handoff.send_form(request.actor, found)
    return render(request, "evaluation/evaluation.html", context)


@actor_required
@personal_data("evaluation_id", Permission.RUN_EVALUATIONS, reach="own")
def report_pdf(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    found = _evaluation(request, evaluation_id)
    if not found.result:
        messages.info(request, "The report is ready when the evaluation has finished")
        return redirect("evaluation:evaluation", evaluation_id=found.pk)
    response = HttpResponse(
        report.pdf(found, request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{found.pk}.pdf"'
    return response


@require_POST
@actor_required
@personal_data("evaluation_id", Permission.RUN_EVALUATIONS, reach="own")
def send(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    found = _evaluation(request, evaluation_id)
    form = SendForm(request.POST, outcomes=handoff.choices(request.actor), units=handoff.unit_choices())
    try:
        if not form.is_valid():
            raise ValidationFailed({f: " ".join(str(e) for e in errs) for f, errs in form.errors.items()})
        case = handoff.send(
            actor=request.actor,
            evaluation=found,
            target=form.cleaned_data["outcome"],
            unit_cost_key=form.cleaned_data["unit_cost"],
        )
    except (ValidationFailed, NotAllowed) as exc:
        for message in exc.errors.values() if isinstance(exc, ValidationFailed) else [str(exc)]:
            messages.error(request, message)
        return redirect("evaluation:evaluation", evaluation_id=found.pk)
    messages.info(request, f"Sent to the business case '{case.name}': the outcome is now measured")
    return redirect("outcomes:case", case_id=case.pk)
