"""Reads of people, always through the access layer, always audited."""

from __future__ import annotations

from django.db import connection
from django.db.models import Func, Q, QuerySet
from django.db.models.functions import Collate, Lower
from django.db.models.lookups import StartsWith

from homeward.core.errors import NotFound
from homeward.core.models import Person
from homeward.governance.access import Actor, fully_visible_people, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, PersonCorrection
from homeward.people.search import SearchTerms, parse_query

SEARCH_LIMIT = 50


def _name_key(field: str) -> Func:
    """lower(name), in the "C" collation on PostgreSQL so that one btree index both answers LIKE 'smi%' and
    returns rows already in name order: the scan stops after the first page of visible people instead of
    sorting every "Smith" in the region (core migration 0003)."""
    key: Func = Lower(field)
    return Collate(key, "C") if connection.vendor == "postgresql" else key


def _filter_terms(people: QuerySet[Person], terms: SearchTerms) -> QuerySet[Person]:
    if terms.nhs_number:
        people = people.filter(nhs_number=terms.nhs_number)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    names = terms.names
    family, given = _name_key("family_name"), _name_key("given_name")
    if len(names) == 1:
        people = people.filter(StartsWith(family, names[0]))
    elif len(names) >= 2:
        first, last = names[0], names[-1]
        people = people.filter(
            (Q(StartsWith(given, first)) & Q(StartsWith(family, last)))
            | (Q(StartsWith(family, first)) & Q(StartsWith(given, last)))
        )
    return people


def search_people(*, actor: Actor, query: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People matching a free-text query (name prefix, date of birth, NHS number). Audited as a search."""
    terms = parse_query(query)
    if terms.is_empty:
        return []
    people = list(
        _filter_terms(fully_visible_people(actor), terms).order_by(
            _name_key("family_name"), _name_key("given_name"), "pk"
        )[:limit]
    )
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Find a person's record",
        detail={"terms": terms.describe(), "results": [p.pk for p in people]},
    )
    return people


def get_person(*, actor: Actor, person_id: int, purpose: str = "View person record") -> Person:
    """One person, or NotFound (also when the actor may not see them: no hint that they exist)."""
    person = visible_people(actor).select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=person, person_id=person.pk)
    return person


def corrections_for(*, actor: Actor, person: Person) -> QuerySet[PersonCorrection]:
    """Proposed corrections the actor may see for a person that already came through the access layer:
    the holder sees every one; a partner sees its own organisation's."""
    found = PersonCorrection.objects.filter(person=person).select_related("organisation", "proposed_by")
    if person.organisation_id != actor.organisation_id:
        found = found.filter(organisation_id=actor.organisation_id)
    return found
