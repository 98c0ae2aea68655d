"""Adaptations cases: a person at a property, from first contact to finished, paid works, with a timeline.

Every date a council reports is its own column (never inferred from edit times), so the stage durations and
the statutory clocks (`clocks.py`) are read straight from the case.
"""

from __future__ import annotations

from django.db import models

from homeward.adaptations.codes import AdaptationStatus, Priority, Route, Source, Tenure
from homeward.core.models import Organisation, Person, Team, User

OPEN_STATUSES = (
    AdaptationStatus.FIRST_CONTACT,
    AdaptationStatus.ASSESSMENT,
    AdaptationStatus.APPLICATION,
    AdaptationStatus.APPROVAL,
    AdaptationStatus.WORKS,
    AdaptationStatus.SIGN_OFF,
)


class AdaptationCase(models.Model):
    """Held by the organisation that opened it (usually the housing authority); others take part through a
    `Participation` (case type "adaptations.case") while an agreement is in force."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adaptation_cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="adaptation_cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_to = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=AdaptationStatus.choices, default=AdaptationStatus.FIRST_CONTACT
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    tenure = models.CharField(max_length=32, choices=Tenure.choices)
    route = models.CharField(max_length=16, choices=Route.choices, default=Route.DFG)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.STANDARD)
    priority_reason = models.CharField(max_length=500, blank=True)
    needs = models.TextField(max_length=2000, help_text="What the person needs, in a sentence or two")
    address = models.CharField(max_length=300, help_text="The property to be adapted")
    postcode = models.CharField(max_length=8, blank=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    # The dates a council reports (DFG delivery guidance 2022 stages 0-4, then sign-off and payment).
    enquiry_received_on = models.DateField()
    first_contact_on = models.DateField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True, help_text="Assessment done, works identified")
    application_submitted_on = models.DateField(null=True, blank=True)
    application_valid_on = models.DateField(
        null=True, blank=True, help_text="The valid, complete application: the decision clock starts here"
    )
    decision_on = models.DateField(null=True, blank=True, help_text="Approval or refusal notified")
    approved_on = models.DateField(null=True, blank=True)
    works_started_on = models.DateField(null=True, blank=True)
    works_completed_on = models.DateField(null=True, blank=True)
    works_extended_to = models.DateField(
        null=True, blank=True, help_text="A further period the council allowed for the works (s.37(3))"
    )
    inspection_passed_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Endings.
    refusal_reason = models.CharField(max_length=500, blank=True)
    review_by = models.DateField(null=True, blank=True, help_text="Last day to ask for a review or appeal")
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    # The grant (engines.dfg.grant_amount), recorded by the grants officer.
    cost_of_works = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    contribution = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    grant = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    discretionary = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    top_up_reference = models.CharField(max_length=200, blank=True)
    land_charge = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    grant_statement = models.TextField(max_length=4000, blank=True)
    # Hospital fast track: the Hospital to Home blocker this case was opened from.
    discharge_blocker = models.ForeignKey(
        "discharge.Blocker", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="adapt_org_status_idx"),
            models.Index(fields=["person", "enquiry_received_on"], name="adapt_person_enquiry_idx"),
            models.Index(
                fields=["status"],
                name="adapt_open_idx",
                condition=models.Q(
                    status__in=["first_contact", "assessment", "application", "approval", "works", "sign_off"]
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_on__isnull=True)
                | models.Q(works_completed_on__isnull=True)
                | models.Q(works_completed_on__gte=models.F("approved_on")),
                name="adapt_works_completed_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ADP-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """The case timeline: every stage move and recorded date, in order."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title
