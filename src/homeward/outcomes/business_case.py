"""Business cases: a cost–benefit model proposed from casework, adjusted with reasons, compared across
scenarios, and appraised with its uncertainty (docs/business-cases.md).

A module that can evidence outcomes registers a *proposer* (`casework.proposers.register_proposer`):
given the actor and a period it returns outcomes with observed volumes and rates, unit values from the
unit-cost database and, for each input, what the figure rests on. The builder adds the service's cost,
validates the whole model with the engine, and keeps every later change with the user's reason. Counts and
rates only.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from homeward.casework.proposers import proposer
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.cba import (
    Appraisal,
    ModelError,
    MonteCarloResult,
    Sensitivity,
    appraise,
    load_model,
    model_inputs,
    sensitivity,
    simulate_metrics,
    summarise_draws,
)
from homeward.governance.access import Actor
from homeward.jobs import limits
from homeward.outcomes.models import BusinessCase, BusinessCaseChange

DRAWS = 10_000


def can_build(actor: Actor) -> bool:
    """Team leads, analysts and commissioners: those who see counts across the caseload."""
    return actor.can(Permission.VIEW_PSEUDONYMISED)


def _require(actor: Actor) -> None:
    if not can_build(actor):
        raise NotAllowed("Your role cannot build business cases")


def visible_cases(actor: Actor) -> QuerySet[BusinessCase]:
    """Business cases of the actor's organisation (counts and rates only, no personal data)."""
    if not can_build(actor):
        return BusinessCase.objects.none()
    return BusinessCase.objects.filter(organisation_id=actor.organisation_id)


def get_case(actor: Actor, case_id: int) -> BusinessCase:
    try:
        return visible_cases(actor).select_related("parent", "created_by").get(pk=case_id)
    except BusinessCase.DoesNotExist:
        raise NotFound("No business case with that id") from None


def _validated(model: dict[str, Any]) -> None:
    """The engine's checks (schema, then each outcome's optimism bias), as field errors by key path."""
    try:
        model_inputs(load_model(model))
    except ModelError as exc:
        raise ValidationFailed({issue.path or "model": issue.message for issue in exc.issues}) from None


@transaction.atomic
def create_case(
    actor: Actor,
    *,
    name: str,
    service: str,
    period_start: dt.date,
    period_end: dt.date,
    years: int,
    price_year: int,
    annual_cost: float,
    cost_agency: str,
    cost_optimism_bias: float,
) -> BusinessCase:
    """Propose a business case from the service's casework in the period, at `price_year` prices."""
    _require(actor)
    registered = proposer(service)
    if registered is None:
        raise ValidationFailed({"service": "Choose a service Homeward can evidence"})
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after its start"
    elif period_end > timezone.localdate():
        errors["period_end"] = "The evidence period cannot end in the future: there is no casework there yet"
    if not 1 <= years <= 30:
        errors["years"] = "Appraise from 1 to 30 years (HM Treasury Green Book)"
    for field, value, key in (
        ("annual_cost", annual_cost, "amount"),
        ("cost_optimism_bias", cost_optimism_bias, "cost_optimism_bias"),
    ):
        problem = _implausible(key, value)
        if problem:
            errors[field] = problem
    if not name.strip() or len(name) > 160:
        errors["name"] = "Name the business case in 160 characters or fewer"
    if len(cost_agency) > 120:
        errors["cost_agency"] = "Who pays must be 120 characters or fewer"
    if errors:
        raise ValidationFailed(errors)
    title, propose = registered
    proposal = propose(actor, period_start, period_end, price_year)
    model = {
        "name": name,
        "description": f"{title}, evidence from {period_start:%d %B %Y} to {period_end:%d %B %Y}",
        "discount_rate": 0.035,
        "years": years,
        "price_year": price_year,
        "costs": [
            {
                "year": y,
                "amount": annual_cost,
                "optimism_bias": cost_optimism_bias,
                "agency": cost_agency,
                "name": "Service cost",
            }
            for y in range(years)
        ],
        "cohorts": [
            {"year": y, "participants": round(proposal.participants_per_year, 2)} for y in range(years)
        ],
        "outcomes": proposal.outcomes,
    }
    evidence = dict(proposal.evidence)
    evidence["discount_rate"] = {
        "kind": "source",
        "text": "HM Treasury Green Book: 3.5% a year for years 0-30",
    }
    for y in range(years):
        evidence[f"costs[{y}].amount"] = {"kind": "entered", "text": "The service's annual cost, as entered"}
        evidence[f"costs[{y}].optimism_bias"] = {
            "kind": "entered",
            "text": "Cost uplift for optimism bias, as entered",
        }
        evidence[f"cohorts[{y}].participants"] = {"kind": "observed", "text": proposal.participants_note}
    _validated(model)
    now = timezone.now()
    return BusinessCase.objects.create(
        organisation=actor.organisation,
        name=name,
        service=service,
        period_start=period_start,
        period_end=period_end,
        model=model,
        evidence=evidence,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )


#: Plausible ranges for a Homeward business case, by input key, beyond the engine's own checks: a local
#: service costs at most £100m a year; a cost uplift for optimism bias goes up to +200%, the highest upper
#: bound in HM Treasury's Green Book supplementary guidance on optimism bias; a cohort is at most a million.
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "amount": (0.0, 100_000_000.0, "an amount from £0 to £100,000,000 a year"),
    "cost_optimism_bias": (0.0, 2.0, "an uplift from 0 to 2 (+200%, the Green Book's highest upper bound)"),
    "participants": (0.0, 1_000_000.0, "from 0 to 1,000,000 participants"),
    "unit_value": (0.0, 10_000_000.0, "a value from £0 to £10,000,000 per outcome"),
    "discount_rate": (0.0, 0.2, "a rate from 0 to 0.2 (HM Treasury: 0.035)"),
}
#: Any other number: finite and no larger than this in size.
LARGEST = 1e9
REASON_LIMIT = 1000


def _implausible(key: str, value: Any) -> str:
    """Why `value` (a number, or a distribution's numbers) is not plausible for `key`; "" when it is."""
    numbers = (
        [v for v in value.values() if isinstance(v, int | float)] if isinstance(value, dict) else [value]
    )
    low, high, text = PLAUSIBLE.get(key, (-LARGEST, LARGEST, f"a number no larger than {LARGEST:,.0f}"))
    for number in numbers:
        if not isinstance(number, int | float) or not math.isfinite(number) or not low <= number <= high:
            return f"Enter {text}"
    return ""


def _plausibility_key(path: str) -> str:
    key = path.rsplit(".", 1)[-1]
    return "cost_optimism_bias" if path.startswith("costs[") and key == "optimism_bias" else key


_PATH = re.compile(r"^(?:(costs|cohorts|outcomes)\[(\d+)\]\.)?([a-z_]+)$")


def _parse_value(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("{"):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise ValidationFailed({"value": "Give a number, or a distribution in JSON"}) from None
        return value
    try:
        return float(raw.replace(",", "").replace("£", ""))
    except ValueError:
        raise ValidationFailed({"value": "Give a number, or a distribution in JSON"}) from None


def editable_inputs(case: BusinessCase) -> list[tuple[str, str, Any]]:
    """(path, label, current value as stored) for every input the user may change."""
    model = load_model(case.model)
    out = []
    for inp in model_inputs(model):
        out.append((inp.path, inp.label, get_path(case.model, inp.path)))
    return out


def _slot(model: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """The mapping that holds `path` (e.g. `outcomes[1].deadweight`) and the key within it."""
    m = _PATH.match(path)
    try:
        if not m:
            raise KeyError(path)
        section, index, key = m.groups()
        return (model if section is None else model[section][int(index)]), key
    except (KeyError, IndexError):
        raise ValidationFailed({"path": f"Unknown input '{path}'"}) from None


def get_path(model: dict[str, Any], path: str) -> Any:
    target, key = _slot(model, path)
    return target.get(key)


def _set_path(model: dict[str, Any], path: str, value: Any) -> None:
    target, key = _slot(model, path)
    target[key] = value


@transaction.atomic
def change_assumption(
    actor: Actor, case: BusinessCase, path: str, raw_value: str, reason: str
) -> BusinessCaseChange:
    """Change one input, keeping the reason; the model is re-validated first, so nothing is half-written."""
    _require(actor)
    if not reason.strip():
        raise ValidationFailed({"reason": "Say why you are changing this assumption"})
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed({"reason": f"Give the reason in {REASON_LIMIT} characters or fewer"})
    labels = {p: label for p, label, _ in editable_inputs(case)}
    if path not in labels:
        raise ValidationFailed({"path": f"Unknown input '{path}'"})
    value = _parse_value(raw_value)
    problem = _implausible(_plausibility_key(path), value)
    if problem:
        raise ValidationFailed({"value": problem})
    model = copy.deepcopy(case.model)
    before = get_path(model, path)
    _set_path(model, path, value)
    try:
        _validated(model)
    except ValidationFailed as exc:
        message = exc.errors.get(path) or "; ".join(f"{p}: {m}" for p, m in exc.errors.items())
        raise ValidationFailed({"value": message}) from None
    case.model = model
    evidence = dict(case.evidence)
    evidence[path] = {"kind": "changed", "text": reason.strip(), "was": before}
    case.evidence = evidence
    case.updated_at = timezone.now()
    case.save(update_fields=["model", "evidence", "updated_at"])
    return BusinessCaseChange.objects.create(
        case=case,
        at=case.updated_at,
        by=actor.user,
        path=path,
        label=labels[path],
        before=before,
        after=value,
        reason=reason.strip(),
    )


@transaction.atomic
def add_scenario(actor: Actor, case: BusinessCase, name: str) -> BusinessCase:
    """A copy of the case to vary (e.g. "two more officers"); its changes are recorded like any other."""
    _require(actor)
    if not name.strip():
        raise ValidationFailed({"name": "Name the scenario"})
    base = case.parent or case
    now = timezone.now()
    model = copy.deepcopy(case.model)
    model["name"] = name.strip()
    return BusinessCase.objects.create(
        organisation=base.organisation,
        parent=base,
        name=name.strip(),
        service=case.service,
        period_start=case.period_start,
        period_end=case.period_end,
        model=model,
        evidence=copy.deepcopy(case.evidence),
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )


@dataclass(frozen=True)
class Appraised:
    case: BusinessCase
    appraisal: Appraisal
    monte_carlo: MonteCarloResult
    sensitivity: Sensitivity
    draws: list[float]


def appraise_case(case: BusinessCase, draws: int = DRAWS) -> Appraised:
    """Point estimate, Monte Carlo (seeded by the case, so a report is reproducible; drawn once, then
    summarised and kept for the histogram) and sensitivity."""
    limits.check("draws", draws, "cba_draws", what="Monte Carlo draws")
    model = load_model(case.model)
    metrics = simulate_metrics(model, draws, seed=case.pk)
    mc = summarise_draws(metrics, seed=case.pk)
    return Appraised(case, appraise(model), mc, sensitivity(model), [float(x) for x in metrics["npv"]])


def family(case: BusinessCase) -> list[BusinessCase]:
    """The base case and its scenarios, base first."""
    base = case.parent or case
    return [base, *base.scenarios.order_by("created_at")]
