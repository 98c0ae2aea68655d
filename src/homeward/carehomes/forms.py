"""Forms for care-home pages: they parse; the services validate and decide (bounds, dates, who)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from homeward.carehomes.codes import (
    AgreedWith,
    ClinicianRole,
    Consciousness,
    Deterioration,
    EmergencyCallOutcome,
    Funding,
    HomeKind,
    PlaceOfCare,
    PlaceOfDeath,
    Resuscitation,
    SoftSign,
    TriageDecision,
    VisitRole,
)
from homeward.carehomes.models import CareHome, Resident, Room
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.validators import CleanForm
from homeward.discharge.models import DischargeCase

DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
TIME = forms.TimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}, format="%H:%M")
SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
AREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
NUMBER = {"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "decimal"}
HINT = "For example, 31/03/2026"


def _date(label: str, *, required: bool = True, help_text: str = HINT) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _text(
    label: str, limit: int, *, required: bool = False, area: bool = False, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=limit, required=required, widget=AREA if area else TEXT, help_text=help_text
    )


def _whole(label: str) -> forms.IntegerField:
    # The form's bounds only stop absurd numbers (a field of 9 digits); the service checks plausibility
    # and names the field, so both paths (page and API) give the same message.
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=9999, widget=forms.NumberInput(attrs=NUMBER)
    )


class WhenMixin:
    """A moment as a date and a time (HH:MM), combined into `at` in the current timezone."""

    def combine(self, data: dict[str, Any], day: str, time: str) -> dt.datetime | None:
        if data.get(day) is None or data.get(time) is None:
            return None
        return timezone.make_aware(dt.datetime.combine(data.pop(day), data.pop(time)))


class AdmitForm(CleanForm):
    home = forms.ModelChoiceField(queryset=CareHome.objects.none(), widget=SELECT, label="Home")
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, widget=SELECT, label="Room")
    admitted_on = _date("Date moved in")
    funding = forms.ChoiceField(choices=Funding.choices, widget=SELECT)
    gp_practice = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE),
        required=False,
        widget=SELECT,
        label="Registered GP practice",
    )
    next_of_kin = _text("Next of kin", 200)
    next_of_kin_contact = _text("Next of kin's phone or email", 200)
    contact_preferences = _text("Contact preferences", 500, help_text="For example, phone the daughter first")
    capacity_notes = _text(
        "Mental capacity",
        2000,
        area=True,
        help_text="Decisions the resident can and cannot make, and who helps",
    )
    consent_notes = _text(
        "Consent", 2000, area=True, help_text="What the resident (or their representative) has agreed to"
    )

    discharge_case = forms.ModelChoiceField(
        queryset=DischargeCase.objects.none(),
        required=False,
        widget=SELECT,
        label="From a Hospital to Home case",
        help_text="Its trusted assessment is accepted if the home has a protocol with the assessor",
    )

    def __init__(self, *args: Any, homes: Any = None, cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        homes = homes if homes is not None else CareHome.objects.none()
        self.fields["home"].queryset = homes  # type: ignore[attr-defined]
        self.fields["room"].queryset = Room.objects.filter(home__in=homes).select_related("home")  # type: ignore[attr-defined]
        if cases is None:
            del self.fields["discharge_case"]
        else:
            self.fields["discharge_case"].queryset = cases  # type: ignore[attr-defined]
            self.fields["discharge_case"].label_from_instance = lambda case: (  # type: ignore[attr-defined]
                f"{case.reference}, admitted {case.admitted_on:%-d %b %Y}"
            )

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["home_id"] = data.pop("home").pk
        room, practice = data.pop("room"), data.pop("gp_practice")
        data["room_id"] = room.pk if room else None
        data["gp_practice_id"] = practice.pk if practice else None
        case = data.pop("discharge_case", None)
        data["discharge_case_id"] = case.pk if case else None
        return data


class PlanForm(CleanForm):
    agreed_on = _date("Date the plan was agreed")
    agreed_with = forms.ChoiceField(label="Agreed with", choices=AgreedWith.choices, widget=SELECT)
    representative = _text("Representative's name", 200, help_text="Needed when agreed with a representative")
    gp_name = _text("GP who agreed the plan", 200, required=True)
    what_matters = _text("What matters to the resident", 2000, required=True, area=True)
    treatment_preferences = _text("Preferences for treatment", 2000, area=True)
    preferred_place = forms.ChoiceField(
        label="Preferred place of care", choices=PlaceOfCare.choices, widget=SELECT
    )
    if_unwell = forms.ChoiceField(
        label="If the resident becomes unwell", choices=Deterioration.choices, widget=SELECT
    )
    resuscitation = forms.ChoiceField(
        label="Resuscitation decision", choices=Resuscitation.choices, widget=SELECT
    )
    resuscitation_decided_by = _text("Who made the resuscitation decision", 200)
    resuscitation_decided_on = _date("Date of the resuscitation decision", required=False)
    review_on = _date("Review date")


class ObservationForm(WhenMixin, CleanForm):
    taken_on = _date("Date taken")
    taken_time = forms.TimeField(label="Time taken", widget=TIME, help_text="For example, 21:30")
    temperature = forms.DecimalField(
        label="Temperature (°C)",
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs=NUMBER),
    )
    pulse = _whole("Pulse (beats a minute)")
    respiratory_rate = _whole("Breaths a minute")
    systolic = _whole("Blood pressure: systolic (upper figure)")
    diastolic = _whole("Blood pressure: diastolic (lower figure)")
    oxygen_saturation = _whole("Oxygen saturation (%)")
    on_oxygen = forms.BooleanField(label="On oxygen", required=False)
    consciousness = forms.ChoiceField(
        label="Alertness",
        required=False,
        choices=[("", "Not recorded"), *Consciousness.choices],
        widget=SELECT,
    )
    soft_signs = forms.MultipleChoiceField(
        label="What else have you noticed?",
        required=False,
        choices=SoftSign.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    note = _text("Note", 500)

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["taken_at"] = self.combine(data, "taken_on", "taken_time")
        return data


class TriageForm(WhenMixin, CleanForm):
    called_on = _date("Date of the call")
    called_time = forms.TimeField(label="Time of the call", widget=TIME, help_text="For example, 02:15")
    clinician_role = forms.ChoiceField(
        label="Who was consulted", choices=ClinicianRole.choices, widget=SELECT
    )
    clinician_name = _text("Clinician's name", 200, required=True)
    clinician_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.NHS_TRUST, OrganisationKind.GP_PRACTICE]
        ),
        required=False,
        widget=SELECT,
        label="Their organisation",
    )
    observation = forms.TypedChoiceField(
        label="Observations they saw", required=False, coerce=int, empty_value=None, widget=SELECT
    )
    decision = forms.ChoiceField(choices=TriageDecision.choices, widget=SELECT)
    reasons = _text("Reasons for the decision", 2000, required=True, area=True)

    def __init__(self, *args: Any, observations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None")] + [
            (o.pk, f"{timezone.localtime(o.taken_at):%-d %b %H:%M}") for o in observations
        ]
        self.fields["observation"].choices = choices  # type: ignore[attr-defined]

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["called_at"] = self.combine(data, "called_on", "called_time")
        org = data.pop("clinician_organisation")
        data["clinician_organisation_id"] = org.pk if org else None
        data["observation_id"] = data.pop("observation")
        return data


class TransferForm(WhenMixin, CleanForm):
    left_on = _date("Date the resident left")
    left_time = forms.TimeField(label="Time the resident left", widget=TIME)
    reason = _text("Why the resident went to hospital", 500, required=True)
    hospital_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.NHS_TRUST),
        required=False,
        widget=SELECT,
        label="Hospital trust",
    )
    by_ambulance = forms.BooleanField(label="Conveyed by ambulance", required=False)
    attended_ae = forms.BooleanField(label="Seen in A&E", required=False)
    admitted = forms.BooleanField(label="Admitted to a ward", required=False)

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["left_at"] = self.combine(data, "left_on", "left_time")
        org = data.pop("hospital_organisation")
        data["hospital_organisation_id"] = org.pk if org else None
        return data


class VisitForm(CleanForm):
    visited_on = _date("Date of the visit")
    role = forms.ChoiceField(label="Who visited", choices=VisitRole.choices, widget=SELECT)
    visitor = _text("Visitor's name", 200, required=True)
    is_mdt = forms.BooleanField(label="This was an MDT meeting", required=False)
    residents = forms.ModelMultipleChoiceField(
        label="Residents seen",
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    notes = _text("Notes", 4000, area=True)
    action = _text("Action agreed", 500)
    action_owner = _text("Who owns the action", 200)
    action_due_on = _date("Action due by", required=False)

    def __init__(self, *args: Any, residents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["residents"]
        field.queryset = residents if residents is not None else Resident.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: f"{r.person.family_name.upper()}, {r.person.given_name}"  # type: ignore[attr-defined]

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["resident_ids"] = [r.pk for r in data.pop("residents")]
        return data


class HomeForm(CleanForm):
    name = _text("Name of the home", 200, required=True)
    kind = forms.ChoiceField(label="Kind of home", choices=HomeKind.choices, widget=SELECT)
    address = _text("Address", 300)
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
    )
    video_link = _text(
        "Video call link",
        500,
        help_text="Your organisation's own video service for triage calls, starting https://",
    )


class ProtocolForm(CleanForm):
    """A home's trusted assessor protocol: whose assessments it accepts, from when, to when."""

    assessor_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        widget=SELECT,
        label="Trusted assessor organisation",
        help_text="Usually a hospital trust's discharge team",
    )
    starts_on = _date("In force from")
    ends_on = _date("Last day in force", required=False, help_text="Leave blank while it runs")
    note = _text("Note", 500, help_text="For example, which wards or teams the protocol covers")

    def __init__(self, *args: Any, organisation_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessors = Organisation.objects.exclude(pk=organisation_id).filter(
            kind__in=[OrganisationKind.NHS_TRUST, OrganisationKind.LOCAL_AUTHORITY]
        )
        self.fields["assessor_organisation"].queryset = assessors  # type: ignore[attr-defined]

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["assessor_organisation_id"] = data.pop("assessor_organisation").pk
        return data


class SchemeForm(CleanForm):
    """Which early-warning scheme the organisation's homes score observations with, or none."""

    OFF = "off"
    scheme = forms.ChoiceField(label="Early-warning scheme", widget=SELECT)

    def __init__(self, *args: Any, schemes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(self.OFF, "Off: record observations without a score")]
        choices += [(str(s.pk), f"{s.name} {s.version}") for s in schemes]
        self.fields["scheme"].choices = choices  # type: ignore[attr-defined]

    def cleaned_for_service(self) -> dict[str, Any]:
        chosen = self.cleaned_data["scheme"]
        return {"scheme_id": None if chosen == self.OFF else int(chosen)}


class EndProtocolForm(CleanForm):
    ends_on = _date("Last day in force")


class HomeAssessmentForm(CleanForm):
    assessed_on = _date("Date the home assessed the resident")


class RoomForm(CleanForm):
    name = forms.CharField(
        label="Room name or number",
        max_length=40,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
    )


class EmergencyCallForm(WhenMixin, CleanForm):
    called_on = _date("Date of the 999 call")
    called_time = forms.TimeField(label="Time of the 999 call", widget=TIME, help_text="For example, 03:40")
    outcome = forms.ChoiceField(label="What happened", choices=EmergencyCallOutcome.choices, widget=SELECT)
    reason = _text("Why 999 was called", 500, required=True)

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["called_at"] = self.combine(data, "called_on", "called_time")
        return data


class DeathForm(CleanForm):
    died_on = _date("Date of death")
    place = forms.ChoiceField(label="Place of death", choices=PlaceOfDeath.choices, widget=SELECT)


class HospitalCaseForm(CleanForm):
    """The admitting trust opens a Hospital to Home case for a resident's admission."""

    transfer = forms.TypedChoiceField(label="Admission", coerce=int, widget=SELECT)
    hospital = forms.TypedChoiceField(label="Hospital", coerce=int, widget=SELECT)
    housing_organisation = forms.TypedChoiceField(label="Housing team", coerce=int, widget=SELECT)
    referral_reason = _text(
        "What the housing team should know",
        2000,
        required=True,
        area=True,
        help_text="For example, the room is kept; the home needs a new hoist before return",
    )

    def __init__(
        self, *args: Any, transfers: Any = (), hospitals: Any = (), housing: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transfer"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"{timezone.localtime(t.left_at):%-d %b %Y %H:%M}: {t.reason[:60]}") for t in transfers
        ]
        self.fields["hospital"].choices = [(h.pk, h.name) for h in hospitals]  # type: ignore[attr-defined]
        self.fields["housing_organisation"].choices = [(o.pk, o.name) for o in housing]  # type: ignore[attr-defined]

    def cleaned_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            "transfer_id": data["transfer"],
            "hospital_id": data["hospital"],
            "housing_organisation_id": data["housing_organisation"],
            "referral_reason": data["referral_reason"],
        }
