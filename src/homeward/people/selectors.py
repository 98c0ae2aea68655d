"""Reads of people, always through the access layer, always audited."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Func, Q, QuerySet, Value
from django.db.models.functions import Collate, Lower
from django.db.models.lookups import LessThanOrEqual, StartsWith

from homeward.core.errors import NotFound
from homeward.core.models import Person
from homeward.core.validators import normalise_nhs_number, normalise_postcode
from homeward.governance.access import Actor, fully_visible_people, fully_visible_people_parts, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, PersonCorrection
from homeward.people.models import PersonMerge
from homeward.people.search import SearchTerms, parse_query

SEARCH_LIMIT = 50


def _not_merged(people: QuerySet[Person]) -> QuerySet[Person]:
    """Leave out records folded into another by a standing merge (people.merges): the survivor is found."""
    return people.exclude(pk__in=PersonMerge.objects.filter(split_at__isnull=True).values("merged_id"))


def _name_key(field: str | Value) -> Func:
    """lower(name), in the "C" collation on PostgreSQL so that one btree index both answers LIKE 'smi%' and
    returns rows already in name order: the scan stops after the first page of visible people instead of
    sorting every "Smith" in the region (core migration 0003)."""
    key: Func = Lower(field)
    return Collate(key, "C") if connection.vendor == "postgresql" else key


def _filter_terms(people: QuerySet[Person], terms: SearchTerms) -> list[QuerySet[Person]]:
    """The people matching `terms`, as one query per name order: with two names, "jo smith" is either given
    then family or family then given, and each order is its own index range (an OR of the two would make
    the database read every "S…" in the region)."""
    if terms.nhs_number:
        people = people.filter(nhs_number=terms.nhs_number)
    if terms.date_of_birth:
        people = people.filter(date_of_birth=terms.date_of_birth)
    if terms.postcode:
        people = people.filter(postcode=terms.postcode)
    names = terms.names
    family, given = _name_key("family_name"), _name_key("given_name")
    if len(names) == 1:
        return [people.filter(StartsWith(family, names[0]))]
    if len(names) >= 2:
        first, last = names[0], names[-1]
        orders = [(first, last), (last, first)] if first != last else [(first, last)]
        return [people.filter(StartsWith(given, g), StartsWith(family, f)) for g, f in orders]
    return [people]


def _sort_key(person: Person) -> tuple[bytes, bytes, int]:
    # The database's order: lower(name) in the "C" collation, that is by UTF-8 bytes.
    return (person.family_name.lower().encode(), person.given_name.lower().encode(), person.pk)


@transaction.atomic  # the read and its audit row commit together, or neither
def search_people(*, actor: Actor, query: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """People matching a free-text query (name prefix or initials, date of birth, postcode, NHS number).
    Audited as a search.

    The organisation's own records and the records shared with it are searched as separate queries (the
    access layer's two parts), each a first page in name order from an index, then merged: one query with
    "own OR shared" cannot use the organisation's index and reads every match in the region."""
    terms = parse_query(query)
    if terms.is_empty:
        return []
    found: dict[int, Person] = {}
    order = (_name_key("family_name"), _name_key("given_name"), "pk")
    # One name (or none): one query, a name-ordered index scan (or the date of birth, postcode or NHS number
    # index) with the access check as a filter. Two names ("j s"): each part and each name order is its own
    # index range, read in name order up to one page, then merged (one query would read every "S…").
    parts = fully_visible_people_parts(actor) if len(terms.names) >= 2 else [fully_visible_people(actor)]
    for part in parts:
        # Once a full page is in hand (the organisation's own records come first), a later part only needs
        # the people whose family name sorts no later than that page's last: the shared part's index scan
        # then stops there, and a name order wholly beyond it ("s j" after "j s") reads nothing.
        bound = sorted(found.values(), key=_sort_key)[limit - 1] if len(found) >= limit else None
        for matching in _filter_terms(part, terms):
            matching = _not_merged(matching)
            if bound is not None:
                matching = matching.filter(
                    LessThanOrEqual(_name_key("family_name"), _name_key(Value(bound.family_name)))
                )
            found.update((person.pk, person) for person in matching.order_by(*order)[:limit])
    people = sorted(found.values(), key=_sort_key)[:limit]
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Find a person's record",
        detail={"terms": terms.describe(), "results": [p.pk for p in people]},
    )
    return people


@transaction.atomic  # the read and its audit row commit together, or neither
def get_person(*, actor: Actor, person_id: int, purpose: str = "View person record") -> Person:
    """One person, or NotFound (also when the actor may not see them: no hint that they exist)."""
    person = visible_people(actor).select_related("organisation").filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    record_event(actor=actor, action=AuditAction.VIEW, purpose=purpose, obj=person, person_id=person.pk)
    return person


def already_registered(*, actor: Actor, nhs_number: str, exclude_id: int | None = None) -> Person | None:
    """The person the actor's organisation already holds with this NHS number, if any. Audited as a search."""
    nhs_number = normalise_nhs_number(nhs_number or "")
    if not nhs_number:
        return None
    candidates = fully_visible_people(actor).filter(
        organisation_id=actor.organisation_id, nhs_number=nhs_number
    )
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    found = candidates.first()
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Check for a duplicate record",
        detail={"terms": ["nhs_number"], "results": [found.pk] if found else []},
    )
    return found


def likely_duplicates(
    *,
    actor: Actor,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    postcode: str = "",
    limit: int = 5,
) -> list[Person]:
    """People the actor can see with the same name and date of birth (and postcode, when given): shown
    before a new record is saved, so that one person does not end up with two records. Audited."""
    if not (given_name.strip() and family_name.strip() and date_of_birth):
        return []
    people = _not_merged(fully_visible_people(actor)).filter(
        given_name__iexact=given_name.strip(),
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
    )
    if postcode.strip():
        people = people.filter(Q(postcode="") | Q(postcode=normalise_postcode(postcode)))
    found = list(people.order_by("pk")[:limit])
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Check for a duplicate record",
        detail={"terms": ["name", "date_of_birth", "postcode"], "results": [p.pk for p in found]},
    )
    return found


def corrections_for(*, actor: Actor, person: Person) -> QuerySet[PersonCorrection]:
    """Proposed corrections the actor may see for a person that already came through the access layer:
    the holder sees every one; a partner sees its own organisation's."""
    found = PersonCorrection.objects.filter(person=person).select_related("organisation", "proposed_by")
    if person.organisation_id != actor.organisation_id:
        found = found.filter(organisation_id=actor.organisation_id)
    return found
