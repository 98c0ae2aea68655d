"""Sign in (Argon2, lockout by django-axes), sign out, organisation switcher, two-factor set-up."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import cast

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.core.models import Membership, User
from homeward.core.validators import CleanForm
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.governance.routes import no_personal_data
from homeward.web.middleware import SESSION_KEY
from homeward.web.views import actor_required


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


sign_in = no_personal_data("sign-in form")(SignInView.as_view())
sign_out = no_personal_data("sign-out")(auth_views.LogoutView.as_view(next_page="web:login"))


@no_personal_data("lockout notice")
def locked_out(
    request: HttpRequest, credentials: dict[str, object] | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """django-axes calls this for a locked account, on pages and on the API alike."""
    username = (credentials or {}).get("username", "")
    record_event(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        purpose="Account locked after repeated failures",
        username=str(username)[:150],
        detail={"locked": True},
    )
    if request.path.startswith("/api/"):
        message = "This account is locked after repeated failed sign-ins; try again in 30 minutes"
        body = {
            "type": "about:blank",
            "title": message,
            "status": 429,
            "detail": message,
            "errors": [{"field": "username", "message": message}],
        }
        return JsonResponse(body, status=429, content_type="application/problem+json")
    return render(request, "web/locked_out.html", status=429)


@require_POST
@actor_required
@no_personal_data("switches the active organisation")
def switch_organisation(request: HttpRequest) -> HttpResponse:
    membership = Membership.objects.filter(
        pk=request.POST.get("membership_id") or 0, user=cast(User, request.user), is_active=True
    ).first()
    if membership is None:
        messages.error(request, "You are not a member of that organisation")
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.info(request, f"You are now working as {membership}")
    return redirect("web:home")


class CodeForm(CleanForm):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input nhsuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
            }
        ),
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@actor_required
@no_personal_data("two-factor set-up and check")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or enter a TOTP code, as the organisation requires."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", "Too many wrong codes in a row. Wait a few seconds, then enter the newest code"
            )
        elif device.verify_token(form.cleaned_data["code"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("web:home")
        else:
            form.add_error(
                "code", "That code is not right. Check the time on your phone and try the newest code"
            )
    context = {"form": form, "setting_up": not device.confirmed}
    if not device.confirmed:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "web/two_factor.html", context)
