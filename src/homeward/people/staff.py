"""Running an organisation: organisations, teams, users and memberships. Admins only; audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Membership, Organisation, OrganisationKind, Team, User
from homeward.core.roles import Permission, Role
from homeward.core.validators import validate_ods_code
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

PURPOSE = "Manage staff"


def _check_organisation(
    errors: dict[str, str], *, name: str, kind: str, ods_code: str, exclude_pk: int | None = None
) -> None:
    others = Organisation.objects.all() if exclude_pk is None else Organisation.objects.exclude(pk=exclude_pk)
    if not name.strip():
        errors["name"] = "Enter the organisation's name"
    elif others.filter(name__iexact=name.strip()).exists():
        errors["name"] = "An organisation with this name already exists"
    if kind not in OrganisationKind.values:
        errors["kind"] = "Choose what kind of organisation this is"
    if ods_code:
        try:
            validate_ods_code(ods_code)
        except ValidationError as exc:
            errors["ods_code"] = " ".join(exc.messages)
        if others.filter(ods_code=ods_code).exists():
            errors["ods_code"] = "Another organisation has this ODS code"


@transaction.atomic
def create_organisation(
    *, actor: Actor, name: str, kind: str, ods_code: str = "", requires_two_factor: bool = False
) -> Organisation:
    actor.require(Permission.MANAGE_ORGANISATION)
    errors: dict[str, str] = {}
    ods_code = ods_code.strip().upper()
    _check_organisation(errors, name=name, kind=kind, ods_code=ods_code)
    if errors:
        raise ValidationFailed(errors)
    organisation = Organisation.objects.create(
        name=name.strip(), kind=kind, ods_code=ods_code, requires_two_factor=requires_two_factor
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose=PURPOSE, obj=organisation)
    return organisation


@transaction.atomic
def update_organisation(
    *, actor: Actor, name: str, kind: str, ods_code: str = "", requires_two_factor: bool = False
) -> Organisation:
    """Admins change their own organisation only."""
    actor.require(Permission.MANAGE_ORGANISATION)
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    errors: dict[str, str] = {}
    ods_code = ods_code.strip().upper()
    _check_organisation(errors, name=name, kind=kind, ods_code=ods_code, exclude_pk=organisation.pk)
    if errors:
        raise ValidationFailed(errors)
    organisation.name, organisation.kind, organisation.ods_code = name.strip(), kind, ods_code
    organisation.requires_two_factor = requires_two_factor
    organisation.save()
    record_event(actor=actor, action=AuditAction.UPDATE, purpose=PURPOSE, obj=organisation)
    return organisation


@transaction.atomic
def create_team(*, actor: Actor, name: str, description: str = "") -> Team:
    actor.require(Permission.MANAGE_ORGANISATION)
    if not name.strip():
        raise ValidationFailed.single("name", "Enter the team's name")
    if Team.objects.filter(organisation_id=actor.organisation_id, name__iexact=name.strip()).exists():
        raise ValidationFailed.single("name", "Your organisation already has a team with this name")
    team = Team.objects.create(
        organisation_id=actor.organisation_id, name=name.strip(), description=description.strip()[:500]
    )
    record_event(actor=actor, action=AuditAction.CREATE, purpose=PURPOSE, obj=team)
    return team


def _check_role_and_team(errors: dict[str, str], actor: Actor, role: str, team_id: int | None) -> None:
    if role not in Role.values:
        errors["role"] = "Choose a role"
    if (
        team_id is not None
        and not Team.objects.filter(pk=team_id, organisation_id=actor.organisation_id).exists()
    ):
        errors["team_id"] = "That team is not in your organisation"


@transaction.atomic
def create_user_with_membership(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: str,
    job_title: str = "",
    team_id: int | None = None,
) -> User:
    actor.require(Permission.MANAGE_ORGANISATION)
    errors: dict[str, str] = {}
    username = username.strip()
    if not username:
        errors["username"] = "Enter a username"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "This username is taken"
    if not first_name.strip():
        errors["first_name"] = "Enter their first name"
    if not last_name.strip():
        errors["last_name"] = "Enter their last name"
    _check_role_and_team(errors, actor, role, team_id)
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationFailed(errors)
    candidate.job_title = job_title.strip()[:200]
    candidate.set_password(password)
    candidate.save()
    Membership.objects.create(
        user=candidate, organisation_id=actor.organisation_id, team_id=team_id, role=role
    )
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose=PURPOSE, obj=candidate, detail={"role": role}
    )
    return candidate


@transaction.atomic
def add_membership(*, actor: Actor, user_id: int, role: str, team_id: int | None = None) -> Membership:
    actor.require(Permission.MANAGE_ORGANISATION)
    errors: dict[str, str] = {}
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        errors["user_id"] = "No user with that id"
    _check_role_and_team(errors, actor, role, team_id)
    same = Membership.objects.filter(user_id=user_id, organisation_id=actor.organisation_id, role=role)
    same = same.filter(team__isnull=True) if team_id is None else same.filter(team_id=team_id)
    if not errors and same.exists():
        errors["role"] = "They already have this role in this team"
    if errors:
        raise ValidationFailed(errors)
    membership = Membership.objects.create(
        user_id=user_id, organisation_id=actor.organisation_id, team_id=team_id, role=role
    )
    record_event(
        actor=actor, action=AuditAction.CREATE, purpose=PURPOSE, obj=membership, detail={"role": role}
    )
    return membership


@transaction.atomic
def deactivate_membership(*, actor: Actor, membership_id: int) -> Membership:
    actor.require(Permission.MANAGE_ORGANISATION)
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, organisation_id=actor.organisation_id)
        .first()
    )
    if membership is None:
        raise NotFound("No membership with that id in your organisation")
    if membership.role == Role.ADMIN:
        other_admins = Membership.objects.filter(
            organisation_id=actor.organisation_id, role=Role.ADMIN, is_active=True
        ).exclude(pk=membership.pk)
        if not other_admins.exists():
            raise ValidationFailed.single(
                "membership", "This is the organisation's last administrator: add another administrator first"
            )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record_event(
        actor=actor, action=AuditAction.UPDATE, purpose=PURPOSE, obj=membership, detail={"is_active": False}
    )
    return membership
