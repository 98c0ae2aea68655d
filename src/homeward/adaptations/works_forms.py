"""Forms for the schedule of works, quotes, the contractor and variations: they parse; `works` decides."""

from __future__ import annotations

from django import forms

from homeward.adaptations.codes import WorkKind
from homeward.adaptations.forms import SELECT, TEXT, _date, _money
from homeward.core.validators import CleanForm

NUMBER = forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "decimal"})


class WorkItemForm(CleanForm):
    kind = forms.ChoiceField(label="Kind", choices=WorkKind.choices, widget=SELECT)
    description = forms.CharField(
        label="Item",
        max_length=200,
        help_text="For example, level-access shower tray and screen",
        widget=TEXT,
    )
    quantity = forms.DecimalField(
        label="Quantity", min_value=0, max_value=10_000, decimal_places=2, max_digits=7, widget=NUMBER
    )
    unit_price = _money("Price each (£)", required=True)


class QuoteForm(CleanForm):
    contractor = forms.CharField(label="Contractor", max_length=200, widget=TEXT)
    amount = _money("Quote for the works (£)", required=True)
    received_on = _date("Date the quote was received", required=True)
    note = forms.CharField(label="Note", required=False, max_length=500, widget=TEXT)


class ChooseForm(CleanForm):
    quote_id = forms.IntegerField(label="Quote", min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why this contractor?",
        required=False,
        max_length=500,
        help_text="Needed when the quote is not the cheapest",
        widget=TEXT,
    )


class VariationForm(CleanForm):
    description = forms.CharField(label="What changes in the works?", max_length=200, widget=TEXT)
    amount = forms.DecimalField(
        label="Change in cost (£)",
        min_value=-1_000_000,
        max_value=1_000_000,
        decimal_places=2,
        max_digits=9,
        help_text="A reduction is negative, for example -150.00",
        widget=NUMBER,
    )
    reason = forms.CharField(
        label="Why?",
        max_length=500,
        help_text="For example, rotten joists found under the bathroom floor",
        widget=TEXT,
    )
    agreed_on = _date("Date the variation was agreed", required=True)
