"""The actor behind an authenticated API request (set by the bearer-token auth)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from homeward.governance.access import Actor


def actor_of(request: HttpRequest) -> Actor:
    return cast(Actor, request.auth)  # type: ignore[attr-defined]  # ninja stores what auth returned
