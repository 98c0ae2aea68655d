"""Forms for caseload pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from homeward.core.models import User
from homeward.core.roles import ROLE_PERMISSIONS, Permission
from homeward.core.validators import CleanForm
from homeward.governance.access import Actor
from homeward.support.codes import (
    CaseKind,
    ContactMethod,
    DischargeReason,
    GoalStatus,
    RootCause,
    Route,
    Timepoint,
)
from homeward.support.wellbeing import Tool

SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXTAREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 4})
DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
NUMBER = forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"})
DATE_HINT = "For example, 31/03/2026"


def _today() -> Any:
    return timezone.localdate()


def workers(actor: Actor) -> Any:
    """People in the actor's organisation who may hold a caseload."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Permission.EDIT_PERSON in perms]
    return (
        User.objects.filter(
            memberships__organisation_id=actor.organisation_id,
            memberships__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


class WorkerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class OpenCaseForm(CleanForm):
    kind = forms.ChoiceField(label="Kind of support", choices=CaseKind.choices, widget=SELECT)
    route = forms.ChoiceField(label="Who referred them?", choices=Route.choices, widget=SELECT)
    referred_on = forms.DateField(label="Date referred", help_text=DATE_HINT, widget=DATE, initial=_today)
    worker = WorkerField(label="Worker", queryset=User.objects.none(), required=False, widget=SELECT)
    attendances_before = forms.IntegerField(
        label="A&E attendances in the last 12 months (key work)", required=False, widget=NUMBER
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers(actor)
        field.initial = actor.user.pk


class WorkerForm(CleanForm):
    worker = WorkerField(label="Worker", queryset=User.objects.none(), required=False, widget=SELECT)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers(actor)


class ContactForm(CleanForm):
    occurred_on = forms.DateField(label="Date", help_text=DATE_HINT, widget=DATE, initial=_today)
    method = forms.ChoiceField(label="How", choices=ContactMethod.choices, widget=SELECT)
    minutes = forms.IntegerField(label="Minutes", initial=30, widget=NUMBER)
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=TEXTAREA)


class WhatMattersForm(CleanForm):
    what_matters = forms.CharField(label="What matters to me", max_length=4000, widget=TEXTAREA)
    what_matters_on = forms.DateField(
        label="Date of the conversation", help_text=DATE_HINT, widget=DATE, initial=_today
    )


class GoalForm(CleanForm):
    description = forms.CharField(
        label="New goal, in their words",
        max_length=500,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )


class GoalStatusForm(CleanForm):
    status = forms.ChoiceField(choices=GoalStatus.choices, widget=SELECT)


class RootCausesForm(CleanForm):
    root_causes = forms.MultipleChoiceField(
        label="What lies behind it",
        required=False,
        choices=RootCause.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    attendances_before = forms.IntegerField(
        label="A&E attendances in the 12 months before", required=False, widget=NUMBER
    )


class DischargeForm(CleanForm):
    reason = forms.ChoiceField(label="Why", choices=DischargeReason.choices, widget=SELECT)
    discharged_on = forms.DateField(label="Date", help_text=DATE_HINT, widget=DATE, initial=_today)
    note = forms.CharField(
        label="Note for the referrer",
        required=False,
        max_length=2000,
        widget=TEXTAREA,
        help_text="The organisation that referred them sees this with the outcome",
    )


class MeasureForm(CleanForm):
    """One questionnaire: a select per question (the tool's range), the timepoint and the date."""

    timepoint = forms.ChoiceField(label="When", choices=Timepoint.choices, widget=SELECT)
    recorded_on = forms.DateField(label="Date completed", help_text=DATE_HINT, widget=DATE, initial=_today)

    def __init__(self, *args: Any, tool: Tool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        choices = [("", "Choose")] + [(str(n), str(n)) for n in range(tool.low, tool.high + 1)]
        for item in tool.items:
            # Required is checked by the service, so every missing answer is named at once.
            self.fields[item.key] = forms.ChoiceField(
                label=item.text, choices=choices, required=False, widget=SELECT
            )

    def answers(self) -> dict[str, Any]:
        return {item.key: self.cleaned_data.get(item.key, "") for item in self.tool.items}
