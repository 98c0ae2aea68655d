"""Forms for healthy-homes pages (visits, hazards, photos, jobs, the falls check, Awaab's Law reports):
they parse; the services (and through them the engines) validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.adaptations.codes import (
    AwaabEvidenceKind,
    AwaabHazardKind,
    CheckerRole,
    HazardAction,
    JobKind,
    VisitKind,
)
from homeward.adaptations.forms import SELECT, TEXT, _date
from homeward.adaptations.photos import MAX_BYTES
from homeward.core.models import Organisation
from homeward.core.validators import CleanForm
from homeward.engines.healthyhomes import Answer, default_checklist
from homeward.engines.hhsrs import HAZARDS, MAX_LIKELIHOOD

NUMBER = forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"})
DATETIME = forms.DateTimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-20"}, format="%d/%m/%Y %H:%M")
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
AREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})


def _when(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        help_text="Day, month, year and 24-hour time, for example 03/11/2025 14:30 (UK time)",
        widget=DATETIME,
    )


def _percentage(label: str) -> forms.IntegerField:
    # Bounds are wide on purpose: the engine refuses a share outside 0–100 or a spread not summing to 100,
    # naming the field, and the form must not hide that message behind its own.
    return forms.IntegerField(label=label, min_value=-1000, max_value=1000, widget=NUMBER)


class _Organisations(CleanForm):
    def __init__(self, *args: Any, organisation_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name.endswith("organisation"):
                field.queryset = Organisation.objects.filter(pk__in=organisation_ids or []).order_by("name")


class VisitForm(CleanForm):
    kind = forms.ChoiceField(label="Kind of visit", choices=VisitKind.choices, widget=SELECT)
    visited_on = _date("Date of the visit", required=True)
    checker_role = forms.ChoiceField(
        label="Who does the falls check?",
        choices=[("", "Not a falls check"), *CheckerRole.choices],
        required=False,
        widget=SELECT,
    )
    address = forms.CharField(
        label="Address of the home",
        required=False,
        max_length=300,
        help_text="Leave blank for the person's own",
        widget=TEXT,
    )
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=AREA)


class FindingForm(_Organisations):
    hazard = forms.ChoiceField(
        label="Hazard", choices=[(h.code, f"{h.number}. {h.name}") for h in HAZARDS.values()], widget=SELECT
    )
    likelihood = forms.FloatField(
        label='Likelihood: "1 in L"',
        min_value=-1e9,
        max_value=1e9,
        help_text=f"L, from 1 to {MAX_LIKELIHOOD:,}: for example 100 for a 1 in 100 chance of a harmful "
        "occurrence",
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "decimal"}),
    )
    class_i = _percentage("Class I (%)")
    class_ii = _percentage("Class II (%)")
    class_iii = _percentage("Class III (%)")
    class_iv = _percentage("Class IV (%)")
    action = forms.ChoiceField(label="What is done about it", choices=HazardAction.choices, widget=SELECT)
    action_organisation = forms.ModelChoiceField(
        label="Who does it", queryset=Organisation.objects.none(), widget=SELECT
    )
    action_note = forms.CharField(label="Note", required=False, max_length=500, widget=TEXT)


class PhotoForm(CleanForm):
    finding_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    photo = forms.FileField(
        label="Photo",
        help_text=f"A JPEG, PNG or WebP image up to {MAX_BYTES // (1024 * 1024)} MB; its location and other "
        "details are removed before it is stored",
        widget=forms.ClearableFileInput(attrs={"class": "nhsuk-file-upload", "accept": "image/*"}),
    )
    caption = forms.CharField(label="Caption", required=False, max_length=200, widget=TEXT)


class RemovedForm(CleanForm):
    finding_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    removed_on = _date("Date removed", required=True)


class JobForm(_Organisations):
    kind = forms.ChoiceField(label="Kind of job", choices=JobKind.choices, widget=SELECT)
    description = forms.CharField(label="What is the job?", max_length=300, widget=TEXT)
    organisation = forms.ModelChoiceField(
        label="Who does it", queryset=Organisation.objects.none(), widget=SELECT
    )


class JobDoneForm(CleanForm):
    job_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    done_on = _date("Date done", required=True)
    minutes = forms.IntegerField(label="Time taken (minutes)", min_value=1, max_value=6000, widget=NUMBER)
    materials_cost = forms.DecimalField(
        label="Materials (£)",
        min_value=0,
        max_value=10_000,
        decimal_places=2,
        max_digits=7,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-5", "inputmode": "decimal"}),
    )


ANSWERS = [
    (Answer.YES.value, "Yes"),
    (Answer.NO.value, "No"),
    (Answer.NOT_APPLICABLE.value, "Not applicable"),
]


class FallsForm(CleanForm):
    """One question per checklist item (Homeward's own wording, `engines.healthyhomes`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in default_checklist().items:
            self.fields[item.code] = forms.ChoiceField(
                label=item.question,
                help_text=item.area,
                choices=ANSWERS,
                widget=forms.RadioSelect(attrs={"class": "nhsuk-radios__input"}),
            )


class ReportForm(CleanForm):
    hazard = forms.ChoiceField(label="Hazard", choices=AwaabHazardKind.choices, widget=SELECT)
    aware_at = _when("When did the landlord become aware of it?")
    description = forms.CharField(label="What was reported?", max_length=2000, widget=AREA)
    address = forms.CharField(
        label="Address of the home",
        required=False,
        max_length=300,
        help_text="Leave blank for the person's own",
        widget=TEXT,
    )


STEP_CHOICES = [
    ("investigation_concluded_at", "Investigation concluded"),
    ("summary_sent_at", "Written summary sent to the tenant"),
    ("safety_work_done_at", "Safety work done"),
    ("further_works_begun_at", "Further works begun (or steps taken to begin them)"),
    ("further_works_started_at", "Further works physically started"),
]
FOUND = [("", "Not the investigation"), ("yes", "Yes, the hazard was found"), ("no", "No hazard found")]


class StepForm(CleanForm):
    step = forms.ChoiceField(label="Step", choices=STEP_CHOICES, widget=SELECT)
    at = _when("When was it done?")
    hazard_found = forms.ChoiceField(
        label="Did the investigation find the hazard?", choices=FOUND, required=False, widget=SELECT
    )

    def clean_hazard_found(self) -> bool | None:
        value = self.cleaned_data.get("hazard_found", "")
        return {"yes": True, "no": False}.get(value)


class EvidenceForm(CleanForm):
    kind = forms.ChoiceField(label="Evidence", choices=AwaabEvidenceKind.choices, widget=SELECT)
    at = _when("When?")
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=TEXT)


YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN,
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        widget=SELECT,
    )


class WarmHomesForm(CleanForm):
    """The warm-homes check: each answer may be "not known"; the engine says what follows from what is."""

    epc_band = forms.ChoiceField(
        label="EPC band",
        required=False,
        help_text="From the home's Energy Performance Certificate",
        widget=SELECT,
    )
    main_heating = forms.ChoiceField(label="Main heating", required=False, widget=SELECT)
    tenure = forms.ChoiceField(label="Tenure", required=False, widget=SELECT)
    income_band = forms.ChoiceField(
        label="Household income band",
        help_text="Is the household's income, after housing costs and the energy the home needs, below the "
        "poverty line for a household like this?",
        widget=SELECT,
    )
    receives_means_tested_benefit = _yes_no("Does anyone in the household receive a means-tested benefit?")
    annual_household_income = forms.DecimalField(
        label="Gross annual household income (£), if known",
        required=False,
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
        max_digits=10,
        help_text="Some grant schemes set an income limit",
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "decimal"}),
    )
    health_condition_worsened_by_cold = _yes_no("Does anyone have a health condition made worse by the cold?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from homeward.adaptations.warmth import EPC_CHOICES, HEATING_CHOICES, TENURE_CHOICES, IncomeBand

        super().__init__(*args, **kwargs)
        unknown = [("", "Not known")]
        for name, choices in (
            ("epc_band", EPC_CHOICES),
            ("main_heating", HEATING_CHOICES),
            ("tenure", TENURE_CHOICES),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = unknown + choices
        band = self.fields["income_band"]
        assert isinstance(band, forms.ChoiceField)
        band.choices = IncomeBand.choices
        band.initial = IncomeBand.NOT_KNOWN
