"""Roles and what each may do. Data, not scattered `if role == ...` checks."""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    TEAM_LEAD = "team_lead", "Team lead"
    CLINICIAN = "clinician", "Clinician (refers)"
    PARTNER = "partner", "Partner (receives referrals)"
    ANALYST = "analyst", "Analyst (pseudonymised data only)"
    IG_OFFICER = "ig_officer", "Information governance officer"
    ADMIN = "admin", "Administrator"
    COMMISSIONER = "commissioner", "Commissioner (outcome contracts)"


class Permission(StrEnum):
    VIEW_PERSON = "view_person"
    EDIT_PERSON = "edit_person"
    RECORD_CONSENT = "record_consent"
    MANAGE_ORGANISATION = "manage_organisation"  # organisations, teams, users, memberships
    VIEW_AGREEMENTS = "view_agreements"
    MANAGE_AGREEMENTS = "manage_agreements"
    VIEW_AUDIT = "view_audit"
    EXPORT_SUBJECT_ACCESS = "export_subject_access"
    VIEW_PSEUDONYMISED = "view_pseudonymised"
    # Answer what another organisation sent: accept or reject a referral, record its outcome, accept a
    # trusted assessment. Partners who may not edit records can still do this.
    RESPOND_REFERRAL = "respond_referral"
    # Outcome contracts: the commissioner sets them up and reviews claims; the provider's leads claim.
    VIEW_CONTRACTS = "view_contracts"
    MANAGE_CONTRACTS = "manage_contracts"
    REVIEW_CLAIMS = "review_claims"
    MAKE_CLAIMS = "make_claims"
    # Person linkage: run it under an agreement, and decide the pairs it is unsure of.
    RUN_LINKAGE = "run_linkage"
    REVIEW_LINKS = "review_links"
    # Measured impact: design and run evaluations on pseudonymised activity (analysts only).
    RUN_EVALUATIONS = "run_evaluations"
    # Merge two records of one person that the organisation holds, and split them again. Team leads (who
    # know the cases) and IG officers (who answer for the records' accuracy, UK GDPR Art 5(1)(d)); not
    # administrators, who run the organisation but do not browse records.
    MERGE_PEOPLE = "merge_people"


_CARE = {
    Permission.VIEW_PERSON,
    Permission.EDIT_PERSON,
    Permission.RECORD_CONSENT,
    Permission.RESPOND_REFERRAL,
}

# Analysts see pseudonymised data only; administrators run the organisation but do not browse records
# (least privilege, NHS Data Security and Protection Toolkit); IG officers see records for subject access.
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.CASEWORKER: frozenset(_CARE),
    Role.TEAM_LEAD: frozenset(
        _CARE
        | {
            Permission.VIEW_PSEUDONYMISED,
            Permission.VIEW_AGREEMENTS,
            Permission.VIEW_CONTRACTS,
            Permission.MAKE_CLAIMS,
            Permission.RUN_LINKAGE,
            Permission.REVIEW_LINKS,
            Permission.MERGE_PEOPLE,
        }
    ),
    Role.CLINICIAN: frozenset(_CARE),
    Role.PARTNER: frozenset({Permission.VIEW_PERSON, Permission.RESPOND_REFERRAL}),
    Role.ANALYST: frozenset({Permission.VIEW_PSEUDONYMISED, Permission.RUN_EVALUATIONS}),
    Role.IG_OFFICER: frozenset(
        {
            Permission.VIEW_PERSON,
            Permission.VIEW_AGREEMENTS,
            Permission.MANAGE_AGREEMENTS,
            Permission.VIEW_AUDIT,
            Permission.EXPORT_SUBJECT_ACCESS,
            Permission.RUN_LINKAGE,
            Permission.REVIEW_LINKS,
            Permission.MERGE_PEOPLE,
        }
    ),
    Role.ADMIN: frozenset(
        {Permission.MANAGE_ORGANISATION, Permission.VIEW_AGREEMENTS, Permission.MANAGE_AGREEMENTS}
    ),
    # Commissioners pay for outcomes: they see claims by pseudonym and counts, never names.
    Role.COMMISSIONER: frozenset(
        {
            Permission.VIEW_CONTRACTS,
            Permission.MANAGE_CONTRACTS,
            Permission.REVIEW_CLAIMS,
            Permission.VIEW_PSEUDONYMISED,
        }
    ),
}


def role_can(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
