"""Form fields that record the basis for sharing a person's details, used wherever a referral is made."""

from __future__ import annotations

from django import forms

from homeward.governance.models import ConsentStatus, LawfulBasis


def sharing_basis_fields(question: str) -> dict[str, forms.Field]:
    """The consent question (yes / no / not asked) and the lawful basis relied on, in that order.
    `governance.services.check_sharing_basis` decides whether the pair is acceptable."""
    select = forms.Select(attrs={"class": "nhsuk-select"})
    return {
        "consent_status": forms.ChoiceField(
            label=question,
            choices=[
                (ConsentStatus.GIVEN, "Yes"),
                (ConsentStatus.REFUSED, "No"),
                (ConsentStatus.NOT_REQUIRED, "Not asked: another lawful basis applies"),
            ],
            widget=select,
        ),
        "lawful_basis": forms.ChoiceField(
            label="Lawful basis for sharing", choices=LawfulBasis.choices, widget=select
        ),
    }
