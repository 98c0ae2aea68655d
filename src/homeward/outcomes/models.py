"""Saved simulation runs: a scenario, its seed, and what came out (counts only, no personal data)."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, User


class SimulationRun(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    name = models.CharField(max_length=120)
    scenario = models.JSONField(help_text="The scenario in the simulator's schema (docs/flowsim.md)")
    replications = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    summary = models.JSONField(help_text="Per-metric mean, 95% CI, p50, p95")
    values = models.JSONField(help_text="Per-replication metric values, for paired comparisons")
    series = models.JSONField(
        help_text="Occupancy by day (mean and 95% CI) and the delayed bed-days histogram"
    )
    seconds = models.FloatField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
