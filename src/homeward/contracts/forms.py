"""Forms for outcome contracts: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.contracts.codes import ClaimStatus, PayableOutcome
from homeward.core.models import Organisation
from homeward.core.validators import CleanForm
from homeward.governance.access import Actor

SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
MONEY = forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "step": "0.01"})
NUMBER = forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"})


class ContractForm(CleanForm):
    reference = forms.CharField(max_length=40, widget=TEXT)
    title = forms.CharField(max_length=200, widget=TEXT)
    provider = forms.ModelChoiceField(label="Provider", queryset=Organisation.objects.none(), widget=SELECT)
    start_date = forms.DateField(
        label="Outcomes count from", help_text="For example, 01/04/2026", widget=DATE
    )
    end_date = forms.DateField(label="Outcomes count until", widget=DATE)
    total_cap = forms.DecimalField(
        label="Cap on all payments (£)", min_value=0, decimal_places=2, widget=MONEY
    )
    person_cap = forms.DecimalField(
        label="Cap on payments for any one person (£)",
        required=False,
        min_value=0,
        decimal_places=2,
        widget=MONEY,
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(pk=actor.organisation_id).order_by("name")


class LineForm(CleanForm):
    outcome = forms.ChoiceField(choices=PayableOutcome.choices, widget=SELECT)
    price = forms.DecimalField(label="Price (£)", min_value=0, decimal_places=2, widget=MONEY)
    threshold = forms.DecimalField(
        label="Smallest gain that counts",
        required=False,
        decimal_places=2,
        widget=MONEY,
        help_text="Wellbeing gains only, e.g. 3 points of SWEMWBS",
    )
    per_person = forms.IntegerField(label="Most payments per person", initial=1, widget=NUMBER)
    max_claims = forms.IntegerField(label="Most payments in all", required=False, widget=NUMBER)
    evidence = forms.CharField(label="Evidence required", max_length=500, widget=TEXT)
    claim_within_days = forms.IntegerField(
        label="Claim within (days of the outcome)", initial=90, widget=NUMBER
    )


class ReviewForm(CleanForm):
    decision = forms.ChoiceField(
        choices=[(ClaimStatus.APPROVED, "Approve"), (ClaimStatus.REJECTED, "Reject")], widget=SELECT
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", "placeholder": "Note (needed to reject)"}
        ),
    )
