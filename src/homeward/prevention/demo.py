"""Demo tenancy triggers: synthetic housing-system extracts with planted patterns for the demo's tenancies,
imported through the real importer, scored monthly over the last quarter, some alerts decided."""

from __future__ import annotations

import contextlib
import random
import tempfile
from datetime import timedelta
from pathlib import Path

import polars as pl
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation, Tenancy
from homeward.engines.risk import generate
from homeward.governance.access import Actor
from homeward.prevention import scoring, services
from homeward.prevention.codes import AlertDecision
from homeward.prevention.importer import import_directory
from homeward.prevention.models import RiskAlert


def seed_prevention(*, housing: Organisation, officer: Actor, rng: random.Random) -> int:
    """Returns the number of alerts raised."""
    today = timezone.localdate()
    tenancies = list(Tenancy.objects.filter(property__organisation=housing).order_by("reference"))
    if not tenancies:
        return 0
    synthetic = generate(len(tenancies), len(tenancies) * 40, seed=rng.randrange(1_000_000), as_of=today)
    # Give the synthetic tenancies the demo's tenancy references, so alerts link to real demo people.
    refs = sorted(synthetic.tables["tenancies"]["tenancy_ref"].to_list())
    rename = pl.DataFrame({"tenancy_ref": refs, "_ref": [t.reference for t in tenancies[: len(refs)]]})
    with tempfile.TemporaryDirectory() as tmp:
        for kind, frame in synthetic.tables.items():
            renamed = frame.join(rename, on="tenancy_ref").drop("tenancy_ref").rename({"_ref": "tenancy_ref"})
            renamed.select(frame.columns).write_csv(
                Path(tmp) / f"{kind}.csv", datetime_format="%Y-%m-%d %H:%M:%S"
            )
        import_directory(housing, Path(tmp))
    planted = set(
        synthetic.planted.join(rename, on="tenancy_ref")["_ref"].to_list()
    )  # the ones that really need help
    for months_ago in (3, 2, 1):
        scoring.score_organisation(housing, as_of=today - timedelta(days=30 * months_ago))
        # The team works through most of each month's alerts within a fortnight.
        for alert in RiskAlert.objects.filter(organisation=housing, decided_on__isnull=True):
            if rng.random() < 0.25:
                continue
            useful = alert.tenancy_ref in planted or rng.random() < 0.2
            decision = (
                rng.choice(
                    [AlertDecision.VISIT, AlertDecision.MONEY_ADVICE, AlertDecision.GP, AlertDecision.VISIT]
                )
                if useful
                else rng.choice([AlertDecision.FALSE_ALARM, AlertDecision.NO_ACTION])
            )
            services.decide_alert(
                actor=officer, alert_id=alert.pk, decision=decision, note="" if useful else "Tenant is fine"
            )
            RiskAlert.objects.filter(pk=alert.pk).update(
                decided_on=alert.raised_on + timedelta(days=rng.randint(1, 14))
            )
    with contextlib.suppress(ValidationFailed):  # a small demo has too few outcomes: the rules still score
        scoring.train(housing)
    scoring.score_organisation(housing, as_of=today)
    return RiskAlert.objects.filter(organisation=housing).count()
