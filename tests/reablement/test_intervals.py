"""Occupancy is intervals: a bed never holds two stays at once, a bed move keeps one stay, and occupancy,
void days and length of stay are derived from the intervals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.reablement import services
from homeward.reablement.models import Occupancy, Stay
from homeward.reablement.occupancy import bed_void_days, length_of_stay, overlap_days, unit_occupancy
from tests.reablement.conftest import days_ago


def test_admission_opens_one_interval_and_the_bed_shows_occupied(world):
    stay = world.admitted("1")
    interval = stay.occupancies.get()
    assert interval.bed == world.bed("1") and interval.ended_at is None
    assert stay.referral.status == "admitted"


def test_a_bed_cannot_take_a_second_stay_while_occupied(world):
    world.admitted("1")
    other = world.refer(person_id=world.another_patient().pk, referred_at=days_ago(3))
    services.decide_referral(actor=world.unit_worker, referral_id=other.pk, decision="accepted")
    with pytest.raises(ValidationFailed) as refused:
        services.admit(
            actor=world.unit_worker, referral_id=other.pk, bed_id=world.bed("1").pk, admitted_at=days_ago(1)
        )
    assert "bed_id" in refused.value.errors
    assert Stay.objects.count() == 1 and Occupancy.objects.count() == 1
    other.refresh_from_db()
    assert other.status == "accepted"


def test_a_stay_overlapping_an_earlier_one_in_the_same_bed_is_refused(world):
    """Admitting with a time inside a finished interval on the bed would overlap it."""
    stay = world.admitted("1", referred_days_ago=12, admitted_days_ago=10)
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(2), destination="home"
    )
    other = world.refer(person_id=world.another_patient().pk, referred_at=days_ago(8))
    services.decide_referral(actor=world.unit_worker, referral_id=other.pk, decision="accepted")
    with pytest.raises(ValidationFailed) as refused:
        services.admit(
            actor=world.unit_worker, referral_id=other.pk, bed_id=world.bed("1").pk, admitted_at=days_ago(5)
        )
    assert "bed_id" in refused.value.errors
    assert Stay.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_overlapping_intervals_on_postgresql(world):
    stay = world.admitted("2", referred_days_ago=12, admitted_days_ago=10)
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(2), destination="home"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Written past the services, straight to the table: the constraint alone refuses it.
        Occupancy.objects.create(stay=stay, bed=world.bed("2"), started_at=days_ago(6), ended_at=days_ago(4))


def test_the_database_refuses_two_open_intervals_on_a_bed_on_any_database(world):
    stay = world.admitted("2")
    other = world.admitted("3")
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(stay=other, bed=world.bed("2"), started_at=days_ago(1))
    assert stay.occupancies.count() == 1


def test_a_bed_move_keeps_one_stay_with_two_back_to_back_intervals(world):
    stay = world.admitted("1")
    moved_at = days_ago(4)
    services.move_bed(actor=world.unit_worker, stay_id=stay.pk, bed_id=world.bed("3").pk, moved_at=moved_at)
    first, second = stay.occupancies.order_by("started_at")
    assert (first.bed.label, first.ended_at) == ("1", moved_at)
    assert (second.bed.label, second.started_at, second.ended_at) == ("3", moved_at, None)
    assert Stay.objects.count() == 1
    assert length_of_stay(stay) == 9  # the move does not restart the stay
    world.bed("1").status == "awaiting_clean"


def test_length_of_stay_counts_calendar_days_from_admission_to_discharge(world):
    stay = world.admitted("1", referred_days_ago=20, admitted_days_ago=15)
    assert length_of_stay(stay) == 15
    stay = services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(3, 11), destination="home"
    )
    assert length_of_stay(stay) == 12


def test_overlap_days_clips_intervals_to_the_period():
    tz = dt.UTC
    start, end = dt.datetime(2026, 3, 1, tzinfo=tz), dt.datetime(2026, 4, 1, tzinfo=tz)
    now = dt.datetime(2026, 6, 1, tzinfo=tz)
    intervals = [
        (dt.datetime(2026, 2, 25, tzinfo=tz), dt.datetime(2026, 3, 3, tzinfo=tz)),  # 2 days in March
        (dt.datetime(2026, 3, 10, 12, tzinfo=tz), dt.datetime(2026, 3, 11, tzinfo=tz)),  # half a day
        (dt.datetime(2026, 3, 31, tzinfo=tz), None),  # open: 1 day to the month's end
    ]
    assert overlap_days(intervals, start, end, now) == pytest.approx(3.5)


def test_occupancy_and_void_days_over_a_period_with_edges(world):
    """Over the last 10 days (4 beds = 40 bed-days): bed 1 is held from 14:00 nine days ago until now; bed 2
    from 14:00 twenty days ago until 10:00 five days ago (only the part inside the period counts)."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=9)
    now = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    world.admitted("1", referred_days_ago=10, admitted_days_ago=9)
    earlier = world.refer(person_id=world.another_patient().pk, referred_at=days_ago(21))
    services.decide_referral(actor=world.unit_worker, referral_id=earlier.pk, decision="accepted")
    stay = services.admit(
        actor=world.unit_worker,
        referral_id=earlier.pk,
        bed_id=world.bed("2").pk,
        admitted_at=days_ago(20, 14),
    )
    services.discharge(
        actor=world.unit_worker, stay_id=stay.pk, discharged_at=days_ago(5, 10), destination="home"
    )
    bed_one = 9 + 10 / 24  # 14:00 nine days ago to midnight tonight
    bed_two = 4 + 10 / 24  # midnight nine days ago to 10:00 five days ago
    figures = unit_occupancy(world.unit, first, today, now=now)
    assert figures["available_bed_days"] == 40
    assert figures["occupied_bed_days"] == pytest.approx(bed_one + bed_two)
    assert figures["void_bed_days"] == pytest.approx(40 - bed_one - bed_two)
    assert bed_void_days(world.bed("3"), first, today, now=now) == 10
    assert bed_void_days(world.bed("2"), first, today, now=now) == pytest.approx(10 - bed_two)


def test_a_closed_bed_is_not_available_from_the_day_it_closed(world):
    from homeward.reablement import beds

    today = timezone.localdate()
    beds.set_bed_status(
        actor=world.unit_worker,
        bed_id=world.bed("4").pk,
        status="closed",
        reason="Hoist broken",
        on=today - dt.timedelta(days=2),
    )
    figures = unit_occupancy(world.unit, today - dt.timedelta(days=9), today)
    assert figures["available_bed_days"] == 3 * 10 + 7  # open 9 days ago to 3 days ago
