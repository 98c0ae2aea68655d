"""Sign-ins and failed sign-ins go into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(
        actor=None,
        action=AuditAction.LOGIN,
        purpose="Sign in",
        username=user.username,
        detail={"user_id": user.pk},
    )


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    record_event(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        purpose="Failed sign-in",
        username=str(credentials.get("username", ""))[:150],
    )
