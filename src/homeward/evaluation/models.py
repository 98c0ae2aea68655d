"""Evaluations and imported activity extracts. Both hold pseudonymised keys and counts only: never a
name, NHS number or address (keys are keyed hashes, governance.pseudonym)."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, User
from homeward.evaluation.codes import DataSource, EvaluationStatus


class ActivityExtract(models.Model):
    """An imported activity extract (key, month, measure, count) and its people file (key, start_date,
    categories, covariates), checked whole by the engine's `check_data` and kept as Parquet."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    activity = models.BinaryField(help_text="The activity rows as given, Parquet")
    people = models.BinaryField(help_text="The people rows as given, Parquet")
    rows = models.PositiveIntegerField()
    people_count = models.PositiveIntegerField()
    measures = models.JSONField(default=list)
    columns = models.JSONField(default=list, help_text="The people file's category and covariate columns")

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One analysis: the design (the engine's spec), where its data came from, and the engine's result
    (`EvaluationResult.model_dump(mode="json")`) once the background job has run it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=DataSource.choices)
    intervention = models.CharField(max_length=40, blank=True, help_text="Registry key, for records")
    extract = models.ForeignKey(
        ActivityExtract, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    spec = models.JSONField()
    status = models.CharField(
        max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.QUEUED
    )
    job_id = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent_to_case_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Evaluation #{self.pk}: {self.spec.get('intervention', '')}"
