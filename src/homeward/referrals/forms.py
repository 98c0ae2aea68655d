"""Forms for referral pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.models import Organisation
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.forms import sharing_basis_fields
from homeward.referrals.codes import Outcome, ServiceKind, Urgency

SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXTAREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})


class SendReferralForm(forms.Form):
    service_kind = forms.ChoiceField(label="Service", choices=ServiceKind.choices, widget=SELECT)
    to_organisation = forms.ModelChoiceField(
        label="Refer to",
        queryset=Organisation.objects.none(),
        widget=SELECT,
        help_text="Organisations you have a data-sharing agreement in force with",
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, widget=SELECT)
    reason = forms.CharField(
        label="What does the person need from the service?", max_length=2000, widget=TEXTAREA
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            sharing_basis_fields("Has the person agreed to this referral and to their details being shared?")
        )
        agreements = agreements_in_force().filter(parties=actor.organisation_id)
        field = self.fields["to_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.filter(agreements__in=agreements)
            .exclude(pk=actor.organisation_id)
            .distinct()
            .order_by("name")
        )


class MoveReferralForm(forms.Form):
    to_status = forms.CharField(max_length=20)
    reason = forms.CharField(required=False, max_length=500)
    outcome = forms.ChoiceField(required=False, choices=[("", "Choose an outcome"), *Outcome.choices])
    outcome_note = forms.CharField(required=False, max_length=2000)
