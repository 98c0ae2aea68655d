"""Going home from the unit: an adaptation opens (or links) an adaptations case through the adaptations
module's own service; other support (a care package) is an onward referral of the referral model with the
stay as its source; the transition plan. Bad input names the field and writes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.adaptations import services as adaptation_services
from homeward.adaptations.models import AdaptationCase
from homeward.core.errors import ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.reablement import arrangements
from homeward.reablement.models import DischargeArrangement
from homeward.referrals.models import Referral as OnwardReferral
from homeward.referrals.sources import resolve_source
from tests.factories import AgreementFactory, OrganisationFactory


@pytest.fixture
def agency(world):
    agency = OrganisationFactory(name="Bluebell Home Care", kind=OrganisationKind.CARE_PROVIDER)
    AgreementFactory(parties=[world.provider, agency], title="Home care: Riverside and Bluebell")
    return agency


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_an_adaptation_opens_an_urgent_adaptations_case_through_the_adaptations_module(world):
    stay = world.admitted()
    made = arrangements.arrange_adaptation(
        actor=world.unit_worker,
        stay_id=stay.pk,
        needs="Stair lift and grab rails",
        tenure="council_tenant",
        address="1 High Street, Anytown",
    )
    case = made.adaptation_case
    assert case is not None and made.referral is None
    assert case.person_id == world.patient.pk and case.organisation_id == world.provider.pk
    assert case.source == "reablement" and case.priority == "urgent"
    assert "Willow Court" in case.priority_reason and case.needs == "Stair lift and grab rails"
    page = client_for(world.unit_worker).get(f"/reablement/stays/{stay.pk}/").content.decode()
    assert f'href="/adaptations/cases/{case.pk}/"' in page and case.reference in page
    assert stay.referral.events.filter(title__contains=case.reference).exists()


def test_an_open_adaptations_case_is_linked_not_opened_again(world):
    stay = world.admitted()
    existing = adaptation_services.open_case(
        actor=world.unit_worker,
        person_id=world.patient.pk,
        source="ot",
        tenure="owner_occupier",
        needs="Level-access shower",
        enquiry_received_on=stay.admitted_at.date(),
        address="1 High Street",
    )
    made = arrangements.arrange_adaptation(
        actor=world.unit_worker, stay_id=stay.pk, needs="Shower", adaptation_case_id=existing.pk
    )
    assert made.adaptation_case_id == existing.pk and AdaptationCase.objects.count() == 1
    with pytest.raises(ValidationFailed) as twice:
        arrangements.arrange_adaptation(
            actor=world.unit_worker, stay_id=stay.pk, needs="Shower", adaptation_case_id=existing.pk
        )
    assert "adaptation_case_id" in twice.value.errors
    with pytest.raises(ValidationFailed) as stranger:  # a case the actor cannot see is not linked
        arrangements.arrange_adaptation(
            actor=world.unit_worker, stay_id=stay.pk, needs="Shower", adaptation_case_id=existing.pk + 999
        )
    assert "adaptation_case_id" in stranger.value.errors
    assert DischargeArrangement.objects.count() == 1


def test_a_care_package_is_an_onward_referral_from_the_stay(world, agency):
    stay = world.admitted()
    made = arrangements.arrange_support(
        actor=world.unit_worker,
        stay_id=stay.pk,
        kind="care_package",
        description="Four calls a day for two weeks",
        to_organisation_id=agency.pk,
    )
    referral = made.referral
    assert referral is not None and made.adaptation_case is None
    assert referral.to_organisation_id == agency.pk and referral.person_id == world.patient.pk
    assert (referral.source_type, referral.source_id) == ("reablement.stay", stay.pk)
    assert "Four calls a day" in referral.reason
    source = resolve_source(world.unit_worker, "reablement.stay", stay.pk)
    assert source is not None and source.url == f"/reablement/stays/{stay.pk}/"
    page = client_for(world.unit_worker).get(f"/reablement/stays/{stay.pk}/").content.decode()
    assert referral.reference in page and "Bluebell Home Care" in page


def test_bad_arrangements_name_the_field_and_write_nothing(world, agency):
    stay = world.admitted()
    cases = [
        (arrangements.arrange_adaptation, {"needs": "Rails", "tenure": ""}, "tenure"),
        (arrangements.arrange_adaptation, {"needs": " ", "tenure": "council_tenant"}, "needs"),
        (
            arrangements.arrange_support,
            {"kind": "care_package", "description": "Calls", "to_organisation_id": world.practice.pk},
            "to_organisation_id",  # no data-sharing agreement with the practice
        ),
        (
            arrangements.arrange_support,
            {"kind": "adaptation", "description": "Rails", "to_organisation_id": agency.pk},
            "kind",
        ),
        (
            arrangements.arrange_support,
            {"kind": "equipment", "description": "", "to_organisation_id": agency.pk},
            "description",
        ),
    ]
    for service, args, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            service(actor=world.unit_worker, stay_id=stay.pk, **args)
        assert field in refused.value.errors, (args, refused.value.errors)
    assert not DischargeArrangement.objects.exists()
    assert not AdaptationCase.objects.exists() and not OnwardReferral.objects.exists()


def test_the_stay_page_arranges_support_and_writes_the_transition_plan(world, agency):
    stay = world.admitted()
    client = client_for(world.unit_worker)
    url = f"/reablement/stays/{stay.pk}/"
    refused = client.post(
        url + "support/",
        {
            "kind": "care_package",
            "description": "Two calls a day",
            "to_organisation": world.practice.pk,
            "service_kind": "other",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and 'href="#support-to_organisation"' in page
    assert 'value="Two calls a day"' in page and not DischargeArrangement.objects.exists()
    sent = client.post(
        url + "support/",
        {
            "kind": "care_package",
            "description": "Two calls a day",
            "to_organisation": agency.pk,
            "service_kind": "other",
            "starts_on": "",
            "consent_status": "given",
            "lawful_basis": "6.1.a",
        },
    )
    assert sent.status_code == 302 and DischargeArrangement.objects.get().referral is not None
    empty = client.post(url + "transition-plan/", {"plan": "", "first_contact_on": ""})
    assert empty.status_code == 400 and 'href="#plan-plan"' in empty.content.decode()
    plan = "Care team visits on the day; OT at home on day 3; call the unit on 01234 567890"
    saved = client.post(url + "transition-plan/", {"plan": plan, "first_contact_on": ""})
    assert saved.status_code == 302
    stay.refresh_from_db()
    assert stay.transition_plan == plan
    adapted = client.post(url + "adaptations/", {"needs": "Grab rails", "adaptation_case": "", "tenure": ""})
    assert adapted.status_code == 400 and 'href="#adaptation-tenure"' in adapted.content.decode()
    adapted = client.post(
        url + "adaptations/",
        {"needs": "Grab rails", "adaptation_case": "", "tenure": "private_tenant", "address": "2 Low Road"},
    )
    assert adapted.status_code == 302 and AdaptationCase.objects.get().source == "reablement"
    assert client.get(url).content.decode().count("Grab rails") >= 1
