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
