"""The group KPIs were made faster (issue 20's 2 s goal: the timezone looked up once, bed-days and the plans'
state as vectors); these tests hold the numbers to what the straightforward rules give. Bed-days and the
plans' state against the per-row loops they replaced; the triage KPIs against each call's own outcome
(selectors.triage_outcome, the rule the resident's page shows), with calls around midnight and the clock
changes, where a month or a day taken in UTC instead of UK time would differ."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from homeward.carehomes import clinical, selectors
from homeward.carehomes.codes import TriageOutcome
from homeward.carehomes.kpis import PlanBook, carehome_kpis, occupied_bed_days
from homeward.carehomes.models import CarePlan, Resident, TriageCall

PLAN = {
    "agreed_with": "resident",
    "gp_name": "Dr A Khan",
    "what_matters": "Staying in the home",
    "preferred_place": "care_home",
    "if_unwell": "call_gp",
    "resuscitation": "not_decided",
}
MONTHS = [(dt.date(2026, m, 1), dt.date(2026, m + 1, 1)) for m in range(2, 12)]
UTC = dt.UTC


def bed_days_loop(occupancies, spans) -> int:
    """The loop occupied_bed_days was before it was vectorised."""
    today = timezone.localdate() + dt.timedelta(days=1)
    total = 0
    for starts_on, ends_on in occupancies:
        end = ends_on or today
        for a, b in spans:
            days = (min(end, b) - max(starts_on, a)).days
            if days > 0:
                total += days
    return total


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


@given(
    occupancies=st.lists(
        st.tuples(days, st.one_of(st.none(), days)).map(
            lambda p: (p[0], p[1] if p[1] is None or p[1] > p[0] else None)
        ),
        max_size=30,
    ),
    spans=st.lists(st.tuples(days, st.integers(1, 400)), min_size=1, max_size=4),
)
def test_bed_days_are_what_the_per_occupancy_loop_gives(occupancies, spans):
    spans = [(a, a + dt.timedelta(days=n)) for a, n in spans]
    assert occupied_bed_days(occupancies, spans) == bed_days_loop(occupancies, spans)


def plans_on_loop(residents, day: dt.date) -> dict[str, int]:
    """The state of the plans on `day` as PlanBook counted it before it was vectorised."""
    d = day.toordinal()
    far = dt.date.max.toordinal()
    stays = {
        r.pk: (r.admitted_on.toordinal(), r.left_on.toordinal() if r.left_on else far) for r in residents
    }
    living = {pk for pk, (a, b) in stays.items() if a <= d < b}
    in_force = [
        (p.resident_id, p.review_on.toordinal())
        for p in CarePlan.objects.filter(resident__in=residents)
        if p.agreed_on.toordinal()
        <= d
        < (timezone.localtime(p.superseded_at).date().toordinal() if p.superseded_at else far)
        and p.resident_id in living
    ]
    return {
        "living": len(living),
        "with_plan": len({rid for rid, _ in in_force}),
        "reviewed": len({rid for rid, review in in_force if review >= d}),
    }


def test_the_plans_state_each_month_end_is_what_the_per_row_loop_gives(world):
    rng = random.Random(20)
    for n in range(12):
        admitted = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
        resident = world.admit(
            person=world.another_person(given_name=f"P{n}"), admitted_on=admitted, room_id=None
        )
        left = admitted + dt.timedelta(days=rng.randint(10, 300)) if n % 3 == 0 else None
        if left is not None and left < timezone.localdate():
            Resident.objects.filter(pk=resident.pk).update(left_on=left)
        agreed = admitted + dt.timedelta(days=rng.randint(0, 30))
        for k in range(rng.randint(0, 3)):
            # Superseded late in the evening in UK summer time: the day it ended is the UK day.
            ends = dt.datetime.combine(agreed + dt.timedelta(days=60), dt.time(23, 30), tzinfo=UTC)
            CarePlan.objects.create(
                resident=resident,
                recorded_by=world.manager.user,
                **(
                    PLAN
                    | {"agreed_on": agreed, "review_on": agreed + dt.timedelta(days=rng.randint(20, 200))}
                ),
                superseded_at=ends if k < 2 else None,
            )
            agreed += dt.timedelta(days=61)
    residents = Resident.objects.filter(home__organisation_id=world.provider.pk)
    book = PlanBook(residents, MONTHS[0][0])
    for a, b in MONTHS:
        for day in (a, b - dt.timedelta(days=1)):
            assert book.on(day) == plans_on_loop(list(residents), day), day


@pytest.fixture
def calls(world):
    """Triage calls around midnight and the clock changes (29 Mar and 25 Oct 2026), with later admissions
    inside and outside 24 and 72 hours, and a death."""
    resident = world.admit(admitted_on=dt.date(2026, 1, 5), room_id=None)
    other = world.admit(
        person=world.another_person(given_name="Ivy"), admitted_on=dt.date(2026, 1, 5), room_id=None
    )
    moments = [
        dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # Saturday night before the clocks go forward
        dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 April in UK time
        dt.datetime(2026, 5, 31, 23, 10, tzinfo=UTC),  # 00:10 on 1 June
        dt.datetime(2026, 6, 15, 22, 50, tzinfo=UTC),
        dt.datetime(2026, 8, 31, 23, 59, tzinfo=UTC),  # 00:59 on 1 September
        dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST on the day the clocks go back
        dt.datetime(2026, 10, 31, 23, 30, tzinfo=UTC),  # 23:30 GMT on 31 October
        dt.datetime(2026, 11, 10, 3, 0, tzinfo=UTC),
    ]
    decisions = ["stay", "stay", "gp_next_day", "stay", "ambulance", "stay", "stay", "gp_next_day"]
    for n, (moment, decision) in enumerate(zip(moments, decisions, strict=True)):
        clinical.record_triage(
            actor=world.manager,
            resident_id=(resident if n % 2 == 0 else other).pk,
            called_at=moment,
            clinician_role="hospital_consultant",
            clinician_name="Dr R Osei",
            decision=decision,
            reasons="Reviewed by video",
        )
    # Admitted 30 hours after the June call (well at 24 hours, not at 72), 10 hours after the 1 April one.
    for moment, hours in ((moments[3], 30), (moments[1], 10)):
        resident_id = (resident if moments.index(moment) % 2 == 0 else other).pk
        clinical.record_transfer(
            actor=world.manager,
            resident_id=resident_id,
            left_at=moment + dt.timedelta(hours=hours),
            reason="Worse",
            admitted=True,
        )
    return TriageCall.objects.filter(resident__home__organisation_id=world.provider.pk)


def test_the_triage_kpis_count_what_each_calls_outcome_says(world, calls):
    kpis = {k.key: {p.month: p for p in k.points} for k in carehome_kpis(world.manager, MONTHS)}
    avoided, stays, well = Counter(), {24: Counter(), 72: Counter()}, {24: Counter(), 72: Counter()}
    for call in calls.select_related("resident", "care_plan"):
        month = f"{timezone.localtime(call.called_at):%Y-%m}"
        if selectors.triage_outcome(call) == TriageOutcome.STAYED_WELL:
            avoided[month] += 1
        if call.decision == "stay":
            for hours in (24, 72):
                stays[hours][month] += 1
                well[hours][month] += selectors.triage_outcome(call, hours=hours) == TriageOutcome.STAYED_WELL
    assert avoided and stays[24] and well[24] != well[72]  # the fixture exercises each rule
    for a, _ in MONTHS:
        month = f"{a:%Y-%m}"
        assert kpis["carehomes_admissions_avoided"][month].value == avoided[month], month
        for hours, key in ((24, "carehomes_stayed_well_24h"), (72, "carehomes_stayed_well_72h")):
            point = kpis[key][month]
            assert point.n == stays[hours][month], (month, hours)
            assert round((point.value or 0) * point.n) == well[hours][month], (month, hours)
