"""Residents of a home and the rooms they live in, as intervals: no room holds two residents at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from homeward.carehomes import selectors, services
from homeward.carehomes.models import Occupancy, Resident
from homeward.core.errors import NotFound, ValidationFailed
from homeward.governance.models import AuditEvent
from tests.carehomes.conftest import MOVED_IN


def test_admitting_a_resident_puts_them_in_a_room_and_shares_them_with_their_gp(world):
    resident = world.admit()
    assert selectors.current_room(resident) == "1"
    assert selectors.get_resident(actor=world.gp, resident_id=resident.pk) == resident
    assert AuditEvent.objects.filter(person_id=world.person.pk, purpose="Admit a care home resident").exists()


def test_a_room_cannot_hold_two_residents_at_once(world):
    world.admit()
    other = world.another_person()
    with pytest.raises(ValidationFailed) as error:
        world.admit(person=other, admitted_on=MOVED_IN + dt.timedelta(days=10))
    assert "room_id" in error.value.errors
    assert not Resident.objects.filter(person=other).exists()


def test_a_room_freed_by_a_move_takes_the_next_resident_from_that_day(world):
    resident = world.admit()
    moved_on = MOVED_IN + dt.timedelta(days=20)
    services.move_room(
        actor=world.manager, resident_id=resident.pk, room_id=world.rooms[1].pk, starts_on=moved_on
    )
    first, second = resident.occupancies.order_by("starts_on")
    assert (first.ends_on, second.starts_on, second.ends_on) == (moved_on, moved_on, None)
    newcomer = world.admit(person=world.another_person(), admitted_on=moved_on)
    assert selectors.current_room(newcomer) == "1"
    with pytest.raises(ValidationFailed) as error:
        services.move_room(
            actor=world.manager,
            resident_id=newcomer.pk,
            room_id=world.rooms[1].pk,
            starts_on=moved_on + dt.timedelta(days=5),
        )
    assert "room_id" in error.value.errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's")
def test_the_database_refuses_overlapping_stays_in_a_room_even_past_the_service(world):
    resident = world.admit()
    other = world.admit(person=world.another_person(), room_id=world.rooms[1].pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(
            resident=other, room=world.rooms[0], starts_on=MOVED_IN + dt.timedelta(days=3)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(
            resident=resident, room=world.rooms[2], starts_on=MOVED_IN + dt.timedelta(days=3)
        )


def test_bad_input_names_the_field_and_writes_nothing(world):
    before = Resident.objects.count()
    with pytest.raises(ValidationFailed) as error:
        world.admit(funding="lottery", admitted_on=dt.date(2099, 1, 1), next_of_kin="x" * 201)
    assert set(error.value.errors) >= {"funding", "admitted_on", "next_of_kin"}
    assert Resident.objects.count() == before and not Occupancy.objects.exists()


def test_another_organisation_without_an_agreement_cannot_see_or_change_a_resident(world):
    resident = world.admit()
    with pytest.raises(NotFound):
        selectors.get_resident(actor=world.stranger, resident_id=resident.pk)
    with pytest.raises(NotFound):
        services.move_room(
            actor=world.stranger, resident_id=resident.pk, room_id=world.rooms[1].pk, starts_on=MOVED_IN
        )
    # The GP practice may see the resident but never change the home's record.
    with pytest.raises(NotFound):
        services.move_room(
            actor=world.gp, resident_id=resident.pk, room_id=world.rooms[1].pk, starts_on=MOVED_IN
        )


def test_only_a_care_provider_runs_homes(world):
    with pytest.raises(ValidationFailed) as error:
        services.create_home(actor=world.gp, name="Surgery annexe", kind="nursing")
    assert "name" in error.value.errors
