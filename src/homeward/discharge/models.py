"""Hospital to Home cases, their screen, blockers, follow-up tasks and timeline."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Hospital, Organisation, Person, Team, User, Ward
from homeward.discharge.codes import (
    AssessmentStatus,
    BlockerCategory,
    CaseStatus,
    Destination,
    Pathway,
    Setting,
    SitrepCollection,
)


class DischargeCase(models.Model):
    """A patient referred to the housing team; held by the referring trust, shared with the housing body."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discharge_cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="discharge_cases")
    housing_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assigned_to = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    setting = models.CharField(max_length=16, choices=Setting.choices, default=Setting.WARD)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.REFERRED)
    pathway = models.CharField(max_length=1, choices=Pathway.choices, blank=True)
    referral_reason = models.TextField(max_length=2000)
    admitted_on = models.DateField()
    referred_at = models.DateTimeField()
    discharge_ready_on = models.DateField(
        null=True, blank=True, help_text="Medically optimised / no longer meets the criteria to reside"
    )
    discharge_to_assess = models.BooleanField(default=False)
    screened_at = models.DateTimeField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    destination = models.CharField(max_length=16, choices=Destination.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    died_on = models.DateField(null=True, blank=True, help_text="Date of death, when the case ended so")
    previous_case = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="readmissions"
    )

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="discharge_org_status_idx"),
            models.Index(fields=["housing_organisation", "status"], name="discharge_housing_status_idx"),
            models.Index(fields=["team", "status"], name="discharge_team_status_idx"),
            models.Index(fields=["person", "admitted_on"], name="discharge_person_admit_idx"),
            # Open cases are a few per cent of all cases: worklists start from this small index.
            models.Index(
                fields=["status"],
                name="discharge_open_idx",
                condition=models.Q(status__in=["referred", "screening", "active", "ready"]),
            ),
            # A dashboard reads one organisation's year of referrals.
            models.Index(fields=["organisation", "referred_at"], name="discharge_org_referred_idx"),
            models.Index(
                fields=["housing_organisation", "referred_at"], name="discharge_housing_referred_idx"
            ),
            # The weekly sitrep reads a trust's cases still in hospital or discharged since the week began.
            models.Index(fields=["organisation", "discharged_on"], name="discharge_org_discharged_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharge_ready_on__isnull=True)
                | models.Q(discharge_ready_on__gte=models.F("admitted_on")),
                name="discharge_ready_after_admission",
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="discharged_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"H2H-{self.pk}"

    @property
    def reference(self) -> str:
        return f"H2H-{self.pk:06d}"

    def is_core_team(self, organisation_id: int) -> bool:
        """The trust holding the case or its housing team: they screen and move it; other participants
        (a care provider) raise blockers and answer assessments."""
        return organisation_id in (self.organisation_id, self.housing_organisation_id)

    @property
    def is_readmission(self) -> bool:
        return self.previous_case_id is not None


class LostBedDays(models.Model):
    """Bed-days lost by one discharged case, per blocker category ("unattributed" when none was open).

    Written once at discharge (see `bed_days.record_lost_bed_days`) so that dashboards sum rows in SQL
    instead of replaying every case's blockers; the attribution cannot change afterwards because only
    the days before the discharge date count.
    """

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="lost_bed_days")
    category = models.CharField(max_length=20)
    days = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="lost_bed_days_once")]

    def __str__(self) -> str:
        return f"{self.case}: {self.days} days ({self.category})"


class ScreenItem(models.TextChoices):
    HOMELESS = "homeless", "Homeless or at risk of homelessness"
    HOME_UNSUITABLE = "home_unsuitable", "Home unsuitable for new needs (stairs, access, bathing)"
    DISREPAIR = "disrepair", "Disrepair, damp or cold"
    UTILITIES = "utilities", "Utilities off (gas, electricity, water)"
    FURNITURE = "furniture", "No furniture or white goods"
    FINANCE = "finance", "Arrears, debt or benefits problems"
    IMMIGRATION = "immigration", "Immigration status affects housing or support"
    HOARDING = "hoarding", "Hoarding or cleanliness"
    ISOLATION = "isolation", "Social isolation"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"


class Screen(models.Model):
    """The housing and welfare screen: which items apply, with notes and the landlord."""

    case = models.OneToOneField(DischargeCase, on_delete=models.CASCADE, related_name="screen")
    items = models.JSONField(default=list, help_text="ScreenItem codes that apply")
    landlord = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=4000, blank=True)
    screened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Screen for {self.case}"


class Blocker(models.Model):
    """Something keeping a discharge-ready patient in hospital, with an owner, a due date and a resolution."""

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="blockers")
    category = models.CharField(max_length=20, choices=BlockerCategory.choices)
    description = models.CharField(max_length=500)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who raised it: the trust, the housing team or the care provider",
    )
    raised_on = models.DateField()
    due_on = models.DateField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(
                fields=["owner_organisation", "resolved_on", "due_on"], name="blocker_owner_due_idx"
            ),
            models.Index(fields=["case", "resolved_on"], name="blocker_case_open_idx"),
            models.Index(
                fields=["due_on"], name="blocker_open_due_idx", condition=models.Q(resolved_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.case})"

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.display_name
        if self.owner_team is not None:
            return self.owner_team.name
        return self.owner_organisation.name


class FollowUpKind(models.TextChoices):
    FURNITURE = "furniture", "Furniture and white goods"
    BENEFITS = "benefits", "Benefits claim"
    MONEY_ADVICE = "money_advice", "Money advice"
    GP_REGISTRATION = "gp_registration", "GP registration"
    WELFARE_CALL_7 = "welfare_call_7", "Welfare call at 7 days"
    WELFARE_CALL_28 = "welfare_call_28", "Welfare call at 28 days"
    OTHER = "other", "Other"


class FollowUpTask(models.Model):
    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=FollowUpKind.choices)
    due_on = models.DateField()
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"


class CaseEvent(models.Model):
    """The case timeline: every status change and significant action, in order."""

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for Homeward itself",
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One A&E attendance, held by the trust; the A&E to Home worklist counts them per person."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField()
    complaint = models.CharField(max_length=200, help_text="Presenting complaint, in a few words")
    needs = models.JSONField(default=list, help_text="NonClinicalNeed codes noticed at this attendance")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(fields=["organisation", "arrived_at"], name="attendance_org_arrived_idx"),
            models.Index(fields=["person", "arrived_at"], name="attendance_person_arrived_idx"),
        ]

    def __str__(self) -> str:
        return f"A&E attendance {self.arrived_at:%d %b %Y}"


class TrustedAssessment(models.Model):
    """A trusted assessor's assessment that a care provider accepts instead of assessing again.

    Follows the domains of the national Trusted Assessor model (NHS England / CQC, 2018).
    """

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="assessments")
    care_provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessor_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    domains = models.JSONField(default=dict, help_text="AssessmentDomain code -> what the assessor found")
    risks = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Trusted assessment for {self.case}"

    def domain_rows(self) -> list[tuple[str, str]]:
        """What the assessor found, domain by domain, in the form's order."""
        return [
            (domain.label, self.domains[domain.value])
            for domain in AssessmentDomain
            if self.domains.get(domain.value)
        ]


class AssessmentDomain(models.TextChoices):
    MOBILITY = "mobility", "Mobility and transfers"
    PERSONAL_CARE = "personal_care", "Personal care"
    CONTINENCE = "continence", "Continence (incl. bowels)"
    NUTRITION = "nutrition", "Eating, drinking and nutrition"
    MEDICATION = "medication", "Medication"
    SKIN = "skin", "Skin integrity and pressure areas"
    COGNITION = "cognition", "Cognition, mental capacity and behaviour"
    EQUIPMENT = "equipment", "Equipment needed"


# Without these a care provider cannot judge whether it can meet the patient's needs.
REQUIRED_DOMAINS = (AssessmentDomain.MOBILITY, AssessmentDomain.PERSONAL_CARE, AssessmentDomain.MEDICATION)


class DelayReasonList(models.Model):
    """One version of an NHS England delay-reason list, loaded from data files (`delay_reasons.py`).

    A list is never edited once loaded: a revised list is a new list with its own key, date and mapping,
    so that the weeks before it keep reporting in the list that was in force then.
    """

    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    collection = models.CharField(max_length=16, choices=SitrepCollection.choices)
    in_use_from = models.DateField(help_text="The first day the list is in force")
    week_starts = models.PositiveSmallIntegerField(
        default=0, help_text="Day the collection's week starts: 0 = Monday ... 6 = Sunday"
    )
    source = models.TextField(max_length=2000)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["collection", "in_use_from"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "in_use_from"], name="delay_list_once_per_day")
        ]

    def __str__(self) -> str:
        return self.title


class DelayReason(models.Model):
    """A reason in a list, verbatim (it is also the report's column header)."""

    reason_list = models.ForeignKey(DelayReasonList, on_delete=models.PROTECT, related_name="reasons")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["reason_list", "order"]
        constraints = [
            models.UniqueConstraint(fields=["reason_list", "order"], name="delay_reason_order_once"),
            models.UniqueConstraint(fields=["reason_list", "text"], name="delay_reason_text_once"),
        ]

    def __str__(self) -> str:
        return self.text


class DelayReasonMapping(models.Model):
    """Which reason of a list each Homeward blocker category counts as."""

    reason_list = models.ForeignKey(DelayReasonList, on_delete=models.PROTECT, related_name="mappings")
    category = models.CharField(max_length=20, choices=BlockerCategory.choices)
    reason = models.ForeignKey(DelayReason, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reason_list", "category"], name="delay_mapping_once")]

    def __str__(self) -> str:
        return f"{self.category} -> {self.reason}"


class DelayReasonOverride(models.Model):
    """The housing officer or the ward says which reason holds the patient, instead of the default from the
    oldest open blocker. In force from `starts_on` up to, not including, `ends_on`."""

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="delay_reason_overrides")
    reason = models.ForeignKey(DelayReason, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "pk"]
        indexes = [models.Index(fields=["case", "starts_on"], name="delay_override_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="delay_override_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.reason} from {self.starts_on}"


class DelayedDays(models.Model):
    """Days a discharged patient stayed after their discharge-ready date, by NHS delay reason of each list
    that was in force (reason empty: no reason recorded). Written at discharge from the day-by-day reason
    history (`delayed_days.record_delayed_days`), and again if an override is set afterwards, so that the
    dashboard and the KPIs sum stored rows."""

    case = models.ForeignKey(DischargeCase, on_delete=models.CASCADE, related_name="delayed_days")
    collection = models.CharField(max_length=16, choices=SitrepCollection.choices)
    reason = models.ForeignKey(DelayReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    housing = models.BooleanField(default=False, help_text="The reason is one a housing category maps to")
    days = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["case", "collection"], name="delayed_days_case_idx")]

    def __str__(self) -> str:
        return f"{self.case}: {self.days} days ({self.reason or 'no reason recorded'})"
