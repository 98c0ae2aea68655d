"""Forms for prevention pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.models import Person, Tenancy
from homeward.core.validators import CleanForm
from homeward.housing.codes import PeoplePlaceHelp
from homeward.prevention.codes import AlertDecision, ConcernCategory, TriageDecision, Urgency


class ConcernForm(CleanForm):
    """Under 30 seconds on a phone: what kind, what you saw, how soon."""

    category = forms.ChoiceField(
        label="What are you worried about?",
        choices=ConcernCategory.choices,
        widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
    )
    seen = forms.CharField(
        label="What did you see or hear?",
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    urgency = forms.ChoiceField(
        label="How soon should someone act?",
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
    )
    tenancy = forms.ModelChoiceField(
        label="Tenancy",
        queryset=Tenancy.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tenancy"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Tenancy.objects.filter(person=person).select_related("property")
        field.empty_label = "Not about a tenancy"
        only = list(field.queryset[:2])
        if len(only) == 1:
            field.initial = only[0].pk


class TriageForm(CleanForm):
    decision = forms.ChoiceField(
        label="Triage", choices=TriageDecision.choices, widget=forms.Select(attrs={"class": "nhsuk-select"})
    )
    note = forms.CharField(
        label="Note (required for no action)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )


class DecideAlertForm(CleanForm):
    decision = forms.ChoiceField(
        label="What will the team do?", choices=AlertDecision.choices, widget=forms.RadioSelect
    )
    help = forms.MultipleChoiceField(
        label="People and place case: what help does the tenant need?",
        choices=PeoplePlaceHelp.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Note (required for no action or a false alarm)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )


class RulesForm(CleanForm):
    text = forms.CharField(
        label="Trigger rules (YAML)",
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea hw-code", "rows": 24, "spellcheck": "false"}),
    )
    threshold = forms.FloatField(
        label="Raise an alert at (points)",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"}),
    )
