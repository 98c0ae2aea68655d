import datetime as dt

import pytest

from homeward.core.errors import ValidationFailed
from homeward.people import selectors, services
from tests.factories import make_actor

pytestmark = pytest.mark.django_db


def test_caseworker_registers_and_finds_a_person_by_name_dob_and_nhs_number():
    actor = make_actor()
    person = services.register_person(
        actor=actor,
        given_name="Mary",
        family_name="Smith",
        date_of_birth=dt.date(1950, 3, 12),
        nhs_number="9990000018",
    )
    assert [p.pk for p in selectors.search_people(actor=actor, query="smi")] == [person.pk]
    assert [p.pk for p in selectors.search_people(actor=actor, query="mary smith")] == [person.pk]
    assert [p.pk for p in selectors.search_people(actor=actor, query="12/03/1950")] == [person.pk]
    assert [p.pk for p in selectors.search_people(actor=actor, query="999 000 0018")] == [person.pk]


def test_bad_nhs_number_is_refused_with_the_field_named():
    actor = make_actor()
    with pytest.raises(ValidationFailed) as exc:
        services.register_person(
            actor=actor,
            given_name="A",
            family_name="B",
            date_of_birth=dt.date(1950, 1, 1),
            nhs_number="9990000017",
        )
    assert "nhs_number" in exc.value.errors
