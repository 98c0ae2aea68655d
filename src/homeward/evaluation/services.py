"""Writes of the evaluation app: design and queue an evaluation, save its result, import an extract.

A design is checked whole before anything is queued: the engine's `load_spec` (every field's bounds and
kind) and then `prepare` against the data (unknown outcome, no pre-period data, starts outside the data,
a pool too small to match without replacement...). Each refusal is `ValidationFailed` naming the spec
field; nothing is run or written. Running is a background job (`evaluation.run`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.evaluation import EvaluationError, EvaluationSpec, evaluate, load_spec, prepare
from homeward.evaluation import selectors
from homeward.evaluation.codes import DataSource, EvaluationStatus
from homeward.evaluation.models import ActivityExtract, Evaluation
from homeward.evaluation.sources import load_data
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.jobs.services import start_job

RUN_KIND = "evaluation.run"


def _require(actor: Actor) -> None:
    if not actor.can(Permission.RUN_EVALUATIONS):
        raise NotAllowed("Only analysts design and run evaluations")


def _engine_errors(exc: EvaluationError) -> ValidationFailed:
    return ValidationFailed(exc.as_dict() or {"spec": str(exc)})


def check_design(
    *, actor: Actor, source: str, intervention: str, extract: ActivityExtract | None, spec: dict[str, Any]
) -> EvaluationSpec:
    """The spec, validated by the engine and prepared against the data; refusals name the field."""
    try:
        checked = load_spec(spec)
    except EvaluationError as exc:
        raise _engine_errors(exc) from None
    data = load_data(actor, source, intervention, extract)
    try:
        prepare(checked, data)
    except EvaluationError as exc:
        raise _engine_errors(exc) from None
    return checked


@transaction.atomic
def start_evaluation(
    *,
    actor: Actor,
    source: str,
    intervention: str = "",
    extract_id: int | None = None,
    spec: dict[str, Any],
) -> Evaluation:
    """Check the design, record it, and queue the job that runs it."""
    _require(actor)
    if source not in DataSource.values:
        raise ValidationFailed({"intervention": "Choose where the data come from"})
    extract = (
        selectors.get_extract(actor, extract_id) if source == DataSource.EXTRACT and extract_id else None
    )
    if source == DataSource.EXTRACT and extract is None:
        raise ValidationFailed({"intervention": "Choose an imported extract"})
    checked = check_design(actor=actor, source=source, intervention=intervention, extract=extract, spec=spec)
    evaluation = Evaluation.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor.user,
        created_at=timezone.now(),
        source=source,
        intervention=intervention if source == DataSource.RECORDS else "",
        extract=extract,
        spec=checked.model_dump(mode="json", by_alias=True),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Design an evaluation on pseudonymised activity",
        obj=evaluation,
        detail={"source": source, "intervention": intervention, "extract": extract_id},
    )
    job = start_job(
        kind=RUN_KIND,
        organisation=actor.organisation,
        actor=actor,
        params={"evaluation_id": evaluation.pk},
        label=f"Evaluation #{evaluation.pk}: {checked.intervention}"[:200],
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(job_id=job.pk)
    evaluation.job_id = job.pk
    return evaluation


def prepare_run_job(job: Any, context: Any) -> dict[str, Any]:
    """Outside any transaction: rebuild the data and run the engine (matching, DiD, event study,
    robustness)."""
    evaluation = selectors.get_evaluation(
        context.actor, int(job.params["evaluation_id"]), purpose="Run an evaluation"
    )
    context.progress(0, 2, "Building the pseudonymised activity", force=True)
    data = load_data(context.actor, evaluation.source, evaluation.intervention, evaluation.extract)
    context.progress(1, 2, "Matching and estimating", force=True)
    try:
        result = evaluate(load_spec(evaluation.spec), data)
    except EvaluationError as exc:
        raise _engine_errors(exc) from None
    dumped: dict[str, Any] = result.model_dump(mode="json")
    return dumped


def run_run_job(job: Any, context: Any) -> dict[str, Any]:
    from django.urls import reverse

    evaluation_id = int(job.params["evaluation_id"])
    result = context.prepared
    Evaluation.objects.filter(pk=evaluation_id).update(
        result=result, status=EvaluationStatus.SUCCEEDED, finished_at=timezone.now()
    )
    estimate = result["estimate"]
    return {
        "summary": (
            f"Evaluation #{evaluation_id}: {estimate['effect']:+.2f} {result['outcome_label']} per person "
            f"per year (95% CI {estimate['ci95'][0]:+.2f} to {estimate['ci95'][1]:+.2f}); SMS level "
            f"{result['sms_level']}"
        ),
        "url": reverse("evaluation:evaluation", kwargs={"evaluation_id": evaluation_id}),
        "link_text": "See the result",
    }


@transaction.atomic
def import_checked_extract(*, actor: Actor, name: str, activity: Any, people: Any) -> ActivityExtract:
    """Save an extract given as two Polars frames (the demo's, or a command line's), checked whole by the
    engine first; nothing is saved if any row is wrong."""
    from homeward.engines.evaluation import DataError, check_data
    from homeward.evaluation.sources import data_errors, to_parquet

    _require(actor)
    try:
        data = check_data(activity, people)
    except DataError as exc:
        raise data_errors(exc, "activity") from None
    extract = ActivityExtract.objects.create(
        organisation_id=actor.organisation_id,
        name=name[:120],
        imported_at=timezone.now(),
        imported_by=actor.user,
        activity=to_parquet(activity),
        people=to_parquet(people),
        rows=activity.height,
        people_count=people.height,
        measures=data.measures,
        columns=[c for c in data.people.columns if c not in ("key", "start_month")],
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Import a pseudonymised activity extract",
        obj=extract,
        detail={"rows": extract.rows, "people": extract.people_count},
    )
    return extract


@transaction.atomic
def run_now(*, actor: Actor, extract: ActivityExtract, spec: dict[str, Any]) -> Evaluation:
    """Check and run an evaluation of an extract at once, without a job (the demo's small one)."""
    _require(actor)
    checked = check_design(
        actor=actor, source=DataSource.EXTRACT, intervention="", extract=extract, spec=spec
    )
    data = load_data(actor, DataSource.EXTRACT, "", extract)
    result = evaluate(checked, data)
    evaluation = Evaluation.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor.user,
        created_at=timezone.now(),
        source=DataSource.EXTRACT,
        extract=extract,
        spec=checked.model_dump(mode="json", by_alias=True),
        status=EvaluationStatus.SUCCEEDED,
        result=result.model_dump(mode="json"),
        finished_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Run an evaluation on pseudonymised activity",
        obj=evaluation,
        detail={"extract": extract.pk},
    )
    return evaluation
