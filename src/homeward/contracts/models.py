"""An outcome contract between a commissioner and a provider, its rate card, and the claims made under it.

Claims name no one: each carries the person's pseudonym (a keyed hash) and the case reference, so the
commissioner reviews evidence without identifiers, and the provider can still find the case behind it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

from homeward.contracts.codes import ClaimStatus, PayableOutcome
from homeward.core.models import Organisation, User
from homeward.support.models import SupportCase


def money(label: str | None = None, **options: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """Pounds and pence, never negative."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], **options
    )


class OutcomeContract(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    commissioner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commissioned_contracts"
    )
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="provided_contracts")
    start_date = models.DateField(help_text="Outcomes achieved from this day count")
    end_date = models.DateField(help_text="Outcomes achieved after this day do not")
    total_cap = money("Cap on all payments (£)")
    person_cap = money("Cap on payments for any one person (£)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class RateCardLine(models.Model):
    contract = models.ForeignKey(OutcomeContract, on_delete=models.CASCADE, related_name="lines")
    outcome = models.CharField(max_length=20, choices=PayableOutcome.choices)
    price = money("Price (£)")
    threshold = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Smallest gain that counts"
    )
    per_person = models.PositiveSmallIntegerField("Most payments per person", default=1)
    max_claims = models.PositiveIntegerField("Most payments in all", null=True, blank=True)
    evidence = models.CharField("Evidence required", max_length=500)
    claim_within_days = models.PositiveSmallIntegerField("Claim within (days of the outcome)", default=90)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "outcome"], name="contracts_one_line_per_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at £{self.price}"


class Claim(models.Model):
    contract = models.ForeignKey(OutcomeContract, on_delete=models.PROTECT, related_name="claims")
    line = models.ForeignKey(RateCardLine, on_delete=models.PROTECT, related_name="claims")
    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="claims")
    pseudonym = models.CharField(max_length=64, db_index=True)
    case_reference = models.CharField(max_length=20)
    achieved_on = models.DateField()
    evidence = models.CharField(max_length=500)
    amount = money()
    capped = models.BooleanField(default=False, help_text="Less than the price: a cap was reached")
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["achieved_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["line", "case"], name="contracts_one_claim_per_case")]
        indexes = [models.Index(fields=["contract", "status"], name="claim_contract_status_idx")]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.line.get_outcome_display()} for {self.case_reference}"
