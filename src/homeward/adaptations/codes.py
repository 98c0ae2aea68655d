"""Codes for adaptations cases, defined once with human labels."""

from __future__ import annotations

from django.db import models


class AdaptationStatus(models.TextChoices):
    """The stages of the government's DFG delivery guidance (2022), then sign-off, payment and endings."""

    FIRST_CONTACT = "first_contact", "Stage 0: enquiry to first contact"
    ASSESSMENT = "assessment", "Stage 1: assessment and identification of works"
    APPLICATION = "application", "Stage 2: works identified to formal application"
    APPROVAL = "approval", "Stage 3: application to approval"
    WORKS = "works", "Stage 4: approval to completion"
    SIGN_OFF = "sign_off", "Sign-off and payment"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Refused"


class Tenure(models.TextChoices):
    OWNER_OCCUPIER = "owner_occupier", "Owner-occupier"
    COUNCIL_TENANT = "council_tenant", "Council tenant"
    HOUSING_ASSOCIATION_TENANT = "housing_association_tenant", "Housing association tenant"
    PRIVATE_TENANT = "private_tenant", "Private tenant"


class Source(models.TextChoices):
    """Who asked for the adaptation."""

    OT = "ot", "Occupational therapist"
    GP = "gp", "GP"
    HOSPITAL = "hospital", "Hospital"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    SELF_REFERRAL = "self_referral", "Self-referral"
    H2H_BLOCKER = "h2h_blocker", "Hospital to Home blocker (fast track)"
    REABLEMENT = "reablement", "Reablement unit, for going home"


class Route(models.TextChoices):
    """How the works are paid for (issue 17, "Routes and who assesses")."""

    MINOR = "minor", "Minor adaptation (free under the Care Act charging regulations)"
    DFG = "dfg", "Disabled Facilities Grant"
    LANDLORD = "landlord", "Landlord-funded"
    DISCRETIONARY = "discretionary", "Discretionary assistance (Housing Assistance Policy)"
    SELF_FUNDED = "self_funded", "Self-funded"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    STANDARD = "standard", "Standard"


class WorkKind(models.TextChoices):
    """An item of a schedule of works: the works, or a fee counted in the cost of the eligible works
    (preliminary and ancillary services and charges, HGCRA 1996 s.34(2))."""

    WORKS = "works", "Works"
    SURVEY_FEE = "survey_fee", "Fee: survey"
    DRAWINGS_FEE = "drawings_fee", "Fee: drawings and plans"
    SUPERVISION_FEE = "supervision_fee", "Fee: supervision (agency or surveyor)"
    OTHER_FEE = "other_fee", "Fee: other (for example, building control)"


class TeamRole(models.TextChoices):
    """Who in the co-located team does a task (issue 17, "The co-located team")."""

    OT = "ot", "Occupational therapist"
    TRUSTED_ASSESSOR = "trusted_assessor", "Trusted assessor"
    HOUSING_STAFF = "housing_staff", "Trained housing or home improvement agency staff"
    TECHNICAL_OFFICER = "technical_officer", "Technical officer"
    GRANTS_OFFICER = "grants_officer", "Grants officer"
    CASEWORKER = "caseworker", "Caseworker"


class TaskKind(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment of need"
    SURVEY = "survey", "Technical survey and schedule of works"
    TEST_OF_RESOURCES = "test_of_resources", "Test of resources"
    APPROVAL = "approval", "Approval"
    CONTRACTOR = "contractor", "Quotes and contractor"
    INSPECTION = "inspection", "Inspection of the completed works"
    OTHER = "other", "Other"


class Complexity(models.TextChoices):
    SIMPLE = "simple", "Simple"
    MODERATE = "moderate", "Moderate"
    COMPLEX = "complex", "Complex"


class VisitKind(models.TextChoices):
    """A healthy-homes visit: a home safety visit (HHSRS hazards) or a falls-prevention home hazard check."""

    HOME_SAFETY = "home_safety", "Home safety visit (HHSRS hazards)"
    FALLS_CHECK = "falls_check", "Falls-prevention home hazard check"


class HazardAction(models.TextChoices):
    """What is done about a hazard found, and so who does it (issue 17, "Healthy homes")."""

    LANDLORD_REPAIR = "landlord_repair", "Landlord repair"
    HANDYPERSON_JOB = "handyperson_job", "Handyperson job"
    ADAPTATION = "adaptation", "Adaptation"
    WARM_HOMES_REFERRAL = "warm_homes_referral", "Warm-homes referral"
    FALLS_REFERRAL = "falls_referral", "Falls referral"
    ADVICE = "advice", "Advice only"


class CheckerRole(models.TextChoices):
    """Who may do a falls-prevention home hazard check (NICE NG249: an OT or an appropriately trained
    person)."""

    OT = "ot", "Occupational therapist"
    TRAINED_ASSISTANT = "trained_assistant", "Trained assistant"


class JobKind(models.TextChoices):
    SMALL_REPAIR = "small_repair", "Small repair"
    GRAB_RAIL = "grab_rail", "Grab rail"
    KEY_SAFE = "key_safe", "Key safe"
    LIGHTING = "lighting", "Lighting"
    OTHER = "other", "Other"


class AwaabHazardKind(models.TextChoices):
    """The hazards phase 1 of Awaab's Law covers (engines.hhsrs.awaab.AwaabHazard)."""

    EMERGENCY = "emergency", "Emergency hazard"
    SIGNIFICANT_DAMP_AND_MOULD = "significant_damp_and_mould", "Significant damp and mould"


class AwaabEvidenceKind(models.TextChoices):
    """Evidence recorded against Awaab's Law clocks (engines.hhsrs.awaab.EvidenceKind; what each does is the
    engine's EVIDENCE_RULES)."""

    ACCESS_REFUSED = "access_refused", "Access refused"
    ALTERNATIVE_ACCOMMODATION_OFFERED = (
        "alternative_accommodation_offered",
        "Alternative accommodation offered",
    )
    ALTERNATIVE_ACCOMMODATION_SECURED = (
        "alternative_accommodation_secured",
        "Alternative accommodation secured",
    )
    CONSENT_NOT_OBTAINED = "consent_not_obtained", "Consent not obtained"
    NO_HAZARD_FOUND = "no_hazard_found", "No hazard found on further investigation"
