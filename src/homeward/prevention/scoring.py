"""Score an organisation's tenancies from its imported events and concerns; raise and refresh alerts.

The risk engine does the work (features, rules with points, the calibrated model, reasons); this module
feeds it from the database and writes what it found: one open alert per tenancy above the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation, Tenancy
from homeward.engines.risk import (
    DEFAULT_RULES,
    Extracts,
    RiskModel,
    Rule,
    compute_features,
    outcome_labels,
    parse_rules,
    score_features,
    train_model,
    validate_extract,
)
from homeward.engines.risk.schema import SCHEMAS
from homeward.prevention.models import Concern, HousingEvent, LearnedModel, RiskAlert, RiskRun, TriggerRules

DEFAULT_RULE_THRESHOLD = 40.0  # points: one strong signal (e.g. a safeguarding concern) or two moderate ones
DEFAULT_MODEL_THRESHOLD = 0.3  # calibrated probability of an outcome within 180 days
OUTCOME_HORIZON_DAYS = 180
MIN_POSITIVES = 10  # with fewer, five-fold calibration has almost nothing to learn from
NO_SINGLE_REASON = "like tenancies that later had an outcome, though no single sign stands out"


def typed_frames(organisation: Organisation) -> dict[str, pl.DataFrame]:
    """Every kind of imported event, plus concerns raised in Homeward, typed by the engine's schemas."""
    frames: dict[str, pl.DataFrame] = {}
    for kind, schema in SCHEMAS.items():
        rows = list(
            HousingEvent.objects.filter(organisation=organisation, kind=kind).values_list("data", flat=True)
        )
        if kind == "concerns":
            rows += concern_rows(organisation)
        if not rows:
            continue
        text = pl.DataFrame(rows, schema={c: pl.String for c in schema.names}, orient="row")
        frames[kind] = validate_extract(kind, text).frame.drop("event_id", "row_hash")
    return frames


def concern_rows(organisation: Organisation) -> list[dict[str, str | None]]:
    """Concerns raised by staff in Homeward about a tenancy, as rows of the engine's concerns extract."""
    concerns = Concern.objects.filter(organisation=organisation, tenancy__isnull=False).select_related(
        "tenancy"
    )
    return [
        {
            "concern_ref": f"HW-{c.pk}",
            "tenancy_ref": c.tenancy.reference if c.tenancy else "",
            "raised_at": timezone.localtime(c.raised_at).strftime("%Y-%m-%d %H:%M:%S"),
            "category": c.category,
            "urgency": c.urgency,
        }
        for c in concerns
    ]


def rules_for(organisation: Organisation) -> tuple[list[Rule], float]:
    own = TriggerRules.objects.filter(organisation=organisation).first()
    if own is None:
        return list(DEFAULT_RULES), DEFAULT_RULE_THRESHOLD
    return parse_rules(own.text), own.threshold


@dataclass
class ScoreResult:
    run: RiskRun
    raised: int
    refreshed: int


def score_organisation(
    organisation: Organisation, *, as_of: date | None = None, use_model: bool = False
) -> ScoreResult:
    """Score every live tenancy; raise an alert for each above the threshold that has none open, and
    refresh the score and reasons of those that have one."""
    as_of = as_of or timezone.localdate()
    frames = typed_frames(organisation)
    if "tenancies" not in frames:
        raise ValidationFailed.single("events", "Import a tenancies extract before scoring")
    features = compute_features(Extracts.from_frames(**frames), as_of=as_of)
    rules, threshold = rules_for(organisation)
    model = None
    if use_model:
        stored = LearnedModel.objects.filter(organisation=organisation).first()
        if stored is None:
            raise ValidationFailed.single(
                "model", "No learned model yet: train one on recorded outcomes first"
            )
        model = RiskModel.model_validate(stored.model)
        threshold = DEFAULT_MODEL_THRESHOLD
    scores = score_features(features, rules=rules, model=model)
    column, reasons = ("probability", "model_reasons") if model else ("rule_score", "rule_reasons")
    flagged = scores.filter(pl.col(column) >= threshold).select(
        "tenancy_ref",
        column,
        # Every alert says why: when no single signal stands out for the model, show the rules that fired.
        pl.when(pl.col(reasons).list.len() > 0)
        .then(pl.col(reasons))
        .when(pl.col("rule_reasons").list.len() > 0)
        .then(pl.col("rule_reasons"))
        .otherwise(pl.lit([NO_SINGLE_REASON]))
        .alias("reasons"),
    )
    with transaction.atomic():
        run = RiskRun.objects.create(
            organisation=organisation,
            ran_at=timezone.now(),
            as_of=as_of,
            mode="model" if model else "rules",
            threshold=threshold,
            tenancies=features.height,
            alerts_raised=0,
        )
        refs = flagged["tenancy_ref"].to_list()
        # A tenancy the team decided on in the last 30 days is not raised again straight away.
        recently_decided = set(
            RiskAlert.objects.filter(
                organisation=organisation, tenancy_ref__in=refs, decided_on__gte=as_of - timedelta(days=30)
            ).values_list("tenancy_ref", flat=True)
        )
        open_alerts = {
            a.tenancy_ref: a
            for a in RiskAlert.objects.filter(
                organisation=organisation, decided_on__isnull=True, tenancy_ref__in=refs
            )
        }
        tenancies = {
            t.reference: t
            for t in Tenancy.objects.filter(property__organisation=organisation, reference__in=refs)
        }
        new, refreshed = [], []
        for ref, score, why in flagged.iter_rows():
            alert = open_alerts.get(ref)
            if alert is not None:
                alert.score, alert.reasons, alert.run = float(score), list(why or []), run
                refreshed.append(alert)
                continue
            if ref in recently_decided:
                continue
            tenancy = tenancies.get(ref)
            new.append(
                RiskAlert(
                    organisation=organisation,
                    run=run,
                    tenancy_ref=ref,
                    tenancy=tenancy,
                    person_id=tenancy.person_id if tenancy else None,
                    raised_on=as_of,
                    score=float(score),
                    reasons=list(why or []),
                )
            )
        RiskAlert.objects.bulk_create(new)
        RiskAlert.objects.bulk_update(refreshed, ["score", "reasons", "run"])
        run.alerts_raised = len(new)
        run.save(update_fields=["alerts_raised"])
    return ScoreResult(run, len(new), len(refreshed))


def train(organisation: Organisation, *, as_of: date | None = None) -> LearnedModel:
    """Fit the calibrated model on features at `as_of` and outcomes recorded in the 180 days after."""
    frames = typed_frames(organisation)
    if "outcomes" not in frames:
        raise ValidationFailed.single(
            "outcomes", "Import recorded outcomes (outcomes extract) to train a model"
        )
    outcomes = frames["outcomes"]
    latest = outcomes["occurred_on"].max()
    assert isinstance(latest, date)
    when = as_of or latest - timedelta(days=OUTCOME_HORIZON_DAYS)
    features = compute_features(Extracts.from_frames(**frames), as_of=when)
    labels = outcome_labels(features["tenancy_ref"], outcomes, as_of=when, horizon_days=OUTCOME_HORIZON_DAYS)
    if labels.sum() < MIN_POSITIVES:
        raise ValidationFailed.single(
            "outcomes",
            f"Only {int(labels.sum())} tenancies had an outcome in the 180 days after {when}: a model needs "
            f"at least {MIN_POSITIVES} to learn anything; keep using the trigger rules",
        )
    try:
        model = train_model(features, labels)
    except ValueError as exc:
        raise ValidationFailed.single("outcomes", str(exc)) from exc
    return LearnedModel.objects.create(
        organisation=organisation,
        trained_at=timezone.now(),
        as_of=when,
        model=model.model_dump(mode="json"),
        tenancies=features.height,
        positives=int(labels.sum()),
    )


SCORE_KIND = "prevention.score"


def run_scoring_job(job: Any, context: Any) -> dict[str, Any]:
    """The background job behind "Score now": the whole run is the job's one transaction."""
    organisation = Organisation.objects.get(pk=job.organisation_id)
    context.progress(0, None, "Reading the housing events and scoring every live tenancy", force=True)
    result = score_organisation(organisation, use_model=bool(job.params.get("use_model")))
    return {
        "summary": f"Scored {result.run.tenancies:,} tenancies: {result.raised} new alert(s), "
        f"{result.refreshed} refreshed",
        "url": reverse("prevention:alerts"),
        "link_text": "See the alerts",
        "run_id": result.run.pk,
    }
