"""Audit trail: every view and search is recorded; the hash chain shows any edit or deletion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from homeward.governance.audit import verify_chain
from homeward.governance.models import AuditEvent
from homeward.people import selectors, services
from tests.factories import PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _audit_writable():
    """On PostgreSQL a trigger refuses UPDATE/DELETE; a tamperer with table rights can disable it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE governance_auditevent DISABLE TRIGGER USER")


def _some_events(n=5):
    actor = make_actor()
    person = PersonFactory(organisation=actor.organisation)
    for _ in range(n):
        selectors.get_person(actor=actor, person_id=person.pk)
    return actor, person


def test_viewing_a_person_writes_an_audit_event_naming_who_what_and_why():
    actor = make_actor()
    person = PersonFactory(organisation=actor.organisation)
    selectors.get_person(actor=actor, person_id=person.pk, purpose="Plan discharge")
    event = AuditEvent.objects.get(action="view")
    assert (event.actor_id, event.organisation_id, event.person_id) == (
        actor.user.pk,
        actor.organisation_id,
        person.pk,
    )
    assert event.purpose == "Plan discharge" and event.role == actor.role


def test_every_search_writes_an_audit_event_with_its_terms_and_results():
    actor = make_actor()
    person = PersonFactory(
        organisation=actor.organisation, family_name="Okonkwo", date_of_birth=dt.date(1948, 5, 2)
    )
    for query in ("okon", "02/05/1948", person.nhs_number, "nobody"):
        selectors.search_people(actor=actor, query=query)
    searches = list(AuditEvent.objects.filter(action="search").order_by("sequence"))
    assert len(searches) == 4
    assert searches[0].detail["terms"] == {"name": "okon"} and searches[0].detail["results"] == [person.pk]
    assert searches[1].detail["terms"] == {"date_of_birth": "1948-05-02"}
    assert searches[2].detail["terms"] == {"nhs_number": person.nhs_number}
    assert searches[3].detail["results"] == []


def test_creating_and_updating_a_person_are_audited_without_copying_values():
    actor = make_actor()
    person = services.register_person(
        actor=actor, given_name="Ann", family_name="Lee", date_of_birth=dt.date(1960, 1, 1)
    )
    services.update_person(actor=actor, person_id=person.pk, changes={"phone": "0161 496 0000"})
    create, update = AuditEvent.objects.filter(person_id=person.pk).order_by("sequence")
    assert (create.action, update.action) == ("create", "update")
    assert update.detail == {"changed": ["phone"]}
    assert "0161" not in str(update.detail)


def test_an_intact_chain_verifies():
    _some_events()
    report = verify_chain()
    assert report.is_intact and report.checked == AuditEvent.objects.count()


def test_editing_an_audit_row_is_detected_and_the_row_named():
    _some_events()
    victim = AuditEvent.objects.order_by("sequence")[2]
    _audit_writable()
    AuditEvent.objects.filter(pk=victim.pk).update(purpose="nothing to see here")
    report = verify_chain()
    assert not report.is_intact
    assert report.problem.event_id == victim.pk and "edited" in str(report.problem)


def test_deleting_an_audit_row_is_detected_and_the_next_row_named():
    _some_events()
    rows = list(AuditEvent.objects.order_by("sequence"))
    _audit_writable()
    AuditEvent.objects.filter(pk=rows[2].pk).delete()
    report = verify_chain()
    assert not report.is_intact and report.problem.event_id == rows[3].pk
    assert "deleted" in str(report.problem)


def test_deleting_the_newest_rows_is_detected_by_the_chain_head():
    _some_events()
    _audit_writable()
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("-sequence")[0].pk).delete()
    report = verify_chain()
    assert not report.is_intact and "deleted" in str(report.problem)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_to_update_or_delete_audit_rows():
    from django.db import DatabaseError, transaction

    _some_events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(purpose="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
