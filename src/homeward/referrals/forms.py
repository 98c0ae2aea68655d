"""Forms for referral pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.core.models import Organisation
from homeward.core.validators import CleanForm
from homeward.governance.access import Actor, agreements_in_force
from homeward.governance.fields import field_group_choices
from homeward.governance.forms import sharing_basis_fields
from homeward.referrals.codes import Outcome, ServiceKind, Urgency
from homeward.referrals.models import Service

SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXTAREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})


class SendReferralForm(CleanForm):
    service = forms.UUIDField(required=False, widget=forms.HiddenInput)
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
    shared_fields = forms.MultipleChoiceField(
        label="What else to share",
        required=False,
        choices=field_group_choices(),
        initial=["date_of_birth", "contact", "access_needs"],
        help_text="They always see the person's name and what you wrote above. Share only what they need.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )

    def __init__(self, *args: Any, actor: Actor, service: Service | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if service is not None:
            self.fields["service"].initial = service.pk
            self.fields["to_organisation"].required = False
            self.fields["to_organisation"].widget = forms.HiddenInput()
            # The directory names the service; the kind only matters for referrals to an organisation.
            self.fields["service_kind"].initial = ServiceKind.OTHER
            self.fields["service_kind"].widget = forms.HiddenInput()
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


class MoveReferralForm(CleanForm):
    to_status = forms.CharField(max_length=20)
    reason = forms.CharField(required=False, max_length=500)
    outcome = forms.ChoiceField(required=False, choices=[("", "Choose an outcome"), *Outcome.choices])
    outcome_note = forms.CharField(required=False, max_length=2000)


class DirectorySearchForm(CleanForm):
    """Search the directory by need, place, eligibility and opening (a GET form; every part optional)."""

    text = forms.CharField(
        label="Words to look for",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )
    need = forms.ChoiceField(label="Need", required=False, widget=SELECT)
    postcode = forms.CharField(
        label="Near postcode",
        required=False,
        max_length=10,
        help_text="A full postcode or a district, e.g. M14 5TQ or M14",
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "autocomplete": "off"}),
    )
    within_km = forms.FloatField(
        label="Within (km)",
        required=False,
        initial=5,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "step": "0.5"}),
    )
    age = forms.IntegerField(
        label="Age of the person",
        required=False,
        help_text="Shows services open to this age",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"}),
    )
    eligibility = forms.ChoiceField(label="Who it is for", required=False, widget=SELECT)
    open_now = forms.BooleanField(label="Open now", required=False)
    accepts_referrals = forms.BooleanField(label="Takes referrals through Homeward", required=False)

    def __init__(
        self, *args: Any, needs: list[tuple[str, str]], eligibility: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        need_field = self.fields["need"]
        eligibility_field = self.fields["eligibility"]
        assert isinstance(need_field, forms.ChoiceField) and isinstance(eligibility_field, forms.ChoiceField)
        need_field.choices = [("", "Any need"), *needs]
        eligibility_field.choices = [("", "Anyone"), *eligibility]


class ServiceSettingsForm(CleanForm):
    accepts_referrals = forms.BooleanField(label="Takes referrals through Homeward", required=False)
    capacity = forms.IntegerField(
        label="New referrals a week",
        required=False,
        min_value=0,
        help_text="Leave blank if you do not limit them",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"}),
    )
    acknowledge_within_days = forms.IntegerField(
        label="Accept or reject within (working days)",
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-4"}),
    )


class DirectoryImportForm(CleanForm):
    file = forms.FileField(
        label="Open Referral UK JSON file",
        help_text="A list of fully nested services, or a page of them with 'contents'. "
        "Nothing is saved if any part is wrong.",
        widget=forms.ClearableFileInput(
            attrs={"class": "nhsuk-file-upload", "accept": ".json,application/json"}
        ),
    )

    def clean_file(self) -> Any:
        from homeward.jobs import limits

        upload = self.cleaned_data["file"]
        megabytes = -(-upload.size // (1024 * 1024))
        if errors := limits.over("file", megabytes, "upload_megabytes", what="The file's size in MB"):
            raise forms.ValidationError(errors["file"])
        return upload


class MessageForm(CleanForm):
    # The page draws this textarea itself (its label names the other side); the id is the one it uses.
    body = forms.CharField(
        label="Message",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3, "id": "message-body"}),
    )
