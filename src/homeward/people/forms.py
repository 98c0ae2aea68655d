"""Forms for pages. They only parse; services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.models import ContactPreference
from homeward.core.validators import CleanForm
from homeward.governance.models import Article9Condition, ConsentPurpose, ConsentStatus, LawfulBasis

_INPUT = {"class": "nhsuk-input"}


def _text(label: str, *, required: bool = False, width: int | None = None, **kwargs: Any) -> forms.CharField:
    css = "nhsuk-input" + (f" nhsuk-input--width-{width}" if width else "")
    return forms.CharField(
        label=label, required=required, widget=forms.TextInput(attrs={"class": css}), **kwargs
    )


class PersonForm(CleanForm):
    given_name = _text("First name", required=True, max_length=100)
    family_name = _text("Last name", required=True, max_length=100)
    preferred_name = _text("Preferred name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 31/03/1950",
        widget=forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y"),
    )
    nhs_number = _text("NHS number", width=10, max_length=12, help_text="10 digits, for example 943 476 5919")
    address_line_1 = _text("Address line 1", max_length=200)
    address_line_2 = _text("Address line 2", max_length=200)
    town = _text("Town or city", max_length=100, width=20)
    postcode = _text("Postcode", width=10, max_length=8)
    uprn = _text("UPRN", width=20, max_length=12, help_text="Unique Property Reference Number, if known")
    phone = _text("Phone", width=20, max_length=20)
    email = forms.EmailField(label="Email", required=False, widget=forms.EmailInput(attrs=_INPUT))
    contact_preference = forms.ChoiceField(
        label="How they prefer to be contacted",
        required=False,
        choices=[("", "Not known"), *ContactPreference.choices],
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    preferred_language = _text("Preferred language", width=20, max_length=60)
    interpreter_required = forms.BooleanField(label="Needs an interpreter", required=False)
    accessibility_needs = forms.CharField(
        label="Accessibility or communication needs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class ConsentForm(CleanForm):
    purpose = forms.ChoiceField(
        choices=ConsentPurpose.choices, widget=forms.Select(attrs={"class": "nhsuk-select"})
    )
    status = forms.ChoiceField(
        label="Decision",
        choices=[c for c in ConsentStatus.choices if c[0] != ConsentStatus.WITHDRAWN],
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis (UK GDPR Article 6)",
        choices=LawfulBasis.choices,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    article9_condition = forms.ChoiceField(
        label="Condition for health data (Article 9)",
        required=False,
        choices=Article9Condition.choices,
        widget=forms.Select(attrs={"class": "nhsuk-select"}),
    )
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
    )


class WithdrawForm(CleanForm):
    reason = forms.CharField(
        label="Why was consent withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class DecisionForm(CleanForm):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    note = forms.CharField(
        label="Note for the organisation that proposed it",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
    )


class MergeForm(CleanForm):
    """Merge two records (this page's and `other`): which stays (the survivor; the other is folded into
    it), and why."""

    survivor = forms.IntegerField(
        label="Record that stays", min_value=1, max_value=2**63 - 1, widget=forms.RadioSelect
    )
    other = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are these the same person?",
        max_length=500,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class SplitForm(CleanForm):
    reason = forms.CharField(
        label="Why are these two different people?",
        max_length=500,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
    )
