"""How well the alerts work, from the team's decisions: per month, and by protected group (fairness).

Counts only. Protected attributes come from the tenancies extract and are used here and nowhere else.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from homeward.engines.risk import FAIR_RANGE, GroupFairness, MonthMetrics, fairness_report, worklist_metrics
from homeward.governance.access import Actor
from homeward.prevention.codes import USEFUL_DECISIONS
from homeward.prevention.models import HousingEvent, RiskAlert, RiskRun
from homeward.prevention.scoring import OUTCOME_HORIZON_DAYS

TOP_K = 20  # the alerts a support team can act on in a month
# Below this many tenancies a group's rates swing on one or two alerts: shown, but not flagged.
MIN_GROUP = 30
ATTRIBUTE_LABELS = {"age_band": "Age band", "disability": "Disability", "ethnicity": "Ethnicity"}


def _alerts(actor: Actor) -> pl.DataFrame:
    rows = RiskAlert.objects.filter(organisation_id=actor.organisation_id).values_list(
        "tenancy_ref", "raised_on", "score", "decided_on", "decision"
    )
    return pl.DataFrame(
        [
            (ref, raised, score, decided, None if not decision else decision in USEFUL_DECISIONS)
            for ref, raised, score, decided, decision in rows
        ],
        schema={
            "tenancy_ref": pl.String,
            "raised_on": pl.Date,
            "score": pl.Float64,
            "decided_on": pl.Date,
            "useful": pl.Boolean,
        },
        orient="row",
    )


def monthly(actor: Actor, k: int = TOP_K) -> list[MonthMetrics]:
    """Alert volume, precision at k (decided alerts judged useful) and median days to action, by month."""
    alerts = _alerts(actor)
    return worklist_metrics(alerts, k=k) if alerts.height else []


def fairness_rows(actor: Actor) -> tuple[RiskRun | None, list[dict[str, object]]]:
    """The comparison for the page: a group too small to judge is marked so instead of flagged."""
    run, rows = fairness(actor)
    return run, [
        row.model_dump()
        | {
            "label": ATTRIBUTE_LABELS.get(row.attribute, row.attribute),
            "too_small": row.tenancies < MIN_GROUP and row.group != "not recorded",
            "is_flagged": row.is_flagged and row.tenancies >= MIN_GROUP,
        }
        for row in rows
    ]


def fairness(actor: Actor) -> tuple[RiskRun | None, list[GroupFairness]]:
    """Alert rate and precision by age band, disability and ethnicity for the latest scoring run.

    An alert is "right" when the team acted on it (visit or referral) or an outcome was recorded in the
    180 days after the run."""
    run = RiskRun.objects.filter(organisation_id=actor.organisation_id).first()
    if run is None:
        return None, []
    tenancies = pl.DataFrame(
        list(
            HousingEvent.objects.filter(organisation_id=actor.organisation_id, kind="tenancies").values_list(
                "data", flat=True
            )
        ),
        schema={c: pl.String for c in ("tenancy_ref", "age_band", "disability", "ethnicity", "end_date")},
        orient="row",
    )
    if tenancies.is_empty():
        return run, []
    outcome_refs = {
        ref
        for ref, data in HousingEvent.objects.filter(
            organisation_id=actor.organisation_id, kind="outcomes"
        ).values_list("tenancy_ref", "data")
        if run.as_of.isoformat()
        < str(data.get("occurred_on"))
        <= (run.as_of + timedelta(days=OUTCOME_HORIZON_DAYS)).isoformat()
    }
    # The run's alerts: those it raised and the open ones it refreshed.
    alerts = dict(RiskAlert.objects.filter(run=run).values_list("tenancy_ref", "decision"))
    live = tenancies.filter(pl.col("end_date").is_null())
    alerted = pl.DataFrame(
        {
            "tenancy_ref": live["tenancy_ref"],
            "alert": [ref in alerts for ref in live["tenancy_ref"]],
            "label": [
                int(ref in outcome_refs or alerts.get(ref, "") in USEFUL_DECISIONS)
                for ref in live["tenancy_ref"]
            ],
        }
    )
    return run, fairness_report(alerted, live)


__all__ = ["FAIR_RANGE", "fairness", "fairness_rows", "monthly"]
