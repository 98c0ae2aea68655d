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


class UnitCost(models.Model):
    """One unit cost (e.g. an A&E attendance): value at its own price year, its source and who bears it.

    Shared reference data for the whole installation, not personal data. Seeded rows cite their source
    (outcomes/data/unit_costs.yaml); administrators may add and edit rows, each change with a reason.
    """

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=12, decimal_places=2, help_text="£ at the price year")
    low = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=120, help_text="What one unit is, e.g. 'per attendance'")
    price_year = models.PositiveSmallIntegerField()
    confidence_grade = models.PositiveSmallIntegerField(help_text="1 (best evidence) to 6 (weakest)")
    source = models.TextField()
    source_url = models.URLField(max_length=400, blank=True)
    #: [{agency, kind: fiscal|economic|social, share, cashable}] with shares summing to 1.
    bearers = models.JSONField()
    seeded = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (£{self.value} {self.unit}, {self.price_year} prices)"


class UnitCostChange(models.Model):
    """Who changed a unit cost, when, why, and what it was before and after."""

    unit_cost = models.ForeignKey(UnitCost, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    before = models.JSONField(null=True)
    after = models.JSONField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.unit_cost.key} changed {self.at:%Y-%m-%d}"


class BusinessCase(models.Model):
    """A cost–benefit model for one service and period, proposed from casework and then adjusted.

    `model` is a model in the engine's schema (docs/cba.md); `evidence` records, per input path, what
    Homeward observed and where each figure came from. A scenario is a business case whose `parent` is
    the case it varies (e.g. "two more officers"). Holds counts and rates only, never personal data.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="scenarios"
    )
    name = models.CharField(max_length=160)
    service = models.CharField(max_length=60)
    period_start = models.DateField()
    period_end = models.DateField()
    model = models.JSONField()
    evidence = models.JSONField(default=dict)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class BusinessCaseChange(models.Model):
    """One assumption changed in a business case, with the reason the user gave."""

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=120)
    label = models.CharField(max_length=300)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    reason = models.TextField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.path} changed {self.at:%Y-%m-%d}"
