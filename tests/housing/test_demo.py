"""The supported-housing demo: a 24/7 hostel and an extra-care scheme with a year of stays, through the
services: residents now, planned and unplanned departures, people waiting, no unit ever double-booked."""

from __future__ import annotations

import random

from homeward.housing.demo import seed_housing
from homeward.housing.models import Occupancy, Placement, Scheme
from homeward.housing.occupancy import nights
from tests.factories import PersonFactory
from tests.housing.conftest import TODAY


def test_the_demo_has_residents_departures_and_waiting_lists_without_overlaps(world):
    people = [PersonFactory(organisation=world.provider) for _ in range(60)]
    count = seed_housing(
        provider=world.provider,
        commissioner=world.council,
        people=people,
        actor=world.worker,
        rng=random.Random(19),
    )
    demo = Placement.objects.filter(scheme__name__in=["Harbour House", "Orchard Court"])
    assert demo.count() == count
    assert {s.scheme_type for s in Scheme.objects.filter(name__in=["Harbour House", "Orchard Court"])} == {
        "hostel",
        "extra_care",
    }
    statuses = set(demo.values_list("status", flat=True))
    assert {"resident", "moved_on", "referred"} <= statuses
    reasons = set(demo.exclude(departure_reason="").values_list("departure_reason", flat=True))
    assert "planned" in reasons and reasons - {"planned"}
    # No two stays in one unit share a night.
    by_unit: dict[int, list[tuple]] = {}
    for unit_id, start, end in Occupancy.objects.filter(placement__in=demo).values_list(
        "unit_id", "starts_on", "ends_on"
    ):
        by_unit.setdefault(unit_id, []).append((start, end))
    for spans in by_unit.values():
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
            assert e1 is not None and e1 <= s2
            assert nights(s1, e1, s2, e2 or TODAY) == 0
