"""Data that stays clean: one open case per patient unless a second is justified, and referrals only to
organisations that can act on them."""

from __future__ import annotations

import pytest

from homeward.core.errors import ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from tests.discharge.test_pages import _referral
from tests.factories import AgreementFactory, OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db


def test_a_second_open_case_is_refused_naming_the_open_one(world):
    first = world.refer()
    with pytest.raises(ValidationFailed) as refused:
        world.refer()
    assert first.reference in refused.value.errors["second_case_reason"]
    assert DischargeCase.objects.count() == 1


def test_a_second_open_case_with_a_reason_is_made_and_the_reason_is_on_its_timeline(world):
    first = world.refer()
    second = world.refer(second_case_reason="Readmitted from another hospital after a fall")
    assert second.pk != first.pk
    event = second.events.get(title__startswith="Second open case")
    assert first.reference in event.title and "another hospital" in event.note


def test_the_refer_page_links_to_the_open_case_and_keeps_the_form(client, world):
    first = world.refer()
    client.force_login(world.clinician.user)
    page = client.get(f"/discharge/refer/{world.patient.pk}/").content.decode()
    assert f'href="/discharge/cases/{first.pk}/"' in page and "Why is a second case right?" in page
    response = client.post(
        f"/discharge/refer/{world.patient.pk}/", _referral(world, referral_reason="Stairs again")
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert f"{first.reference} is still open" in page and "Stairs again" in page
    assert DischargeCase.objects.count() == 1


def test_refer_to_lists_only_housing_teams_that_can_act(client, world):
    icb = OrganisationFactory(name="North ICB", kind=OrganisationKind.ICB)
    care = OrganisationFactory(name="Caring Hands", kind=OrganisationKind.CARE_PROVIDER)
    empty = OrganisationFactory(name="Empty Homes Ltd", kind=OrganisationKind.HOUSING_PROVIDER)
    for other in (icb, care, empty):
        AgreementFactory(parties=[world.trust, other])
    make_actor(Role.CASEWORKER, care)
    make_actor(Role.ANALYST, icb)
    client.force_login(world.clinician.user)
    page = client.get(f"/discharge/refer/{world.patient.pk}/").content.decode()
    assert "Riverside Homes" in page
    for name in ("North ICB", "Caring Hands", "Empty Homes Ltd"):
        assert name not in page, name
    with pytest.raises(ValidationFailed) as refused:
        world.refer(housing_organisation_id=icb.pk)
    assert "no housing team" in refused.value.errors["housing_organisation_id"]


def test_the_person_page_links_to_the_open_case_instead_of_offering_a_referral(client, world):
    case = world.refer()
    client.force_login(world.clinician.user)
    page = client.get(f"/people/{world.patient.pk}/").content.decode()
    assert f'href="/discharge/cases/{case.pk}/"' in page and case.reference in page
    assert "Refer to Hospital to Home" not in page
