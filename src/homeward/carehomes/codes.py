"""Codes for care homes, defined once with human labels (Homeward's own wording, not a licensed form)."""

from __future__ import annotations

from django.db import models


class HomeKind(models.TextChoices):
    NURSING = "nursing", "Nursing home"
    RESIDENTIAL = "residential", "Residential home"


class Funding(models.TextChoices):
    SELF_FUNDED = "self_funded", "Self-funded"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CONTINUING_HEALTHCARE = "chc", "NHS continuing healthcare"
    NURSING_CARE = "fnc", "NHS-funded nursing care with a local authority or self-funded place"
    MIXED = "mixed", "Mixed (top-up or shared)"


class AgreedWith(models.TextChoices):
    """Who agreed the plan with the GP."""

    RESIDENT = "resident", "The resident"
    REPRESENTATIVE = "representative", "The resident's representative (lasting power of attorney or deputy)"
    BEST_INTERESTS = "best_interests", "A best-interests decision (the resident lacks capacity to decide)"


class PlaceOfCare(models.TextChoices):
    CARE_HOME = "care_home", "Stay in the home"
    HOSPICE = "hospice", "A hospice"
    HOSPITAL = "hospital", "Hospital"
    NO_PREFERENCE = "no_preference", "No preference stated"


class Deterioration(models.TextChoices):
    """What the plan says to do when the resident becomes unwell."""

    TREAT_IN_HOME = "treat_in_home", "Treat in the home"
    CALL_GP = "call_gp", "Call the GP (or the out-of-hours service) first"
    GO_TO_HOSPITAL = "go_to_hospital", "Go to hospital"


class Resuscitation(models.TextChoices):
    NOT_DECIDED = "not_decided", "Not yet decided"
    ATTEMPT = "attempt", "Attempt resuscitation"
    DO_NOT_ATTEMPT = "do_not_attempt", "Do not attempt resuscitation"


class Consciousness(models.TextChoices):
    """The ACVPU scale (alert, new confusion, voice, pain, unresponsive)."""

    ALERT = "alert", "Alert"
    NEW_CONFUSION = "confusion", "New confusion"
    VOICE = "voice", "Responds to voice"
    PAIN = "pain", "Responds to pain"
    UNRESPONSIVE = "unresponsive", "Unresponsive"


class SoftSign(models.TextChoices):
    """What carers notice before the numbers change."""

    NOT_EATING = "not_eating", "Eating less than usual"
    NOT_DRINKING = "not_drinking", "Drinking less than usual"
    LESS_MOBILE = "less_mobile", "Less mobile than usual"
    MORE_CONFUSED = "more_confused", "More confused than usual"
    NOT_THEMSELVES = "not_themselves", "Not their usual self"


class ClinicianRole(models.TextChoices):
    HOSPITAL_CONSULTANT = "hospital_consultant", "Hospital consultant"
    GP_OUT_OF_HOURS = "gp_out_of_hours", "GP out of hours"
    NHS_111 = "nhs_111", "NHS 111 clinical advisor"


class TriageDecision(models.TextChoices):
    STAY = "stay", "Stay in the home with a plan"
    GP_NEXT_DAY = "gp_next_day", "GP visit (next day)"
    AMBULANCE = "ambulance", "Ambulance or A&E"


class TriageOutcome(models.TextChoices):
    """Worked out from the record, never typed (see selectors.triage_outcome)."""

    PENDING = "pending", "Follow-up window still open"
    STAYED_WELL = "stayed_well", "Stayed well: admission avoided"
    ADMITTED = "admitted", "Later admitted"
    CONVEYED = "conveyed", "Sent to hospital"
    DIED_AS_PLANNED = "died_as_planned", "Died as planned, in the preferred place"
    DIED = "died", "Died, not in the preferred place"


class VisitRole(models.TextChoices):
    GP = "gp", "GP"
    MATRON = "matron", "Modern matron"
    PSYCHIATRIST = "psychiatrist", "Consultant psychiatrist"
    PHARMACIST = "pharmacist", "Pharmacist"
    THERAPIST = "therapist", "Therapist"


class PlaceOfDeath(models.TextChoices):
    CARE_HOME = "care_home", "In the home"
    HOSPICE = "hospice", "In a hospice"
    HOSPITAL = "hospital", "In hospital"
    ELSEWHERE = "elsewhere", "Elsewhere"


class EmergencyCallOutcome(models.TextChoices):
    """What came of a 999 call from the home."""

    CONVEYED = "conveyed", "Conveyed to hospital"
    SEEN_AND_TREATED = "seen_and_treated", "Seen and treated at the home"
    ADVICE = "advice", "Advice by phone (hear and treat)"


class ScoredParameter(models.TextChoices):
    """The observations an early-warning scheme may score (its rules say which, and the points)."""

    RESPIRATORY_RATE = "respiratory_rate", "Breaths a minute"
    OXYGEN_SATURATION = "oxygen_saturation", "Oxygen saturation (%)"
    ON_OXYGEN = "on_oxygen", "On oxygen (yes or no)"
    SYSTOLIC = "systolic", "Systolic blood pressure"
    PULSE = "pulse", "Pulse"
    CONSCIOUSNESS = "consciousness", "Alertness (ACVPU)"
    TEMPERATURE = "temperature", "Temperature"


class PreAdmission(models.TextChoices):
    """How a resident admitted from a Hospital to Home case was assessed before moving in."""

    TRUSTED_ACCEPTED = "trusted_accepted", "Trusted assessment accepted under the home's protocol"
    HOME_TO_ASSESS = "home_to_assess", "The home's own assessment is needed"
    HOME_ASSESSED = "home_assessed", "Assessed by the home"
