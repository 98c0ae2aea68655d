"""Supported-housing KPIs on hand-computed cases: occupancy and void nights from the intervals, the planned
share of departures by month of departure (a departure on the first of a month counts in that month, not the
one before), the median length of stay, and sessions per resident."""

from __future__ import annotations

import datetime as dt

from homeward.housing.kpis import housing_kpis
from homeward.housing.models import KeyWorkSession, Occupancy, Placement
from tests.factories import PersonFactory

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
MONTHS = [(JAN, FEB), (FEB, MAR)]


def _stay(world, unit, arrived, departed=None, reason=""):
    placement = Placement.objects.create(
        person=PersonFactory(organisation=world.provider),
        organisation=world.provider,
        scheme=world.scheme,
        status="moved_on" if departed else "resident",
        source="self",
        needs="x",
        referred_on=arrived,
        opened_by=world.worker.user,
        opened_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        arrived_on=arrived,
        departed_on=departed,
        departure_reason=reason,
    )
    Occupancy.objects.create(placement=placement, unit=unit, starts_on=arrived, ends_on=departed)
    return placement


def test_kpis_from_hand_computed_stays(world):
    for unit in world.rooms:  # all three rooms in use from before January
        unit.in_use_from = dt.date(2025, 6, 1)
        unit.save()
    a = _stay(
        world, world.rooms[0], dt.date(2025, 12, 1), JAN, "planned"
    )  # leaves on 1 Jan: a January departure
    _stay(
        world, world.rooms[1], dt.date(2026, 1, 11), dt.date(2026, 1, 21), "abandoned"
    )  # 10 nights in January
    _stay(world, world.rooms[2], dt.date(2026, 1, 17))  # 15 nights in January, all 28 in February
    KeyWorkSession.objects.create(
        placement=a, held_on=dt.date(2025, 12, 20), minutes=30, areas=[], worker=world.worker.user
    )
    kpis = {k.key: k for k in housing_kpis(world.worker, MONTHS)}
    jan, feb = (kpis["housing_occupancy"].points[i] for i in (0, 1))
    assert (jan.value, jan.n) == ((10 + 15) / 93, 93)  # 3 units x 31 nights
    assert feb.value == 28 / 84
    assert kpis["housing_void_nights"].points[0].value == 93 - 25
    planned = kpis["housing_planned_move_on"].points
    assert (planned[0].value, planned[0].n) == (0.5, 2)  # the 1 January planned move-on and the abandonment
    assert planned[1].n == 0
    assert kpis["housing_length_of_stay"].points[0].value == (31 + 10) / 2
    # January residents: the two who slept there; the December session is not in January.
    sessions = kpis["housing_sessions_per_resident"].points[0]
    assert (sessions.value, sessions.n) == (0.0, 2)


def test_nights_out_of_use_are_not_lettable_nor_void(world):
    """Room 3 is out of use from 10 January to 5 February ([10 Jan, 5 Feb): 22 nights in January, 4 in
    February), recorded as its spell: those nights leave the lettable ones, so they are not void either."""
    from homeward.housing.models import UnitOutOfUse

    for unit in world.rooms:
        unit.in_use_from = dt.date(2025, 6, 1)
        unit.save()
    _stay(world, world.rooms[0], dt.date(2026, 1, 11), dt.date(2026, 1, 21), "planned")  # 10 nights
    UnitOutOfUse.objects.create(
        unit=world.rooms[2], starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 2, 5), note="Leak"
    )
    kpis = {k.key: k for k in housing_kpis(world.worker, MONTHS)}
    jan, feb = kpis["housing_occupancy"].points
    assert (jan.value, jan.n) == (10 / (93 - 22), 93 - 22)
    assert feb.n == 84 - 4
    assert [p.value for p in kpis["housing_void_nights"].points] == [93 - 22 - 10, 84 - 4]
