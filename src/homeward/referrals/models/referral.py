"""A referral from one organisation to another, and its timeline."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from homeward.casework.workdays import add_working_days
from homeward.core.models import Organisation, Person, Team, User
from homeward.referrals.codes import STATUS_TAG, Outcome, ReferralStatus, ServiceKind, Urgency
from homeward.referrals.lifecycle import OPEN_STATUSES
from homeward.referrals.models.directory import Service


class Referral(models.Model):
    """Sent by one organisation, answered by another, closed with an outcome the referrer can see.

    `source_type`/`source_id` name the case it came from (e.g. "discharge.case", 42), blank when standalone.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incoming_referrals"
    )
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service_kind = models.CharField(max_length=24, choices=ServiceKind.choices)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    shared_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="What the receiver may see beyond name and reason (see sharing.py)",
    )
    reason = models.TextField(max_length=2000)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED)
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True, help_text="Accepted or rejected")
    closed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(max_length=500, blank=True, help_text="Why rejected, held or cancelled")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_to_status_idx"),
            models.Index(fields=["from_organisation", "status"], name="referral_from_status_idx"),
            models.Index(fields=["source_type", "source_id"], name="referral_source_idx"),
            # History, newest first, for each side (see selectors.history).
            models.Index(fields=["from_organisation", "-requested_at"], name="referral_from_date_idx"),
            models.Index(fields=["to_organisation", "-requested_at"], name="referral_to_date_idx"),
            # The open worklists (selectors.open_referrals), in their order, read from the index alone.
            models.Index(
                fields=["to_organisation", "-urgency", "requested_at", "id"],
                include=["from_organisation"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="referral_open_to_idx",
            ),
            models.Index(
                fields=["from_organisation", "-urgency", "requested_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="referral_open_from_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"REF-{self.pk:06d}"

    @property
    def status_tag(self) -> str:
        """The NHS.UK tag class for the status's colour."""
        return STATUS_TAG.get(self.status, "nhsuk-tag--grey")

    @property
    def answer_due(self) -> dt.date:
        """The receiver should accept or reject within the service's level (working days in England and
        Wales; 2 if the service sets none), and within 1 working day when urgent."""
        days = self.service.acknowledge_within_days if self.service_id and self.service else 2
        if self.urgency == Urgency.URGENT:
            days = min(days, 1)
        return add_working_days(timezone.localtime(self.requested_at).date(), days)

    @property
    def is_overdue(self) -> bool:
        """Still waiting for an answer after the day it was due."""
        return self.status == ReferralStatus.REQUESTED and timezone.localdate() > self.answer_due


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """A message on a referral's thread, between the two organisations (both see every message)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    sent_at = models.DateTimeField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=2000)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: message {self.pk}"
