"""Signing in: Argon2, lockout, two-factor when the organisation requires it, idle expiry, switching."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.core.models import User
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password=PASSWORD):
    return client.post("/account/sign-in/", {"username": username, "password": password})


def test_passwords_are_stored_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("a long passphrase").startswith("argon2")


def test_sign_in_is_audited_and_lands_on_home(client):
    member = MembershipFactory()
    response = _sign_in(client, member.user.username)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="login", actor_username=member.user.username).exists()


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    member = MembershipFactory()
    for _ in range(5):
        response = _sign_in(client, member.user.username, "wrong")
    assert response.status_code == 429
    response = _sign_in(client, member.user.username)
    assert response.status_code == 429 and "locked" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", actor_username=member.user.username).count() >= 5


def test_sessions_expire_after_30_idle_minutes(client):
    member = MembershipFactory()
    _sign_in(client, member.user.username)
    assert client.session.get_expiry_age() == 30 * 60
    session = client.session
    session.set_expiry(-1)  # as if 30 minutes had passed
    session.save()
    response = client.get("/people/?q=smith")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_an_organisation_that_requires_two_factor_sends_staff_to_set_it_up(client):
    org = OrganisationFactory(requires_two_factor=True)
    member = MembershipFactory(organisation=org)
    person = PersonFactory(organisation=org)
    _sign_in(client, member.user.username)
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/"
    page = client.get("/account/two-factor/").content.decode()
    assert "Set up two-step verification" in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=member.user)
    bad = client.post("/account/two-factor/", {"code": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert "That code is not right" in bad.content.decode()
    # django-otp slows down guessing after a failure; let the delay pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_a_member_of_two_organisations_switches_and_sees_the_other_organisations_people(client):
    trust, homes = OrganisationFactory(name="Trust"), OrganisationFactory(name="Homes")
    first = MembershipFactory(organisation=trust, role=Role.CASEWORKER)
    MembershipFactory(organisation=homes, role=Role.CASEWORKER, user=first.user)
    person = PersonFactory(organisation=homes, family_name="Homesperson")
    user = User.objects.get(pk=first.user.pk)
    client.force_login(user)
    assert "Homesperson".upper() not in client.get("/people/?q=homesperson").content.decode()
    other = user.memberships.get(organisation=homes)
    client.post("/account/organisation/", {"membership_id": other.pk})
    assert "HOMESPERSON" in client.get("/people/?q=homesperson").content.decode()
    assert client.get(f"/people/{person.pk}/").status_code == 200
    # A membership of someone else cannot be chosen.
    stranger = MembershipFactory()
    client.post("/account/organisation/", {"membership_id": stranger.pk})
    assert client.get(f"/people/{person.pk}/").status_code == 200
