"""Codes for social prescribing and key-work cases, defined once with human labels."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    SOCIAL_PRESCRIBING = "social_prescribing", "Social prescribing"
    KEY_WORKER = "key_worker", "Key worker (high-intensity use)"


class Route(models.TextChoices):
    """Who referred the person in (the NHS England social prescribing minimum data set's sources)."""

    GP = "gp", "GP"
    PRACTICE = "practice", "Other practice staff (nurse, pharmacist, care co-ordinator)"
    SELF = "self", "Self-referral"
    HOSPITAL = "hospital", "Hospital"
    HOUSING = "housing", "Housing provider"
    COUNCIL = "council", "Council"
    VOLUNTARY = "voluntary", "Voluntary or community group"
    OTHER = "other", "Other"


class CaseStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for first contact"
    ACTIVE = "active", "Being supported"
    DISCHARGED = "discharged", "Discharged"


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met"
    PARTLY_MET = "partly_met", "Some goals met"
    ONWARD = "onward", "Supported by the services referred on to"
    DISENGAGED = "disengaged", "Stopped engaging"
    DECLINED = "declined", "Declined support"
    NO_CONTACT = "no_contact", "Could not make contact"
    MOVED = "moved", "Moved out of the area"


# Discharge reasons that mean the referral that brought the person in was completed (else it failed).
COMPLETED_REASONS = (DischargeReason.GOALS_MET, DischargeReason.PARTLY_MET, DischargeReason.ONWARD)


class GoalStatus(models.TextChoices):
    AGREED = "agreed", "Agreed"
    WORKING = "working", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class ContactMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text or email"
    GROUP = "group", "Went with them to a group or service"


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Before support (baseline)"
    FOLLOW_UP = "follow_up", "After support (follow-up)"


class RootCause(models.TextChoices):
    """What a key worker's review finds behind repeated use of urgent care."""

    DEBT = "debt", "Debt or money worries"
    BENEFITS = "benefits", "Benefits"
    HOUSING = "housing", "Housing (disrepair, overcrowding, insecure tenancy)"
    HOMELESSNESS = "homelessness", "Homelessness"
    ISOLATION = "isolation", "Loneliness or isolation"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCES = "substances", "Alcohol or drugs"
    LONG_TERM_CONDITION = "long_term_condition", "Managing a long-term condition"
    CARING = "caring", "Caring for someone"
    BEREAVEMENT = "bereavement", "Bereavement"
    EMPLOYMENT = "employment", "Work or training"
    IMMIGRATION = "immigration", "Immigration status"
