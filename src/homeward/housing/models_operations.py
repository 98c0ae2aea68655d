"""Supported housing beyond the placement's own steps: the needs and risk assessment (by outcome domain,
with risks to the resident and to others and how each is managed), the scheme's activity timetable and
attendance, the 24/7 records (shift handovers, incidents, welfare checks and visitors), and resident
feedback about the scheme.

Kept apart from `models.py` (which holds schemes, units and the placement journey) so each stays small;
Django finds these through `models.py`'s import at its end."""

from __future__ import annotations

from django.db import models

from homeward.core.models import User
from homeward.housing.codes import (
    ActivityKind,
    FeedbackFrom,
    FeedbackKind,
    IncidentKind,
    RiskCategory,
    RiskLevel,
    RiskTo,
    Shift,
    WelfareOutcome,
)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NeedsAssessment(models.Model):
    """A needs and risk assessment: the support needed in each outcome domain (with a note in the
    resident's words). The first one after arrival is due within the scheme's `plan_within_days`."""

    placement = models.ForeignKey("housing.Placement", on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    needs = models.JSONField(help_text="OutcomeDomain code -> {'level': NeedLevel code, 'note': text}")
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.placement} assessed {self.assessed_on}"


class Risk(models.Model):
    """A risk to the resident or to other people, with how it is managed; open until `closed_on`."""

    placement = models.ForeignKey("housing.Placement", on_delete=models.CASCADE, related_name="risks")
    to_whom = models.CharField(max_length=8, choices=RiskTo.choices)
    category = models.CharField(max_length=14, choices=RiskCategory.choices)
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    description = models.CharField(max_length=500)
    mitigation = models.TextField(max_length=1000)
    identified_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True, help_text="Why the risk was closed")

    class Meta:
        ordering = ["closed_on", "-identified_on", "pk"]

    def __str__(self) -> str:
        return self.description


class Activity(models.Model):
    """A regular activity on the scheme's timetable (a gym session, a CV workshop, a recovery group)."""

    scheme = models.ForeignKey("housing.Scheme", on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=14, choices=ActivityKind.choices)
    weekday = models.PositiveSmallIntegerField(help_text="0 Monday to 6 Sunday")
    starts_at = models.TimeField()
    minutes = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["weekday", "starts_at", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="housing_activity_weekday"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.weekday]


class ActivitySession(models.Model):
    """One time an activity ran, and the residents who came."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    attendees = models.ManyToManyField("housing.Placement", related_name="activity_sessions", blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "held_on"], name="housing_activity_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.activity} on {self.held_on}"


class ShiftHandover(models.Model):
    """The shift log of a 24/7 scheme: one handover note per shift."""

    scheme = models.ForeignKey("housing.Scheme", on_delete=models.PROTECT, related_name="handovers")
    shift_on = models.DateField()
    shift = models.CharField(max_length=6, choices=Shift.choices)
    staff_on_duty = models.CharField(max_length=300)
    handover = models.TextField(max_length=4000)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-shift_on", "-written_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "shift_on", "shift"], name="housing_one_handover_a_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.shift_on} {self.shift}"


class Incident(models.Model):
    """Something that happened in the scheme: who was involved, whether the police or an ambulance came,
    and a safeguarding flag that tells the safeguarding lead at once (a link, no details)."""

    scheme = models.ForeignKey("housing.Scheme", on_delete=models.PROTECT, related_name="incidents")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=IncidentKind.choices)
    description = models.TextField(max_length=4000)
    residents = models.ManyToManyField("housing.Placement", related_name="incidents", blank=True)
    others_involved = models.CharField(max_length=500, blank=True, help_text="Staff, visitors, neighbours")
    is_safeguarding = models.BooleanField(default=False)
    police_called = models.BooleanField(default=False)
    ambulance_called = models.BooleanField(default=False)
    action_taken = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    safeguarding_alerted_at = models.DateTimeField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True, help_text="A manager reviewed it and closed it")
    review_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["scheme", "occurred_at"], name="housing_incident_scheme_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class WelfareCheck(models.Model):
    """A check on a resident at risk: when, by whom, and what was found."""

    placement = models.ForeignKey(
        "housing.Placement", on_delete=models.CASCADE, related_name="welfare_checks"
    )
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=14, choices=WelfareOutcome.choices)
    note = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["placement", "checked_at"], name="housing_welfare_idx")]

    def __str__(self) -> str:
        return f"{self.placement} checked {self.checked_at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """A visitor signed in to see a resident."""

    placement = models.ForeignKey("housing.Placement", on_delete=models.CASCADE, related_name="visits")
    visitor = models.CharField(max_length=120)
    relationship = models.CharField(max_length=60, blank=True)
    arrived_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-arrived_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True) | models.Q(left_at__gt=models.F("arrived_at")),
                name="housing_visit_leaves_after_arriving",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} visiting {self.placement}"


class Feedback(models.Model):
    """Feedback about the scheme from a resident, a former resident or a visitor: a compliment, a
    suggestion or a complaint, when it was received and what was done. Named only when the resident
    chooses to be (`placement`); the standards evidence counts it, by kind."""

    scheme = models.ForeignKey("housing.Scheme", on_delete=models.PROTECT, related_name="feedback")
    received_on = models.DateField()
    kind = models.CharField(max_length=10, choices=FeedbackKind.choices)
    from_whom = models.CharField(max_length=16, choices=FeedbackFrom.choices)
    placement = models.ForeignKey(
        "housing.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        help_text="The resident who gave it, if they want to be named",
    )
    summary = models.TextField(max_length=2000, help_text="What they said, in their words where possible")
    action_taken = models.TextField(max_length=2000, help_text="What was done about it")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["scheme", "received_on"], name="housing_feedback_scheme_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_on}"
