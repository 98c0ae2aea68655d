"""API tokens: POST /auth/token with username and password (and a TOTP code when the organisation asks)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field

from homeward.core.models import ApiToken, Membership
from homeward.governance.access import Actor
from homeward.governance.routes import no_personal_data

router = Router(tags=["auth"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class BearerToken(HttpBearer):
    """Looks up the token's digest; sets request.actor for the token's membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        found = (
            ApiToken.objects.select_related("user", "membership__organisation", "membership__team")
            .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active or not found.membership.is_active:
            return None
        actor = Actor(user=found.user, membership=found.membership)
        request.actor = actor  # type: ignore[attr-defined]
        request.api_token = found  # type: ignore[attr-defined]
        return actor


bearer = BearerToken()


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    organisation_id: int | None = None
    otp: str | None = Field(default=None, max_length=8)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    organisation: str
    role: str


@router.post("/token", response=TokenOut, auth=None, summary="Get a bearer token")
@no_personal_data("issues a token")
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": payload.username}
    if AxesProxyHandler.is_locked(request, credentials):
        raise HttpError(429, "This account is locked after repeated failed sign-ins; try again in 30 minutes")
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):
            raise HttpError(
                429, "This account is locked after repeated failed sign-ins; try again in 30 minutes"
            )
        raise HttpError(401, "The username or password is not right")
    memberships = Membership.objects.select_related("organisation").filter(user=user, is_active=True)
    if payload.organisation_id is not None:
        memberships = memberships.filter(organisation_id=payload.organisation_id)
    membership = memberships.order_by("pk").first()
    if membership is None:
        raise HttpError(403, "You are not an active member of that organisation")
    if membership.organisation.requires_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise HttpError(
                403, "Your organisation requires two-step verification: set it up by signing in to the web"
            )
        if not payload.otp or not device.verify_token(payload.otp):
            raise HttpError(401, "otp: enter the current 6-digit code from your authenticator app")
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_HOURS)
    ApiToken.objects.create(user=user, membership=membership, digest=_digest(token), expires_at=expires)
    return {
        "token": token,
        "expires_at": expires,
        "organisation": membership.organisation.name,
        "role": membership.role,
    }


@router.delete("/token", response={204: None}, auth=bearer, summary="Revoke this bearer token")
@no_personal_data("revokes a token")
def revoke_token(request: HttpRequest) -> Status[None]:
    token: ApiToken = request.api_token  # type: ignore[attr-defined]
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return Status(204, None)
