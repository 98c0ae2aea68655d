"""Forms for adaptations pages: they parse; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from homeward.adaptations.codes import AdaptationStatus, Priority, Route, Source, Tenure
from homeward.adaptations.lifecycle import MOVE_DATES
from homeward.core.models import Organisation
from homeward.core.validators import CleanForm
from homeward.governance.access import agreements_in_force

DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
HINT = "For example, 31/03/2026"


def _date(label: str, *, required: bool = False, help_text: str = HINT) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _money(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=1_000_000,
        decimal_places=2,
        max_digits=9,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "decimal"}),
    )


class CaseForm(CleanForm):
    source = forms.ChoiceField(label="Who asked for the adaptation?", choices=Source.choices, widget=SELECT)
    tenure = forms.ChoiceField(choices=Tenure.choices, widget=SELECT)
    needs = forms.CharField(
        label="What does the person need?",
        max_length=2000,
        help_text="For example, a level-access shower because they cannot step into the bath",
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    enquiry_received_on = _date("Date the enquiry was received", required=True)
    route = forms.ChoiceField(label="How will the works be paid for?", choices=Route.choices, widget=SELECT)
    priority = forms.ChoiceField(choices=Priority.choices, widget=SELECT)
    priority_reason = forms.CharField(
        label="Why is it urgent?",
        required=False,
        max_length=500,
        help_text="Needed for an urgent case: for example, waiting in hospital for the adaptation",
        widget=TEXT,
    )
    address = forms.CharField(
        label="Address of the home to be adapted",
        required=False,
        max_length=300,
        help_text="Leave blank to use the person's address",
        widget=TEXT,
    )
    postcode = forms.CharField(
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enquiry_received_on"].initial = timezone.localdate()
        self.fields["priority"].initial = Priority.STANDARD
        self.fields["route"].initial = Route.DFG


class MoveForm(CleanForm):
    """One move: its date and, by move, the valid application, the inspection, the refusal or a note."""

    to_status = forms.ChoiceField(choices=AdaptationStatus.choices, widget=forms.HiddenInput)
    on = _date("Date")
    application_valid_on = _date("Date the application was valid and complete")
    inspection_passed_on = _date("Date the works passed inspection")
    refusal_reason = forms.CharField(
        label="Why is the application refused?", required=False, max_length=500, widget=TEXT
    )
    review_by = _date("Last day to ask for a review or appeal")
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 2}),
    )
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, to_status: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if to_status in MOVE_DATES:
            self.fields["on"].label = MOVE_DATES[to_status][1]
        if to_status == AdaptationStatus.WITHDRAWN:
            self.fields["note"].label = "Why is the case withdrawn?"

    def fields_for(self, to_status: str, current: str) -> list[forms.BoundField]:
        """The visible fields this move asks for."""
        from_refusal = current == AdaptationStatus.REFUSED
        names: list[str] = [] if from_refusal else ["on"]
        if to_status in (AdaptationStatus.WORKS, AdaptationStatus.REFUSED):
            names.append("application_valid_on")
        if to_status == AdaptationStatus.CLOSED and not from_refusal:
            names.append("inspection_passed_on")
        if to_status == AdaptationStatus.REFUSED:
            names += ["refusal_reason", "review_by"]
        names.append("note")
        return [self[name] for name in names]


class DatesForm(CleanForm):
    """Dates that no move records, or a correction of one."""

    first_contact_on = _date("First contact")
    assessed_on = _date("Assessment (works identified)")
    application_submitted_on = _date("Application submitted")
    application_valid_on = _date("Application valid and complete", help_text="The decision clock starts here")
    works_started_on = _date("Works started")
    works_extended_to = _date("Works period extended to", help_text="A further period the council allowed")
    inspection_passed_on = _date("Inspection passed")


class GrantForm(CleanForm):
    cost_of_works = _money(
        "Cost of the eligible works (£)",
        required=True,
        help_text="Works plus preliminary and ancillary services and charges (fees, surveys, supervision)",
    )
    contribution = _money(
        "Applicant's contribution (£)",
        help_text=(
            "From the test of resources. Leave blank for a disabled child or young person (not means tested)"
        ),
    )
    top_up_amount = _money("Discretionary top-up (£)", help_text="Only above the DFG maximum")
    top_up_reference = forms.CharField(
        label="Housing Assistance Policy section for the top-up", required=False, max_length=200, widget=TEXT
    )


class ParticipantForm(CleanForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        widget=SELECT,
        help_text="Organisations with a data-sharing agreement in force with yours",
    )
    reason = forms.CharField(
        label="What will they do on the case?",
        max_length=200,
        help_text="For example, occupational therapy assessment",
        widget=TEXT,
    )

    def __init__(self, *args: Any, holder_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreements = agreements_in_force().filter(parties=holder_id)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.filter(agreements__in=agreements)
            .exclude(pk=holder_id)
            .distinct()
            .order_by("name")
        )


class FastTrackForm(CleanForm):
    tenure = forms.ChoiceField(choices=Tenure.choices, widget=SELECT)
    needs = forms.CharField(
        label="What adaptation is the patient waiting for?",
        max_length=2000,
        help_text="For example, a stair-lift: cannot manage the stairs to the bedroom since the stroke",
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )
    address = forms.CharField(
        label="Address of the home to be adapted",
        required=False,
        max_length=300,
        help_text="Leave blank to use the patient's address",
        widget=TEXT,
    )
    postcode = forms.CharField(
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
    )
