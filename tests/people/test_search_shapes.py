"""Every search shape a receptionist types finds the person, in name order, through the access layer:
initials, a surname with a date of birth, a postcode, a name prefix, a date of birth, an NHS number."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.errors import ValidationFailed
from homeward.core.roles import Role
from homeward.people.search import parse_query
from homeward.people.selectors import search_people
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    home = OrganisationFactory()
    partner = OrganisationFactory()
    stranger = OrganisationFactory()
    AgreementFactory(parties=[home, partner])
    actor = make_actor(Role.CASEWORKER, home)
    june = PersonFactory(
        organisation=home,
        given_name="June",
        family_name="Smith",
        date_of_birth=dt.date(1948, 5, 4),
        postcode="M1 1AA",
        nhs_number="9434765919",
    )
    # Dates of birth fixed: a random one could be June's (after another test reseeds the factories' random).
    jack = PersonFactory(
        organisation=partner,
        given_name="Jack",
        family_name="Sanders",
        postcode="M1 1AA",
        date_of_birth=dt.date(1960, 1, 2),
    )
    share_case(jack, home)
    sam = PersonFactory(
        organisation=home,
        given_name="Sam",
        family_name="Jones",
        postcode="LS1 4AP",
        date_of_birth=dt.date(1970, 3, 4),
    )
    hidden = PersonFactory(organisation=stranger, given_name="Jill", family_name="Stone", postcode="M1 1AA")
    return {"actor": actor, "june": june, "jack": jack, "sam": sam, "hidden": hidden}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("j s", ["sam", "jack", "june"]),  # both orders: Jones Sam, then Sanders Jack and Smith June
        ("smith 04/05/1948", ["june"]),
        ("M1 1AA", ["jack", "june"]),
        ("m11aa", ["jack", "june"]),
        ("smith m1 1aa", ["june"]),
        ("smi", ["june"]),
        ("1948-05-04", ["june"]),
        ("943 476 5919", ["june"]),
    ],
)
def test_each_shape_finds_the_visible_people_in_name_order(people, query, expected):
    found = search_people(actor=people["actor"], query=query)
    names = [p.given_name.lower() for p in found]
    assert names == expected
    assert people["hidden"] not in found


def test_initials_match_either_order_and_never_the_unshared(people):
    found = search_people(actor=people["actor"], query="s j")
    assert {p.pk for p in found} == {people["june"].pk, people["jack"].pk, people["sam"].pk}


def test_a_postcode_is_parsed_with_or_without_its_space():
    assert parse_query("ol1 3ab").postcode == "OL1 3AB"
    assert parse_query("Smith SW1A 1AA").postcode == "SW1A 1AA"
    assert parse_query("Smith SW1A 1AA").names == ["smith"]
    with pytest.raises(ValidationFailed):
        parse_query("12345")


def test_a_full_page_of_own_records_still_lets_earlier_shared_ones_in(people):
    """Initials with more than a page of the organisation's own matches: the shared part reads only up to
    the own page's last family name, yet the page is exactly the first `limit` of everyone visible, in name
    order (a shared "Sanders" before the own page's last name is kept, a later one is not)."""
    home, partner = people["june"].organisation, people["jack"].organisation
    for family in ("Sadler", "Salt", "Sands", "Scott"):
        PersonFactory(organisation=home, given_name="Joan", family_name=family)
    # "Salt Jack" ties on family name with the own page's last at a limit of 3, and sorts before it.
    for given, family in (("Jack", "Salt"), ("Jim", "Sykes")):
        share_case(PersonFactory(organisation=partner, given_name=given, family_name=family), home)
    PersonFactory(organisation=people["hidden"].organisation, given_name="Jo", family_name="Saa")

    def page(limit: int) -> list[str]:
        return [
            f"{p.family_name} {p.given_name}"
            for p in search_people(actor=people["actor"], query="j s", limit=limit)
        ]

    everyone = page(50)  # no bound: fewer than a page of own records
    assert everyone == [
        "Jones Sam",
        "Sadler Joan",
        "Salt Jack",
        "Salt Joan",
        "Sanders Jack",
        "Sands Joan",
        "Scott Joan",
        "Smith June",
        "Sykes Jim",
    ]
    for limit in range(1, len(everyone) + 1):
        assert page(limit) == everyone[:limit]
