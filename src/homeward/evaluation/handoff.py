"""Sending a finished evaluation to a business case, through outcomes' services (the effect and its CI
replace the chosen outcome's observed rate; the placeholder deadweight goes)."""

from __future__ import annotations

from django.db import transaction

from homeward.core.errors import ValidationFailed
from homeward.evaluation.forms import SendForm
from homeward.evaluation.models import Evaluation
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.outcomes import services as outcomes
from homeward.outcomes.models import BusinessCase, UnitCost

#: The unit cost that values one unit of each measure built from Homeward's records.
UNIT_COST_OF = {
    "ae_attendances": "a-and-e-attendance",
    "admissions": "non-elective-admission",
    "readmissions": "non-elective-admission",
    "bed_days": "excess-bed-day",
}


def choices(actor: Actor) -> list[tuple[str, str]]:
    return outcomes.outcome_choices(actor)


def unit_choices() -> list[tuple[str, str]]:
    return [(u.key, f"{u.name} (£{u.value} {u.unit})") for u in UnitCost.objects.order_by("name")]


def send_form(actor: Actor, evaluation: Evaluation) -> SendForm | None:
    targets = choices(actor)
    if not evaluation.result or not targets:
        return None
    initial = {"unit_cost": UNIT_COST_OF.get(evaluation.result["outcome"], "")}
    return SendForm(initial=initial, outcomes=targets, units=unit_choices())


@transaction.atomic
def send(*, actor: Actor, evaluation: Evaluation, target: str, unit_cost_key: str) -> BusinessCase:
    result = evaluation.result
    if not result:
        raise ValidationFailed({"outcome": "The evaluation has not finished"})
    case_id, _, index = target.partition(":")
    if not (case_id.isdigit() and index.isdigit()):
        raise ValidationFailed({"outcome": "Choose an outcome of a business case"})
    estimate = result["estimate"]
    case = outcomes.apply_measured_effect(
        actor=actor,
        case_id=int(case_id),
        outcome_index=int(index),
        effect_per_year=float(estimate["effect"]),
        ci95=(float(estimate["ci95"][0]), float(estimate["ci95"][1])),
        outcome_label=result["outcome_label"],
        sms_level=int(result["sms_level"]),
        evaluation_id=evaluation.pk,
        unit_cost_key=unit_cost_key,
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(sent_to_case_id=case.pk)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Send a measured effect to a business case",
        obj=evaluation,
        detail={"business_case": case.pk, "outcome": int(index)},
    )
    return case
