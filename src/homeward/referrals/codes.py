"""Referral codes, defined once with human labels."""

from __future__ import annotations

from django.db import models


class ReferralStatus(models.TextChoices):
    """FHIR R4 Task.status as the Gravity Project SDOH referral guide uses it (no `ready`, no `received`)."""

    DRAFT = "draft", "Draft"
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    IN_PROGRESS = "in-progress", "In progress"
    ON_HOLD = "on-hold", "On hold"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


# The NHS.UK tag colour for each status (grey for the rest): waiting blue, under way green, paused
# yellow, done green, refused or failed red.
STATUS_TAG: dict[str, str] = {
    ReferralStatus.REQUESTED: "nhsuk-tag--blue",
    ReferralStatus.ACCEPTED: "nhsuk-tag--aqua-green",
    ReferralStatus.IN_PROGRESS: "nhsuk-tag--aqua-green",
    ReferralStatus.ON_HOLD: "nhsuk-tag--yellow",
    ReferralStatus.COMPLETED: "nhsuk-tag--green",
    ReferralStatus.REJECTED: "nhsuk-tag--red",
    ReferralStatus.FAILED: "nhsuk-tag--red",
}


class ServiceKind(models.TextChoices):
    """Kinds of service an onward referral goes to, until the shared service directory names services."""

    IMMIGRATION_ADVICE = "immigration_advice", "Immigration advice"
    URGENT_CARE_SOCIAL_WORK = "urgent_social_work", "Urgent-care social work"
    HOMELESSNESS = "homelessness", "Homelessness team (housing options)"
    MONEY_ADVICE = "money_advice", "Money and debt advice"
    SOCIAL_PRESCRIBING = "social_prescribing", "Social prescribing link worker"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    HANDYPERSON = "handyperson", "Handyperson or home safety"
    ADAPTATIONS = "adaptations", "Adaptations (home improvement agency or occupational therapy)"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class Outcome(models.TextChoices):
    """What came of a referral, recorded by the receiving service when it completes or fails."""

    NEED_MET = "need_met", "Need met"
    PARTLY_MET = "partly_met", "Need partly met"
    ONGOING_SUPPORT = "ongoing_support", "Taken on for ongoing support"
    SIGNPOSTED = "signposted", "Signposted elsewhere"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    NO_CONTACT = "no_contact", "Could not make contact"
    DECLINED_BY_PERSON = "declined", "Person declined the service"


COMPLETED_OUTCOMES = (Outcome.NEED_MET, Outcome.PARTLY_MET, Outcome.ONGOING_SUPPORT, Outcome.SIGNPOSTED)
FAILED_OUTCOMES = (Outcome.NOT_ELIGIBLE, Outcome.NO_CONTACT, Outcome.DECLINED_BY_PERSON, Outcome.SIGNPOSTED)
