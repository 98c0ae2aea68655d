"""Forms of the linkage pages."""

from __future__ import annotations

from django import forms

from homeward.core.validators import CleanForm
from homeward.linkage.codes import ReviewDecision


class DecisionForm(CleanForm):
    decision = forms.ChoiceField(
        label="Are these the same person?",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
    )
    note = forms.CharField(
        label="Note (required when you are unsure)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )


class ThresholdsForm(CleanForm):
    upper = forms.FloatField(
        label="Link at or above (match probability)",
        min_value=0.5,
        max_value=0.999,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5", "step": "0.001"}),
    )
    lower = forms.FloatField(
        label="Review at or above (below this, pairs are dropped)",
        min_value=0.01,
        max_value=0.99,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5", "step": "0.001"}),
    )
