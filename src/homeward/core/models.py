"""Core data: organisations and their staff, people who receive care, homes and tenancies."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from homeward.core.roles import Role
from homeward.core.validators import validate_nhs_number, validate_ods_code, validate_postcode, validate_uprn


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    ICB = "icb", "Integrated care board"
    GP_PRACTICE = "gp_practice", "GP practice"
    HOUSING_PROVIDER = "housing_provider", "Housing provider"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CARE_PROVIDER = "care_provider", "Care provider"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        validators=[validate_ods_code],
        help_text="NHS Organisation Data Service code",
    )
    requires_two_factor = models.BooleanField(
        default=False, help_text="Staff must sign in with an authenticator app code as well as a password"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="unique_ods_code"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Hospital(models.Model):
    """A hospital site run by an NHS trust."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hospitals")
    name = models.CharField(max_length=200)
    site_code = models.CharField("ODS site code", max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WardKind(models.TextChoices):
    ACUTE = "acute", "Acute medical or surgical ward"
    ELDERLY = "elderly", "Care of older people"
    EMERGENCY = "emergency", "Emergency department (A&E)"
    MENTAL_HEALTH = "mental_health", "Mental health unit"
    DISCHARGE_HUB = "discharge_hub", "Discharge hub / lounge"


class Ward(models.Model):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=WardKind.choices, default=WardKind.ACUTE)
    beds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hospital__name", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.hospital}"


class User(AbstractUser):
    """A member of staff. What they may see depends on their active membership, not on the user."""

    job_title = models.CharField(max_length=200, blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in an organisation (and optionally a team). A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "team", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        team = f", {self.team.name}" if self.team is not None else ""
        return f"{self.get_role_display()}, {self.organisation}{team}"


class ContactPreference(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person only"


class Person(models.Model):
    """The subject of care. Held by one organisation; shared only through the governance layer."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="Organisation that holds this record",
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    uprn = models.CharField("UPRN", max_length=12, blank=True, validators=[validate_uprn])
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    contact_preference = models.CharField(max_length=16, choices=ContactPreference.choices, blank=True)
    preferred_language = models.CharField(max_length=60, blank=True, default="English")
    interpreter_required = models.BooleanField(default=False)
    accessibility_needs = models.TextField(
        blank=True, max_length=2000, help_text="For example: uses a wheelchair, BSL interpreter, large print"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="unique_nhs_number_per_org",
            )
        ]
        indexes = [
            models.Index(fields=["nhs_number"], name="person_nhs_number_idx"),
            models.Index(fields=["date_of_birth"], name="person_dob_idx"),
            models.Index(fields=["postcode"], name="person_postcode_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town, self.postcode) if line]

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else ""


class PropertyType(models.TextChoices):
    HOUSE = "house", "House"
    FLAT = "flat", "Flat"
    BUNGALOW = "bungalow", "Bungalow"
    MAISONETTE = "maisonette", "Maisonette"
    BEDSIT = "bedsit", "Bedsit"
    SUPPORTED = "supported", "Supported housing unit"


class Property(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="properties")
    reference = models.CharField(max_length=40)
    uprn = models.CharField("UPRN", max_length=12, blank=True, validators=[validate_uprn])
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_postcode])
    property_type = models.CharField(max_length=16, choices=PropertyType.choices)
    bedrooms = models.PositiveSmallIntegerField(default=1)
    floor_level = models.SmallIntegerField(default=0, help_text="0 = ground floor")
    has_lift = models.BooleanField(default=False)
    adaptations = models.JSONField(default=list, blank=True, help_text="Adaptations present, e.g. stairlift")

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["postcode", "address_line_1"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="unique_property_ref")
        ]

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"


class Tenure(models.TextChoices):
    SECURE = "secure", "Secure"
    ASSURED = "assured", "Assured"
    STARTER = "starter", "Starter / introductory"
    FIXED_TERM = "fixed_term", "Fixed term"
    TEMPORARY = "temporary", "Temporary accommodation"
    LICENCE = "licence", "Licence"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"


class Tenancy(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tenancies")
    reference = models.CharField(max_length=40)
    tenure = models.CharField(max_length=20, choices=Tenure.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "tenancies"
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["property", "reference"], name="unique_tenancy_ref"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="tenancy_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_tenure_display()})"

    def is_current(self) -> bool:
        return self.end_date is None


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 digest of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token for {self.membership}"
