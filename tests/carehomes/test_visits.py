"""In-reach visits and MDTs: who came, whom they saw, an action with owner and due date; bad input names the
field and writes nothing; only the home's own organisation records them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.carehomes import services, visits
from homeward.carehomes.models import Visit, VisitAction
from homeward.core.errors import NotFound, ValidationFailed


def test_a_weekly_gp_visit_records_residents_seen_and_an_action(world):
    resident = world.admit()
    today = timezone.localdate()
    visit = visits.record_visit(
        actor=world.manager,
        home_id=world.home.pk,
        visited_on=today,
        role="gp",
        visitor="Dr A Khan",
        resident_ids=[resident.pk],
        notes="Reviewed medicines",
        action="Stop the night-time sedative",
        action_owner="Practice pharmacist",
        action_due_on=today + dt.timedelta(days=7),
    )
    assert list(visit.residents.all()) == [resident]
    assert visit.actions.get().owner == "Practice pharmacist"


def test_an_action_without_an_owner_or_due_date_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationFailed) as error:
        visits.record_visit(
            actor=world.manager,
            home_id=world.home.pk,
            visited_on=timezone.localdate(),
            role="matron",
            visitor="Sister B",
            action="Weigh weekly",
        )
    assert set(error.value.errors) == {"action_owner", "action_due_on"}
    assert not Visit.objects.exists() and not VisitAction.objects.exists()


def test_a_resident_of_another_home_cannot_be_recorded_as_seen(world):
    other_home = services.create_home(actor=world.manager, name="Willow Lodge", kind="residential")
    resident = world.admit()
    with pytest.raises(ValidationFailed) as error:
        visits.record_visit(
            actor=world.manager,
            home_id=other_home.pk,
            visited_on=timezone.localdate(),
            role="psychiatrist",
            visitor="Dr C",
            resident_ids=[resident.pk],
        )
    assert "resident_ids" in error.value.errors


def test_another_organisation_cannot_record_a_visit(world):
    with pytest.raises(NotFound):
        visits.record_visit(
            actor=world.stranger,
            home_id=world.home.pk,
            visited_on=timezone.localdate(),
            role="gp",
            visitor="X",
        )
