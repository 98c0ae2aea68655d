"""Codes for reablement and intermediate care, defined once with human labels.

Blockers to going home reuse Hospital to Home's categories (`homeward.discharge.codes.BlockerCategory`) and
its owner shape (organisation, team or person), so one delay reads the same on the ward and in the unit.
"""

from __future__ import annotations

from django.db import models


class StaffingModel(models.TextChoices):
    CARE_24_7 = "care_24_7", "Care and support staff 24/7, visiting therapists and GP"
    NURSE_LED = "nurse_led", "Nurse-led with care staff"
    THERAPY_LED = "therapy_led", "Therapy-led with care staff"


class BedType(models.TextChoices):
    STANDARD = "standard", "Standard"
    BARIATRIC = "bariatric", "Bariatric"
    SIDE_ROOM = "side_room", "Side room"
    DEMENTIA = "dementia", "Dementia-friendly"


class BedStatus(models.TextChoices):
    """What staff set on a bed. "Occupied" is never set: it is derived from an open occupancy interval."""

    VACANT_CLEAN = "vacant_clean", "Vacant and clean"
    AWAITING_CLEAN = "awaiting_clean", "Awaiting clean"
    RESERVED = "reserved", "Reserved"
    CLOSED = "closed", "Closed"


#: The bed board's status, including the derived one.
OCCUPIED = "occupied"


class ReferralSource(models.TextChoices):
    """Where the person comes from: step-down from hospital, or step-up from the community."""

    ACUTE_WARD = "acute_ward", "Acute ward (step-down)"
    EMERGENCY = "emergency", "A&E (step-down)"
    GP = "gp", "GP (step-up)"
    DISTRICT_NURSE = "district_nurse", "District nurse (step-up)"
    SOCIAL_WORKER = "social_worker", "Social worker (step-up)"


STEP_DOWN = (ReferralSource.ACUTE_WARD, ReferralSource.EMERGENCY)


class ReablementStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ADMITTED = "admitted", "Admitted"


class StayStatus(models.TextChoices):
    IN_UNIT = "in_unit", "In the unit"
    DISCHARGED = "discharged", "Discharged"
    FOLLOWED_UP = "followed_up", "Followed up at 91 days"


class StayDestination(models.TextChoices):
    """Where the person went on leaving the unit (issue 18, "Discharge and after")."""

    HOME = "home", "Usual home, no package"
    HOME_PACKAGE = "home_package", "Usual home with a care package"
    HOME_ADAPTED = "home_adapted", "Home with adaptations"
    REHOUSED = "rehoused", "Rehoused"
    CARE_HOME = "care_home", "Residential or nursing care home"
    READMITTED = "readmitted", "Readmitted to acute hospital"
    DIED = "died", "Died"


#: Destinations that count as going home, for the 91-day follow-up (ASCOF 2B(1) counts people discharged
#: to their own home or to extra care housing).
HOME_DESTINATIONS = (
    StayDestination.HOME,
    StayDestination.HOME_PACKAGE,
    StayDestination.HOME_ADAPTED,
    StayDestination.REHOUSED,
)


class GoalProgress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PARTLY = "partly", "Partly attained"
    ATTAINED = "attained", "Attained"
    NOT_ATTAINED = "not_attained", "Not attained"


class Discipline(models.TextChoices):
    """Who attended an MDT review, by discipline."""

    CARE_LEAD = "care_lead", "Care and support lead"
    NURSE = "nurse", "Nurse"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    GP = "gp", "GP"
    SOCIAL_WORKER = "social_worker", "Social worker"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    PHARMACIST = "pharmacist", "Pharmacist"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    PERSON_OR_FAMILY = "person_or_family", "The person or their family"


class FollowUpOutcome(models.TextChoices):
    """The 91-day follow-up. People not reached are "lost to follow-up", reported apart, never as at home."""

    AT_HOME = "at_home", "Still at home"
    NOT_AT_HOME = "not_at_home", "Not at home (hospital or care home)"
    DIED = "died", "Died"
    LOST = "lost", "Lost to follow-up"


class DayColour(models.TextChoices):
    """Red and green days (the SAFER bundle's "Red2Green"): a red day added nothing to the person's recovery
    towards going home; it needs its reason."""

    GREEN = "green", "Green day"
    RED = "red", "Red day"


class MeasureStage(models.TextChoices):
    """When a functional measure was scored."""

    ADMISSION = "admission", "At admission"
    REVIEW = "review", "At a review"
    DISCHARGE = "discharge", "At discharge"


class ContractMeasure(models.TextChoices):
    """What a commissioner's contract can set a target on (computed in `contracts_report.py`)."""

    LOS_MEDIAN = "los_median", "Median length of stay (days)"
    OCCUPANCY = "occupancy", "Bed occupancy (share)"
    ADMITTED_WITHIN_2_DAYS = "admitted_within_2_days", "Share admitted within 2 days of referral"
    HOME_AT_DISCHARGE = "home_at_discharge", "Share going home at discharge"
    AT_HOME_91_DAYS = "at_home_91_days", "Share still at home 91 days after discharge home"
    READMITTED_30_DAYS = "readmitted_30_days", "Share readmitted to acute care within 30 days"


#: Whether a higher figure is better, per contract measure (for the RAG status).
CONTRACT_HIGHER_IS_BETTER = {
    ContractMeasure.LOS_MEDIAN: False,
    ContractMeasure.OCCUPANCY: True,
    ContractMeasure.ADMITTED_WITHIN_2_DAYS: True,
    ContractMeasure.HOME_AT_DISCHARGE: True,
    ContractMeasure.AT_HOME_91_DAYS: True,
    ContractMeasure.READMITTED_30_DAYS: False,
}


class ArrangementKind(models.TextChoices):
    """What was arranged for going home: an adaptation goes through the adaptations module (an adaptations
    case), everything else through an onward referral (the referral model)."""

    ADAPTATION = "adaptation", "Home adaptation (an adaptations case)"
    CARE_PACKAGE = "care_package", "Care package (home care)"
    EQUIPMENT = "equipment", "Equipment"
    THERAPY = "therapy", "Community therapy or rehabilitation"
    VOLUNTARY = "voluntary", "Voluntary sector support"
    OTHER = "other", "Other support"
