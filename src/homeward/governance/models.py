"""Agreements, consent, participation in cases, and the append-only audit trail."""

from __future__ import annotations

import datetime as dt

from django.db import models

from homeward.core.models import Organisation, Person, User


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1)."""

    CONSENT = "6.1.a", "Art 6(1)(a) consent"
    CONTRACT = "6.1.b", "Art 6(1)(b) contract"
    LEGAL_OBLIGATION = "6.1.c", "Art 6(1)(c) legal obligation"
    VITAL_INTERESTS = "6.1.d", "Art 6(1)(d) vital interests"
    PUBLIC_TASK = "6.1.e", "Art 6(1)(e) public task"
    LEGITIMATE_INTERESTS = "6.1.f", "Art 6(1)(f) legitimate interests"


class Article9Condition(models.TextChoices):
    """UK GDPR Article 9(2), for special category (e.g. health) data."""

    NONE = "", "No special category data"
    EXPLICIT_CONSENT = "9.2.a", "Art 9(2)(a) explicit consent"
    EMPLOYMENT_SOCIAL_PROTECTION = "9.2.b", "Art 9(2)(b) employment, social security and social protection"
    VITAL_INTERESTS = "9.2.c", "Art 9(2)(c) vital interests"
    SUBSTANTIAL_PUBLIC_INTEREST = "9.2.g", "Art 9(2)(g) substantial public interest"
    HEALTH_SOCIAL_CARE = "9.2.h", "Art 9(2)(h) health or social care"
    PUBLIC_HEALTH = "9.2.i", "Art 9(2)(i) public health"
    ARCHIVING_RESEARCH = "9.2.j", "Art 9(2)(j) archiving, research and statistics"


class DataCategory(models.TextChoices):
    IDENTIFIERS = "identifiers", "Identifiers and contact details"
    HEALTH = "health", "Health and care"
    HOUSING = "housing", "Housing and tenancy"
    FINANCIAL = "financial", "Financial (arrears, benefits, debt)"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    SOCIAL = "social", "Social circumstances"


class SharingPurpose(models.TextChoices):
    """What an agreement lets its parties do with each other's data, beyond seeing the cases they share."""

    DIRECT_CARE = "direct_care", "Direct care: see the people in cases the parties share"
    LINKAGE = "linkage", "Person linkage: match the parties' records of the same person"
    TENANT_IN_HOSPITAL = "tenant_in_hospital", "Tenant in hospital: tell a landlord a tenant is in hospital"
    LINKED_PARTIES = "linked_parties", "Show on a linked person's page which other parties work with them"
    ANALYTICS = "analytics", "Outcome analytics across the parties, by pseudonymised identity"


#: Purposes that need person linkage first (and so need the linkage purpose and its fields).
LINKAGE_USES = frozenset(
    {SharingPurpose.TENANT_IN_HOSPITAL, SharingPurpose.LINKED_PARTIES, SharingPurpose.ANALYTICS}
)


class LinkageField(models.TextChoices):
    """The fields person linkage may compare (the linkage engine's standard fields, by the same names)."""

    GIVEN_NAME = "given_name", "Given name"
    FAMILY_NAME = "family_name", "Family name"
    PREVIOUS_FAMILY_NAME = "previous_family_name", "Previous family name"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    SEX = "sex", "Sex"
    POSTCODE = "postcode", "Postcode"
    ADDRESS_LINE = "address_line", "Address"
    UPRN = "uprn", "UPRN"
    NHS_NUMBER = "nhs_number", "NHS number"
    OTHER_IDENTIFIER = "other_identifier", "Other shared identifier"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"


def _direct_care() -> list[str]:
    return [SharingPurpose.DIRECT_CARE.value]


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    ENDED = "ended", "Ended"


class DataSharingAgreement(models.Model):
    """Lets the parties see each other's case data while status is active and today is within the dates."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    purpose = models.TextField(max_length=2000)
    lawful_basis = models.CharField(max_length=8, choices=LawfulBasis.choices)
    article9_condition = models.CharField(max_length=8, choices=Article9Condition.choices, blank=True)
    data_categories = models.JSONField(default=list)
    purposes = models.JSONField(default=_direct_care, help_text="SharingPurpose codes")
    linkage_fields = models.JSONField(
        default=list, blank=True, help_text="LinkageField codes linkage may compare"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day sharing is allowed")
    status = models.CharField(max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def allows(self, purpose: str) -> bool:
        return purpose in (self.purposes or [])

    def purpose_labels(self) -> list[str]:
        return [SharingPurpose(p).label for p in self.purposes or [] if p in SharingPurpose.values]

    def linkage_field_labels(self) -> list[str]:
        return [LinkageField(f).label for f in self.linkage_fields or [] if f in LinkageField.values]

    def is_in_force(self, on: dt.date) -> bool:
        return (
            self.status == AgreementStatus.ACTIVE
            and self.start_date <= on
            and (self.end_date is None or on <= self.end_date)
        )


class ConsentPurpose(models.TextChoices):
    DIRECT_CARE = "direct_care", "Direct care and support"
    SHARE_WITH_HOUSING = "share_with_housing", "Sharing with the housing team"
    SHARE_WITH_HEALTH = "share_with_health", "Sharing with health services"
    REFERRAL = "referral", "Referral to another service"
    CONTACT = "contact", "Contact about services"
    RESEARCH = "research", "Evaluation and research"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_REQUIRED = "not_required", "Not required (another lawful basis applies)"


class ConsentRecord(models.Model):
    """Consent, or the lawful basis relied on instead, for one person and purpose."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    status = models.CharField(max_length=16, choices=ConsentStatus.choices)
    lawful_basis = models.CharField(max_length=8, choices=LawfulBasis.choices)
    article9_condition = models.CharField(max_length=8, choices=Article9Condition.choices, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True, max_length=2000)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_status_display()}"


class Participation(models.Model):
    """An organisation taking part in a case held by another (e.g. a housing provider on a trust's case).

    The participant sees the person only while this is open AND an agreement between the two is in force.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    case_type = models.CharField(max_length=60, help_text="e.g. discharge.case")
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Groups of the person record shared (governance.fields); empty means the whole record",
    )

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "person"], name="participation_org_person_idx"),
            # "Does this organisation take part in this case?": the access layer asks it for every case row,
            # and answers from the index alone (whose case it is, whether it has ended).
            models.Index(
                fields=["case_type", "case_id", "organisation"],
                include=["owner", "ended_at"],
                name="participation_case_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.case_type} {self.case_id or ''}".strip()


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the holder"
    ACCEPTED = "accepted", "Accepted by the holder"
    REJECTED = "rejected", "Rejected by the holder"


class PersonCorrection(models.Model):
    """A partner's proposed change to a person record another organisation holds.

    Partners never overwrite the holder's record: their edit is kept here until someone at the holding
    organisation accepts it (the changes are then applied, validated, audited) or rejects it.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="corrections")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    changes = models.JSONField(help_text="Field name to proposed value (dates as ISO text)")
    previous = models.JSONField(default=dict, help_text="The values when the correction was proposed")
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["person", "status"], name="correction_person_status_idx")]

    def __str__(self) -> str:
        return f"Correction to person {self.person_id} by {self.organisation} ({self.status})"


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"


class AuditEvent(models.Model):
    """Append-only and hash-chained: each row's hash covers its content and the previous row's hash."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150)
    organisation_id = models.BigIntegerField(null=True)
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    purpose = models.CharField(max_length=200)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_username}"


class AuditChainHead(models.Model):
    """One row: the last sequence and hash. Locked while appending so the chain stays a chain."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_sequence}"
