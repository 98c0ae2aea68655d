"""Occupancy as intervals: one resident per unit at a time (refused in the service, and on PostgreSQL in the
database), moves between rooms, and occupancy and void nights worked out from the intervals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from homeward.core.errors import ValidationFailed
from homeward.housing import moveon, schemes, services
from homeward.housing.models import Occupancy, Placement
from homeward.housing.occupancy import nights, scheme_figures
from tests.factories import PersonFactory
from tests.housing.conftest import ARRIVED, TODAY


def test_nights_are_half_open_and_clipped_to_the_period():
    d = dt.date
    assert nights(d(2026, 1, 1), d(2026, 1, 8), d(2026, 1, 1), d(2026, 2, 1)) == 7
    assert nights(d(2025, 12, 20), None, d(2026, 1, 1), d(2026, 2, 1)) == 31
    assert nights(d(2026, 1, 8), d(2026, 1, 9), d(2026, 1, 1), d(2026, 1, 8)) == 0


def test_arrival_starts_an_open_interval_in_the_accepted_unit(world):
    placement = world.house()
    stay = Occupancy.objects.get(placement=placement)
    assert (stay.unit, stay.starts_on, stay.ends_on) == (world.rooms[0], ARRIVED, None)


def test_an_offer_of_an_occupied_unit_is_refused_and_nothing_is_written(world):
    world.house()
    other = world.refer(PersonFactory(organisation=world.provider))
    services.assess(
        actor=world.worker,
        placement_id=other.pk,
        eligible=True,
        on=ARRIVED,
        risk_level="low",
        risk_summary="None known",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.offer(actor=world.worker, placement_id=other.pk, unit_id=world.rooms[0].pk, on=TODAY)
    assert "Room 1 is occupied" in caught.value.errors["unit_id"]
    assert Placement.objects.get(pk=other.pk).status == "assessed"


def test_a_second_arrival_in_the_same_unit_is_refused(world):
    first = world.refer()
    second = world.refer(PersonFactory(organisation=world.provider))
    for p in (first, second):  # both offered room 1 before either arrives
        services.assess(
            actor=world.worker,
            placement_id=p.pk,
            eligible=True,
            on=ARRIVED,
            risk_level="low",
            risk_summary="None known",
        )
        services.offer(actor=world.worker, placement_id=p.pk, unit_id=world.rooms[0].pk, on=ARRIVED)
        services.answer_offer(actor=world.worker, placement_id=p.pk, accepted=True, on=ARRIVED)
    services.arrive(actor=world.worker, placement_id=first.pk, on=ARRIVED, occupation="licence")
    with pytest.raises(ValidationFailed) as caught:
        services.arrive(actor=world.worker, placement_id=second.pk, on=TODAY, occupation="licence")
    assert "occupied" in caught.value.errors["on"]
    assert not Occupancy.objects.filter(placement=second).exists()
    assert Placement.objects.get(pk=second.pk).status == "accepted"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_postgresql_refuses_an_overlapping_interval_written_past_the_service(world):
    placement = world.house()
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(placement=placement, unit=world.rooms[0], starts_on=TODAY)


def test_moving_rooms_ends_one_interval_and_starts_another(world):
    placement = world.house()
    moved = ARRIVED + dt.timedelta(days=10)
    moveon.move_unit(actor=world.worker, placement_id=placement.pk, unit_id=world.rooms[1].pk, on=moved)
    stays = list(
        Occupancy.objects.filter(placement=placement).values_list("unit__name", "starts_on", "ends_on")
    )
    assert stays == [("Room 1", ARRIVED, moved), ("Room 2", moved, None)]
    # Room 1 is free again from the move date: someone else can arrive that day.
    newcomer = world.house(PersonFactory(organisation=world.provider), unit=world.rooms[0], on=moved)
    assert newcomer.status == "resident"


def test_occupancy_and_void_nights_come_from_the_intervals(world):
    start, end = TODAY - dt.timedelta(days=30), TODAY
    world.house()  # room 1 occupied for all 30 nights
    figures = scheme_figures(world.scheme.pk, start, end)
    assert (figures.units, figures.available_nights, figures.occupied_nights) == (3, 90, 30)
    assert figures.void_nights == 60
    assert figures.occupancy == pytest.approx(1 / 3)


def test_an_occupied_unit_cannot_be_marked_void_or_out_of_use(world):
    world.house()
    with pytest.raises(ValidationFailed) as caught:
        schemes.set_unit_status(
            actor=world.worker, unit_id=world.rooms[0].pk, status="out_of_use", note="Leak"
        )
    assert "occupied" in caught.value.errors["status"]
    with pytest.raises(ValidationFailed) as caught:
        schemes.set_unit_status(actor=world.worker, unit_id=world.rooms[1].pk, status="void")
    assert caught.value.errors["void_reason"] == "Say why the unit is void"
    unit = schemes.set_unit_status(
        actor=world.worker, unit_id=world.rooms[1].pk, status="void", void_reason="repairs"
    )
    assert unit.get_void_reason_display() == "Major repairs"


def test_out_of_use_is_kept_as_a_spell_that_leaves_the_lettable_nights(world):
    """Room 2 goes out of use 20 nights ago and back 5 nights ago: the spell [20 ago, 5 ago) takes its 15
    nights out of the 30 nights' lettable ones; the ready-to-let change closes the spell."""
    from homeward.housing.models import UnitOutOfUse

    start, end = TODAY - dt.timedelta(days=30), TODAY
    went, back = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=5)
    room = world.rooms[1]
    schemes.set_unit_status(
        actor=world.worker, unit_id=room.pk, status="out_of_use", note="Roof leak", on=went
    )
    schemes.set_unit_status(actor=world.worker, unit_id=room.pk, status="ready_to_let", on=back)
    assert list(UnitOutOfUse.objects.filter(unit=room).values_list("starts_on", "ends_on", "note")) == [
        (went, back, "Roof leak")
    ]
    world.house()  # room 1 occupied for all 30 nights
    figures = scheme_figures(world.scheme.pk, start, end)
    assert (figures.available_nights, figures.occupied_nights, figures.void_nights) == (90 - 15, 30, 45)


def test_out_of_use_dates_that_would_overlap_are_refused_and_nothing_is_written(world):
    from homeward.housing.models import Unit, UnitOutOfUse

    room = world.rooms[1]
    went = TODAY - dt.timedelta(days=20)
    schemes.set_unit_status(actor=world.worker, unit_id=room.pk, status="out_of_use", note="Leak", on=went)
    with pytest.raises(ValidationFailed) as caught:  # back in use on the day it went out: no nights
        schemes.set_unit_status(actor=world.worker, unit_id=room.pk, status="ready_to_let", on=went)
    assert "out of use since" in caught.value.errors["on"]
    assert Unit.objects.get(pk=room.pk).status == "out_of_use"
    back = TODAY - dt.timedelta(days=10)
    schemes.set_unit_status(actor=world.worker, unit_id=room.pk, status="ready_to_let", on=back)
    with pytest.raises(ValidationFailed) as caught:  # a new spell starting inside the last one
        schemes.set_unit_status(
            actor=world.worker, unit_id=room.pk, status="out_of_use", note="Again", on=back - dt.timedelta(1)
        )
    assert "out of use until" in caught.value.errors["on"]
    assert UnitOutOfUse.objects.filter(unit=room).count() == 1


def test_out_of_use_cannot_start_before_a_resident_left(world):
    from homeward.housing.models import UnitOutOfUse

    placement = world.house()
    left = ARRIVED + dt.timedelta(days=10)
    moveon.move_unit(actor=world.worker, placement_id=placement.pk, unit_id=world.rooms[1].pk, on=left)
    with pytest.raises(ValidationFailed) as caught:
        schemes.set_unit_status(
            actor=world.worker,
            unit_id=world.rooms[0].pk,
            status="out_of_use",
            note="Leak",
            on=ARRIVED - dt.timedelta(days=1),  # empty that day, but lived in from the next
        )
    assert "Someone lived in Room 1" in caught.value.errors["on"]
    assert not UnitOutOfUse.objects.exists()
    schemes.set_unit_status(
        actor=world.worker, unit_id=world.rooms[0].pk, status="out_of_use", note="Leak", on=left
    )
    assert UnitOutOfUse.objects.get().starts_on == left


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_postgresql_refuses_overlapping_out_of_use_spells(world):
    from homeward.housing.models import UnitOutOfUse

    room = world.rooms[0]
    UnitOutOfUse.objects.create(unit=room, starts_on=TODAY - dt.timedelta(30), ends_on=TODAY, note="Leak")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitOutOfUse.objects.create(
            unit=room, starts_on=TODAY - dt.timedelta(10), ends_on=TODAY - dt.timedelta(5), note="Overlap"
        )
