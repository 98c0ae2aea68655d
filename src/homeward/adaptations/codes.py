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
