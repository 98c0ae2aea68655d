"""Sets `request.actor` (user + active membership) and enforces an organisation's two-factor rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from homeward.core.models import Membership, User
from homeward.governance.access import Actor

SESSION_KEY = "membership_id"
_TWO_FACTOR_EXEMPT = ("/account/", "/static/", "/api/", "/admin/")


def active_membership(request: HttpRequest) -> Membership | None:
    """The membership chosen in this session, else the user's first. Every active membership is kept on
    the request (`request.memberships`, for the organisation switcher): one query a page, not two."""
    user = cast(User, request.user)
    memberships = list(
        Membership.objects.select_related("organisation", "team", "user")
        .filter(user=user, is_active=True)
        .order_by("pk")
    )
    request.memberships = memberships  # type: ignore[attr-defined]
    chosen = request.session.get(SESSION_KEY)
    return next((m for m in memberships if m.pk == chosen), memberships[0] if memberships else None)


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            membership = active_membership(request)
            if membership is not None:
                request.actor = Actor(user=membership.user, membership=membership)  # type: ignore[attr-defined]
                verified = request.user.is_verified()  # type: ignore[union-attr,attr-defined]  # django-otp adds it
                needs_code = membership.organisation.requires_two_factor and not verified
                if needs_code and not request.path.startswith(_TWO_FACTOR_EXEMPT):
                    return redirect("web:two_factor")
        return self.get_response(request)
