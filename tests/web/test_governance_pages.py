"""Agreements, audit log and staff pages: who may use them, bad input, and what ending an agreement does."""

from __future__ import annotations

import pytest

from homeward.core.models import Membership, User
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent, DataSharingAgreement
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "allowed_roles"),
    [
        ("/agreements/", {Role.TEAM_LEAD, Role.IG_OFFICER, Role.ADMIN}),
        ("/agreements/new/", {Role.IG_OFFICER, Role.ADMIN}),
        ("/manage/organisations/", {Role.ADMIN}),
        ("/manage/users/", {Role.ADMIN}),
        ("/manage/users/new/", {Role.ADMIN}),
    ],
)
def test_pages_open_only_for_roles_that_use_them(client, url, allowed_roles):
    for role in Role.values:
        actor = make_actor(role)
        client.force_login(actor.user)
        status = client.get(url).status_code
        assert status == (200 if role in allowed_roles else 403), (role, url, status)


def test_the_audit_log_is_for_ig_officers_only(client):
    for role in Role.values:
        client.force_login(make_actor(role).user)
        assert client.get("/audit/").status_code == (200 if role == Role.IG_OFFICER else 404)


def test_recording_an_agreement_with_bad_input_names_the_fields_and_writes_nothing(client):
    ig = make_actor(Role.IG_OFFICER)
    client.force_login(ig.user)
    response = client.post(
        "/agreements/new/",
        {
            "reference": "DSA-1",
            "title": "Sharing",
            "party_ids": [ig.organisation_id],
            "purpose": "Care",
            "lawful_basis": "6.1.e",
            "data_categories": ["health"],
            "start_date": "01/04/2026",
            "end_date": "01/03/2026",
            "status": "active",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "at least two organisations" in page and "Article 9 condition" in page and "End date" in page
    assert DataSharingAgreement.objects.count() == 0


def test_recording_an_agreement(client):
    ig = make_actor(Role.IG_OFFICER)
    other = OrganisationFactory()
    client.force_login(ig.user)
    response = client.post(
        "/agreements/new/",
        {
            "reference": "DSA-9",
            "title": "Hospital to Home",
            "party_ids": [ig.organisation_id, other.pk],
            "purpose": "Safe discharge",
            "lawful_basis": "6.1.e",
            "article9_condition": "9.2.h",
            "data_categories": ["identifiers", "health"],
            "start_date": "01/04/2026",
            "status": "active",
        },
    )
    agreement = DataSharingAgreement.objects.get()
    assert response.status_code == 302 and set(agreement.parties.all()) == {ig.organisation, other}


def test_ending_an_agreement_stops_the_partner_seeing_the_person(client):
    trust, homes = OrganisationFactory(), OrganisationFactory()
    person = PersonFactory(organisation=trust)
    share_case(person, homes)
    agreement = AgreementFactory(parties=[trust, homes])
    officer = make_actor(Role.CASEWORKER, homes)
    client.force_login(officer.user)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    ig = make_actor(Role.IG_OFFICER, trust)
    client.force_login(ig.user)
    assert client.post(f"/agreements/{agreement.pk}/end/").status_code == 302
    client.force_login(officer.user)
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_an_admin_adds_a_member_of_staff_with_a_validated_password(client):
    admin = make_actor(Role.ADMIN)
    client.force_login(admin.user)
    weak = client.post(
        "/manage/users/new/",
        {
            "username": "newbie",
            "first_name": "N",
            "last_name": "B",
            "password": "password",
            "role": "caseworker",
        },
    )
    assert weak.status_code == 400 and "too common" in weak.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    ok = client.post(
        "/manage/users/new/",
        {
            "username": "newbie",
            "first_name": "N",
            "last_name": "B",
            "password": "a long and unusual passphrase",
            "role": "caseworker",
        },
    )
    assert ok.status_code == 302
    assert Membership.objects.get(user__username="newbie").organisation_id == admin.organisation_id


def test_the_last_administrator_cannot_be_removed(client):
    admin = make_actor(Role.ADMIN)
    client.force_login(admin.user)
    response = client.post(f"/manage/memberships/{admin.membership.pk}/end/", follow=True)
    assert "last administrator" in response.content.decode()
    admin.membership.refresh_from_db()
    assert admin.membership.is_active


def test_the_audit_log_filters_and_its_viewing_is_itself_audited(client):
    ig = make_actor(Role.IG_OFFICER)
    person = PersonFactory(organisation=ig.organisation)
    client.force_login(ig.user)
    client.get(f"/people/{person.pk}/")
    page = client.get(f"/audit/?person_id={person.pk}&action=view").content.decode()
    assert "View person record" in page
    bad = client.get("/audit/?since=01/05/2026&until=01/04/2026")
    assert bad.status_code == 400 and "on or after" in bad.content.decode()
    assert AuditEvent.objects.filter(
        actor_username=ig.user.username, purpose="Review the audit trail"
    ).exists()
