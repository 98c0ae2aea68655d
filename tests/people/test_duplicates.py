"""One person, one record: the same NHS number is refused within an organisation (with a link to the record
already held), and a likely duplicate by name, date of birth and postcode is shown before saving."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.errors import ValidationFailed
from homeward.core.models import Person
from homeward.core.roles import Role
from homeward.people import services
from tests.factories import OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {
        "given_name": "June",
        "family_name": "Ali",
        "date_of_birth": "04/05/1948",
        "postcode": "M1 1AA",
        "contact_preference": "phone",
        "preferred_language": "English",
    } | overrides


def test_the_same_nhs_number_is_refused_in_the_same_organisation(db):
    actor = make_actor(Role.CASEWORKER)
    existing = PersonFactory(organisation=actor.organisation)
    with pytest.raises(ValidationFailed) as refused:
        services.register_person(
            actor=actor,
            given_name="Someone",
            family_name="Else",
            date_of_birth=dt.date(1970, 1, 1),
            nhs_number=existing.nhs_number,
        )
    assert "already registered" in refused.value.errors["nhs_number"]
    assert Person.objects.filter(nhs_number=existing.nhs_number).count() == 1


def test_the_same_nhs_number_in_another_organisation_is_allowed(db):
    actor = make_actor(Role.CASEWORKER)
    other = PersonFactory(organisation=OrganisationFactory())
    person = services.register_person(
        actor=actor,
        given_name="A",
        family_name="B",
        date_of_birth=dt.date(1970, 1, 1),
        nhs_number=other.nhs_number,
    )
    assert person.pk != other.pk


def test_the_new_person_page_refuses_a_duplicate_nhs_number_and_links_to_the_record(client):
    actor = make_actor(Role.CASEWORKER)
    existing = PersonFactory(organisation=actor.organisation, given_name="June", family_name="Ali")
    client.force_login(actor.user)
    number = f"{existing.nhs_number[:3]} {existing.nhs_number[3:6]} {existing.nhs_number[6:]}"
    response = client.post("/people/new/", _form(given_name="Jane", nhs_number=number))
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "already registered by your organisation" in page
    assert f'href="/people/{existing.pk}/"' in page
    assert 'value="Jane"' in page  # what was typed is kept
    assert Person.objects.count() == 1


def test_a_likely_duplicate_is_shown_before_saving_and_can_be_overridden(client):
    actor = make_actor(Role.CASEWORKER)
    existing = PersonFactory(
        organisation=actor.organisation,
        given_name="June",
        family_name="Ali",
        date_of_birth=dt.date(1948, 5, 4),
        postcode="M1 1AA",
        nhs_number="",
    )
    client.force_login(actor.user)
    response = client.post("/people/new/", _form(given_name="june", postcode="m11aa"))
    page = response.content.decode()
    assert "This person may already have a record" in page and f'href="/people/{existing.pk}/"' in page
    assert Person.objects.count() == 1
    response = client.post("/people/new/", _form(not_a_duplicate="yes"))
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_different_postcode_is_not_a_likely_duplicate(client):
    actor = make_actor(Role.CASEWORKER)
    PersonFactory(
        organisation=actor.organisation,
        given_name="June",
        family_name="Ali",
        date_of_birth=dt.date(1948, 5, 4),
        postcode="LS1 4AP",
    )
    client.force_login(actor.user)
    assert client.post("/people/new/", _form()).status_code == 302
