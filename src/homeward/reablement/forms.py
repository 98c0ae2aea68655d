"""Forms for reablement pages: they parse; the services validate and decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from homeward.adaptations.codes import Tenure
from homeward.core.models import Organisation, Team, User
from homeward.core.validators import CleanForm
from homeward.discharge.codes import BlockerCategory
from homeward.discharge.models import DelayReason
from homeward.governance.models import ConsentStatus, LawfulBasis
from homeward.reablement.codes import (
    ArrangementKind,
    BedStatus,
    ContractMeasure,
    DayColour,
    Discipline,
    FollowUpOutcome,
    GoalProgress,
    MeasureStage,
    ReferralSource,
    StayDestination,
)
from homeward.reablement.delays import community_reasons
from homeward.reablement.models import Bed, FunctionalMeasure, MdtReview, Referral, Unit
from homeward.referrals.codes import ServiceKind

DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
TIME = forms.TimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}, format="%H:%M")
SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
AREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
HINT = "For example, 31/03/2026"


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=HINT)


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, widget=TIME, help_text="24-hour clock, for example 14:30")


def moment(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _now_initial(form: forms.Form, day: str, time: str) -> None:
    now = timezone.localtime()
    form.fields[day].initial = now.date()
    form.fields[time].initial = now.time().replace(second=0, microsecond=0)


class ReferralForm(CleanForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), widget=SELECT, empty_label=None)
    source = forms.ChoiceField(
        label="Where is the person coming from?", choices=ReferralSource.choices, widget=SELECT
    )
    reason = forms.CharField(label="Why does the person need reablement?", max_length=2000, widget=AREA)
    goals = forms.CharField(
        label="What does the person want to be able to do again?", max_length=2000, widget=AREA
    )
    risks = forms.CharField(label="Risks the unit should know", required=False, max_length=2000, widget=AREA)
    consent_status = forms.ChoiceField(
        label="Consent to share with the unit", choices=ConsentStatus.choices, widget=SELECT
    )
    lawful_basis = forms.ChoiceField(label="Lawful basis", choices=LawfulBasis.choices, widget=SELECT)
    discharge_case_id = forms.IntegerField(
        label="Hospital to Home case number (pathway 2)",
        required=False,
        min_value=1,
        max_value=2_000_000_000,
        help_text="Digits only: the case continues here as one journey",
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10", "inputmode": "numeric"}),
    )


class DecisionForm(CleanForm):
    decision = forms.ChoiceField(
        choices=[("accepted", "Accept"), ("declined", "Decline"), ("withdrawn", "Withdraw")], widget=SELECT
    )
    reason = forms.CharField(
        label="Reason (needed to decline or withdraw)", required=False, max_length=500, widget=TEXT
    )


class BedChoiceForm(CleanForm):
    """A form whose `bed` choice is the unit's beds."""

    bed = forms.ModelChoiceField(queryset=Bed.objects.none(), widget=SELECT, empty_label=None)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = unit.beds.exclude(status=BedStatus.CLOSED).order_by("label")  # type: ignore[attr-defined]


class AdmitForm(BedChoiceForm):
    admitted_on = _date("Admission date")
    admitted_time = _time("Admission time")
    expected_discharge_on = _date("Expected discharge date", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _now_initial(self, "admitted_on", "admitted_time")


class MoveForm(BedChoiceForm):
    moved_on = _date("Date of the move")
    moved_time = _time("Time of the move")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _now_initial(self, "moved_on", "moved_time")


class DischargeForm(CleanForm):
    destination = forms.ChoiceField(
        label="Where is the person going?", choices=StayDestination.choices, widget=SELECT
    )
    discharged_on = _date("Discharge date")
    discharged_time = _time("Discharge time")
    note = forms.CharField(
        label="Discharge note",
        required=False,
        max_length=1000,
        widget=AREA,
        help_text="Packages, adaptations and the transition plan are recorded on the stay page",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _now_initial(self, "discharged_on", "discharged_time")


class GoalForm(CleanForm):
    description = forms.CharField(label="Goal, in the person's words", max_length=500, widget=TEXT)
    target_on = _date("Target date", required=False)
    agreed_with_person = forms.BooleanField(label="Agreed with the person", required=False, initial=True)


class GoalProgressForm(CleanForm):
    goal_id = forms.IntegerField(min_value=1, max_value=2_000_000_000, widget=forms.HiddenInput)
    progress = forms.ChoiceField(choices=GoalProgress.choices, widget=SELECT)


class ReviewForm(CleanForm):
    held_on = _date("Date of the review")
    attendees = forms.MultipleChoiceField(
        label="Who attended?",
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    medically_stable = forms.BooleanField(label="Medically stable", required=False)
    ready_to_leave = forms.BooleanField(
        label="Ready to leave the unit (once what is needed is arranged)", required=False
    )
    decisions = forms.CharField(label="Decisions and actions", max_length=2000, widget=AREA)
    next_review_on = _date("Next review", required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        organisations = Organisation.objects.order_by("name")
        for code, label in Discipline.choices:
            family = code == Discipline.PERSON_OR_FAMILY
            field = forms.ModelChoiceField(
                label=f"Organisation of the {label.lower()}" if not family else "Organisation (if any)",
                queryset=organisations,
                required=False,
                widget=SELECT,
                initial=None if family else organisation_id,
                empty_label="None" if family else "Choose",
            )
            field.attendance = True  # type: ignore[attr-defined]  # shown beside its discipline's box
            self.fields[f"organisation_{code}"] = field

    def attendance_rows(self) -> list[tuple[Any, Any]]:
        """Each discipline's checkbox with its organisation's select."""
        return list(
            zip(self["attendees"], [self[f"organisation_{c}"] for c in Discipline.values], strict=True)
        )

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        chosen = {code: data.pop(f"organisation_{code}", None) for code in Discipline.values}
        data["organisations"] = {
            code: (chosen[code].pk if chosen[code] is not None else None) for code in data["attendees"]
        }
        return data

    RENAME = {f"organisations.{code}": f"organisation_{code}" for code in Discipline.values}


class ReasonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.order}. {obj.text}"


def _reason_field(label: str, help_text: str) -> ReasonField:
    return ReasonField(
        label=label,
        queryset=DelayReason.objects.none(),
        required=False,
        widget=SELECT,
        empty_label="Not chosen",
        help_text=help_text,
    )


class BlockerForm(CleanForm):
    category = forms.ChoiceField(choices=BlockerCategory.choices, widget=SELECT)
    description = forms.CharField(label="What is in the way?", max_length=500, widget=TEXT)
    due_on = _date("To be cleared by", required=False)
    delay_reason = _reason_field(
        "NHS England community delay reason",
        "Leave as not chosen to use the reason the category counts as",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delay_reason"].queryset = community_reasons(timezone.localdate())  # type: ignore[attr-defined]


class DayForm(CleanForm):
    day = _date("Day")
    colour = forms.ChoiceField(label="Red or green?", choices=DayColour.choices, widget=SELECT)
    reason = forms.CharField(
        label="Why did the day add nothing to the recovery? (needed for a red day)",
        required=False,
        max_length=500,
        widget=TEXT,
    )
    delay_reason = _reason_field("NHS England community delay reason (optional)", "For a red day")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["delay_reason"].queryset = community_reasons(timezone.localdate())  # type: ignore[attr-defined]


class NoteForm(CleanForm):
    text = forms.CharField(label="Daily note", max_length=2000, widget=AREA)


class ScoreForm(CleanForm):
    measure = forms.ModelChoiceField(
        label="Functional measure", queryset=FunctionalMeasure.objects.none(), widget=SELECT, empty_label=None
    )
    stage = forms.ChoiceField(label="When", choices=MeasureStage.choices, widget=SELECT)
    score = forms.IntegerField(
        label="Score",
        min_value=-10_000,
        max_value=10_000,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"}),
    )
    scored_on = _date("Date scored")

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = FunctionalMeasure.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id, active=True
        )
        self.fields["scored_on"].initial = timezone.localdate()


class MeasureForm(CleanForm):
    name = forms.CharField(label="Name of the measure", max_length=100, widget=TEXT)
    description = forms.CharField(label="What it measures", required=False, max_length=500, widget=TEXT)
    lowest = forms.IntegerField(label="Lowest score", min_value=-10_000, max_value=10_000, widget=TEXT)
    highest = forms.IntegerField(label="Highest score", min_value=-10_000, max_value=10_000, widget=TEXT)
    higher_is_better = forms.BooleanField(label="A higher score is better", required=False, initial=True)
    licence = forms.CharField(
        label="Licence or permission under which you use it",
        max_length=300,
        widget=TEXT,
        help_text="For example, the licence your organisation holds, or 'our own measure'",
    )


class ActionForm(CleanForm):
    review = forms.ModelChoiceField(
        label="From the MDT review of", queryset=MdtReview.objects.none(), widget=SELECT, empty_label=None
    )
    description = forms.CharField(label="What needs doing?", max_length=500, widget=TEXT)
    owner = forms.ChoiceField(label="Owner", widget=SELECT)
    due_on = _date("Due by", required=False)

    def __init__(self, *args: Any, stay: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = stay.reviews.all()  # type: ignore[attr-defined]
        people = User.objects.filter(memberships__organisation_id=organisation_id).distinct()
        teams = Team.objects.filter(organisation_id=organisation_id)
        owners = [("", "Choose an owner")]
        owners += [(f"user:{u.pk}", u.display_name) for u in people.order_by("first_name", "username")]
        owners += [(f"team:{t.pk}", f"Team: {t.name}") for t in teams.order_by("name")]
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        self.fields["owner"].required = False

    def owner_ids(self) -> dict[str, int | None]:
        kind, _, pk = str(self.cleaned_data.get("owner") or "").partition(":")
        return {
            "owner_user_id": int(pk) if kind == "user" else None,
            "owner_team_id": int(pk) if kind == "team" else None,
        }


class CompleteActionForm(CleanForm):
    action_id = forms.IntegerField(min_value=1, max_value=2_000_000_000, widget=forms.HiddenInput)
    outcome = forms.CharField(label="What was done?", required=False, max_length=500, widget=TEXT)


class WhatIfForm(CleanForm):
    extra_beds = forms.IntegerField(label="Beds to add", min_value=1, max_value=50, initial=5, widget=TEXT)
    history_days = forms.IntegerField(
        label="Days of the unit's history to calibrate from",
        min_value=30,
        max_value=3650,
        initial=365,
        widget=TEXT,
    )


class ResolveForm(CleanForm):
    blocker_id = forms.IntegerField(min_value=1, max_value=2_000_000_000, widget=forms.HiddenInput)
    resolution = forms.CharField(label="How was it cleared?", max_length=500, widget=TEXT)


class FollowUpForm(CleanForm):
    done_on = _date("Date of the follow-up")
    outcome = forms.ChoiceField(choices=FollowUpOutcome.choices, widget=SELECT)
    note = forms.CharField(required=False, max_length=500, widget=TEXT)


class WaitingReferralField(forms.ModelChoiceField):
    """A waiting referral, shown by reference and initials (the bed board names nobody in full)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.person.given_name[:1]}{obj.person.family_name[:1]}"


class BedStatusForm(CleanForm):
    status = forms.ChoiceField(choices=BedStatus.choices, widget=SELECT)
    referral = WaitingReferralField(
        label="Reserved for (a waiting referral)",
        queryset=Referral.objects.none(),
        required=False,
        widget=SELECT,
    )
    reason = forms.CharField(label="Why is the bed closed?", required=False, max_length=200, widget=TEXT)
    on = _date("Date the bed closed", required=False)

    def __init__(self, *args: Any, waiting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = waiting  # type: ignore[attr-defined]


NUMBER = forms.NumberInput(attrs={"class": "nhsuk-input nhsuk-input--width-5", "step": "any"})


def _is_share(measure: str) -> bool:
    return measure != ContractMeasure.LOS_MEDIAN


class ContractForm(CleanForm):
    """A commissioner's contract: the unit, reference, dates, and for each contract measure an optional
    target with an optional amber margin. Shares are typed as percentages (0 to 100) and passed to the
    service as 0-1; the median length of stay in days (0 to 365)."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), widget=SELECT, empty_label=None)
    reference = forms.CharField(label="Contract reference", max_length=50, widget=TEXT)
    starts_on = _date("Contract starts on")
    ends_on = _date("Contract ends on")

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            Q(commissioner_id=organisation_id) | Q(commissioner__isnull=True)
        ).order_by("name")
        for measure, label in ContractMeasure.choices:
            unit, top = ("%", 100) if _is_share(measure) else ("days", 365)
            self.fields[measure] = forms.FloatField(
                label=f"Target: {label.replace(' (share)', '').replace(' (days)', '')} ({unit})",
                required=False,
                min_value=0,
                max_value=top,
                widget=NUMBER,
                help_text=f"0 to {top}; leave empty for no target on this measure",
            )
            self.fields[f"{measure}_margin"] = forms.FloatField(
                label=f"Amber margin for that target ({unit})",
                required=False,
                min_value=0,
                max_value=top,
                widget=NUMBER,
                help_text="How far a month may miss the target and still be amber; empty: any miss is red",
            )

    @staticmethod
    def initial_for(contract: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "unit": contract.unit_id,
            "reference": contract.reference,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
        }
        for t in contract.targets.all():
            scale = 100 if _is_share(t.measure) else 1
            initial[t.measure] = round(t.target * scale, 6)
            if t.amber_margin is not None:
                initial[f"{t.measure}_margin"] = round(t.amber_margin * scale, 6)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = False
        for measure in ContractMeasure.values:
            target, margin = data.get(measure), data.get(f"{measure}_margin")
            given = given or target is not None
            if target is None and margin is not None:
                self.add_error(f"{measure}_margin", "Give the target this margin is for, or leave it empty")
        if not given and not self.errors:
            self.add_error(None, "Give at least one target")
        return data

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        targets: dict[str, tuple[float, float | None]] = {}
        for measure in ContractMeasure.values:
            target, margin = data.get(measure), data.get(f"{measure}_margin")
            if target is not None:
                scale = 100 if _is_share(measure) else 1
                targets[measure] = (target / scale, None if margin is None else margin / scale)
        return {
            "unit_id": data["unit"].pk,
            "reference": data["reference"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "targets": targets,
        }

    @staticmethod
    def rename() -> dict[str, str]:
        out = {"unit_id": "unit", "targets": "__all__"}
        for measure in ContractMeasure.values:
            out[f"targets.{measure}"] = measure
            out[f"targets.{measure}.margin"] = f"{measure}_margin"
        return out


class AdaptationArrangementForm(CleanForm):
    """An adaptation for going home: open an adaptations case, or link one of the person's open cases."""

    needs = forms.CharField(
        label="What adaptation does the person need?",
        max_length=500,
        widget=TEXT,
        help_text="For example, a stair lift and a level-access shower",
    )
    adaptation_case: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Link an open adaptations case",
        queryset=None,
        required=False,
        widget=SELECT,
        empty_label="No: open a new adaptations case",
    )
    tenure = forms.ChoiceField(
        label="The person's tenure (for a new case)",
        choices=[("", "Choose")] + list(Tenure.choices),
        required=False,
        widget=SELECT,
    )
    address = forms.CharField(
        label="Address of the home to adapt (for a new case)",
        required=False,
        max_length=300,
        widget=TEXT,
        help_text="Leave empty for the person's own address",
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}),
    )

    def __init__(self, *args: Any, open_cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["adaptation_case"]
        field.queryset = open_cases  # type: ignore[attr-defined]
        field.label_from_instance = lambda case: f"{case.reference}: {case.needs[:60]}"  # type: ignore[attr-defined]


class SupportArrangementForm(CleanForm):
    """Other support for going home, sent as an onward referral to the organisation that provides it."""

    kind = forms.ChoiceField(
        label="What is arranged?",
        choices=[c for c in ArrangementKind.choices if c[0] != ArrangementKind.ADAPTATION],
        widget=SELECT,
    )
    description = forms.CharField(
        label="Details", max_length=500, widget=TEXT, help_text="For example, four calls a day for two weeks"
    )
    to_organisation = forms.ModelChoiceField(
        label="Provided by", queryset=Organisation.objects.none(), widget=SELECT, empty_label="Choose"
    )
    service_kind = forms.ChoiceField(
        label="Kind of service", choices=ServiceKind.choices, initial=ServiceKind.OTHER, widget=SELECT
    )
    starts_on = _date("Starts on", required=False)
    consent_status = forms.ChoiceField(
        label="Consent to share with the provider", choices=ConsentStatus.choices, widget=SELECT
    )
    lawful_basis = forms.ChoiceField(label="Lawful basis", choices=LawfulBasis.choices, widget=SELECT)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.exclude(pk=organisation_id).order_by(  # type: ignore[attr-defined]
            "name"
        )


class TransitionPlanForm(CleanForm):
    plan = forms.CharField(
        label="Transition plan",
        max_length=2000,
        widget=AREA,
        help_text="How the move home is handed over: who visits, who to call, the first weeks",
    )
    first_contact_on = _date("First visit or call at home", required=False)
