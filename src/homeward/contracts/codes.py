"""Outcome contract codes, defined once with human labels."""

from __future__ import annotations

from django.db import models


class PayableOutcome(models.TextChoices):
    """Outcomes a rate card can pay for, each worked out from what caseworkers record."""

    ENGAGED = "engaged", "Engaged: first contact and a 'what matters to me' conversation"
    GOAL_ACHIEVED = "goal_achieved", "At least one personalised goal achieved"
    SWEMWBS_GAIN = "swemwbs_gain", "SWEMWBS metric score up by at least the threshold"
    ONS4_LIFE_GAIN = "ons4_life_gain", "ONS4 life satisfaction up by at least the threshold"
    OUTCOME_SCALE_GAIN = "outcome_scale_gain", "Outcome scale total up by at least the threshold"
    TENANCY_SUSTAINED = "tenancy_sustained", "Tenancy sustained 6 months after support began"


# Outcomes that need a threshold (the smallest change that counts).
NEEDS_THRESHOLD = (
    PayableOutcome.SWEMWBS_GAIN,
    PayableOutcome.ONS4_LIFE_GAIN,
    PayableOutcome.OUTCOME_SCALE_GAIN,
)


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# Claims that count against the caps (a rejected claim frees its share).
COUNTED = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)
