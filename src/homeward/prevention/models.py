"""Concerns raised by frontline staff; events imported from housing systems; scoring runs and alerts."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, Tenancy, User
from homeward.prevention.codes import AlertDecision, ConcernCategory, TriageDecision, Urgency


class Concern(models.Model):
    """Something a repairs operative, neighbourhood officer or call handler noticed, in under 30 seconds."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="concerns")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    category = models.CharField(max_length=20, choices=ConcernCategory.choices)
    seen = models.TextField(max_length=1000, help_text="What was seen or heard")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    safeguarding_alerted_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=TriageDecision.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    triaged_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["organisation", "triaged_at"], name="concern_org_triage_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} concern"

    @property
    def is_safeguarding(self) -> bool:
        from homeward.prevention.codes import SAFEGUARDING_CATEGORIES

        return self.category in SAFEGUARDING_CATEGORIES


class ImportBatch(models.Model):
    """One `homeward import events` run: what came in, and what it changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    source = models.CharField(max_length=500)
    counts = models.JSONField(default=dict, help_text="kind -> {created, updated, unchanged}")

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"Import {self.imported_at:%d %b %Y %H:%M}"


class HousingEvent(models.Model):
    """One row of a housing-system extract (tenancy, contact, repair, rent week, ASB report, concern or
    outcome), as the risk engine validated it. `event_id` hashes the row's natural key, so importing the
    same row again finds it; `row_hash` hashes every column, so a changed row is updated."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    event_id = models.CharField(max_length=24)
    row_hash = models.CharField(max_length=24)
    tenancy_ref = models.CharField(max_length=40)
    data = models.JSONField(help_text="The row, every value as text in ISO form")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="events")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "event_id"], name="housing_event_once")
        ]
        indexes = [models.Index(fields=["organisation", "kind"], name="housing_event_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class RiskRun(models.Model):
    """One scoring of every live tenancy of an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ran_at = models.DateTimeField()
    as_of = models.DateField()
    mode = models.CharField(max_length=8, choices=[("rules", "Trigger rules"), ("model", "Learned model")])
    threshold = models.FloatField()
    tenancies = models.PositiveIntegerField()
    alerts_raised = models.PositiveIntegerField()

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Scoring {self.as_of}"


class RiskAlert(models.Model):
    """A tenancy whose score crossed the threshold, with the reasons, and what the team decided."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(RiskRun, on_delete=models.PROTECT, related_name="alerts")
    tenancy_ref = models.CharField(max_length=40)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_on = models.DateField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    decision = models.CharField(max_length=20, choices=AlertDecision.choices, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "tenancy_ref"]
        indexes = [
            models.Index(fields=["organisation", "decided_on", "score"], name="alert_org_open_idx"),
            models.Index(fields=["organisation", "tenancy_ref"], name="alert_org_tenancy_idx"),
        ]

    def __str__(self) -> str:
        return f"Alert {self.tenancy_ref}"


class TriggerRules(models.Model):
    """An organisation's own trigger rules (YAML in the engine's format); the engine's defaults otherwise."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=20000)
    threshold = models.FloatField(default=40)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Trigger rules of {self.organisation}"


class LearnedModel(models.Model):
    """A calibrated model trained on the organisation's recorded outcomes (the engine's JSON form)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trained_at = models.DateTimeField()
    as_of = models.DateField()
    model = models.JSONField()
    tenancies = models.PositiveIntegerField()
    positives = models.PositiveIntegerField()

    class Meta:
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"Model trained {self.trained_at:%d %b %Y}"
