"""Healthy homes: home visits with the HHSRS hazards found (scored by `engines.hhsrs`), their photos, the
handyperson jobs and falls-prevention checks that follow, and Awaab's Law reports of damp and mould or
emergency hazards whose clocks `engines.hhsrs.awaab` works out from the times stored here.

A visit or report is held by the organisation that made it; others take part through a `Participation`
(case types "adaptations.visit" and "adaptations.awaab") while an agreement is in force.
"""

from __future__ import annotations

from django.db import models

from homeward.adaptations.codes import (
    AwaabEvidenceKind,
    AwaabHazardKind,
    CheckerRole,
    HazardAction,
    JobKind,
    VisitKind,
)
from homeward.core.models import Organisation, Person, User


class HomeVisit(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="home_visits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "adaptations.AdaptationCase", on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    kind = models.CharField(max_length=16, choices=VisitKind.choices, default=VisitKind.HOME_SAFETY)
    address = models.CharField(max_length=300)
    visited_on = models.DateField()
    visited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checker_role = models.CharField(max_length=20, choices=CheckerRole.choices, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    #: The falls check's answers (question code → yes/no/not_applicable) and the engine's summary.
    falls_answers = models.JSONField(default=dict, blank=True)
    falls_summary = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "-visited_on"], name="adapt_visit_org_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"HV-{self.pk:06d}"


class HazardFinding(models.Model):
    """One hazard found on a visit, as the surveyor rated it, with the engine's score, band and working."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="findings")
    hazard = models.CharField(max_length=64, help_text="An HHSRS hazard code (docs/adaptations.md)")
    likelihood = models.FloatField(help_text='L of "1 in L"')
    class_i = models.PositiveSmallIntegerField()
    class_ii = models.PositiveSmallIntegerField()
    class_iii = models.PositiveSmallIntegerField()
    class_iv = models.PositiveSmallIntegerField()
    score = models.FloatField()
    band = models.CharField(max_length=1)
    category = models.PositiveSmallIntegerField()
    explanation = models.TextField(max_length=2000)
    action = models.CharField(max_length=24, choices=HazardAction.choices)
    action_note = models.CharField(max_length=500, blank=True)
    action_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    removed_on = models.DateField(null=True, blank=True, help_text="The hazard was removed or reduced")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-score", "pk"]
        indexes = [
            models.Index(
                fields=["category", "removed_on"],
                name="adapt_hazard_cat1_idx",
                condition=models.Q(category=1),
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard} ({self.band})"


class HazardPhoto(models.Model):
    """A photo of a hazard, checked by its content and re-encoded without its metadata (location included)
    before it is stored (`photos.clean_photo`)."""

    finding = models.ForeignKey(HazardFinding, on_delete=models.CASCADE, related_name="photos")
    content_type = models.CharField(max_length=20)
    image = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or f"Photo {self.pk}"


class HandypersonJob(models.Model):
    """A small job (a repair, a grab rail, a key safe) from a visit, with the time and materials it took."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="jobs")
    finding = models.ForeignKey(
        HazardFinding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    description = models.CharField(max_length=300)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    materials_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["done_on", "requested_on", "pk"]

    def __str__(self) -> str:
        return self.description


class AwaabReport(models.Model):
    """A social landlord's record of one reported hazard under Awaab's Law: the times the engine's clocks
    run from and stop at. The clocks themselves are never stored; they are worked out by the engine."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="awaab_reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(HomeVisit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hazard = models.CharField(max_length=32, choices=AwaabHazardKind.choices)
    address = models.CharField(max_length=300)
    description = models.TextField(max_length=2000)
    aware_at = models.DateTimeField(help_text="When the landlord became aware of the hazard")
    investigation_concluded_at = models.DateTimeField(null=True, blank=True)
    hazard_found = models.BooleanField(null=True, blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    safety_work_done_at = models.DateTimeField(null=True, blank=True)
    further_works_begun_at = models.DateTimeField(null=True, blank=True)
    further_works_started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-aware_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-aware_at"], name="adapt_awaab_org_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"AW-{self.pk:06d}"


class AwaabEvidence(models.Model):
    report = models.ForeignKey(AwaabReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=40, choices=AwaabEvidenceKind.choices)
    at = models.DateTimeField()
    note = models.CharField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class HealthyHomesEvent(models.Model):
    """The timeline of a visit or an Awaab report: what was recorded, by whom, in order."""

    visit = models.ForeignKey(
        HomeVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    report = models.ForeignKey(
        AwaabReport, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title


class WarmHomesCheck(models.Model):
    """A warm-homes check on a visit: what was recorded and what `engines.healthyhomes` made of it (likely
    fuel poor by LILEE, and eligibility for the local grant scheme in force, whose rules are data)."""

    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="warm_homes_checks")
    checked_on = models.DateField()
    epc_band = models.CharField("EPC band", max_length=1, blank=True)
    main_heating = models.CharField(max_length=24, blank=True)
    tenure = models.CharField(max_length=16, blank=True)
    income_band = models.CharField(max_length=24, blank=True)
    annual_household_income = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    receives_means_tested_benefit = models.BooleanField(null=True, blank=True)
    health_condition_worsened_by_cold = models.BooleanField(null=True, blank=True)
    #: The engine's outcome, as it said it.
    likely_fuel_poor = models.BooleanField(null=True, blank=True)
    fuel_poverty_reasons = models.TextField(max_length=2000)
    scheme_name = models.CharField(max_length=200, blank=True)
    scheme_source = models.CharField(max_length=1000, blank=True)
    scheme_illustrative = models.BooleanField(default=False)
    scheme_eligible = models.BooleanField(null=True, blank=True)
    scheme_reasons = models.TextField(max_length=4000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"Warm-homes check {self.checked_on:%d %b %Y}"
