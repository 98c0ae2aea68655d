"""Prevention codes, with human labels. Concern categories are the risk engine's, so concerns feed it."""

from __future__ import annotations

from django.db import models


class ConcernCategory(models.TextChoices):
    ILL_HEALTH = "ill_health", "Signs of ill health"
    SELF_NEGLECT = "self_neglect", "Self-neglect"
    HOARDING = "hoarding", "Hoarding"
    COLD_HOME = "cold_home", "Cold home"
    DAMP_MOULD = "damp_mould", "Damp and mould"
    CONFUSION_MEMORY = "confusion_memory", "Confusion or memory problems"
    ISOLATION = "isolation", "Isolation or loneliness"
    BEREAVEMENT = "bereavement", "Bereavement"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    OTHER = "other", "Other"


# These go to the team lead at once, whatever else happens.
SAFEGUARDING_CATEGORIES = (ConcernCategory.SAFEGUARDING, ConcernCategory.DOMESTIC_ABUSE)


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine – within a week"
    URGENT = "urgent", "Urgent – within a day"
    IMMEDIATE = "immediate", "Immediate – today"


class TriageDecision(models.TextChoices):
    VISIT = "visit", "Visit"
    REFERRAL = "referral", "Refer to another service"
    NO_ACTION = "no_action", "No action needed"


class AlertDecision(models.TextChoices):
    VISIT = "visit", "Visit the tenant"
    MONEY_ADVICE = "money_advice", "Refer to money advice"
    GP = "gp", "Refer to the GP"
    ADAPTATIONS = "adaptations", "Refer for adaptations"
    SOCIAL_PRESCRIBING = "social_prescribing", "Refer to social prescribing"
    PEOPLE_PLACE = "people_place", "Open a people and place case"
    NO_ACTION = "no_action", "No action needed"
    FALSE_ALARM = "false_alarm", "False alarm"


# A decision that acted on the alert: it counts as useful when precision is measured.
USEFUL_DECISIONS = (
    AlertDecision.VISIT,
    AlertDecision.MONEY_ADVICE,
    AlertDecision.GP,
    AlertDecision.ADAPTATIONS,
    AlertDecision.SOCIAL_PRESCRIBING,
    AlertDecision.PEOPLE_PLACE,
)

#: How a people and place case (housing app) names an alert it was opened from.
ALERT_SOURCE = "prevention.alert"
