"""The grant-amount rule: the DFG maximum, discretionary top-ups, a contribution above the cost, land
charges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dfg_examples import illustrative_tables, worked

from homeward.engines.dfg import (
    GrantAboveMaximum,
    LandChargeRule,
    Tenure,
    TopUp,
    decide,
    grant_amount,
    land_charge,
    land_charge_amount,
    parse_application,
    statutory_tables,
)

D = Decimal
CHARGE = LandChargeRule(threshold=D(5000), cap=D(10000), years=10)


def _grant(cost, contribution=0, tenure=Tenure.OWNER_OCCUPIER, top_up=None, maximum=30000):
    return grant_amount(
        cost_of_works=D(cost),
        contribution=D(contribution),
        tenure=tenure,
        maximum=D(maximum),
        land_charge_rule=CHARGE,
        top_up=top_up,
    )


def test_a_grant_above_the_maximum_without_a_top_up_is_refused():
    with pytest.raises(GrantAboveMaximum) as caught:
        _grant(34_000, contribution=1_000)
    [issue] = caught.value.issues
    assert issue.path == "cost_of_works"
    assert issue.message.startswith(
        "the grant would be £33,000.00 (cost £34,000.00 − contribution £1,000.00), £3,000.00 above the DFG "
        "maximum of £30,000.00"
    )
    assert "record a discretionary top-up (top_up)" in issue.message


def test_a_recorded_top_up_pays_the_excess_as_discretionary_assistance():
    decision = _grant(34_000, contribution=1_000, top_up=TopUp(amount=D(5000), reference="HAP 2025 s.4.2"))
    assert (decision.grant, decision.discretionary, decision.applicant_pays) == (D(30000), D(3000), D(1000))
    assert decision.land_charge.amount == D(10000)  # the land charge is on the mandatory grant, capped
    assert (
        decision.statement == "Contribution £1,000.00; grant £30,000.00; discretionary assistance £3,000.00"
    )


def test_a_top_up_too_small_for_the_excess_is_refused():
    with pytest.raises(GrantAboveMaximum) as caught:
        _grant(34_000, top_up=TopUp(amount=D(1000), reference="HAP"))
    assert [str(i) for i in caught.value.issues] == [
        "top_up.amount: the recorded top-up £1,000.00 does not cover the £4,000.00 above the DFG maximum of "
        "£30,000.00"
    ]


def test_a_grant_of_exactly_the_maximum_needs_no_top_up():
    assert _grant(30_000).grant == D(30000)


def test_a_contribution_above_the_cost_means_no_grant_with_a_clear_statement():
    decision = _grant(4_000, contribution=7_588)
    assert decision.grant == 0 and decision.applicant_pays == D(4000) and decision.land_charge is None
    assert decision.statement == (
        "No grant: the assessed contribution £7,588.00 is at least the cost of the eligible works £4,000.00, "
        "so the applicant meets the whole cost."
    )


@pytest.mark.parametrize(
    ("grant", "charge"),
    [(5_000, 0), (7_500, 2_500), (15_000, 10_000), (20_000, 10_000)],
)
def test_land_charge_amounts(grant, charge):
    assert land_charge_amount(D(grant), CHARGE) == D(charge)
    decision = _grant(grant)
    if charge == 0:
        assert decision.land_charge is None  # only a grant that exceeds £5,000 carries a charge
    else:
        assert decision.land_charge.amount == D(charge)
        assert decision.land_charge.years == 10
    assert land_charge(grant=D(grant), tenure=Tenure.TENANT, rule=CHARGE) is None


def test_the_capped_land_charge_says_so():
    charge = land_charge(grant=D(20000), tenure=Tenure.OWNER_OCCUPIER, rule=CHARGE)
    assert charge.statement.startswith(
        "Land charge £10,000.00 (capped): the part of the £20,000.00 grant above"
    )


def test_the_shipped_maximum_is_30000_in_england_and_36000_in_wales():
    child = {"disabled_occupant": {"age": 10}, "cost_of_works": 33_000}
    with pytest.raises(GrantAboveMaximum, match=r"above the DFG maximum of £30,000.00 \(SI 2008/1189 art. 2"):
        decide(parse_application(worked(**child)), statutory_tables())
    wales = decide(parse_application(worked(**child, nation="wales")), statutory_tables())
    assert wales.grant.grant == D(33000) and wales.grant.maximum == D(36000)
    used = {use.table: use for use in wales.grant.tables_used}
    assert "SI 2008/2370" in used["grant_maximum"].source


def test_the_contribution_from_the_test_feeds_the_grant():
    decision = decide(parse_application(worked(cost_of_works=5_000)), illustrative_tables())
    assert decision.grant.grant == 0  # contribution £7,588.00 is above the cost
    assert decision.steps[-1].startswith("No grant: the assessed contribution £7,588.00")
