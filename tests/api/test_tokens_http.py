"""API tokens over real HTTP: issuing, two-step verification, expiry, revocation and lockout."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.core.models import ApiToken
from homeward.core.roles import Role
from homeward.governance.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member():
    return MembershipFactory(role=Role.CASEWORKER)


def test_a_token_is_issued_for_the_first_active_membership_and_only_its_digest_is_stored(
    api, member, settings
):
    MembershipFactory(user=member.user, role=Role.IG_OFFICER)  # a later membership
    reply = api("POST", "/auth/token", {"username": member.user.username, "password": PASSWORD})
    assert reply.status == 200
    assert reply.body["organisation"] == member.organisation.name and reply.body["role"] == "caseworker"
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(reply.body["token"].encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=reply.body["token"]).exists()
    expires_at = dt.datetime.fromisoformat(reply.body["expires_at"])
    assert abs(expires_at - stored.expires_at) < dt.timedelta(seconds=1)
    assert abs(expires_at - timezone.now() - dt.timedelta(hours=settings.API_TOKEN_HOURS)) < dt.timedelta(
        minutes=1
    )
    assert AuditEvent.objects.filter(action="login", actor_username=member.user.username).exists()


def test_organisation_id_chooses_the_membership(api, member):
    other = MembershipFactory(user=member.user, role=Role.IG_OFFICER)
    token = api.token_for(member, organisation_id=other.organisation_id)
    assert ApiToken.objects.get().membership == other
    assert api("GET", "/audit-events", token=token).status == 200  # acts as the IG officer


def test_an_organisation_the_user_is_not_a_member_of_is_refused(api, member):
    reply = api(
        "POST",
        "/auth/token",
        {"username": member.user.username, "password": PASSWORD, "organisation_id": OrganisationFactory().pk},
    )
    assert reply.status == 403 and reply.fields == ["organisation_id"]
    assert not ApiToken.objects.exists()


def test_an_organisation_requiring_two_factor_needs_the_current_code(api):
    member = MembershipFactory(organisation=OrganisationFactory(requires_two_factor=True))
    device = TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True)
    credentials = {"username": member.user.username, "password": PASSWORD}

    missing = api("POST", "/auth/token", credentials)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    right = api("POST", "/auth/token", credentials | {"otp": f"{code:06d}"})
    wrong = api("POST", "/auth/token", credentials | {"otp": f"{(code + 1) % 1_000_000:06d}"})

    assert missing.status == 401 and missing.fields == ["otp"]
    assert missing.content_type == "application/problem+json"
    assert right.status == 200
    assert wrong.status == 401 and wrong.fields == ["otp"]
    assert ApiToken.objects.count() == 1


def test_no_token_is_401(api):
    reply = api("GET", "/people?q=smith")
    assert reply.status == 401 and reply.content_type == "application/problem+json"
    assert reply.headers["WWW-Authenticate"] == "Bearer"


def test_an_expired_token_is_401(api, member):
    token = api.token_for(member)
    assert api("GET", "/people?q=smith", token=token).status == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    reply = api("GET", "/people?q=smith", token=token)
    assert reply.status == 401 and reply.content_type == "application/problem+json"


def test_a_revoked_token_is_401(api, member):
    token = api.token_for(member)
    assert api("DELETE", "/auth/token", token=token).status == 204
    assert ApiToken.objects.get().revoked_at is not None
    assert api("GET", "/people?q=smith", token=token).status == 401


def test_a_wrong_password_is_401_naming_the_password(api, member):
    reply = api("POST", "/auth/token", {"username": member.user.username, "password": "wrong"})
    assert reply.status == 401 and reply.content_type == "application/problem+json"
    assert reply.fields == ["password"] and "not right" in reply.body["detail"]


def test_five_failures_lock_the_account_so_even_the_right_password_is_429(api, member, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    wrong = {"username": member.user.username, "password": "wrong"}
    statuses = [api("POST", "/auth/token", wrong).status for _ in range(5)]
    assert statuses[:4] == [401] * 4 and statuses[4] == 429

    reply = api("POST", "/auth/token", {"username": member.user.username, "password": PASSWORD})

    assert reply.status == 429 and reply.content_type == "application/problem+json"
    assert "locked" in reply.body["detail"] and reply.fields == ["username"]
    assert int(reply.headers["Retry-After"]) > 0
    assert not ApiToken.objects.exists()
