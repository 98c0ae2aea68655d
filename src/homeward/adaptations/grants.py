"""The grant on an adaptations case: the grants officer records the cost of the eligible works and the
contribution from the test of resources; `engines.dfg` applies the grant rule (the DFG maximum, a
discretionary top-up, the owner-occupier's land charge) with the figures it ships and cites."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from homeward.adaptations.codes import AdaptationStatus, Route, Tenure
from homeward.adaptations.models import AdaptationCase
from homeward.adaptations.services import case_event, locked_case
from homeward.core.errors import ValidationFailed
from homeward.engines.dfg import (
    DfgInputError,
    DisabledOccupant,
    GrantDecision,
    TopUp,
    grant_amount,
    is_child_or_young_person,
    statutory_tables,
)
from homeward.engines.dfg import Tenure as DfgTenure
from homeward.engines.dfg.tables import GrantMaximumVersion, LandChargeVersion
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: Stages at which the grant is worked out: once the works are priced, up to the approval.
GRANT_STAGES = (AdaptationStatus.APPLICATION, AdaptationStatus.APPROVAL)
MAX_MONEY = Decimal("1000000")


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _money(errors: dict[str, str], field: str, value: Decimal | None, label: str) -> None:
    if value is None:
        errors[field] = f"Enter the {label}"
    elif value < 0:
        errors[field] = f"The {label} cannot be negative"
    elif value > MAX_MONEY:
        errors[field] = f"The {label} must be £1,000,000 or less"
    elif value != value.quantize(Decimal("0.01")):
        errors[field] = f"The {label} must be in pounds and pence"


@transaction.atomic
def record_grant(
    *,
    actor: Actor,
    case_id: int,
    cost_of_works: Decimal | None,
    contribution: Decimal | None,
    top_up_amount: Decimal | None = None,
    top_up_reference: str = "",
) -> GrantDecision:
    """Work out and record the grant. A disabled child or young person is not means tested (contribution
    £0, SI 1996/2890 reg. 5 as substituted); above the DFG maximum the grant is refused unless a
    discretionary top-up covering the excess is recorded, naming the policy it is given under."""
    case = locked_case(actor, case_id)
    errors: dict[str, str] = {}
    if case.route != Route.DFG:
        errors["route"] = (
            "The grant is worked out on a Disabled Facilities Grant case, not "
            f"{case.get_route_display().lower()}"
        )
    if case.status not in GRANT_STAGES:
        errors["case"] = "Record the grant once the works are identified and before approval"
    _money(errors, "cost_of_works", cost_of_works, "cost of the eligible works")
    day = case.application_valid_on or timezone.localdate()
    child = is_child_or_young_person(DisabledOccupant(age=min(age_on(case.person.date_of_birth, day), 130)))
    if child and contribution:
        errors["contribution"] = (
            "A disabled child or young person is not means tested: the contribution is £0"
        )
    if contribution is None and child:
        contribution = Decimal(0)
    _money(errors, "contribution", contribution, "applicant's contribution")
    if not errors and contribution is not None and cost_of_works is not None and contribution > cost_of_works:
        errors["contribution"] = (
            f"The contribution (£{contribution:,.2f}) cannot be more than the cost of the works "
            f"(£{cost_of_works:,.2f})"
        )
    top_up = None
    if top_up_amount is not None or top_up_reference.strip():
        if top_up_amount is None or top_up_amount <= 0:
            errors["top_up_amount"] = "Enter the discretionary top-up in pounds"
        elif not top_up_reference.strip():
            errors["top_up_reference"] = (
                "Name the Housing Assistance Policy section the top-up is given under"
            )
        elif len(top_up_reference) > 200:
            errors["top_up_reference"] = "Must be 200 characters or fewer"
        else:
            top_up = TopUp(amount=top_up_amount, reference=top_up_reference.strip())
    if errors:
        raise ValidationFailed(errors)
    assert cost_of_works is not None and contribution is not None
    return apply_grant(
        actor=actor,
        case=case,
        cost_of_works=cost_of_works,
        contribution=contribution,
        top_up=top_up,
        child=child,
        title="Grant worked out",
    )


def apply_grant(
    *,
    actor: Actor,
    case: AdaptationCase,
    cost_of_works: Decimal,
    contribution: Decimal,
    top_up: TopUp | None = None,
    top_up_amount: Decimal | None = None,
    top_up_reference: str = "",
    child: bool = False,
    title: str = "Grant worked out",
) -> GrantDecision:
    """Apply the engine's grant rule to a locked case and record the outcome (the caller has validated the
    figures). Used by `record_grant` and when the approved cost changes (`works`); above the maximum
    without a big enough top-up it raises ValidationFailed naming `cost_of_works` and writes nothing."""
    if top_up is None and top_up_amount and top_up_reference:
        top_up = TopUp(amount=top_up_amount, reference=top_up_reference)
    day = case.application_valid_on or timezone.localdate()
    tables = statutory_tables()
    maximum = tables.version("grant_maximum", day, GrantMaximumVersion)
    charge = tables.version("land_charge", day, LandChargeVersion)
    tenure = DfgTenure.OWNER_OCCUPIER if case.tenure == Tenure.OWNER_OCCUPIER else DfgTenure.TENANT
    try:
        decision = grant_amount(
            cost_of_works=cost_of_works,
            contribution=contribution,
            tenure=tenure,
            maximum=maximum.values["england"],
            land_charge_rule=charge.values,
            top_up=top_up,
            maximum_source=maximum.source.split(":")[0],
        )
    except DfgInputError as exc:
        fields = {"cost_of_works": "cost_of_works", "top_up.amount": "top_up_amount"}
        raise ValidationFailed(
            {
                fields.get(issue.path, "cost_of_works"): issue.message[:1].upper() + issue.message[1:]
                for issue in exc.issues
            }
        ) from exc
    case.cost_of_works, case.contribution = cost_of_works, contribution
    case.grant, case.discretionary = decision.grant, decision.discretionary
    case.top_up_reference = top_up.reference if top_up and decision.discretionary else ""
    case.land_charge = decision.land_charge.amount if decision.land_charge else None
    steps = (["Not means tested: a disabled child or young person."] if child else []) + decision.steps
    case.grant_statement = "\n".join(steps)
    case.save()
    case_event(case, actor, title, decision.statement)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Record an adaptations grant",
        obj=case,
        person_id=case.person_id,
        detail={"grant": str(decision.grant), "discretionary": str(decision.discretionary)},
    )
    return decision


def grant_of(case: AdaptationCase) -> dict[str, Decimal | None]:
    """The recorded money on a case, for pages and the API."""
    return {
        "cost_of_works": case.cost_of_works,
        "contribution": case.contribution,
        "grant": case.grant,
        "discretionary": case.discretionary,
        "land_charge": case.land_charge,
    }
