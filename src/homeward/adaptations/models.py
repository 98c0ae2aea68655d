"""Adaptations cases: a person at a property, from first contact to finished, paid works, with a timeline.

Every date a council reports is its own column (never inferred from edit times), so the stage durations and
the statutory clocks (`clocks.py`) are read straight from the case.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from homeward.adaptations.codes import (
    AdaptationStatus,
    Complexity,
    Priority,
    Route,
    Source,
    TaskKind,
    TeamRole,
    Tenure,
    WorkKind,
)
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
    # Complexity (tasks.COMPLEXITY_RULE) decides who may assess.
    complexity = models.CharField(max_length=10, choices=Complexity.choices, blank=True)
    complexity_reasons = models.CharField(max_length=500, blank=True)
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


class DfgTablesFile(models.Model):
    """An organisation's DFG test-of-resources tables (format `homeward-dfg-tables/1`, docs/adaptations.md),
    merged over the figures Homeward ships. The newest file an organisation loaded is the one in use; older
    ones are kept so an earlier test can be traced to the tables it used."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    text = models.TextField(max_length=200_000, help_text="The file as loaded (JSON or YAML)")
    is_yaml = models.BooleanField(default=False)
    illustrative = models.BooleanField(default=False)
    loaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-loaded_at"], name="adapt_tables_org_idx")]

    def __str__(self) -> str:
        return self.name


class ResourcesTest(models.Model):
    """One run of the test of resources on a case (engines.dfg.assess_contribution): what was entered, the
    outcome and each step in words. The newest is the case's; the grant form offers its contribution."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="resources_tests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    assessment_date = models.DateField(help_text="The tables in force on this date were used")
    basis = models.CharField(max_length=32)
    means_tested = models.BooleanField()
    contribution = models.DecimalField(max_digits=11, decimal_places=2)
    application = models.JSONField(help_text="The engine's input, as entered")
    steps = models.TextField(max_length=8000)
    warnings = models.TextField(max_length=2000, blank=True)
    tables_used = models.JSONField(default=list)

    class Meta:
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"Test of resources on {self.case}"


class WorkItem(models.Model):
    """One line of the schedule of works: a quantity at a price, or a fee."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="work_items")
    kind = models.CharField(max_length=16, choices=WorkKind.choices, default=WorkKind.WORKS)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=7, decimal_places=2)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Quote(models.Model):
    """A contractor's quote for the works; one may be chosen (with the reason when it is not the cheapest)."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="quotes")
    contractor = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    received_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    chosen = models.BooleanField(default=False)
    chosen_reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["amount", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(chosen=True), name="adapt_one_chosen_quote"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contractor}: {self.amount}"


class Variation(models.Model):
    """A change to the works once under way: its amount (more or less) and why."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="variations")
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(max_length=500)
    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["agreed_on", "pk"]

    def __str__(self) -> str:
        return self.description


class TeamTask(models.Model):
    """One piece of the co-located team's work on a case, with the role that does it, the organisation
    (the holder or one taking part), who, and its due date in working days."""

    case = models.ForeignKey(AdaptationCase, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    owner_role = models.CharField(max_length=20, choices=TeamRole.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: Why a task was closed without being done (the case ended first); blank for a task done. A closed
    #: task has `done_on` (the day it was closed) like a done one, so "open" stays `done_on IS NULL`.
    cancelled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "due_on"],
                name="adapt_task_open_idx",
                condition=models.Q(done_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


from homeward.adaptations.healthy_models import (  # noqa: E402  (healthy homes models, in their own module)
    AwaabEvidence,
    AwaabReport,
    HandypersonJob,
    HazardFinding,
    HazardPhoto,
    HealthyHomesEvent,
    HomeVisit,
)

__all__ = [
    "OPEN_STATUSES",
    "AdaptationCase",
    "AwaabEvidence",
    "AwaabReport",
    "CaseEvent",
    "DfgTablesFile",
    "HandypersonJob",
    "HazardFinding",
    "HazardPhoto",
    "HealthyHomesEvent",
    "HomeVisit",
    "Quote",
    "ResourcesTest",
    "TeamTask",
    "Variation",
    "WorkItem",
]
