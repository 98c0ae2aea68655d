"""The supported-housing demo: a 40-bed 24/7 hostel, an extra-care and a sheltered scheme with a year of
stays, through the services: residents now, planned and unplanned departures, people waiting, returns
linked to the earlier stay, options conversations, no unit ever double-booked, the same on every run."""

from __future__ import annotations

import random

from homeward.adaptations.models import AdaptationCase
from homeward.housing.demo import seed_housing
from homeward.housing.models import (
    Feedback,
    Incident,
    Occupancy,
    OptionsConversation,
    PeoplePlaceCase,
    Placement,
    Scheme,
    UnitOutOfUse,
)
from homeward.housing.occupancy import nights
from homeward.referrals.models import Referral
from tests.factories import PersonFactory
from tests.housing.conftest import TODAY


def test_the_demo_has_residents_departures_and_waiting_lists_without_overlaps(world):
    people = [  # as in `make demo`, where everyone has an address
        PersonFactory(organisation=world.provider, address_line_1=f"{n} Elm Road", town="Anytown")
        for n in range(94)
    ]
    count = seed_housing(
        provider=world.provider,
        commissioner=world.council,
        people=people,
        actor=world.worker,
        rng=random.Random(19),
        advice=world.council,
    )
    names = ["Harbour House", "Orchard Court", "Elm Gardens"]
    demo = Placement.objects.filter(scheme__name__in=names)
    assert demo.count() == count
    found = {s.scheme_type: s for s in Scheme.objects.filter(name__in=names)}
    assert set(found) == {"hostel", "extra_care", "sheltered"}
    assert found["hostel"].units.count() == 40 and found["hostel"].contracted_units == 40
    for scheme in found.values():  # a year of residents in each, and departures
        living = scheme.placements.filter(status="resident").count()
        assert living >= scheme.units.count() // 2, scheme.name
        assert scheme.placements.filter(status="moved_on").exists(), scheme.name
        assert Feedback.objects.filter(scheme=scheme, kind="complaint").exists()
    assert Incident.objects.filter(scheme=found["hostel"]).exists()
    # Someone who left the hostel came back, linked to the earlier stay.
    assert demo.filter(previous_placement__isnull=False, scheme=found["hostel"]).exists()
    # Options conversations: decided ones with their follow-up; a move to extra care is on its waiting list.
    conversations = OptionsConversation.objects.filter(organisation=world.provider)
    assert conversations.count() == 8 and conversations.filter(decision="").count() == 1
    movers = conversations.filter(decision="extra_care").values_list("person_id", flat=True)
    assert found["extra_care"].placements.filter(person_id__in=movers, status="referred").exists()
    # Adapting the home opened an adaptations case for the same person, held by the adviser's organisation.
    adapted = conversations.get(decision="adapt")
    case = AdaptationCase.objects.get(pk=adapted.adaptation_case_id)
    assert (case.person_id, case.organisation_id) == (
        adapted.person_id,
        world.provider.pk,
    )
    # Help from the people and place team opened its cases: one closed as helped, one open with its
    # money-advice referral sent through the referral model.
    cases = PeoplePlaceCase.objects.filter(organisation=world.provider)
    assert sorted(cases.values_list("outcome", flat=True)) == ["", "helped"]
    still_open = cases.get(closed_on__isnull=True)
    referral = Referral.objects.get(source_type="housing.people_place", source_id=still_open.pk)
    assert (referral.service_kind, referral.to_organisation_id) == ("money_advice", world.council.pk)
    # Out-of-use spells: the out-of-use unit's current one, and the void unit's earlier one, closed.
    spells = UnitOutOfUse.objects.filter(unit__scheme__in=found.values())
    assert (
        spells.filter(ends_on__isnull=True).count() == 3 and spells.filter(ends_on__isnull=False).count() == 3
    )
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
