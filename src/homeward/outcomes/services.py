"""Writes other modules may make of outcomes: a measured effect sent into a business case, and simulation
runs another module has computed, kept so that their comparison can be sent to cost–benefit.

An evaluation (homeward.evaluation) measures the change in an outcome per person per year with a 95%
interval, from a matched difference-in-differences. Sent to a business case, it replaces the chosen
outcome's observed rate: the quantity avoided per participant becomes a triangular distribution over the
interval (the Monte Carlo draws from it), valued at a unit cost from the database; the success rate is 1
(the effect is already per participant) and the deadweight is 0, because a difference-in-differences
already nets out what would have happened anyway. Each input's basis reads "Measured, SMS level N,
evaluation #id". Counts and money only, never personal data.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.casework.proposers import spread
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.access import Actor
from homeward.outcomes.business_case import _require, _validated, get_case, get_path
from homeward.outcomes.models import BusinessCase, BusinessCaseChange
from homeward.outcomes.selectors import rebased_unit_cost, unit_cost


def outcome_choices(actor: Actor) -> list[tuple[str, str]]:
    """("case id:outcome index", "case: outcome") for every outcome of the organisation's business cases."""
    from homeward.outcomes.business_case import visible_cases

    out = []
    for case in visible_cases(actor).order_by("-updated_at")[:50]:
        for i, outcome in enumerate(case.model.get("outcomes", [])):
            out.append((f"{case.pk}:{i}", f"{case.name}: {outcome.get('name', f'outcome {i + 1}')}"))
    return out


@transaction.atomic
def apply_measured_effect(
    *,
    actor: Actor,
    case_id: int,
    outcome_index: int,
    effect_per_year: float,
    ci95: tuple[float, float],
    outcome_label: str,
    sms_level: int,
    evaluation_id: int,
    unit_cost_key: str,
) -> BusinessCase:
    """Replace outcome `outcome_index` of the case with a measured effect (negative = a fall, valued as
    units avoided)."""
    _require(actor)
    case = get_case(actor, case_id)
    model = copy.deepcopy(case.model)
    outcomes = model.get("outcomes", [])
    if not 0 <= outcome_index < len(outcomes):
        raise ValidationFailed({"outcome": "Choose an outcome of this business case"})
    try:
        uc = unit_cost(unit_cost_key)
    except NotFound:
        raise ValidationFailed({"unit_cost": f"No unit cost '{unit_cost_key}'"}) from None
    price = rebased_unit_cost(uc, int(model["price_year"]))["value"] or 0.0
    avoided, low, high = -effect_per_year, -ci95[1], -ci95[0]
    quantity = spread(max(avoided, 0.0), low, high)
    if isinstance(quantity, dict):
        value: Any = {k: (v * price if isinstance(v, float | int) else v) for k, v in quantity.items()}
    else:
        value = round(quantity * price, 2)
    basis = f"Measured, SMS level {sms_level}, evaluation #{evaluation_id}"
    path = f"outcomes[{outcome_index}]"
    before = {key: get_path(model, f"{path}.{key}") for key in ("success_rate", "deadweight", "unit_value")}
    target = outcomes[outcome_index]
    target.update(
        engagement_rate=1.0,
        success_rate=1.0,
        deadweight=0.0,
        unit_value=value,
        beneficiaries=uc.bearers,
        source=f"{basis}: {outcome_label} per participant per year × {uc.name}",
    )
    _validated(model)
    clipped = " A rise cannot be valued here, so the interval is cut at 0." if low < 0 else ""
    evidence = dict(case.evidence)
    evidence[f"{path}.unit_value"] = {
        "kind": "measured",
        "text": f"{basis}: {avoided:.2f} {outcome_label} fewer per participant per year (95% CI "
        f"{low:.2f} to {high:.2f}), as a triangular distribution, × {uc.name} £{price:,.2f} at "
        f"{model['price_year']} prices ({uc.source}).{clipped}",
        "evaluation": evaluation_id,
        "grade": uc.confidence_grade,
    }
    evidence[f"{path}.success_rate"] = {
        "kind": "method",
        "text": f"1: the measured effect is already per participant ({basis})",
    }
    evidence[f"{path}.deadweight"] = {
        "kind": "method",
        "text": f"0: a difference-in-differences already nets out what would have happened anyway ({basis})",
    }
    case.model, case.evidence, case.updated_at = model, evidence, timezone.now()
    case.save(update_fields=["model", "evidence", "updated_at"])
    for key in ("success_rate", "deadweight", "unit_value"):
        BusinessCaseChange.objects.create(
            case=case,
            at=case.updated_at,
            by=actor.user,
            path=f"{path}.{key}",
            label=f"{target.get('name', 'Outcome')}: {key.replace('_', ' ')}",
            before=before[key],
            after=target[key],
            reason=f"{basis} sent from the evaluation",
        )
    return case


def can_keep_simulation_runs(actor: Actor) -> bool:
    from homeward.outcomes.simulation import can_simulate

    return can_simulate(actor)


def keep_simulation_run(
    *, actor: Actor, name: str, scenario: Any, replications: int, seed: int, batch: Any, seconds: float
) -> Any:
    """Keep a run of the flow simulator that another module computed (e.g. reablement's "what if we open
    more beds?"), as if run on the What if? page: its comparison and the cost–benefit hand-off then work on
    it. `scenario` is the parsed flowsim Scenario and `batch` its Batch."""
    from homeward.outcomes.simulation import save_run

    if not can_keep_simulation_runs(actor):
        raise ValidationFailed.single("__all__", "Your role cannot keep simulation runs")
    return save_run(
        actor=actor,
        name=name,
        parsed=scenario,
        replications=replications,
        seed=seed,
        batch=batch,
        seconds=seconds,
    )
