"""Running an organisation (admins): organisations, teams, users and memberships."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Membership, Organisation, OrganisationKind, Team, User
from homeward.core.roles import Permission, Role
from homeward.core.validators import CleanForm
from homeward.governance.routes import no_personal_data
from homeward.people import staff
from homeward.web.views import ActorRequest, actor_required, need, render_form, save_form

ADMINS_ONLY = "Only your organisation's administrators can manage staff"
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
SELECT = forms.Select(attrs={"class": "nhsuk-select"})


class OrganisationForm(CleanForm):
    name = forms.CharField(max_length=200, widget=TEXT)
    kind = forms.ChoiceField(choices=OrganisationKind.choices, widget=SELECT)
    ods_code = forms.CharField(label="ODS code", required=False, max_length=10, widget=TEXT)
    requires_two_factor = forms.BooleanField(label="Staff must use two-step verification", required=False)


class TeamForm(CleanForm):
    name = forms.CharField(max_length=200, widget=TEXT)
    description = forms.CharField(required=False, max_length=500, widget=TEXT)


class UserForm(CleanForm):
    username = forms.CharField(max_length=150, widget=TEXT)
    first_name = forms.CharField(max_length=150, widget=TEXT)
    last_name = forms.CharField(max_length=150, widget=TEXT)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "nhsuk-input"}))
    job_title = forms.CharField(required=False, max_length=200, widget=TEXT)
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput(attrs={"class": "nhsuk-input"}),
        help_text="At least 10 characters; they should change it after signing in",
    )
    role = forms.ChoiceField(choices=Role.choices, widget=SELECT)
    team_id = forms.ModelChoiceField(
        label="Team", required=False, queryset=Team.objects.none(), widget=SELECT
    )


class MembershipForm(CleanForm):
    role = forms.ChoiceField(choices=Role.choices, widget=SELECT)
    team_id = forms.ModelChoiceField(
        label="Team", required=False, queryset=Team.objects.none(), widget=SELECT
    )


def _teams(request: ActorRequest, form: UserForm | MembershipForm) -> None:
    field = form.fields["team_id"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = Team.objects.filter(organisation_id=request.actor.organisation_id)


def _team_id(data: dict[str, object]) -> int | None:
    team = data.pop("team_id", None)
    return team.pk if isinstance(team, Team) else None


@actor_required
@no_personal_data("organisation directory")
def organisations(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    return render(request, "people/staff/organisations.html", {"organisations": Organisation.objects.all()})


@actor_required
@no_personal_data("organisation details, teams and staff")
def organisation(request: ActorRequest, organisation_id: int) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    found = Organisation.objects.filter(pk=organisation_id).first()
    if found is None:
        raise Http404("No organisation with that id")
    own = found.pk == request.actor.organisation_id
    context = {
        "organisation": found,
        "own": own,
        "teams": found.teams.all(),
        "hospitals": found.hospitals.prefetch_related("wards"),
        "memberships": found.memberships.select_related("user", "team") if own else [],
    }
    return render(request, "people/staff/organisation.html", context)


@actor_required
@no_personal_data("creates an organisation")
def organisation_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    form = OrganisationForm(request.POST or None)
    created = save_form(request, form, lambda data: staff.create_organisation(actor=request.actor, **data))
    if created is not None:
        messages.info(request, f"{created.name} added")
        return redirect("staff:organisation", organisation_id=created.pk)
    return render_form(request, "people/staff/form.html", {"form": form, "title": "Add an organisation"})


@actor_required
@no_personal_data("edits the admin's own organisation")
def organisation_edit(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    org = request.actor.organisation
    initial = {
        "name": org.name,
        "kind": org.kind,
        "ods_code": org.ods_code,
        "requires_two_factor": org.requires_two_factor,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    saved = save_form(request, form, lambda data: staff.update_organisation(actor=request.actor, **data))
    if saved is not None:
        messages.info(request, "Organisation saved")
        return redirect("staff:organisation", organisation_id=org.pk)
    return render_form(request, "people/staff/form.html", {"form": form, "title": f"Change {org.name}"})


@actor_required
@no_personal_data("creates a team")
def team_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    form = TeamForm(request.POST or None)
    if save_form(request, form, lambda data: staff.create_team(actor=request.actor, **data)) is not None:
        messages.info(request, "Team added")
        return redirect("staff:organisation", organisation_id=request.actor.organisation_id)
    return render_form(request, "people/staff/form.html", {"form": form, "title": "Add a team"})


@actor_required
@no_personal_data("staff directory of the admin's organisation")
def users(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    members = (
        Membership.objects.filter(organisation_id=request.actor.organisation_id)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name")
    )
    return render(request, "people/staff/users.html", {"memberships": members})


@actor_required
@no_personal_data("creates a member of staff")
def user_new(request: ActorRequest) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    form = UserForm(request.POST or None)
    _teams(request, form)

    def create(data: dict[str, Any]) -> User:
        return staff.create_user_with_membership(actor=request.actor, team_id=_team_id(data), **data)

    created = save_form(request, form, create)
    if created is not None:
        messages.info(request, f"{created.display_name} can now sign in as {created.username}")
        return redirect("staff:users")
    return render_form(request, "people/staff/form.html", {"form": form, "title": "Add a member of staff"})


@actor_required
@no_personal_data("gives a member of staff another role")
def membership_new(request: ActorRequest, user_id: int) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    user = User.objects.filter(pk=user_id, memberships__organisation_id=request.actor.organisation_id).first()
    if user is None:
        raise Http404("No such member of staff in your organisation")
    form = MembershipForm(request.POST or None)
    _teams(request, form)

    def add(data: dict[str, Any]) -> Membership:
        team_id = _team_id(data)
        return staff.add_membership(
            actor=request.actor, user_id=user.pk, team_id=team_id, role=str(data["role"])
        )

    if save_form(request, form, add) is not None:
        messages.info(request, "Role added")
        return redirect("staff:users")
    title = f"Add a role for {user.display_name}"
    return render_form(request, "people/staff/form.html", {"form": form, "title": title})


@require_POST
@actor_required
@no_personal_data("ends a member of staff's role")
def membership_deactivate(request: ActorRequest, membership_id: int) -> HttpResponse:
    need(request, Permission.MANAGE_ORGANISATION, ADMINS_ONLY, hide=False)
    try:
        staff.deactivate_membership(actor=request.actor, membership_id=membership_id)
        messages.info(request, "Role ended: they can no longer act in it")
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except ValidationFailed as exc:
        messages.error(request, " ".join(exc.errors.values()))
    return redirect("staff:users")
