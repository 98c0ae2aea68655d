"""Linkage runs, scored pairs and reviewers' decisions, stable identities and tenant-in-hospital alerts.

Every row belongs to one data-sharing agreement that names linkage as a purpose; what a party may see of
the other party's record is the agreement's linkage fields, no more (`selectors`)."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, User
from homeward.governance.models import DataSharingAgreement
from homeward.linkage.codes import AlertStatus, PairStatus, RunStatus


class LinkageSettings(models.Model):
    """An agreement's linkage thresholds (match probabilities): linked at or above `upper`, dropped below
    `lower`, reviewed between."""

    agreement = models.OneToOneField(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    upper = models.FloatField(default=0.95)
    lower = models.FloatField(default=0.5)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "linkage settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lower__gt=0, upper__lt=1, lower__lt=models.F("upper")),
                name="linkage_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Thresholds {self.lower}–{self.upper}"


class LinkageRun(models.Model):
    """One batch run over the parties' records: who ran it, over which fields, what it found."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    fields = models.JSONField(default=list)
    records_by_organisation = models.JSONField(default=dict)
    pairs_scored = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)
    expected_precision = models.FloatField(null=True, blank=True)
    upper_threshold = models.FloatField(default=0.95)
    lower_threshold = models.FloatField(default=0.5)
    model_version = models.PositiveIntegerField(default=1)
    model_json = models.TextField(blank=True)
    # Every scored pair in 100 bins of match weight (runs.WEIGHT_FROM, WEIGHT_STEP): [pairs, sum of
    # probabilities] per bin, so the effect of
    # other thresholds can be shown without keeping the dropped pairs.
    histogram = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Linkage run {self.pk} under {self.agreement_id}"


class LinkPair(models.Model):
    """Two records, held by two parties, that the model scored as possibly the same person."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="pairs")
    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    status = models.CharField(max_length=16, choices=PairStatus.choices)
    # The explanation without values (each comparison's level and weight, and the waterfall chart),
    # worked out when the run scored the pair, so a reviewer sees exactly the run's weights.
    explanation = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "left", "right"], name="linkage_one_pair_per_agreement"
            ),
            models.CheckConstraint(
                condition=models.Q(left_id__lt=models.F("right_id")), name="linkage_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["agreement", "status"], name="linkage_pair_status_idx")]

    def __str__(self) -> str:
        return f"Pair {self.pk} ({self.get_status_display()})"

    def side_of(self, organisation_id: int) -> tuple[Person, Person] | None:
        """(own record, other party's record) for an organisation holding one side, else None."""
        if self.left.organisation_id == organisation_id:
            return self.left, self.right
        if self.right.organisation_id == organisation_id:
            return self.right, self.left
        return None


class PairDecision(models.Model):
    """A reviewer's decision on a pair, kept when it is undone (the history of the pair)."""

    pair = models.ForeignKey(LinkPair, on_delete=models.PROTECT, related_name="decisions")
    from_status = models.CharField(max_length=16, choices=PairStatus.choices)
    to_status = models.CharField(max_length=16, choices=PairStatus.choices)
    note = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class IdentityLedger(models.Model):
    """The engine's identity state for one agreement (assignments and retired ids), stored whole."""

    agreement = models.OneToOneField(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField()
    # Records created or changed after this were not yet scored (incremental linking picks them up).
    scored_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Identities under agreement {self.agreement_id}"


class PersonIdentity(models.Model):
    """Which identity a record belongs to under an agreement (the ledger's assignments, queryable)."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    identity = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="linkage_one_identity_per_record")
        ]
        indexes = [models.Index(fields=["agreement", "identity"], name="linkage_identity_idx")]

    def __str__(self) -> str:
        return self.identity


class IdentityEvent(models.Model):
    """An identity created, merged, split, restored, moved or closed (the engine's events)."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16)
    identity = models.CharField(max_length=40)
    other = models.CharField(max_length=40, blank=True)
    people = models.JSONField(default=list)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.identity}"


class TenantInHospitalAlert(models.Model):
    """A landlord's tenant is linked to a hospital's patient with an open admission."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    tenant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    hospital_name = models.CharField(max_length=200)
    admitted_on = models.DateField()
    source = models.CharField(max_length=40)  # e.g. "discharge.case:17"
    status = models.CharField(max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField()
    seen_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "tenant", "source"], name="linkage_one_alert_per_stay"
            )
        ]

    def __str__(self) -> str:
        return f"Tenant in hospital ({self.get_status_display()})"
