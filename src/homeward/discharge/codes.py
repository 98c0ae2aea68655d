"""Codes for Hospital to Home, defined once with human labels."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    SCREENING = "screening", "Screening"
    ACTIVE = "active", "Active"
    READY = "ready", "Discharge-ready"
    DISCHARGED = "discharged", "Discharged"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    DIED = "died", "Died"
    READMITTED = "readmitted", "Readmitted"


class Pathway(models.TextChoices):
    """NHS England discharge pathways (Hospital discharge and community support guidance, 2022)."""

    P0 = "0", "Pathway 0 – home, no new support"
    P1 = "1", "Pathway 1 – home with new or more support"
    P2 = "2", "Pathway 2 – rehabilitation or short-term care in a bed"
    P3 = "3", "Pathway 3 – care home, new long-term placement"


class Setting(models.TextChoices):
    WARD = "ward", "Ward"
    EMERGENCY = "emergency", "A&E"
    DISCHARGE_HUB = "discharge_hub", "Discharge hub"
    MENTAL_HEALTH = "mental_health", "Mental health unit"


class Destination(models.TextChoices):
    USUAL_HOME = "usual_home", "Usual home"
    HOME_ADAPTED = "home_adapted", "Home with adaptations"
    REHOUSED = "rehoused", "New tenancy / rehoused"
    TEMPORARY = "temporary", "Temporary accommodation"
    SUPPORTED = "supported", "Supported housing"
    CARE_HOME = "care_home", "Care home"
    OTHER = "other", "Other"


class BlockerCategory(models.TextChoices):
    """Housing codes, then the delay reasons of NHS England's discharge situation report."""

    HOMELESS = "homeless", "Housing: homeless or at risk"
    HOME_UNSUITABLE = "home_unsuitable", "Housing: home unsuitable (stairs, access, bathing)"
    DISREPAIR = "disrepair", "Housing: disrepair, damp or cold"
    UTILITIES = "utilities", "Housing: utilities off"
    FURNITURE = "furniture", "Housing: furniture or white goods"
    HOARDING = "hoarding", "Housing: hoarding or cleanliness"
    FINANCE = "finance", "Housing: arrears, debt or benefits"
    IMMIGRATION = "immigration", "Housing: immigration status"
    CARE_PACKAGE = "care_package", "Awaiting care package at home"
    CARE_HOME = "care_home", "Awaiting care home placement"
    EQUIPMENT = "equipment", "Awaiting equipment or adaptations"
    ASSESSMENT = "assessment", "Awaiting assessment"
    CHOICE = "choice", "Patient or family choice"
    MEDICATION = "medication", "Awaiting medication / pharmacy"
    TRANSPORT = "transport", "Awaiting transport"
    HOUSING = "housing", "Housing (other)"
    # Raised by the care provider before it takes the patient.
    BOWEL_PLAN = "bowel_plan", "Care: constipation management plan"
    CARE_BED = "care_bed", "Care: bed not yet available"


# What a care home or care provider usually raises before accepting a patient.
CARE_SIDE_CATEGORIES = (
    BlockerCategory.CARE_BED,
    BlockerCategory.MEDICATION,
    BlockerCategory.BOWEL_PLAN,
    BlockerCategory.TRANSPORT,
    BlockerCategory.EQUIPMENT,
)


class NonClinicalNeed(models.TextChoices):
    """Why someone keeps coming to A&E when the answer is not clinical."""

    HOMELESS = "homeless", "Homeless or sleeping rough"
    HOUSING = "housing", "Housing problem (unsafe, cold, disrepair)"
    MONEY = "money", "Money, debt or benefits"
    IMMIGRATION = "immigration", "Immigration status or no recourse to public funds"
    LONELINESS = "loneliness", "Loneliness or isolation"
    SOCIAL_CARE = "social_care", "Unmet social care need"
    SUBSTANCES = "substances", "Drugs or alcohol"
    CARER = "carer", "Carer breakdown"


class AssessmentStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the care provider"
    ACCEPTED = "accepted", "Accepted by the care provider"
    DECLINED = "declined", "Declined by the care provider"


#: The blocker categories that are housing problems: on the dashboard, the NHS delay reasons they map to are
#: highlighted as housing reasons.
HOUSING_CATEGORIES = (
    BlockerCategory.HOMELESS,
    BlockerCategory.HOME_UNSUITABLE,
    BlockerCategory.DISREPAIR,
    BlockerCategory.UTILITIES,
    BlockerCategory.FURNITURE,
    BlockerCategory.HOARDING,
    BlockerCategory.FINANCE,
    BlockerCategory.IMMIGRATION,
    BlockerCategory.HOUSING,
)


class SitrepCollection(models.TextChoices):
    """NHS England's discharge situation report collections, each with its own delay-reason lists."""

    ACUTE = "acute", "Acute discharge situation report"
    COMMUNITY = "community", "Community discharge situation report"
