"""Forms for supported-housing pages: they parse; the services validate and decide. `STEPS` maps each
placement step (a URL slug) to its form, its page title and the service call it makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from homeward.core.models import Membership
from homeward.core.validators import CleanForm
from homeward.housing import keywork, moveon, services
from homeward.housing.codes import (
    DeclineReason,
    DepartureReason,
    FollowUpResult,
    MoveOnDestination,
    Occupation,
    PlacementSource,
    Readiness,
    RiskLevel,
    SupportArea,
)
from homeward.housing.models import Placement, Scheme

DATE = forms.DateInput(attrs={"class": "nhsuk-input nhsuk-input--width-10"}, format="%d/%m/%Y")
SELECT = forms.Select(attrs={"class": "nhsuk-select"})
TEXT = forms.TextInput(attrs={"class": "nhsuk-input"})
AREA = forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3})
NUMBER = forms.TextInput(attrs={"class": "nhsuk-input nhsuk-input--width-4", "inputmode": "numeric"})
HINT = "For example, 31/03/2026"


def _date(label: str, *, required: bool = True, hint: str = HINT) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=hint)


def _choice(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    options = choices if required else [("", "Choose"), *choices]
    return forms.ChoiceField(label=label, choices=options, widget=SELECT, required=required)


def _text(label: str, limit: int, *, required: bool = False, long: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=limit, required=required, widget=AREA if long else TEXT)


def _staff_choices(organisation_id: int) -> list[tuple[str, str]]:
    members = Membership.objects.filter(organisation_id=organisation_id, is_active=True).select_related(
        "user"
    )
    return [("", "Choose")] + [
        (str(m.user_id), m.user.get_full_name() or m.user.username)
        for m in members.order_by("user__last_name")
    ]


class ReferForm(CleanForm):
    scheme = forms.ChoiceField(label="Scheme", widget=SELECT)
    source = _choice("Who referred the person?", PlacementSource.choices)
    needs = _text("What does the person need from the scheme?", 2000, required=True, long=True)
    referred_on = _date("Date of the referral")
    discharge_case_id = forms.IntegerField(
        label="Hospital to Home case number",
        required=False,
        min_value=1,
        max_value=2**31,
        widget=NUMBER,
        help_text="For a hospital discharge: the case this referral continues",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schemes = Scheme.objects.filter(organisation_id=organisation_id).order_by("name")
        self.fields["scheme"].choices = [(str(s.pk), s.name) for s in schemes]  # type: ignore[attr-defined]


class AssessForm(CleanForm):
    eligible = forms.ChoiceField(
        label="Is the person eligible?",
        widget=SELECT,
        choices=[("yes", "Yes: eligible"), ("no", "No: not eligible")],
    )
    on = _date("Date of the check")
    risk_level = _choice("Risk level", RiskLevel.choices, required=False)
    risk_summary = _text("Risks to the person and to others, and how they will be managed", 2000, long=True)
    reason = _text("Why the person is not eligible", 500)


class OfferForm(CleanForm):
    unit = forms.ChoiceField(label="Unit", widget=SELECT)
    on = _date("Date of the offer")

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), u.name) for u in placement.scheme.units.exclude(status="out_of_use")
        ]


class MoveUnitForm(OfferForm):
    on = _date("Date of the move")


class AnswerForm(CleanForm):
    accepted = forms.ChoiceField(
        label="Answer", widget=SELECT, choices=[("yes", "Accepted"), ("no", "Declined")]
    )
    on = _date("Date of the answer")
    decline_reason = _choice("Why was it declined?", DeclineReason.choices, required=False)
    note = _text("Note", 500)


class ArriveForm(CleanForm):
    on = _date("Arrival date")
    occupation = _choice("Licence or tenancy", Occupation.choices)
    key_worker = forms.ChoiceField(label="Key worker", widget=SELECT, required=False)

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].choices = _staff_choices(placement.organisation_id)  # type: ignore[attr-defined]


class KeyWorkerForm(CleanForm):
    worker = forms.ChoiceField(label="Key worker", widget=SELECT)

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = _staff_choices(placement.organisation_id)  # type: ignore[attr-defined]


class GoalForm(CleanForm):
    area = _choice("Area", SupportArea.choices)
    description = _text("The goal, in the resident's words", 500, required=True)
    set_on = _date("Date agreed", required=False, hint=f"{HINT}. Leave it empty for today.")
    target_on = _date("Target date", required=False)


class SessionForm(CleanForm):
    held_on = _date("Date of the session")
    minutes = forms.IntegerField(label="Length in minutes", min_value=1, max_value=1000, widget=NUMBER)
    areas = forms.MultipleChoiceField(
        label="Areas covered",
        choices=SupportArea.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"}),
    )
    note = _text("Note", 2000, long=True)


class WellbeingForm(CleanForm):
    timepoint = _choice("When", [("baseline", "On arrival (baseline)"), ("follow_up", "At review or exit")])
    recorded_on = _date("Date")
    life_satisfaction = forms.IntegerField(
        label="Overall, how satisfied are you with your life nowadays? (0-10)",
        min_value=0,
        max_value=10,
        widget=NUMBER,
    )
    worthwhile = forms.IntegerField(
        label="Overall, to what extent do you feel the things you do in your life are worthwhile? (0-10)",
        min_value=0,
        max_value=10,
        widget=NUMBER,
    )
    happy = forms.IntegerField(
        label="Overall, how happy did you feel yesterday? (0-10)", min_value=0, max_value=10, widget=NUMBER
    )
    anxious = forms.IntegerField(
        label="Overall, how anxious did you feel yesterday? (0-10)", min_value=0, max_value=10, widget=NUMBER
    )


class ReviewForm(CleanForm):
    reviewed_on = _date("Date of the review")
    summary = _text("What the review found", 2000, required=True, long=True)
    readiness = _choice("Ready to move on?", Readiness.choices)
    move_on_plan = _text("Move-on plan", 2000, long=True)
    next_review_on = _date("Date of the next review")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from homeward.housing.codes import DomainOutcome, OutcomeDomain

        super().__init__(*args, **kwargs)
        for domain in OutcomeDomain:
            self.fields[f"outcome_{domain.value}"] = _choice(
                f"{domain.label}: how far the need has been met", DomainOutcome.choices, required=False
            )


def _save_review(actor: Any, p: Placement, d: dict[str, Any]) -> Any:
    outcomes = {k.removeprefix("outcome_"): d.pop(k) for k in list(d) if k.startswith("outcome_")}
    return keywork.record_review(actor=actor, placement_id=p.pk, outcomes=outcomes, **d)


class DepartForm(CleanForm):
    on = _date("Date the resident left")
    reason = _choice("How did the stay end?", DepartureReason.choices)
    destination = _choice("Where did they go?", MoveOnDestination.choices)
    note = _text("What happened", 2000, long=True)


class FollowUpForm(CleanForm):
    months = _choice("Follow-up", [("3", "3 months"), ("6", "6 months"), ("12", "12 months")])
    done_on = _date("Date of the follow-up")
    result = _choice("What was found", FollowUpResult.choices)
    note = _text("Note", 500)


class WithdrawForm(CleanForm):
    reason = _text("Why is the referral withdrawn?", 500, required=True)


def _id(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True)
class Step:
    title: str
    form: type[CleanForm]
    save: Callable[[Any, Placement, dict[str, Any]], Any]
    takes_placement: bool = False


A = services
STEPS: dict[str, Step] = {
    "assess": Step(
        "Eligibility and risk check",
        AssessForm,
        lambda actor, p, d: A.assess(
            actor=actor,
            placement_id=p.pk,
            eligible=d["eligible"] == "yes",
            on=d["on"],
            risk_level=d["risk_level"],
            risk_summary=d["risk_summary"],
            reason=d["reason"],
        ),
    ),
    "offer": Step(
        "Offer a unit",
        OfferForm,
        lambda actor, p, d: A.offer(actor=actor, placement_id=p.pk, unit_id=_id(d["unit"]), on=d["on"]),
        True,
    ),
    "answer": Step(
        "Record the answer to the offer",
        AnswerForm,
        lambda actor, p, d: A.answer_offer(
            actor=actor,
            placement_id=p.pk,
            accepted=d["accepted"] == "yes",
            on=d["on"],
            decline_reason=d["decline_reason"],
            note=d["note"],
        ),
    ),
    "arrive": Step(
        "Record the arrival",
        ArriveForm,
        lambda actor, p, d: A.arrive(
            actor=actor,
            placement_id=p.pk,
            on=d["on"],
            occupation=d["occupation"],
            key_worker_id=_id(d["key_worker"]),
        ),
        True,
    ),
    "move-unit": Step(
        "Move to another unit",
        MoveUnitForm,
        lambda actor, p, d: moveon.move_unit(
            actor=actor, placement_id=p.pk, unit_id=_id(d["unit"]), on=d["on"]
        ),
        True,
    ),
    "key-worker": Step(
        "Name the key worker",
        KeyWorkerForm,
        lambda actor, p, d: keywork.assign_key_worker(
            actor=actor, placement_id=p.pk, worker_id=_id(d["worker"])
        ),
        True,
    ),
    "goal": Step(
        "Add a support plan goal",
        GoalForm,
        lambda actor, p, d: keywork.add_goal(actor=actor, placement_id=p.pk, **d),
    ),
    "session": Step(
        "Record a key-work session",
        SessionForm,
        lambda actor, p, d: keywork.record_session(actor=actor, placement_id=p.pk, **d),
    ),
    "wellbeing": Step(
        "Record personal wellbeing (ONS4)",
        WellbeingForm,
        lambda actor, p, d: keywork.record_wellbeing(
            actor=actor,
            placement_id=p.pk,
            timepoint=d.pop("timepoint"),
            recorded_on=d.pop("recorded_on"),
            answers=d,
        ),
    ),
    "review": Step(
        "Review the support plan",
        ReviewForm,
        _save_review,
    ),
    "depart": Step(
        "Record the departure",
        DepartForm,
        lambda actor, p, d: moveon.depart(actor=actor, placement_id=p.pk, **d),
    ),
    "follow-up": Step(
        "Record a resettlement follow-up",
        FollowUpForm,
        lambda actor, p, d: moveon.record_follow_up(
            actor=actor,
            placement_id=p.pk,
            months=int(d["months"]),
            done_on=d["done_on"],
            result=d["result"],
            note=d["note"],
        ),
    ),
    "withdraw": Step(
        "Withdraw the referral",
        WithdrawForm,
        lambda actor, p, d: A.withdraw(actor=actor, placement_id=p.pk, reason=d["reason"]),
    ),
}
