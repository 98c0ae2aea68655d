"""Care-home KPIs per home and month: 999 calls, conveyances, A&E attendances and emergency admissions per
1,000 occupied bed-days (the bed-days from the rooms' occupancy intervals), "stay" decisions that stayed
well at 24 and 72 hours, plans in place and reviewed, and deaths in the preferred place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import clinical, services
from homeward.carehomes.kpis import carehome_kpis, occupied_bed_days

TODAY = timezone.localdate()
FIRST = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last full month
NEXT = TODAY.replace(day=1)
DAYS = (NEXT - FIRST).days
MONTH = [(FIRST, NEXT)]


def at(day: int, hour: int = 2) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(FIRST + dt.timedelta(days=day - 1), dt.time(hour)))


def month_value(actor, key, home_id=None):
    (point,) = {k.key: k for k in carehome_kpis(actor, MONTH, home_id)}[key].points
    return point


def test_occupied_bed_days_count_each_day_a_room_was_held():
    spans = [(dt.date(2026, 3, 1), dt.date(2026, 4, 1))]
    occupancies = [
        (dt.date(2026, 1, 1), None),  # all 31 days
        (dt.date(2026, 3, 10), dt.date(2026, 3, 20)),  # 10 days: the end is the first day away
        (dt.date(2026, 3, 25), dt.date(2026, 5, 1)),  # 7 days
        (dt.date(2026, 4, 2), None),  # none
    ]
    assert occupied_bed_days(occupancies, spans) == 31 + 10 + 7


@pytest.fixture
def two_residents(world):
    first = world.admit(admitted_on=FIRST - dt.timedelta(days=40))
    second = world.admit(
        person=world.another_person(given_name="Ivy"),
        admitted_on=FIRST + dt.timedelta(days=10),
        room_id=world.rooms[1].pk,
    )
    return first, second


def test_rates_are_per_1000_occupied_bed_days_of_the_month(world, two_residents):
    first, second = two_residents
    bed_days = DAYS + (DAYS - 10)
    clinical.record_emergency_call(
        actor=world.manager, resident_id=first.pk, called_at=at(3), outcome="conveyed", reason="Fall"
    )
    clinical.record_emergency_call(
        actor=world.manager, resident_id=second.pk, called_at=at(20), outcome="advice", reason="Breathless"
    )
    clinical.record_transfer(
        actor=world.manager, resident_id=first.pk, left_at=at(3, 3), reason="Fall", admitted=True
    )
    clinical.record_transfer(
        actor=world.manager,
        resident_id=second.pk,
        left_at=at(21),
        reason="GP sent her in",
        by_ambulance=False,
        attended_ae=False,
        admitted=True,
    )
    assert month_value(world.manager, "carehomes_bed_days").value == bed_days
    assert month_value(world.manager, "carehomes_999_calls").value == 2
    for key, events in (
        ("carehomes_999_rate", 2),
        ("carehomes_conveyance_rate", 1),
        ("carehomes_ae_rate", 1),
        ("carehomes_admission_rate", 2),
    ):
        point = month_value(world.manager, key)
        assert point.value == pytest.approx(1000 * events / bed_days), key
        assert point.low < point.value < point.high and point.n == bed_days
    # One home of the organisation's, or another organisation: only their own.
    other = services.create_home(actor=world.manager, name="Elm Lodge", kind="residential")
    assert month_value(world.manager, "carehomes_999_calls", other.pk).value == 0
    assert month_value(world.stranger, "carehomes_999_calls").value == 0
    assert month_value(world.stranger, "carehomes_999_rate").value is None


def test_stay_decisions_that_stayed_well_at_24_and_72_hours(world, two_residents):
    first, second = two_residents
    for resident in (first, second):
        clinical.record_triage(
            actor=world.manager,
            resident_id=resident.pk,
            called_at=at(12),
            clinician_role="hospital_consultant",
            clinician_name="Dr R Osei",
            decision="stay",
            reasons="Treat in the home",
        )
    # The second is admitted 48 hours later: stayed well at 24 hours, not at 72.
    clinical.record_transfer(
        actor=world.manager, resident_id=second.pk, left_at=at(14), reason="Worse", admitted=True
    )
    assert month_value(world.manager, "carehomes_stayed_well_24h").value == 1.0
    point = month_value(world.manager, "carehomes_stayed_well_72h")
    assert (point.value, point.n) == (0.5, 2)
    assert month_value(world.manager, "carehomes_admissions_avoided").value == 1


def plan(world, resident, agreed_on, review_on, preferred_place="care_home"):
    return services.record_plan(
        actor=world.manager,
        resident_id=resident.pk,
        agreed_on=agreed_on,
        agreed_with="resident",
        gp_name="Dr A Khan",
        what_matters="Staying here",
        preferred_place=preferred_place,
        if_unwell="treat_in_home",
        resuscitation="not_decided",
        review_on=review_on,
    )


def test_plans_in_place_and_reviewed_on_the_last_day_of_the_month(world, two_residents):
    first, second = two_residents
    third = world.admit(
        person=world.another_person(given_name="Ada"),
        admitted_on=FIRST - dt.timedelta(days=5),
        room_id=world.rooms[2].pk,
    )
    plan(world, first, FIRST - dt.timedelta(days=30), NEXT + dt.timedelta(days=60))  # in place, reviewed
    plan(world, second, FIRST + dt.timedelta(days=11), FIRST + dt.timedelta(days=12))  # overdue by month end
    assert third.care_plans.count() == 0
    assert month_value(world.manager, "carehomes_plan_coverage").value == pytest.approx(2 / 3)
    assert month_value(world.manager, "carehomes_plans_reviewed").value == pytest.approx(1 / 3)
    assert month_value(world.manager, "carehomes_plans_overdue").value == 1


def test_deaths_in_the_preferred_place(world, two_residents):
    first, second = two_residents
    third = world.admit(
        person=world.another_person(given_name="Ada"),
        admitted_on=FIRST - dt.timedelta(days=5),
        room_id=world.rooms[2].pk,
    )
    plan(world, first, FIRST - dt.timedelta(days=30), NEXT + dt.timedelta(days=60))
    plan(world, second, FIRST + dt.timedelta(days=11), NEXT + dt.timedelta(days=60), "hospice")
    clinical.record_death(
        actor=world.manager, resident_id=first.pk, died_on=FIRST + dt.timedelta(days=14), place="care_home"
    )
    clinical.record_death(
        actor=world.manager, resident_id=second.pk, died_on=FIRST + dt.timedelta(days=15), place="hospital"
    )
    # No plan: not counted either way.
    clinical.record_death(
        actor=world.manager, resident_id=third.pk, died_on=FIRST + dt.timedelta(days=16), place="hospital"
    )
    point = month_value(world.manager, "carehomes_preferred_place_deaths")
    assert (point.value, point.n) == (0.5, 2)
    # They died mid-month: their bed-days stop on the day of death.
    assert month_value(world.manager, "carehomes_bed_days").value == 14 + (15 - 10) + 16
