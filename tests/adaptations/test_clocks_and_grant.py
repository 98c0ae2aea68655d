"""The statutory clocks on a case (from engines.dfg) and the grant rule through the grants officer's
service: the DFG maximum, a top-up, the land charge, a child not means tested, and bad money refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from homeward.adaptations import grants, services
from homeward.adaptations.clocks import case_clocks, plain_words
from homeward.adaptations.codes import AdaptationStatus as S
from homeward.adaptations.selectors import latest_overdue_start, worklist
from homeward.core.errors import ValidationFailed
from homeward.engines.dfg import add_months
from tests.adaptations.conftest import VALID_ON


def _approval_stage(world, **open_fields):
    case = world.walk(world.open(**open_fields), "approval")
    return services.record_dates(actor=world.officer, case_id=case.pk, application_valid_on=VALID_ON)


def test_no_clock_runs_before_a_valid_application(world):
    case = world.walk(world.open(), "application")
    assert case_clocks(case, today=dt.date(2026, 3, 1)) == []


def test_the_decision_clock_counts_six_calendar_months_from_the_valid_application(world):
    case = _approval_stage(world)
    decision, payment, works = case_clocks(case, today=dt.date(2026, 9, 1))
    assert decision.due_on == dt.date(2026, 9, 9)
    assert decision.days_left == 8 and not decision.is_overdue
    assert (
        plain_words(decision) == "The council must decide the application by 9 September 2026: 8 days left."
    )
    assert payment.due_on == dt.date(2027, 3, 9)
    assert works.due_on is None
    assert "clock starts when the grant is approved" in plain_words(works)
    late = case_clocks(case, today=dt.date(2026, 9, 12))[0]
    assert late.is_overdue
    assert plain_words(late).endswith("overdue by 3 days.")


def test_a_decision_in_time_is_met_and_the_works_clock_starts_at_approval(world):
    case = world.walk(world.open(), "works")
    decision, _, works = case_clocks(case, today=dt.date(2026, 4, 2))
    assert decision.status == "met"
    assert plain_words(decision).endswith("done on 1 April 2026, in time.")
    assert works.due_on == dt.date(2027, 4, 1)


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 1),
        dt.date(2026, 8, 30),
        dt.date(2026, 8, 31),
        dt.date(2024, 2, 29),
    ],
)
def test_the_worklists_overdue_filter_agrees_with_the_engine_at_month_ends(today):
    """Every start on or before the threshold is overdue by the engine's calendar months; the day after is
    not (31 Aug + 6 months = 28 Feb)."""
    for months in (6, 12):
        last = latest_overdue_start(today, months)
        assert add_months(last, months) < today
        assert add_months(last + dt.timedelta(days=1), months) >= today


def test_overdue_cases_come_first_on_the_worklist(world):
    fresh = world.open(needs="Stair-lift")
    late = _approval_stage(world)  # valid application 9 March 2026: the decision was due 9 September
    rows = list(worklist(actor=world.officer, view="all"))
    assert rows[0].pk == late.pk and rows[0].overdue == 1
    assert [c.pk for c in worklist(actor=world.officer, view="overdue")] == [late.pk]
    assert fresh.pk in [c.pk for c in worklist(actor=world.officer, view="first_contact")]


def test_the_grant_is_the_cost_less_the_contribution(world):
    case = _approval_stage(world, tenure="council_tenant")
    decision = grants.record_grant(
        actor=world.officer,
        case_id=case.pk,
        cost_of_works=Decimal("9500.00"),
        contribution=Decimal("1200.00"),
    )
    case.refresh_from_db()
    assert case.grant == decision.grant == Decimal("8300.00")
    assert case.land_charge is None  # a tenant: no land charge
    assert "within the DFG maximum of £30,000.00" in case.grant_statement


def test_an_owner_occupiers_grant_above_5000_carries_a_land_charge(world):
    case = _approval_stage(world)
    grants.record_grant(
        actor=world.officer, case_id=case.pk, cost_of_works=Decimal("7500.00"), contribution=Decimal("0.00")
    )
    case.refresh_from_db()
    assert case.land_charge == Decimal("2500.00")


def test_a_grant_above_the_maximum_without_a_top_up_is_refused_and_nothing_is_written(world):
    case = _approval_stage(world)
    with pytest.raises(ValidationFailed) as caught:
        grants.record_grant(
            actor=world.officer, case_id=case.pk, cost_of_works=Decimal("42000.00"), contribution=Decimal("0")
        )
    assert "above the DFG maximum of £30,000.00" in caught.value.errors["cost_of_works"]
    case.refresh_from_db()
    assert case.grant is None and case.cost_of_works is None


def test_a_top_up_covers_the_excess_as_discretionary_assistance(world):
    case = _approval_stage(world, tenure="private_tenant")
    grants.record_grant(
        actor=world.officer,
        case_id=case.pk,
        cost_of_works=Decimal("42000.00"),
        contribution=Decimal("0"),
        top_up_amount=Decimal("12000.00"),
        top_up_reference="Housing Assistance Policy 2025 s.4.2",
    )
    case.refresh_from_db()
    assert (case.grant, case.discretionary) == (Decimal("30000.00"), Decimal("12000.00"))


def test_a_contribution_above_the_cost_is_refused(world):
    case = _approval_stage(world)
    with pytest.raises(ValidationFailed) as caught:
        grants.record_grant(
            actor=world.officer, case_id=case.pk, cost_of_works=Decimal("900"), contribution=Decimal("1000")
        )
    assert "cannot be more than the cost" in caught.value.errors["contribution"]
    case.refresh_from_db()
    assert case.grant is None and case.cost_of_works is None and case.contribution is None
    assert not case.events.filter(title__startswith="Grant").exists()


def test_a_disabled_child_is_not_means_tested(world):
    world.applicant.date_of_birth = dt.date(2015, 6, 1)
    world.applicant.save()
    case = _approval_stage(world)
    with pytest.raises(ValidationFailed) as caught:
        grants.record_grant(
            actor=world.officer, case_id=case.pk, cost_of_works=Decimal("8000"), contribution=Decimal("500")
        )
    assert "not means tested" in caught.value.errors["contribution"]
    grants.record_grant(
        actor=world.officer, case_id=case.pk, cost_of_works=Decimal("8000"), contribution=None
    )
    case.refresh_from_db()
    assert case.contribution == 0 and case.grant == Decimal("8000.00")
    assert case.grant_statement.startswith("Not means tested")


def test_the_grant_is_recorded_only_before_approval(world):
    case = world.walk(world.open(), "works")
    assert case.status == S.WORKS
    with pytest.raises(ValidationFailed) as caught:
        grants.record_grant(
            actor=world.officer, case_id=case.pk, cost_of_works=Decimal("800"), contribution=Decimal("0")
        )
    assert "case" in caught.value.errors
