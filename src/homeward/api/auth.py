"""API tokens: POST /auth/token with username and password (and a TOTP code when the organisation asks)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field

from homeward.api.base import ApiProblem, Id, InputSchema
from homeward.core.models import ApiToken, Membership
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
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


class TokenIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    verbatim = frozenset({"password"})
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)
    organisation_id: Id | None = None
    otp: str | None = Field(default=None, max_length=8)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime
    organisation: str
    role: str


def _locked_out(request: HttpRequest) -> ApiProblem:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    wait = f"try again in {minutes} minutes" if minutes else "ask an administrator to unlock it"
    headers = {"Retry-After": str(minutes * 60)} if minutes else {}
    return ApiProblem(
        429,
        f"This account is locked after repeated failed sign-ins; {wait}",
        field="username",
        headers=headers,
    )


@router.post("/token", response=TokenOut, auth=None, summary="Get a bearer token")
@no_personal_data("issues a token")
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """Password check through Django's authenticate(), so django-axes counts failures and locks out."""
    credentials = {"username": payload.username}
    if AxesProxyHandler.is_locked(request, credentials):
        raise _locked_out(request)
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        if AxesProxyHandler.is_locked(request, credentials):  # this failure reached the limit
            raise _locked_out(request)
        raise ApiProblem(401, "The username or password is not right", field="password")
    memberships = Membership.objects.select_related("organisation").filter(user=user, is_active=True)
    if payload.organisation_id is not None:
        memberships = memberships.filter(organisation_id=payload.organisation_id)
    membership = memberships.order_by("pk").first()
    if membership is None:
        field = "organisation_id" if payload.organisation_id is not None else "username"
        raise ApiProblem(403, "You are not an active member of that organisation", field=field)
    if membership.organisation.requires_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise ApiProblem(
                403,
                "Your organisation requires two-step verification: set it up by signing in to the web",
                field="otp",
            )
        if not payload.otp or not device.verify_token(payload.otp):
            raise ApiProblem(401, "Enter the current 6-digit code from your authenticator app", field="otp")
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_HOURS)
    with transaction.atomic():
        api_token = ApiToken.objects.create(
            user=user, membership=membership, digest=_digest(token), expires_at=expires
        )
        record_event(
            actor=Actor(user=user, membership=membership),
            action=AuditAction.LOGIN,
            purpose="Issue an API token",
            obj=api_token,
            detail={"expires_at": expires},
        )
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
