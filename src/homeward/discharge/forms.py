"""Forms for Hospital to Home pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone

from homeward.core.models import Hospital, Organisation, OrganisationKind, Ward
from homeward.core.validators import CleanForm
from homeward.discharge.codes import BlockerCategory, CaseStatus, Destination, Pathway, Setting
from homeward.discharge.models import REQUIRED_DOMAINS, AssessmentDomain, ScreenItem
from homeward.discharge.selectors import housing_teams
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.forms import sharing_basis_fields

DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
SELECT = forms.Select(attrs={"class": "nhsuk-select"})


class ReferralForm(CleanForm):
    hospital = forms.ModelChoiceField(queryset=Hospital.objects.none(), widget=SELECT)
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, widget=SELECT)
    setting = forms.ChoiceField(label="Referred from", choices=Setting.choices, widget=SELECT)
    admitted_on = forms.DateField(label="Admission date", help_text="For example, 31/03/2026", widget=DATE)
    discharge_ready_on = forms.DateField(
        label="Discharge-ready date",
        required=False,
        widget=DATE,
        help_text="When the patient is (or is expected to be) medically optimised, if known",
    )
    pathway = forms.ChoiceField(
        label="Discharge pathway",
        required=False,
        choices=[("", "Not known yet"), *Pathway.choices],
        widget=SELECT,
    )
    referral_reason = forms.CharField(
        label="Why does the patient need the housing team?",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    housing_organisation = forms.ModelChoiceField(
        label="Refer to", queryset=Organisation.objects.none(), widget=SELECT
    )
    second_case_reason = forms.CharField(
        label="Why is a second case right?",
        required=False,
        max_length=500,
        help_text="Only if the patient already has an open case: for example, a different admission",
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            sharing_basis_fields(
                "Has the patient agreed to their information being shared with the housing team?"
            )
        )
        hospitals = Hospital.objects.filter(organisation_id=actor.organisation_id)
        agreements = agreements_in_force().filter(parties=actor.organisation_id)
        querysets: dict[str, Any] = {
            "hospital": hospitals,
            "ward": Ward.objects.filter(hospital__in=hospitals).select_related("hospital"),
            "housing_organisation": housing_teams()
            .filter(agreements__in=agreements)
            .exclude(pk=actor.organisation_id)
            .distinct()
            .order_by("name"),
        }
        for name, queryset in querysets.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
            # Save a click on a ward at 3 a.m.: when there is only one choice, choose it.
            only = list(queryset[:2])
            if len(only) == 1:
                self.fields[name].initial = only[0].pk
        self.fields["admitted_on"].initial = timezone.localdate()


class ScreenForm(CleanForm):
    items = forms.MultipleChoiceField(
        label="Which of these apply?",
        choices=ScreenItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    landlord = forms.CharField(
        label="Landlord (if a tenant)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )
    notes = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
    )


class BlockerForm(CleanForm):
    category = forms.ChoiceField(choices=BlockerCategory.choices, widget=SELECT)
    description = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"class": "nhsuk-input"}))
    due_on = forms.DateField(label="Due date", widget=DATE)


class ResolveForm(CleanForm):
    resolution = forms.CharField(
        label="How was it resolved?", max_length=500, widget=forms.TextInput(attrs={"class": "nhsuk-input"})
    )


class DelayReasonForm(CleanForm):
    """The NHS delay reason override on a delayed case (no reason: remove the override)."""

    reason = forms.IntegerField(required=False, label="Reason", min_value=1, max_value=2**31 - 1)
    starts_on = forms.DateField(
        required=False, label="From (default today)", input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    note = forms.CharField(required=False, label="Why", max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "delay-reason-%s")  # ids of their own on a case page of many forms
        super().__init__(*args, **kwargs)


class DecideAssessmentForm(CleanForm):
    """A care provider's answer to a trusted assessment (the two buttons carry the decision)."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    decision_note = forms.CharField(
        label="Note (required if you decline)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )


class FollowUpDoneForm(CleanForm):
    outcome = forms.CharField(
        label="What came of it?", max_length=500, widget=forms.TextInput(attrs={"class": "nhsuk-input"})
    )


class CorrectEndingForm(CleanForm):
    """Why an ending (died, cancelled, closed) was recorded in error: it goes on the timeline."""

    reason = forms.CharField(
        label="Why was it wrong?",
        max_length=500,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2, "id": "correction-reason"}),
    )


class TransitionForm(CleanForm):
    to_status = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    died_on = forms.DateField(label="Date of death", required=False, widget=DATE)
    discharge_ready_on = forms.DateField(required=False, widget=DATE)
    discharged_on = forms.DateField(required=False, widget=DATE)
    destination = forms.ChoiceField(
        required=False, choices=[("", "Choose"), *Destination.choices], widget=SELECT
    )


class FrequentAttenderFilter(CleanForm):
    threshold = forms.IntegerField(
        label="At least this many attendances",
        required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    months = forms.IntegerField(
        label="In the last (months)",
        required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    hospital = forms.ModelChoiceField(queryset=Hospital.objects.none(), required=False, widget=SELECT)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["hospital"])
        field.queryset = Hospital.objects.filter(organisation_id=actor.organisation_id)
        field.empty_label = "All hospitals"
        self.fields["threshold"].initial, self.fields["months"].initial = settings.HOMEWARD_FREQUENT_ATTENDER


class TrustedAssessmentForm(CleanForm):
    """The trusted assessor's assessment, by the domains a care provider needs to decide."""

    care_provider = forms.ModelChoiceField(
        label="Care provider", queryset=Organisation.objects.none(), widget=SELECT
    )
    assessed_on = forms.DateField(label="Date assessed", widget=DATE)
    risks = forms.CharField(
        label="Risks and how they are managed",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
    )

    def __init__(self, *args: Any, case_organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreements = agreements_in_force().filter(parties=case_organisation_id)
        cast(forms.ModelChoiceField, self.fields["care_provider"]).queryset = (
            Organisation.objects.filter(agreements__in=agreements, kind=OrganisationKind.CARE_PROVIDER)
            .distinct()
            .order_by("name")
        )
        self.fields["assessed_on"].initial = timezone.localdate()
        for domain in AssessmentDomain:
            self.fields[f"domain_{domain.value}"] = forms.CharField(
                label=domain.label,
                required=domain in REQUIRED_DOMAINS,
                max_length=1000,
                widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
            )

    def domains(self) -> dict[str, str]:
        return {d.value: self.cleaned_data.get(f"domain_{d.value}", "") for d in AssessmentDomain}
