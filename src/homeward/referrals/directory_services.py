"""Writes to the service directory: a provider's referral settings, and importing a directory file."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.roles import Permission, Role
from homeward.core.validators import control_characters_in
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.referrals import openreferral
from homeward.referrals.directory import get_service
from homeward.referrals.models import Service


def can_manage_service(actor: Actor, service: Service) -> bool:
    """The provider's own administrators and team leads set whether and how fast it takes referrals."""
    provider = service.organisation.organisation_id if service.organisation else None
    return provider == actor.organisation_id and (
        actor.can(Permission.MANAGE_ORGANISATION) or actor.role == Role.TEAM_LEAD
    )


@transaction.atomic
def update_service_settings(
    *,
    actor: Actor,
    service_id: str,
    accepts_referrals: bool,
    capacity: int | None,
    acknowledge_within_days: int,
) -> Service:
    service = get_service(service_id)
    if not can_manage_service(actor, service):
        raise NotAllowed("Only the provider's administrators and team leads can change these settings")
    errors: dict[str, str] = {}
    if capacity is not None and capacity < 0:
        errors["capacity"] = "Capacity cannot be negative"
    if not 1 <= acknowledge_within_days <= 20:
        errors["acknowledge_within_days"] = "Between 1 and 20 working days"
    if accepts_referrals and service.organisation and service.organisation.organisation_id is None:
        errors["accepts_referrals"] = "Link the provider to a Homeward organisation first"
    if errors:
        raise ValidationFailed(errors)
    service.accepts_referrals = accepts_referrals
    service.capacity = capacity
    service.acknowledge_within_days = acknowledge_within_days
    service.save(update_fields=["accepts_referrals", "capacity", "acknowledge_within_days"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Change a directory service's referral settings",
        obj=service,
        detail={"accepts_referrals": accepts_referrals, "capacity": capacity, "sla": acknowledge_within_days},
    )
    return service


def parse_directory_file(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationFailed.single("file", "The file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ValidationFailed.single(
            "file", f"Not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc


def import_directory(*, actor: Actor | None, payload: Any) -> int:
    """Import Open Referral UK services all-or-nothing (actor None: the command line, run by an operator)."""
    if actor is not None and not actor.can(Permission.MANAGE_ORGANISATION):
        raise NotAllowed("Only administrators can import the directory")
    if problems := control_characters_in(payload, multiline_keys=("description", "note")):
        raise ValidationFailed(problems)
    count = openreferral.import_services(payload)
    if actor is not None:
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            purpose="Import the service directory (Open Referral UK)",
            detail={"services": count},
        )
    return count
