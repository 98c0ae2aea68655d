"""The grant-amount rule: grant = cost of the eligible works − the applicant's contribution, up to the DFG
maximum (England £30,000, SI 2008/1189 art. 2; Wales £36,000, SI 2008/2370 art. 2), any excess only with a
discretionary top-up recorded; and, for an owner-occupier whose grant exceeds £5,000, the land charge (the
part above £5,000, capped at £10,000, repayable if the home is disposed of within 10 years: the DFG
(Conditions relating to approval or payment of Grant) General Consent 2008). The maximum and land-charge
terms are read from the versioned tables (shipped in `data/statutory.json`).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from homeward.engines.dfg.errors import GrantAboveMaximum, Issue
from homeward.engines.dfg.resources import (
    Application,
    Assessment,
    Pounds,
    Tenure,
    TopUp,
    assess_contribution,
    money,
)
from homeward.engines.dfg.tables import (
    GrantMaximumVersion,
    LandChargeRule,
    LandChargeVersion,
    Tables,
    TableUse,
)


class LandCharge(BaseModel):
    model_config = ConfigDict(frozen=True)

    amount: Pounds
    threshold: Pounds
    cap: Pounds
    years: int
    statement: str


class GrantDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    cost_of_works: Pounds
    contribution: Pounds
    #: The mandatory Disabled Facilities Grant.
    grant: Pounds
    #: Discretionary assistance above the maximum (from the recorded top-up).
    discretionary: Pounds
    #: What the applicant pays: the contribution, or the whole cost when that is less.
    applicant_pays: Pounds
    maximum: Pounds
    land_charge: LandCharge | None
    statement: str
    steps: list[str]
    tables_used: list[TableUse]


def land_charge_amount(grant: Decimal, rule: LandChargeRule) -> Decimal:
    """The part of the grant above the threshold, capped: £7,500 → £2,500; £20,000 → £10,000."""
    return min(max(grant - rule.threshold, Decimal(0)), rule.cap)


def land_charge(*, grant: Decimal, tenure: Tenure, rule: LandChargeRule) -> LandCharge | None:
    """The land charge on an owner-occupier's grant above the threshold; None otherwise."""
    if tenure is not Tenure.OWNER_OCCUPIER or grant <= rule.threshold:
        return None
    amount = land_charge_amount(grant, rule)
    capped = " (capped)" if grant - rule.threshold > rule.cap else ""
    return LandCharge(
        amount=amount,
        threshold=rule.threshold,
        cap=rule.cap,
        years=rule.years,
        statement=(
            f"Land charge {money(amount)}{capped}: the part of the {money(grant)} grant above "
            f"{money(rule.threshold)}, up to {money(rule.cap)}, repayable if the home is disposed of within "
            f"{rule.years} years of the certified date (the council may decide not to demand it)."
        ),
    )


def grant_amount(
    *,
    cost_of_works: Decimal,
    contribution: Decimal,
    tenure: Tenure,
    maximum: Decimal,
    land_charge_rule: LandChargeRule,
    top_up: TopUp | None = None,
    maximum_source: str = "",
) -> GrantDecision:
    """Apply the grant rule; raises `GrantAboveMaximum` when the grant would exceed the maximum and no
    discretionary top-up covering the excess is recorded."""
    need = cost_of_works - contribution
    steps = []
    if need <= 0:
        statement = (
            f"No grant: the assessed contribution {money(contribution)} is at least the cost of the eligible "
            f"works {money(cost_of_works)}, so the applicant meets the whole cost."
        )
        return GrantDecision(
            cost_of_works=cost_of_works,
            contribution=contribution,
            grant=Decimal(0),
            discretionary=Decimal(0),
            applicant_pays=cost_of_works,
            maximum=maximum,
            land_charge=None,
            statement=statement,
            steps=[statement],
            tables_used=[],
        )
    discretionary = Decimal(0)
    cite = f" ({maximum_source})" if maximum_source else ""
    if need > maximum:
        excess = need - maximum
        if top_up is None:
            raise GrantAboveMaximum(
                [
                    Issue(
                        "cost_of_works",
                        f"the grant would be {money(need)} (cost {money(cost_of_works)} − contribution "
                        f"{money(contribution)}), {money(excess)} above the DFG maximum of {money(maximum)}"
                        f"{cite}; record a discretionary top-up (top_up) under the council's Housing "
                        "Assistance Policy, or reduce the eligible works",
                    )
                ]
            )
        if top_up.amount < excess:
            raise GrantAboveMaximum(
                [
                    Issue(
                        "top_up.amount",
                        f"the recorded top-up {money(top_up.amount)} does not cover the {money(excess)} "
                        f"above the DFG maximum of {money(maximum)}",
                    )
                ]
            )
        discretionary = excess
        grant = maximum
        steps.append(
            f"Grant {money(grant)} (the DFG maximum) and discretionary assistance {money(discretionary)} "
            f"({top_up.reference}): cost {money(cost_of_works)} − contribution {money(contribution)} = "
            f"{money(need)}"
        )
    else:
        grant = need
        steps.append(
            f"Grant {money(grant)}: cost {money(cost_of_works)} − contribution {money(contribution)}, within "
            f"the DFG maximum of {money(maximum)}"
        )
    charge = land_charge(grant=grant, tenure=tenure, rule=land_charge_rule)
    if charge is not None:
        steps.append(charge.statement)
    statement = f"Contribution {money(contribution)}; grant {money(grant)}" + (
        f"; discretionary assistance {money(discretionary)}" if discretionary else ""
    )
    steps.append(statement)
    return GrantDecision(
        cost_of_works=cost_of_works,
        contribution=contribution,
        grant=grant,
        discretionary=discretionary,
        applicant_pays=contribution,
        maximum=maximum,
        land_charge=charge,
        statement=statement,
        steps=steps,
        tables_used=[],
    )


def decide_grant(application: Application, assessment: Assessment, tables: Tables) -> GrantDecision:
    """The grant for an application with a `cost_of_works`, by the maximum and land-charge terms in force."""
    if application.cost_of_works is None:
        raise GrantAboveMaximum([Issue("cost_of_works", "is required to work out the grant")])
    on = application.assessment_date
    maximum = tables.version("grant_maximum", on, GrantMaximumVersion)
    if application.nation.value not in maximum.values:
        raise GrantAboveMaximum(
            [Issue("nation", f"tables.grant_maximum has no maximum for {application.nation.value} on {on}")]
        )
    charge = tables.version("land_charge", on, LandChargeVersion)
    decision = grant_amount(
        cost_of_works=application.cost_of_works,
        contribution=assessment.contribution,
        tenure=application.tenure,
        maximum=maximum.values[application.nation.value],
        land_charge_rule=charge.values,
        top_up=application.top_up,
        maximum_source=maximum.source.split(":")[0],
    )
    used = [
        TableUse("grant_maximum", maximum.source, maximum.valid_from),
        TableUse("land_charge", charge.source, charge.valid_from),
    ]
    return decision.model_copy(update={"tables_used": used})


class Decision(BaseModel):
    """The test of resources and, when the cost is known, the grant."""

    model_config = ConfigDict(frozen=True)

    assessment: Assessment
    grant: GrantDecision | None
    steps: list[str]


def decide(application: Application, tables: Tables) -> Decision:
    """Run the test of resources and (with a `cost_of_works`) the grant rule; every step in words."""
    assessment = assess_contribution(application, tables)
    grant = decide_grant(application, assessment, tables) if application.cost_of_works is not None else None
    steps = list(assessment.steps)
    if grant is not None:
        steps += grant.steps
    return Decision(assessment=assessment, grant=grant, steps=steps)
