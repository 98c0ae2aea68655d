"""Sustainment and return KPIs on hand-computed cases: still housed at the 3/6/12-month follow-ups (people
lost to follow-up left out of the share and reported apart), returns within 12 months linked to the
earlier stay (a departure on the first of a month counts in that month), deaths left out; assessments
and plans on time; and the business-case proposer, which prices only from the unit-cost database."""

from __future__ import annotations

import datetime as dt

from homeward.casework.proposers import proposer
from homeward.housing.kpis import housing_kpis
from homeward.housing.models import FollowUp, Placement
from tests.factories import PersonFactory

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
MONTHS = [(JAN, FEB), (FEB, MAR)]


def _left(
    world, departed, reason="planned", destination="independent_tenancy", previous=None, referred_on=None
):
    """A stay that ended on `departed`; or, with `departed` None, a new referral on `referred_on`."""
    return Placement.objects.create(
        person=previous.person if previous else PersonFactory(organisation=world.provider),
        organisation=world.provider,
        scheme=world.scheme,
        status="moved_on" if departed else "referred",
        source="self",
        needs="x",
        referred_on=referred_on or departed - dt.timedelta(days=100),
        opened_by=world.worker.user,
        opened_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        arrived_on=departed - dt.timedelta(days=90) if departed else None,
        departed_on=departed,
        departure_reason=reason if departed else "",
        destination=destination if departed else "",
        previous_placement=previous,
    )


def _follow_up(placement, months, due, result="", done=None):
    return FollowUp.objects.create(
        placement=placement,
        months=months,
        due_on=due,
        result=result,
        done_on=done or (due if result else None),
    )


def test_sustained_shares_leave_out_people_lost_to_follow_up_and_report_them_apart(world):
    p1, p2, p3, p4, p5 = (_left(world, dt.date(2024, 10, d)) for d in (1, 2, 3, 4, 5))
    _follow_up(p1, 3, dt.date(2025, 1, 5), "still_housed")
    _follow_up(p2, 3, dt.date(2025, 1, 31), "not_housed")
    _follow_up(p3, 3, FEB, "still_housed")  # due on 1 February: a February follow-up
    _follow_up(p4, 3, dt.date(2025, 1, 10), "lost")
    _follow_up(p5, 6, dt.date(2025, 1, 12))  # never done
    _follow_up(p1, 6, dt.date(2025, 1, 20), "still_housed")
    kpis = {k.key: k for k in housing_kpis(world.worker, MONTHS)}
    jan3, feb3 = kpis["housing_sustained_3"].points
    assert (jan3.value, jan3.n) == (0.5, 2)  # p1 housed, p2 not; p4 (lost) left out
    assert (feb3.value, feb3.n) == (1.0, 1)
    assert (kpis["housing_sustained_6"].points[0].value, kpis["housing_sustained_6"].points[0].n) == (1.0, 1)
    assert kpis["housing_sustained_12"].points[0].n == 0
    lost = kpis["housing_lost_to_follow_up"].points[0]
    assert (lost.value, lost.n) == (2 / 5, 5)  # p4 lost and p5 not done, of five due in January


def test_returns_within_12_months_are_linked_to_the_earlier_stay(world):
    a = _left(world, dt.date(2025, 1, 31))  # moved on; found no longer housed at 12 months
    _follow_up(a, 12, dt.date(2026, 1, 31), "not_housed", done=dt.date(2026, 1, 20))
    b = _left(world, FEB, reason="abandoned", destination="unknown")  # 1 February: a February departure
    _left(world, None, previous=b, referred_on=dt.date(2025, 6, 1))  # came back: linked to b
    _left(world, dt.date(2025, 1, 15), reason="evicted", destination="rough_sleeping")
    _left(world, dt.date(2025, 1, 10), reason="died", destination="died")  # left out
    f = _left(world, dt.date(2025, 1, 20), destination="family")
    _left(world, None, previous=f, referred_on=dt.date(2026, 3, 1))  # came back after 12 months: not counted
    kpis = {k.key: k for k in housing_kpis(world.worker, MONTHS)}
    jan, feb = kpis["housing_returns_12"].points
    assert (jan.value, jan.n) == (2 / 3, 3)  # a and the eviction to the street, of a, the eviction and f
    assert (feb.value, feb.n) == (1.0, 1)


def test_recent_departures_are_not_yet_counted_for_returns(world):
    from django.utils import timezone

    today = timezone.localdate()
    start = today.replace(day=1)
    _left(world, start, reason="evicted", destination="rough_sleeping")
    kpis = {k.key: k for k in housing_kpis(world.worker, [(start, start + dt.timedelta(days=31))])}
    assert kpis["housing_returns_12"].points[0].n == 0


def test_assessments_and_plans_on_time_by_month_of_arrival(world):
    # The scheme gives 28 days. One arrival assessed on day 28, one on day 29, one never (and now overdue).
    for arrived, assessed, plan in (
        (dt.date(2025, 1, 3), dt.date(2025, 1, 31), dt.date(2025, 1, 10)),
        (dt.date(2025, 1, 9), dt.date(2025, 2, 7), None),
        (dt.date(2025, 1, 20), None, None),
    ):
        p = _left(world, arrived + dt.timedelta(days=200))
        Placement.objects.filter(pk=p.pk).update(
            arrived_on=arrived, assessed_needs_on=assessed, plan_agreed_on=plan
        )
    kpis = {k.key: k for k in housing_kpis(world.worker, MONTHS)}
    jan = kpis["housing_assessment_on_time"].points[0]
    assert (jan.value, jan.n) == (1 / 3, 3)
    plans = kpis["housing_plan_on_time"].points[0]
    assert (plans.value, plans.n) == (1 / 3, 3)


def test_the_proposer_prices_from_the_unit_cost_database_and_leaves_the_rest_to_the_user(world):
    title, propose = proposer("housing")
    assert "Supported housing" in title
    a = _left(world, dt.date(2025, 1, 31))
    _follow_up(a, 3, dt.date(2025, 4, 30), "still_housed")
    _left(world, dt.date(2025, 2, 10), reason="evicted", destination="rough_sleeping")
    proposal = propose(world.worker, JAN, dt.date(2025, 12, 31), 2024)
    tenancy, rough, admissions, care = proposal.outcomes
    assert tenancy["success_rate"] == 0.5  # 1 of 2 moved on into a tenancy, and 1 of 1 answered still housed
    assert tenancy["unit_value"] > 0
    assert proposal.evidence["outcomes[0].unit_value"]["key"] == "eviction-into-homelessness"
    assert rough["success_rate"] == 0.5
    assert proposal.evidence["outcomes[1].unit_value"]["key"] == "gmca-ho6-rough-sleeper-year"
    assert admissions["success_rate"] == 0.0
    assert proposal.evidence["outcomes[2].success_rate"]["kind"] == "assumption"
    assert care["unit_value"] == 0.0 and proposal.evidence["outcomes[3].unit_value"]["kind"] == "assumption"
    assert round(proposal.participants_per_year, 1) == round(2 * 365 / 365, 1)
    # Another organisation's proposal sees none of these stays.
    other = proposer("housing")[1](world.officer, JAN, dt.date(2025, 12, 31), 2024)
    assert other.participants_per_year == 0 and other.outcomes[0]["success_rate"] == 0.0
