"""Organisations, agreements, consent, the audit log and subject access over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.governance.models import AuditEvent, ConsentRecord, DataSharingAgreement
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    share_case,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.IG_OFFICER, organisation=OrganisationFactory(ods_code="RW3"))


def test_organisations_are_listed_with_kind_and_ods_code(api, officer):
    token = api.token_for(officer)
    listed = api("GET", "/organisations", token=token)
    one = api("GET", f"/organisations/{officer.organisation_id}", token=token)
    assert officer.organisation.name in [o["name"] for o in listed.body]
    assert one.body == {
        "id": officer.organisation_id,
        "name": officer.organisation.name,
        "kind": officer.organisation.kind,
        "ods_code": "RW3",
    }
    assert api("GET", "/organisations/999999", token=token).status == 404


def test_an_ig_officer_records_lists_and_ends_an_agreement(api, officer):
    token = api.token_for(officer)
    partner = OrganisationFactory()
    body = {
        "reference": "DSA-API-1",
        "title": "Hospital to Home",
        "party_ids": [officer.organisation_id, partner.pk],
        "purpose": "Plan safe discharge home",
        "lawful_basis": "6.1.e",
        "article9_condition": "9.2.h",
        "data_categories": ["identifiers", "health"],
        "start_date": str(timezone.localdate() - dt.timedelta(days=1)),
    }
    created = api("POST", "/agreements", body, token=token)
    assert created.status == 201 and created.body["in_force"] is True
    assert created.body["party_ids"] == sorted(body["party_ids"])

    listed = api("GET", "/agreements", token=token)
    one = api("GET", f"/agreements/{created.body['id']}", token=token)
    ended = api("POST", f"/agreements/{created.body['id']}/end", {}, token=token)

    assert [a["reference"] for a in listed.body] == ["DSA-API-1"]
    assert one.body["title"] == "Hospital to Home"
    assert ended.status == 200 and ended.body["in_force"] is False and ended.body["status"] == "ended"


def test_a_refused_agreement_names_the_field_and_writes_nothing(api, officer):
    token = api.token_for(officer)
    body = {
        "reference": "DSA-API-2",
        "title": "Health without an Article 9 condition",
        "party_ids": [officer.organisation_id, OrganisationFactory().pk],
        "purpose": "Sharing",
        "lawful_basis": "6.1.e",
        "data_categories": ["health"],
        "start_date": "2026-01-01",
    }
    reply = api("POST", "/agreements", body, token=token)
    assert reply.status == 422 and reply.fields == ["article9_condition"]
    assert not DataSharingAgreement.objects.exists()


def test_a_caseworker_may_not_record_agreements_or_read_the_audit_log(api):
    caseworker = MembershipFactory(role=Role.CASEWORKER)
    token = api.token_for(caseworker)
    assert api("GET", "/audit-events", token=token).status == 404
    assert api("GET", "/agreements", token=token).status == 404


def test_the_audit_log_filters_by_person_and_the_review_itself_is_audited(api, officer):
    caseworker = MembershipFactory(role=Role.CASEWORKER, organisation=officer.organisation)
    person = PersonFactory(organisation=officer.organisation)
    api("GET", f"/people/{person.pk}", token=api.token_for(caseworker))
    token = api.token_for(officer)

    reply = api("GET", f"/audit-events?person_id={person.pk}&action=view", token=token)
    bad = api("GET", "/audit-events?since=last-tuesday", token=token)

    assert reply.status == 200
    assert [(e["actor_username"], e["action"]) for e in reply.body] == [(caseworker.user.username, "view")]
    assert AuditEvent.objects.filter(action="search", actor_username=officer.user.username).exists()
    assert bad.status == 422 and bad.fields == ["since"]


def test_the_audit_log_does_not_show_another_organisations_staff(api, officer):
    elsewhere = MembershipFactory(role=Role.CASEWORKER)
    api("GET", "/people?q=smith", token=api.token_for(elsewhere))
    reply = api("GET", f"/audit-events?username={elsewhere.user.username}", token=api.token_for(officer))
    assert reply.status == 200 and reply.body == []


def test_consent_is_recorded_for_a_person_the_caseworker_can_see(api):
    caseworker = MembershipFactory(role=Role.CASEWORKER)
    person = PersonFactory(organisation=caseworker.organisation)
    token = api.token_for(caseworker)
    body = {"purpose": "share_with_housing", "status": "given", "lawful_basis": "6.1.a"}

    recorded = api("POST", f"/people/{person.pk}/consents", body, token=token)
    refused = api("POST", f"/people/{person.pk}/consents", body | {"lawful_basis": "6.1.e"}, token=token)
    hidden = api("POST", f"/people/{PersonFactory().pk}/consents", body, token=token)

    assert recorded.status == 201 and recorded.body["status"] == "given"
    assert refused.status == 422 and refused.fields == ["lawful_basis"]
    assert hidden.status == 404
    assert ConsentRecord.objects.count() == 1


def test_subject_access_exports_everything_held_and_is_audited(api, officer):
    person = PersonFactory(organisation=officer.organisation, family_name="Exported")
    reply = api("GET", f"/people/{person.pk}/subject-access", token=api.token_for(officer))
    assert reply.status == 200 and reply.content_type.startswith("application/json")
    assert reply.body["person"]["family_name"] == "Exported"
    assert {"consents", "tenancies", "shared_with", "access_log"} <= set(reply.body)
    assert AuditEvent.objects.filter(action="export", person_id=person.pk).exists()


def test_an_agreement_in_force_lets_a_partner_see_a_shared_person_only_while_it_lasts(api):
    holder = MembershipFactory(role=Role.CASEWORKER)
    partner = MembershipFactory(role=Role.PARTNER)
    person = PersonFactory(organisation=holder.organisation)
    share_case(person, partner.organisation)
    agreement = AgreementFactory(parties=[holder.organisation, partner.organisation])
    token = api.token_for(partner)

    assert api("GET", f"/people/{person.pk}", token=token).status == 200
    agreement.end_date = timezone.localdate() - dt.timedelta(days=1)
    agreement.save()
    assert api("GET", f"/people/{person.pk}", token=token).status == 404
