"""The key worker's caseload flags what is overdue on each scheme's own clock (the first assessment, the
plan, the review), and the page's queries do not grow with the number of residents."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.housing import keywork, schemes
from tests.factories import PersonFactory
from tests.housing.conftest import ARRIVED, TODAY


def _caseload(client, worker) -> tuple[str, int]:
    client.force_login(worker.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/housing/caseload/?view=mine")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _house_many(world, first: int, n: int) -> None:
    """House residents first..n-1, each in their own room (rooms beyond the fixture's three are added)."""
    rooms = list(world.scheme.units.order_by("pk"))
    for i in range(len(rooms), n):
        rooms.append(
            schemes.add_unit(
                actor=world.worker,
                scheme_id=world.scheme.pk,
                name=f"Room {i + 1}",
                in_use_from=TODAY - dt.timedelta(days=365),
            )
        )
    for i in range(first, n):
        placement = world.house(PersonFactory(organisation=world.provider), unit=rooms[i])
        if i % 2:  # half have a plan and a review whose next date has passed
            keywork.add_goal(
                actor=world.worker,
                placement_id=placement.pk,
                area="physical_health",
                description="Gym",
                set_on=ARRIVED + dt.timedelta(days=1),
            )
            keywork.record_review(
                actor=world.worker,
                placement_id=placement.pk,
                reviewed_on=ARRIVED + dt.timedelta(days=5),
                summary="Settling in",
                readiness="not_yet",
                next_review_on=ARRIVED + dt.timedelta(days=20),
            )


def test_the_caseload_flags_overdue_work_on_the_schemes_own_clock(world, client):
    placement = world.house()  # arrived 50 days ago; the scheme allows 28 days
    page, _ = _caseload(client, world.worker)
    assert "Assessment overdue" in page and "Plan overdue" in page and "Review overdue" not in page
    keywork.add_goal(
        actor=world.worker,
        placement_id=placement.pk,
        area="physical_health",
        description="Gym",
        set_on=ARRIVED + dt.timedelta(days=2),
    )
    page, _ = _caseload(client, world.worker)
    # The plan is done; the review falls due on the scheme's cadence (91 days) from the plan: not yet.
    assert "Plan overdue" not in page and "Review overdue" not in page
    world.scheme.review_every_days = 30
    world.scheme.plan_within_days = 60
    world.scheme.save()
    page, _ = _caseload(client, world.worker)
    assert "Review overdue" in page and "Assessment overdue" not in page  # 60 days: not due yet


def test_the_caseload_makes_the_same_number_of_queries_for_1_or_10_residents(world, client):
    _house_many(world, 0, 1)
    page, one = _caseload(client, world.worker)
    assert page.count("Review overdue") == 0
    _house_many(world, 1, 10)
    page, ten = _caseload(client, world.worker)
    assert page.count('href="/housing/placements/') == 10
    assert page.count("Review overdue") == 5  # residents 1, 3, 5, 7, 9
    assert ten == one, f"{one} queries for 1 resident, {ten} for 10"
