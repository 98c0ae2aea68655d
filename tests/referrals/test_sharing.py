"""Referrals to directory services: field-level sharing, the message thread, per-service answer times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.people import selectors as people
from homeward.referrals import services
from homeward.referrals.models import DirectoryOrganisation, Referral, ReferralMessage, Service
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    make_actor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    gp = OrganisationFactory(name="Millbrook Medical Practice", kind=OrganisationKind.GP_PRACTICE)
    charity = OrganisationFactory(name="Northgate Wellbeing", kind=OrganisationKind.VOLUNTARY_SECTOR)
    stranger = OrganisationFactory(name="Elsewhere", kind=OrganisationKind.VOLUNTARY_SECTOR)
    AgreementFactory(parties=[gp, charity])
    provider = DirectoryOrganisation.objects.create(name=charity.name, organisation=charity)
    service = Service.objects.create(
        name="Social prescribing", organisation=provider, accepts_referrals=True, acknowledge_within_days=3
    )
    person = PersonFactory(
        organisation=gp,
        family_name="Achterberg",
        phone="07700 900123",
        accessibility_needs="Hard of hearing",
    )
    return {
        "gp": gp,
        "charity": charity,
        "service": service,
        "doctor": make_actor(Role.CLINICIAN, gp),
        "worker": make_actor(Role.CASEWORKER, charity),
        "outsider": make_actor(Role.CASEWORKER, stranger),
        "person": person,
    }


def _refer(world, shared=("contact",), **extra) -> Referral:
    return services.send_referral(
        actor=world["doctor"],
        person_id=world["person"].pk,
        to_organisation_id=0,
        service_id=str(world["service"].pk),
        service_kind="social_prescribing",
        reason="Lonely since her husband died; not sleeping",
        shared_fields=list(shared),
        **extra,
    )


def test_a_referral_to_a_directory_service_goes_to_its_provider(world):
    referral = _refer(world)
    assert referral.to_organisation == world["charity"] and referral.service == world["service"]


def test_the_receiver_sees_only_the_fields_the_referral_shared(world, client):
    referral = _refer(world, shared=("contact",))
    client.force_login(world["worker"].user)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "07700 900123" in page
    assert world["person"].nhs_number_display not in page and "Hard of hearing" not in page
    person_page = client.get(f"/people/{world['person'].pk}/").content.decode()
    assert "07700 900123" in person_page
    assert world["person"].nhs_number_display not in person_page
    assert "Not shared with your organisation" in person_page
    client.force_login(world["doctor"].user)
    shared_block = client.get(f"/referrals/{referral.pk}/").content.decode().split('id="shared-details"')[1]
    shared_block = shared_block.split("</dl>")[0]
    assert "07700 900123" in shared_block and "NHS number" not in shared_block
    # Searching by a field the referral did not share finds nobody.
    found = people.search_people(actor=world["worker"], query=world["person"].nhs_number)
    assert found == []
    with pytest.raises(NotAllowed):
        from homeward.people.services import update_person

        update_person(actor=world["worker"], person_id=world["person"].pk, changes={"phone": "0"})


def test_sharing_everything_lets_the_receiver_find_the_person(world):
    _refer(world, shared=("nhs_number", "date_of_birth", "address", "contact", "language", "access_needs"))
    assert people.search_people(actor=world["worker"], query=world["person"].nhs_number)


def test_unknown_shared_fields_and_full_or_closed_services_are_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        _refer(world, shared=("contact", "bank_details"))
    assert "shared_fields" in caught.value.errors
    world["service"].capacity = 1
    world["service"].save()
    _refer(world)
    with pytest.raises(ValidationFailed) as full:
        _refer(world)
    assert "full this week" in full.value.errors["service_id"]
    assert _refer(world, urgency="urgent").urgency == "urgent"  # urgent referrals still go through
    world["service"].accepts_referrals = False
    world["service"].save()
    with pytest.raises(ValidationFailed) as closed:
        _refer(world, urgency="urgent")
    assert "does not take referrals" in closed.value.errors["service_id"]


def test_both_organisations_write_on_the_thread_and_no_one_else(world):
    referral = _refer(world)
    services.post_message(actor=world["worker"], referral_id=referral.pk, body="Is she OK with a home visit?")
    services.post_message(actor=world["doctor"], referral_id=referral.pk, body="Yes, mornings are best.")
    assert [m.body for m in ReferralMessage.objects.filter(referral=referral)] == [
        "Is she OK with a home visit?",
        "Yes, mornings are best.",
    ]
    with pytest.raises(NotFound):
        services.post_message(actor=world["outsider"], referral_id=referral.pk, body="Hello")
    with pytest.raises(ValidationFailed):
        services.post_message(actor=world["worker"], referral_id=referral.pk, body="   ")


def test_the_service_sets_the_answer_time_in_working_days_over_weekends_and_bank_holidays(world):
    referral = _refer(world)
    # Thursday 24 December 2026: Friday is Christmas Day and Monday 28 December the Boxing Day substitute.
    referral.requested_at = timezone.make_aware(dt.datetime(2026, 12, 24, 10, 0))
    assert referral.answer_due == dt.date(2026, 12, 31)  # 3 working days: 29, 30, 31 December
    referral.urgency = "urgent"
    assert referral.answer_due == dt.date(2026, 12, 29)


def test_a_receiver_with_only_a_view_role_can_still_read_the_thread(world, client):
    partner = MembershipFactory(organisation=world["charity"], role=Role.PARTNER)
    referral = _refer(world)
    services.post_message(actor=world["doctor"], referral_id=referral.pk, body="Thanks for taking her on")
    client.force_login(partner.user)
    assert "Thanks for taking her on" in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_a_refused_message_is_shown_again_as_typed_with_the_error_summary(world, client):
    referral = _refer(world)
    client.force_login(world["worker"].user)
    typed = "She can't do Tuesdays\x0bmornings are best"  # a vertical tab pasted from a word processor
    response = client.post(f"/referrals/{referral.pk}/messages/", {"body": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert not ReferralMessage.objects.filter(referral=referral).exists()
    assert "There is a problem" in page
    assert '<a href="#message-body">Message: ' in page and "control characters" in page
    assert "She can&#x27;t do Tuesdays" in page  # what was typed is kept
    response = client.post(f"/referrals/{referral.pk}/messages/", {"body": "Mornings are best"})
    assert response.status_code == 302
    assert [m.body for m in ReferralMessage.objects.filter(referral=referral)] == ["Mornings are best"]
