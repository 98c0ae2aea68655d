"""The 24/7 records (shift handovers, incidents with the safeguarding alert, welfare checks, visitors) and
the activity timetable with attendance: what is kept, the bad input refused with nothing written, and who
may see the pages (the provider only: a referrer under an agreement sees its placement, not the scheme)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Role
from homeward.housing import operations
from homeward.housing.models import (
    ActivitySession,
    Incident,
    Placement,
    PlacementEvent,
    ShiftHandover,
    Visit,
    WelfareCheck,
)
from tests.factories import PersonFactory, make_actor
from tests.housing.conftest import TODAY

NOW = timezone.now()


def _incident(world, **overrides):
    fields = {
        "actor": world.worker,
        "scheme_id": world.scheme.pk,
        "occurred_at": NOW - dt.timedelta(hours=2),
        "kind": "threat",
        "description": "Shouting at a resident in the lounge",
        "action_taken": "Separated them; spoke to both",
    } | overrides
    return operations.record_incident(**fields)


def test_a_safeguarding_incident_with_no_description_is_refused_and_nothing_is_written(
    world, django_capture_on_commit_callbacks
):
    placement = world.house()
    before = PlacementEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed) as caught:
        _incident(world, description="   ", is_safeguarding=True, placement_ids=[placement.pk])
    assert "safeguarding incident needs a description" in caught.value.errors["description"]
    assert not Incident.objects.exists() and not mail.outbox
    assert PlacementEvent.objects.count() == before


def test_a_safeguarding_incident_tells_the_lead_at_once_with_a_link_only(
    world, django_capture_on_commit_callbacks
):
    lead = make_actor(Role.TEAM_LEAD, world.provider, email="lead@harbour.example")
    placement = world.house()
    with django_capture_on_commit_callbacks(execute=True):
        incident = _incident(
            world,
            kind="violence",
            description="Punched by a visitor; bruising to the face",
            placement_ids=[placement.pk],
            is_safeguarding=True,
            police_called=True,
        )
    assert incident.safeguarding_alerted_at is not None
    (email,) = mail.outbox
    assert email.to == [lead.user.email]
    assert f"/housing/schemes/{world.scheme.pk}/operations/#incident-{incident.pk}" in email.body
    person = world.resident
    for secret in (person.family_name, person.given_name, "Punched", "bruising", "Harbour House"):
        assert secret not in email.body + email.subject
    # A named safeguarding lead for the scheme is told instead of the team leads.
    named = make_actor(Role.CASEWORKER, world.provider, email="safe@harbour.example")
    world.scheme.safeguarding_lead = named.user
    world.scheme.save()
    with django_capture_on_commit_callbacks(execute=True):
        _incident(world, is_safeguarding=True)
    assert mail.outbox[-1].to == ["safe@harbour.example"]
    # An incident that is not safeguarding sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        _incident(world)
    assert len(mail.outbox) == 2
    assert "Incident: violence or assault (safeguarding)" in set(
        PlacementEvent.objects.filter(placement=placement).values_list("title", flat=True)
    )


def test_incident_bad_input_names_the_fields(world):
    placement = world.house()
    stranger = world.refer(PersonFactory(organisation=world.provider))  # referred, not living there
    with pytest.raises(ValidationFailed) as caught:
        _incident(
            world,
            occurred_at=NOW + dt.timedelta(hours=3),
            kind="alien",
            action_taken="",
            placement_ids=[placement.pk, stranger.pk],
        )
    errors = caught.value.errors
    assert set(errors) == {"occurred_at", "kind", "action_taken"}
    assert "future" in errors["occurred_at"]
    with pytest.raises(ValidationFailed) as caught:
        _incident(world, placement_ids=[placement.pk, stranger.pk])
    assert caught.value.errors == {"placement_ids": "Choose only people living in the scheme at the time"}
    with pytest.raises(ValidationFailed) as caught:
        _incident(world, occurred_at=NOW - dt.timedelta(days=40))
    assert "within the last 31 days" in caught.value.errors["occurred_at"]
    assert not Incident.objects.exists()


def test_only_the_provider_records_incidents(world):
    with pytest.raises(NotFound):
        _incident(world, actor=world.officer)
    assert not Incident.objects.exists()


def test_an_incident_is_reviewed_once(world):
    incident = _incident(world)
    with pytest.raises(ValidationFailed) as caught:
        operations.review_incident(
            actor=world.worker, scheme_id=world.scheme.pk, incident_id=incident.pk, reviewed_on=TODAY, note=""
        )
    assert caught.value.errors == {"note": "Say what the review found and what changes"}
    done = operations.review_incident(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        incident_id=incident.pk,
        reviewed_on=TODAY,
        note="Visitor banned",
    )
    assert done.reviewed_on == TODAY
    with pytest.raises(ValidationFailed) as caught:
        operations.review_incident(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            incident_id=incident.pk,
            reviewed_on=TODAY,
            note="x",
        )
    assert "open incident" in caught.value.errors["incident_id"]


def test_one_handover_per_shift(world):
    note = operations.write_handover(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        shift_on=TODAY,
        shift="night",
        staff_on_duty="Sam, Ali",
        handover="Quiet night; room 2 to be checked at 7",
    )
    assert note.written_by == world.worker.user
    with pytest.raises(ValidationFailed) as caught:
        operations.write_handover(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            shift_on=TODAY,
            shift="night",
            staff_on_duty="Sam",
            handover="Again",
        )
    assert caught.value.errors == {"shift": "The handover for that shift is already written"}
    with pytest.raises(ValidationFailed) as caught:
        operations.write_handover(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            shift_on=TODAY - dt.timedelta(days=9),
            shift="late",
            staff_on_duty="",
            handover="x" * 4001,
        )
    assert set(caught.value.errors) == {"shift_on", "staff_on_duty", "handover"}
    assert ShiftHandover.objects.count() == 1


def test_attendance_is_for_a_day_the_activity_runs_and_for_residents_that_day(world):
    placement = world.house()
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    gym = operations.add_activity(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        name="Gym",
        kind="gym",
        weekday=0,
        starts_at=dt.time(10, 0),
        minutes=60,
    )
    with pytest.raises(ValidationFailed) as caught:
        operations.add_activity(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            name="gym",
            kind="gym",
            weekday=0,
            starts_at=dt.time(10, 0),
            minutes=5,
        )
    assert set(caught.value.errors) == {"minutes"}
    with pytest.raises(ValidationFailed) as caught:
        operations.record_attendance(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            activity_id=gym.pk,
            held_on=monday - dt.timedelta(days=1),
            placement_ids=[placement.pk],
        )
    assert caught.value.errors == {"held_on": "Gym runs on Mondays"}
    newcomer = world.house(PersonFactory(organisation=world.provider), world.rooms[1], on=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        operations.record_attendance(
            actor=world.worker,
            scheme_id=world.scheme.pk,
            activity_id=gym.pk,
            held_on=monday - dt.timedelta(days=7),
            placement_ids=[placement.pk, newcomer.pk],
        )
    assert "living in the scheme" in caught.value.errors["placement_ids"]
    session = operations.record_attendance(
        actor=world.worker,
        scheme_id=world.scheme.pk,
        activity_id=gym.pk,
        held_on=monday - dt.timedelta(days=7),
        placement_ids=[placement.pk],
    )
    assert list(session.attendees.all()) == [placement]
    assert ActivitySession.objects.count() == 1


def test_welfare_checks_come_due_for_residents_at_risk(world):
    placement = world.house()
    Placement.objects.filter(pk=placement.pk).update(welfare_check_hours=4)
    living = list(Placement.objects.filter(pk=placement.pk))
    [(found, last, overdue)] = operations.welfare_due(living)
    assert (found, last, overdue) == (placement, None, True)
    with pytest.raises(ValidationFailed) as caught:
        operations.record_welfare_check(
            actor=world.worker, placement_id=placement.pk, checked_at=NOW, outcome="seen_concern"
        )
    assert caught.value.errors == {"note": "Say what the concern is"}
    assert not WelfareCheck.objects.exists()
    check = operations.record_welfare_check(
        actor=world.worker,
        placement_id=placement.pk,
        checked_at=NOW - dt.timedelta(hours=1),
        outcome="seen_well",
    )
    [(_, last, overdue)] = operations.welfare_due(living)
    assert (last, overdue) == (check, False)
    [(_, _, overdue)] = operations.welfare_due(living, now=NOW + dt.timedelta(hours=4))
    assert overdue


def test_a_visitor_leaves_after_arriving(world):
    placement = world.house()
    with pytest.raises(ValidationFailed) as caught:
        operations.record_visit(
            actor=world.worker,
            placement_id=placement.pk,
            visitor="Jo Bloggs",
            relationship="Sister",
            arrived_at=NOW - dt.timedelta(hours=1),
            left_at=NOW - dt.timedelta(hours=2),
        )
    assert caught.value.errors == {"left_at": "The visitor leaves after arriving"}
    assert not Visit.objects.exists()
    operations.record_visit(
        actor=world.worker,
        placement_id=placement.pk,
        visitor="Jo Bloggs",
        relationship="Sister",
        arrived_at=NOW - dt.timedelta(hours=2),
        left_at=NOW - dt.timedelta(hours=1),
    )
    assert Visit.objects.get().visitor == "Jo Bloggs"


def test_the_operations_page_is_the_providers_only(client, world):
    placement = world.house()
    Placement.objects.filter(pk=placement.pk).update(welfare_check_hours=4)
    _incident(world, placement_ids=[placement.pk], is_safeguarding=True)
    url = f"/housing/schemes/{world.scheme.pk}/operations/"
    client.force_login(world.worker.user)
    body = client.get(url).content.decode()
    assert "Check due now" in body and "Safeguarding" in body and world.resident.given_name in body
    assert "None" not in body.replace("nhsuk", "")
    for outsider in (world.officer, world.probation_officer):
        client.force_login(outsider.user)
        assert client.get(url).status_code == 404
        assert (
            client.post(
                f"/housing/schemes/{world.scheme.pk}/record/handover/",
                {
                    "shift_on": TODAY.strftime("%d/%m/%Y"),
                    "shift": "early",
                    "staff_on_duty": "X",
                    "handover": "Y",
                },
            ).status_code
            == 404
        )
    assert not ShiftHandover.objects.exists()


def test_the_incident_form_keeps_what_was_typed_and_names_the_field(client, world):
    world.house()
    client.force_login(world.worker.user)
    url = f"/housing/schemes/{world.scheme.pk}/record/incident/"
    response = client.post(
        url,
        {
            "occurred_on": TODAY.strftime("%d/%m/%Y"),
            "occurred_time": "00:05",
            "kind": "self_harm",
            "description": "",
            "action_taken": "Called the crisis team",
            "is_safeguarding": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in body and "safeguarding incident needs a description" in body
    assert "Called the crisis team" in body
    assert not Incident.objects.exists()
    assert client.get(f"/housing/schemes/{world.scheme.pk}/record/nonsense/").status_code == 404
