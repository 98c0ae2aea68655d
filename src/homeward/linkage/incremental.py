"""Incremental linking: a record created or changed after an agreement's last run is scored at once
against the other parties' records with the run's model (the engine's `IncrementalLinker`), so a hospital
referral finds the patient's landlord without waiting for the next batch run.

A change to a party's person record, or a new Hospital to Home case, queues one background job per
agreement (`linkage.incremental`; never two waiting at once). The job scores every record changed since
the agreement was last scored, stores its pairs (linked, or to review), updates the identities and raises
tenant-in-hospital alerts."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.models import Person
from homeward.engines.linkage import IncrementalLinker, LinkageModel, PairExplainer
from homeward.governance.access import agreements_in_force
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, DataSharingAgreement, SharingPurpose
from homeward.linkage import identities
from homeward.linkage.models import IdentityLedger, LinkageRun
from homeward.linkage.policy import settings_of
from homeward.linkage.records import party_frames, usable_fields
from homeward.linkage.runs import dumps, explanation_json, store_pairs
from homeward.linkage.services import raise_alerts

INCREMENTAL_KIND = "linkage.incremental"
log = logging.getLogger(__name__)


@dataclass
class Scored:
    agreement_id: int
    run_id: int
    records: int
    pairs: pl.DataFrame
    until: Any
    seconds: float


def _changed_since(agreement: DataSharingAgreement) -> Any:
    ledger = IdentityLedger.objects.filter(agreement=agreement).first()
    last = LinkageRun.objects.filter(agreement=agreement).aggregate(at=Max("started_at"))["at"]
    marks = [m for m in (ledger.scored_until if ledger else None, last) if m is not None]
    return max(marks) if marks else None


def score_changes(agreement_id: int) -> Scored | None:
    """Score the records changed since the agreement was last scored (no writes). None without a model."""
    started = time.perf_counter()
    agreement = DataSharingAgreement.objects.prefetch_related("parties").get(pk=agreement_id)
    run = LinkageRun.objects.filter(agreement=agreement).exclude(model_json="").first()
    if run is None or not agreement.allows(SharingPurpose.LINKAGE):
        return None
    until = timezone.now()
    since = _changed_since(agreement)
    parties = [p.pk for p in agreement.parties.all()]
    changed = set(
        Person.objects.filter(organisation_id__in=parties, updated_at__gt=since).values_list("pk", flat=True)
    )
    if not changed:
        return Scored(agreement.pk, run.pk, 0, pl.DataFrame(), until, time.perf_counter() - started)
    model = LinkageModel.from_json(run.model_json).with_thresholds(settings_of(agreement).thresholds())
    fields = usable_fields(agreement.linkage_fields)
    everyone, _ = party_frames(parties, fields)
    is_new = pl.col("record_id").cast(pl.Int64).is_in(sorted(changed))
    linker = IncrementalLinker(model, everyone.filter(~is_new))
    explainer = PairExplainer(model, linker.frequencies)
    by_key = {(r["source"], r["record_id"]): r for r in everyone.iter_rows(named=True)}
    found: list[pl.DataFrame] = []
    for record in everyone.filter(is_new).iter_rows(named=True):
        pairs = linker.score(record)
        explanations = [
            dumps(explanation_json(explainer, record, by_key[(p["source_r"], p["record_id_r"])]))
            if p["decision"] == "review"
            else "{}"
            for p in pairs.iter_rows(named=True)
        ]
        found.append(pairs.with_columns(pl.Series("explanation", explanations, dtype=pl.String)))
        linker.add([record])
    pairs = pl.concat(found, how="vertical_relaxed") if found else pl.DataFrame()
    return Scored(agreement.pk, run.pk, len(changed), pairs, until, time.perf_counter() - started)


def save_changes(scored: Scored) -> dict[str, int]:
    """Store what `score_changes` found; move the agreement's 'scored until' mark on."""
    agreement = DataSharingAgreement.objects.get(pk=scored.agreement_id)
    run = LinkageRun.objects.get(pk=scored.run_id)
    linked = review = 0
    if scored.pairs.height:
        linked, review = store_pairs(
            agreement, run, scored.pairs.cast({"decision": pl.String}), retire_unfound=False
        )
    identities.rebuild(agreement)
    IdentityLedger.objects.filter(agreement=agreement).update(scored_until=scored.until)
    alerts = raise_alerts(agreement)
    figures = {"records": scored.records, "linked": linked, "review": review, "alerts": alerts}
    record_event(
        actor=None,
        action=AuditAction.SEARCH,
        purpose="Incremental person linkage of new and changed records",
        obj=run,
        detail={"agreement": agreement.reference, **figures},
    )
    return figures


def link_changes(agreement_id: int) -> dict[str, int]:
    """Score and store the changes now, in this process (tests, CLI)."""
    scored = score_changes(agreement_id)
    if scored is None:
        return {"records": 0, "linked": 0, "review": 0, "alerts": 0}
    with transaction.atomic():
        return save_changes(scored)


def queue_for(organisation_id: int) -> None:
    """After a change to an organisation's records: queue incremental linking under each agreement in force
    that names linkage, has a model, and has no such job waiting already."""
    from homeward.jobs.models import Job, JobStatus
    from homeward.jobs.services import start_job

    if not LinkageRun.objects.filter(agreement__parties=organisation_id).exists():
        return
    waiting = [
        j.params.get("agreement_id")
        for j in Job.objects.filter(kind=INCREMENTAL_KIND, status=JobStatus.QUEUED)
    ]
    for agreement in agreements_in_force().filter(parties=organisation_id):
        if not agreement.allows(SharingPurpose.LINKAGE) or agreement.pk in waiting:
            continue
        if not LinkageRun.objects.filter(agreement=agreement).exists():
            continue
        try:
            with transaction.atomic():
                start_job(
                    kind=INCREMENTAL_KIND,
                    organisation=agreement.parties.get(pk=organisation_id),
                    params={"agreement_id": agreement.pk},
                    label=f"Link new and changed records under {agreement.reference}",
                )
        except ValidationFailed as exc:  # the organisation's job limit: the next change queues it
            log.warning("Incremental linkage not queued for agreement %s: %s", agreement.pk, exc)


def prepare_job(job: Any, context: Any) -> Scored | None:
    context.progress(0, None, "Scoring new and changed records", force=True)
    return score_changes(int(job.params["agreement_id"]))


def run_job(job: Any, context: Any) -> dict[str, Any]:
    scored = context.prepared
    if scored is None:
        return {"summary": "Nothing to link: the agreement has no linkage run yet"}
    figures = save_changes(scored)
    return {
        "summary": f"Scored {figures['records']:,} new or changed record(s): {figures['linked']:,} linked, "
        f"{figures['review']:,} for review, {figures['alerts']:,} new tenant-in-hospital alert(s)",
        "url": reverse("linkage:review"),
        "link_text": "Open the review queue",
    }


def on_person_saved(sender: Any, instance: Person, **kwargs: Any) -> None:
    organisation_id = instance.organisation_id
    transaction.on_commit(lambda: queue_for(organisation_id))


def on_case_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        organisation_id = instance.organisation_id
        transaction.on_commit(lambda: queue_for(organisation_id))
