"""The access layer's rules, stated as staff would say them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.errors import NotFound
from homeward.core.roles import Role
from homeward.governance import services
from homeward.governance.access import can_see_person, visible_people
from homeward.governance.pseudonym import pseudonymise
from homeward.people.selectors import get_person, search_people
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust_and_housing():
    trust, housing = OrganisationFactory(name="Trust"), OrganisationFactory(name="Homes")
    person = PersonFactory(organisation=trust, family_name="Shared")
    return trust, housing, person


def test_housing_officer_sees_a_trust_patient_only_when_on_the_case_and_an_agreement_is_in_force(
    trust_and_housing,
):
    trust, housing, person = trust_and_housing
    officer = make_actor(Role.CASEWORKER, housing)
    assert not can_see_person(officer, person.pk)
    share_case(person, housing)
    assert not can_see_person(officer, person.pk)  # on the case, but no agreement
    AgreementFactory(parties=[trust, housing])
    assert can_see_person(officer, person.pk)
    assert [p.pk for p in search_people(actor=officer, query="shared")] == [person.pk]


def test_housing_officer_cannot_see_case_after_agreement_ends(trust_and_housing):
    trust, housing, person = trust_and_housing
    share_case(person, housing)
    agreement = AgreementFactory(parties=[trust, housing])
    officer = make_actor(Role.CASEWORKER, housing)
    ig = make_actor(Role.IG_OFFICER, trust)
    assert can_see_person(officer, person.pk)
    services.end_agreement(actor=ig, agreement_id=agreement.pk)
    assert not can_see_person(officer, person.pk)
    with pytest.raises(NotFound):
        get_person(actor=officer, person_id=person.pk)


def test_an_agreement_dated_to_end_today_still_covers_today_but_not_tomorrow(trust_and_housing):
    trust, housing, person = trust_and_housing
    share_case(person, housing)
    today = timezone.localdate()
    AgreementFactory(parties=[trust, housing], end_date=today)
    officer = make_actor(Role.CASEWORKER, housing)
    assert can_see_person(officer, person.pk)
    from homeward.governance.access import has_active_agreement

    assert not has_active_agreement(trust, housing, on=today + dt.timedelta(days=1))


def test_an_agreement_with_a_third_party_does_not_open_the_case(trust_and_housing):
    trust, housing, person = trust_and_housing
    share_case(person, housing)
    council = OrganisationFactory(name="Council")
    AgreementFactory(parties=[trust, council])
    AgreementFactory(parties=[housing, council])
    assert not can_see_person(make_actor(Role.CASEWORKER, housing), person.pk)


def test_analysts_and_admins_see_no_identifiable_records(trust_and_housing):
    trust, _, person = trust_and_housing
    for role in (Role.ANALYST, Role.ADMIN):
        assert not visible_people(make_actor(role, trust)).exists()


def test_pseudonyms_are_stable_keyed_and_do_not_reveal_the_id():
    assert pseudonymise(42, key="k1") == pseudonymise(42, key="k1")
    assert pseudonymise(42, key="k1") != pseudonymise(42, key="k2")
    assert pseudonymise(42, key="k1") != pseudonymise(43, key="k1")
    assert "42" not in pseudonymise(42, key="k1")[:2] or len(pseudonymise(42, key="k1")) == 32


def test_withdrawn_consent_is_kept_with_its_reason(trust_and_housing):
    trust, _, person = trust_and_housing
    worker = make_actor(Role.CASEWORKER, trust)
    consent = services.record_consent(
        actor=worker, person_id=person.pk, purpose="share_with_housing", status="given", lawful_basis="6.1.a"
    )
    services.withdraw_consent(
        actor=worker, consent_id=consent.pk, reason="Does not want the council involved"
    )
    consent.refresh_from_db()
    assert consent.status == "withdrawn" and consent.withdrawn_at is not None
    assert consent.withdrawal_reason == "Does not want the council involved"
