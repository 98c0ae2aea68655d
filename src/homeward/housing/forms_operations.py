"""Forms for the needs and risk assessment, risks, welfare checks and visitors (placement steps), and for
the scheme's own records: shift handovers, incidents and their review, the activity timetable and
attendance (`SCHEME_STEPS`). They parse; the services validate and decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from homeward.core.validators import CleanForm
from homeward.housing import assessment, feedback, operations
from homeward.housing.codes import (
    ActivityKind,
    FeedbackFrom,
    FeedbackKind,
    IncidentKind,
    NeedLevel,
    OutcomeDomain,
    RiskCategory,
    RiskLevel,
    RiskTo,
    Shift,
    WelfareOutcome,
)
from homeward.housing.forms import NUMBER, SELECT, TEXT, Step, _choice, _date, _text
from homeward.housing.models import Placement, Scheme

TIME = forms.TimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-5"}, format="%H:%M")
TICK = forms.CheckboxInput(attrs={"class": "nhsuk-checkboxes__input"})
BOXES = forms.CheckboxSelectMultiple(attrs={"class": "nhsuk-checkboxes__input"})
WEEKDAYS = [
    (str(i), d)
    for i, d in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
]


def _time(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(label=label, required=required, widget=TIME, help_text="24-hour clock, e.g. 21:30")


def _moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


def _residents(scheme: Scheme) -> list[tuple[str, str]]:
    from homeward.housing.codes import PlacementStatus

    living = scheme.placements.filter(status=PlacementStatus.RESIDENT).select_related("person")
    return [
        (str(p.pk), f"{p.person.family_name.upper()}, {p.person.given_name} ({p.reference})")
        for p in living.order_by("person__family_name", "pk")[:200]
    ]


class AssessmentForm(CleanForm):
    assessed_on = _date("Date of the assessment")
    welfare_check_hours = forms.IntegerField(
        label="At risk: check on the resident at least every (hours)",
        required=False,
        min_value=1,
        max_value=168,
        widget=NUMBER,
        help_text="Leave empty if the resident does not need welfare checks",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain in OutcomeDomain:
            self.fields[f"need_{domain.value}"] = _choice(
                f"{domain.label}: support needed", NeedLevel.choices
            )
            self.fields[f"note_{domain.value}"] = _text(
                f"{domain.label}: what support, in the resident's words", 500
            )


def _save_assessment(actor: Any, p: Placement, d: dict[str, Any]) -> Any:
    return assessment.record_assessment(
        actor=actor,
        placement_id=p.pk,
        assessed_on=d["assessed_on"],
        needs={x.value: d[f"need_{x.value}"] for x in OutcomeDomain},
        notes={x.value: d[f"note_{x.value}"] for x in OutcomeDomain},
        welfare_check_hours=d["welfare_check_hours"],
    )


class RiskForm(CleanForm):
    to_whom = _choice("Who is at risk?", RiskTo.choices)
    category = _choice("Kind of risk", RiskCategory.choices)
    level = _choice("Level", RiskLevel.choices)
    description = _text("The risk", 500, required=True)
    mitigation = _text("How the risk is managed", 1000, required=True, long=True)
    identified_on = _date("Date identified")


class WelfareCheckForm(CleanForm):
    checked_on = _date("Date of the check")
    checked_time = _time("Time of the check")
    outcome = _choice("What was found", WelfareOutcome.choices)
    note = _text("Note", 500)


class VisitForm(CleanForm):
    visitor = _text("Visitor's name", 120, required=True)
    relationship = _text("Relationship to the resident", 60)
    arrived_on = _date("Date of the visit")
    arrived_time = _time("Time they arrived")
    left_time = _time("Time they left", required=False)


PLACEMENT_STEPS: dict[str, Step] = {
    "assessment": Step("Needs and risk assessment", AssessmentForm, _save_assessment),
    "risk": Step(
        "Record a risk and how it is managed",
        RiskForm,
        lambda actor, p, d: assessment.add_risk(actor=actor, placement_id=p.pk, **d),
    ),
    "welfare-check": Step(
        "Record a welfare check",
        WelfareCheckForm,
        lambda actor, p, d: operations.record_welfare_check(
            actor=actor,
            placement_id=p.pk,
            checked_at=_moment(d["checked_on"], d["checked_time"]),
            outcome=d["outcome"],
            note=d["note"],
        ),
    ),
    "visit": Step(
        "Sign in a visitor",
        VisitForm,
        lambda actor, p, d: operations.record_visit(
            actor=actor,
            placement_id=p.pk,
            visitor=d["visitor"],
            relationship=d["relationship"],
            arrived_at=_moment(d["arrived_on"], d["arrived_time"]),
            left_at=_moment(d["arrived_on"], d["left_time"]),
        ),
    ),
}


class HandoverForm(CleanForm):
    shift_on = _date("Date of the shift")
    shift = _choice("Shift", Shift.choices)
    staff_on_duty = _text("Staff on duty", 300, required=True)
    handover = _text("Handover for the next shift", 4000, required=True, long=True)


class IncidentForm(CleanForm):
    occurred_on = _date("Date of the incident")
    occurred_time = _time("Time of the incident")
    kind = _choice("What kind of incident?", IncidentKind.choices)
    description = _text("What happened", 4000, long=True)
    action_taken = _text("What staff did", 2000, required=True, long=True)
    residents = forms.MultipleChoiceField(label="Residents involved", required=False, widget=BOXES)
    others_involved = _text("Other people involved (staff, visitors, neighbours)", 500)
    is_safeguarding = forms.BooleanField(label="This is a safeguarding concern", required=False, widget=TICK)
    police_called = forms.BooleanField(label="The police were called", required=False, widget=TICK)
    ambulance_called = forms.BooleanField(label="An ambulance was called", required=False, widget=TICK)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = _residents(scheme)  # type: ignore[attr-defined]


class IncidentReviewForm(CleanForm):
    incident = forms.ChoiceField(label="Incident", widget=SELECT)
    reviewed_on = _date("Date of the review")
    note = _text("What the review found and what changes", 2000, required=True, long=True)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_ = scheme.incidents.filter(reviewed_on__isnull=True)[:100]
        self.fields["incident"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{timezone.localtime(i.occurred_at):%d %b %Y %H:%M}: {i.get_kind_display()}")
            for i in open_
        ]


class ActivityForm(CleanForm):
    name = forms.CharField(label="Activity", max_length=120, widget=TEXT)
    kind = _choice("Kind", ActivityKind.choices)
    weekday = _choice("Day of the week", WEEKDAYS)
    starts_at = _time("Start time")
    minutes = forms.IntegerField(label="Length in minutes", min_value=1, max_value=1000, widget=NUMBER)


class AttendanceForm(CleanForm):
    activity = forms.ChoiceField(label="Activity", widget=SELECT)
    held_on = _date("Date it ran")
    residents = forms.MultipleChoiceField(label="Residents who came", required=False, widget=BOXES)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.name} ({WEEKDAYS[a.weekday][1]} {a.starts_at:%H:%M})")
            for a in scheme.activities.filter(is_active=True)
        ]
        self.fields["residents"].choices = _residents(scheme)  # type: ignore[attr-defined]


class FeedbackForm(CleanForm):
    received_on = _date("Date received")
    kind = _choice("Kind of feedback", FeedbackKind.choices)
    from_whom = _choice("Who gave it", FeedbackFrom.choices)
    resident = _choice("The resident, if they want to be named", [], required=False)
    summary = _text("What they said", 2000, long=True)
    action_taken = _text("What was done", 2000, long=True)

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "Not named"), *_residents(scheme)]  # type: ignore[attr-defined]


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@dataclass(frozen=True)
class SchemeStep:
    title: str
    form: type[CleanForm]
    save: Callable[[Any, Scheme, dict[str, Any]], Any]
    takes_scheme: bool = False


SCHEME_STEPS: dict[str, SchemeStep] = {
    "handover": SchemeStep(
        "Write the shift handover",
        HandoverForm,
        lambda actor, s, d: operations.write_handover(actor=actor, scheme_id=s.pk, **d),
    ),
    "incident": SchemeStep(
        "Record an incident",
        IncidentForm,
        lambda actor, s, d: operations.record_incident(
            actor=actor,
            scheme_id=s.pk,
            occurred_at=_moment(d["occurred_on"], d["occurred_time"]),
            kind=d["kind"],
            description=d["description"],
            action_taken=d["action_taken"],
            placement_ids=_ids(d["residents"]),
            others_involved=d["others_involved"],
            is_safeguarding=d["is_safeguarding"],
            police_called=d["police_called"],
            ambulance_called=d["ambulance_called"],
        ),
        True,
    ),
    "incident-review": SchemeStep(
        "Review an incident",
        IncidentReviewForm,
        lambda actor, s, d: operations.review_incident(
            actor=actor,
            scheme_id=s.pk,
            incident_id=int(d["incident"]) if d["incident"].isdigit() else None,
            reviewed_on=d["reviewed_on"],
            note=d["note"],
        ),
        True,
    ),
    "activity": SchemeStep(
        "Add an activity to the timetable",
        ActivityForm,
        lambda actor, s, d: operations.add_activity(
            actor=actor,
            scheme_id=s.pk,
            name=d["name"],
            kind=d["kind"],
            weekday=int(d["weekday"]),
            starts_at=d["starts_at"],
            minutes=d["minutes"],
        ),
    ),
    "feedback": SchemeStep(
        "Record resident feedback",
        FeedbackForm,
        lambda actor, s, d: feedback.record_feedback(
            actor=actor,
            scheme_id=s.pk,
            received_on=d["received_on"],
            kind=d["kind"],
            from_whom=d["from_whom"],
            summary=d["summary"],
            action_taken=d["action_taken"],
            placement_id=int(d["resident"]) if d["resident"].isdigit() else None,
        ),
        True,
    ),
    "attendance": SchemeStep(
        "Record attendance at an activity",
        AttendanceForm,
        lambda actor, s, d: operations.record_attendance(
            actor=actor,
            scheme_id=s.pk,
            activity_id=int(d["activity"]) if d["activity"].isdigit() else None,
            held_on=d["held_on"],
            placement_ids=_ids(d["residents"]),
        ),
        True,
    ),
}
