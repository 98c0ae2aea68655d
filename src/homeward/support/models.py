"""Social prescribing and key-work cases: a worker's caseload, what matters to the person, their goals,
contacts, wellbeing before and after, and (through referrals) where they were referred on to."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, Team, User
from homeward.referrals.models import Referral
from homeward.support.codes import (
    CaseKind,
    CaseStatus,
    ContactMethod,
    DischargeReason,
    GoalStatus,
    Route,
    Timepoint,
)
from homeward.support.wellbeing import TOOL_CHOICES


class SupportCase(models.Model):
    """One person on a link worker's or key worker's caseload, held by the worker's organisation.

    Dates that the dashboard measures are stored as they happened: referred, first contact, discharged."""

    kind = models.CharField(max_length=20, choices=CaseKind.choices, default=CaseKind.SOCIAL_PRESCRIBING)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="support_cases"
    )
    referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_case",
        help_text="The referral that brought the person in (none for self-referrals)",
    )
    route = models.CharField("Referred by", max_length=12, choices=Route.choices)
    referred_on = models.DateField()
    opened_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.WAITING)
    first_contact_on = models.DateField(null=True, blank=True)
    what_matters = models.TextField("What matters to me", max_length=4000, blank=True)
    what_matters_on = models.DateField(null=True, blank=True)
    root_causes = models.JSONField(default=list, blank=True, help_text="Key work: codes from RootCause")
    attendances_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Key work: A&E attendances in the 12 months before the case opened"
    )
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=12, choices=DischargeReason.choices, blank=True)
    discharge_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="support_org_status_idx"),
            models.Index(fields=["worker", "status"], name="support_worker_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        prefix = "KW" if self.kind == CaseKind.KEY_WORKER else "SP"
        return f"{prefix}-{self.pk:06d}"

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact_on is None:
            return None
        return (self.first_contact_on - self.referred_on).days


class Goal(models.Model):
    """A personalised goal, in the person's words."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=500)
    status = models.CharField(max_length=14, choices=GoalStatus.choices, default=GoalStatus.AGREED)
    set_on = models.DateField()
    updated_on = models.DateField()

    class Meta:
        ordering = ["set_on", "pk"]

    def __str__(self) -> str:
        return self.description


class Contact(models.Model):
    """A conversation or meeting with the person."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField()
    method = models.CharField(max_length=14, choices=ContactMethod.choices)
    minutes = models.PositiveSmallIntegerField(default=30)
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_method_display()} on {self.occurred_on}"


class WellbeingMeasure(models.Model):
    """One completed questionnaire: the answers as given and the headline score worked out from them."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="measures")
    tool = models.CharField(max_length=16, choices=TOOL_CHOICES)
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)
    recorded_on = models.DateField()
    answers = models.JSONField()
    score = models.FloatField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "tool", "timepoint"], name="support_one_measure_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.tool} {self.timepoint}"
