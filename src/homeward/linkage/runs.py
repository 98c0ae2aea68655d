"""A linkage run under an agreement: read the parties' records (only the agreement's fields), let the
engine clean, train, score and decide, then store the pairs, identities and alerts.

It is a background job (`linkage.run`): `prepare` does the computing outside any transaction, `run`
saves what it found in the job's one transaction. `link_agreement` does both at once (CLI, demo, tests).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.engines.linkage import (
    PairExplainer,
    Thresholds,
    link_records,
)
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, DataSharingAgreement
from homeward.linkage import identities
from homeward.linkage.codes import PairStatus, RunStatus
from homeward.linkage.effect import WEIGHT_FROM, WEIGHT_STEP
from homeward.linkage.models import LinkageRun, LinkPair
from homeward.linkage.policy import check_can_run, linkage_agreement, settings_of
from homeward.linkage.records import organisation_of, party_frames, usable_fields
from homeward.linkage.services import raise_alerts

RUN_KIND = "linkage.run"

#: Pairs in the review band explained when the run scores them (the pair page says when one was not).
EXPLAIN_AT_RUN = 2000


@dataclass
class Computed:
    agreement_id: int
    fields: list[str]
    counts: dict[int, int]
    pairs: pl.DataFrame  # kept pairs (linked and review) with explanation JSON
    scored: int
    dropped: int
    expected_precision: float | None
    histogram: list[list[float]]
    model_json: str
    seconds: float


def compute(agreement: DataSharingAgreement, thresholds: Thresholds, progress: Any = None) -> Computed:
    """Read the parties' records and link them (no writes)."""
    started = time.perf_counter()
    fields = usable_fields(agreement.linkage_fields)
    parties = [p.pk for p in agreement.parties.all()]
    report = progress or (lambda message: None)
    report("Reading the parties' records (only the agreement's fields)")
    records, counts = party_frames(parties, fields)
    report(f"Linking {records.height:,} records with Splink")
    # A small organisation's file may be too small for an EM session: the engine skips a session it cannot
    # estimate and records that in the model (`model.training.em_skipped`).
    run = link_records(records, fields=fields, thresholds=thresholds)
    pairs = run.pairs
    kept = pairs.filter(pl.col("decision") != "dropped")
    report(f"Explaining {kept.filter(pl.col('decision') == 'review').height:,} pairs for review")
    explainer = PairExplainer(run.model, run.frequencies)
    by_key = {(r["source"], r["record_id"]): r for r in records.iter_rows(named=True)}
    explanations: list[dict[str, Any]] = []
    for row in kept.iter_rows(named=True):
        if row["decision"] != "review" or len(explanations) >= EXPLAIN_AT_RUN:
            explanations.append({})
            continue
        left = by_key[(row["source_l"], row["record_id_l"])]
        right = by_key[(row["source_r"], row["record_id_r"])]
        explanations.append(explanation_json(explainer, left, right))
    kept = kept.with_columns(pl.Series("explanation", [dumps(e) for e in explanations], dtype=pl.String))
    bins = ((pairs["match_weight"] - WEIGHT_FROM) / WEIGHT_STEP).floor().clip(0, 99).cast(pl.Int32)
    grouped = (
        pairs.with_columns(bins.alias("bin"))
        .group_by("bin")
        .agg(pl.len().alias("n"), pl.col("match_probability").sum().alias("mass"))
    )
    histogram = [[0.0, 0.0] for _ in range(100)]
    for row in grouped.iter_rows(named=True):
        histogram[int(row["bin"])] = [float(row["n"]), float(row["mass"])]
    model = run.model.with_version(_next_version(agreement.pk))
    return Computed(
        agreement_id=agreement.pk,
        fields=fields,
        counts=counts,
        pairs=kept,
        scored=pairs.height,
        dropped=pairs.height - kept.height,
        expected_precision=run.effect.expected_precision_linked,
        histogram=histogram,
        model_json=model.to_json(),
        seconds=time.perf_counter() - started,
    )


def dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, default=str)


def explanation_json(explainer: PairExplainer, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """The pair's explanation without values: levels, weights and the waterfall chart."""
    explained = explainer.explain(left, right).without_values()
    return {
        "prior_weight": explained.prior_weight,
        "match_weight": explained.match_weight,
        "contributions": [
            {
                "label": c.label,
                "level": c.level,
                "weight": round(c.match_weight, 2),
                "frequency_adjustment": round(c.frequency_adjustment, 2),
                "fields": list(c.fields),
                "sentence": c.sentence,
            }
            for c in explained.contributions
        ],
        "chart": _one_record_chart(explained.vega_lite()),
    }


def _one_record_chart(spec: dict[str, Any]) -> dict[str, Any]:
    """Splink's waterfall without its record slider (one pair per chart here, so there is nothing to pick)."""
    for param in spec.get("params", []):
        param.pop("bind", None)
    return spec


def _next_version(agreement_id: int) -> int:
    last = LinkageRun.objects.filter(agreement_id=agreement_id).order_by("-model_version").first()
    return (last.model_version + 1) if last else 1


def save(computed: Computed, *, actor: Actor | None, started_at: Any) -> LinkageRun:
    """Store a computed run: pairs (keeping every reviewer's decision), identities, alerts."""
    agreement = DataSharingAgreement.objects.get(pk=computed.agreement_id)
    chosen = settings_of(agreement)
    run = LinkageRun.objects.create(
        agreement=agreement,
        organisation_id=actor.organisation_id if actor else computed_owner(agreement),
        started_by=actor.user if actor else None,
        status=RunStatus.FINISHED,
        fields=computed.fields,
        records_by_organisation={str(k): v for k, v in computed.counts.items()},
        pairs_scored=computed.scored,
        dropped=computed.dropped,
        expected_precision=computed.expected_precision,
        upper_threshold=chosen.upper,
        lower_threshold=chosen.lower,
        model_version=_next_version(agreement.pk),
        model_json=computed.model_json,
        histogram=computed.histogram,
        seconds=computed.seconds,
        started_at=started_at,
        finished_at=timezone.now(),
    )
    linked, review = store_pairs(agreement, run, computed.pairs, retire_unfound=True)
    run.linked, run.review = linked, review
    run.save(update_fields=["linked", "review"])
    identities.rebuild(agreement)
    raise_alerts(agreement)
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Person linkage run under a data-sharing agreement",
        obj=run,
        detail={
            "agreement": agreement.reference,
            "organisations": sorted(computed.counts),
            "records": computed.counts,
            "fields": computed.fields,
            "pairs": {"linked": linked, "review": review, "dropped": computed.dropped},
        },
    )
    return run


def store_pairs(
    agreement: DataSharingAgreement, run: LinkageRun, pairs: pl.DataFrame, *, retire_unfound: bool
) -> tuple[int, int]:
    """Keep the scored pairs (linked and review): new pairs are added, known ones get the new scores but
    keep any reviewer's decision. A batch run (`retire_unfound`) retires model-only pairs it no longer
    finds. Returns (linked, review) among `pairs`."""
    now = timezone.now()
    wanted: list[tuple[int, int, dict[str, Any]]] = []
    for row in pairs.iter_rows(named=True):
        if row["decision"] == "dropped" or organisation_of(row["source_l"]) == organisation_of(
            row["source_r"]
        ):
            continue  # linkage is between parties; duplicates inside one organisation are its own business
        a, b = int(row["record_id_l"]), int(row["record_id_r"])
        wanted.append((min(a, b), max(a, b), row))
    known = LinkPair.objects.filter(agreement=agreement)
    if not retire_unfound:
        known = known.filter(left_id__in=[w[0] for w in wanted], right_id__in=[w[1] for w in wanted])
    existing = {(p.left_id, p.right_id): p for p in known}
    found: set[tuple[int, int]] = set()
    created: list[LinkPair] = []
    updated: list[LinkPair] = []
    linked = review = 0
    for left, right, row in wanted:
        found.add((left, right))
        status = PairStatus.LINKED if row["decision"] == "linked" else PairStatus.REVIEW
        linked += status == PairStatus.LINKED
        review += status == PairStatus.REVIEW
        explanation = json.loads(row.get("explanation") or "{}")
        pair = existing.get((left, right))
        if pair is None:
            created.append(
                LinkPair(
                    agreement=agreement,
                    run=run,
                    left_id=left,
                    right_id=right,
                    match_weight=row["match_weight"],
                    match_probability=row["match_probability"],
                    status=status,
                    explanation=explanation,
                    created_at=now,
                )
            )
            continue
        pair.run = run
        pair.match_weight = row["match_weight"]
        pair.match_probability = row["match_probability"]
        pair.explanation = explanation or pair.explanation
        if pair.decided_by_id is None:  # a reviewer's decision stands; the model's own may change
            pair.status = status
        updated.append(pair)
    if retire_unfound:
        for key, pair in existing.items():
            if key not in found and pair.decided_by_id is None and pair.status != PairStatus.RETIRED:
                pair.status = PairStatus.RETIRED
                updated.append(pair)
    LinkPair.objects.bulk_create(created, batch_size=2000)
    LinkPair.objects.bulk_update(
        updated, ["run", "match_weight", "match_probability", "explanation", "status"], batch_size=2000
    )
    return linked, review


def computed_owner(agreement: DataSharingAgreement) -> int:
    return min(p.pk for p in agreement.parties.all())


def link_agreement(*, agreement_id: int, actor: Actor | None, progress: Any = None) -> LinkageRun:
    """Run linkage now, in this process (CLI, demo, tests): compute, then save in one transaction."""
    agreement = linkage_agreement(agreement_id, actor)
    if actor is not None:
        check_can_run(actor)
    started_at = timezone.now()
    computed = compute(agreement, settings_of(agreement).thresholds(), progress)
    with transaction.atomic():
        return save(computed, actor=actor, started_at=started_at)


def start_run(*, actor: Actor, agreement_id: int) -> Any:
    """Queue a run as a background job (the page shows its progress and links to the review queue)."""
    from homeward.jobs.services import start_job

    check_can_run(actor)
    agreement = linkage_agreement(agreement_id, actor)
    if _running(agreement.pk):
        raise ValidationFailed.single("agreement", "A linkage run under this agreement is already going")
    return start_job(
        kind=RUN_KIND,
        organisation=actor.organisation,
        actor=actor,
        params={"agreement_id": agreement.pk},
        label=f"Person linkage under {agreement.reference}",
    )


def _running(agreement_id: int) -> bool:
    from homeward.jobs.models import Job, JobStatus

    active = Job.objects.filter(kind=RUN_KIND, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return any(job.params.get("agreement_id") == agreement_id for job in active)


def prepare_run_job(job: Any, context: Any) -> Computed:
    actor = context.actor
    agreement = linkage_agreement(int(job.params["agreement_id"]), actor)
    return compute(
        agreement,
        settings_of(agreement).thresholds(),
        lambda message: context.progress(0, None, message, force=True),
    )


def run_job(job: Any, context: Any) -> dict[str, Any]:
    run = save(context.prepared, actor=context.actor, started_at=job.created_at)
    return {
        "summary": f"Scored {run.pairs_scored:,} pairs: {run.linked:,} linked, {run.review:,} for review, "
        f"{run.dropped:,} dropped",
        "url": reverse("linkage:review"),
        "link_text": "Open the review queue",
        "run_id": run.pk,
    }
