"""Care homes that keep residents out of hospital: homes, rooms and residents (occupancy as intervals),
advance care plans, observations, out-of-hours triage calls and hospital transfers.

A resident belongs to the home's care provider; the registered GP practice and a hospital the resident is a
patient of take part through a `Participation` (case type "carehomes.resident") and see the resident only
while an agreement is in force. Every date a KPI needs is its own column.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from homeward.carehomes.codes import (
    AgreedWith,
    ClinicianRole,
    Consciousness,
    Deterioration,
    EmergencyCallOutcome,
    Funding,
    HomeKind,
    PlaceOfCare,
    PlaceOfDeath,
    PreAdmission,
    Resuscitation,
    ScoredParameter,
    SoftSign,
    TriageDecision,
    VisitRole,
)
from homeward.core.models import Organisation, Person, User
from homeward.discharge.models import TrustedAssessment


class CareHome(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_homes")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=HomeKind.choices)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    video_link = models.URLField(
        max_length=500, blank=True, help_text="The organisation's own video service, for triage calls"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="carehome_unique_name")]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["home", "name"]
        constraints = [models.UniqueConstraint(fields=["home", "name"], name="carehome_room_unique_name")]

    def __str__(self) -> str:
        return f"{self.home.name}, room {self.name}"


class Resident(models.Model):
    """A person living in a home: what the home's staff and visiting clinicians need to know."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_home_residencies")
    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="residents")
    admitted_on = models.DateField(help_text="Moved into the home")
    left_on = models.DateField(null=True, blank=True)
    funding = models.CharField(max_length=16, choices=Funding.choices)
    gp_practice = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_of_kin = models.CharField(max_length=200, blank=True)
    next_of_kin_contact = models.CharField(max_length=200, blank=True)
    contact_preferences = models.CharField(max_length=500, blank=True)
    capacity_notes = models.TextField(max_length=2000, blank=True)
    consent_notes = models.TextField(max_length=2000, blank=True)
    died_on = models.DateField(null=True, blank=True)
    place_of_death = models.CharField(max_length=16, choices=PlaceOfDeath.choices, blank=True)
    # Admitted from a Hospital to Home case: how the resident was assessed before moving in (a trusted
    # assessment the home accepted under its protocol, or the home's own assessment).
    discharge_case_id = models.PositiveBigIntegerField(null=True, blank=True)
    pre_admission = models.CharField(max_length=20, choices=PreAdmission.choices, blank=True)
    trusted_assessment = models.ForeignKey(
        TrustedAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protocol = models.ForeignKey(
        "AssessmentProtocol", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    home_assessed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["home", "person__family_name", "pk"]
        indexes = [models.Index(fields=["home", "left_on"], name="carehome_resident_home_idx")]

    def __str__(self) -> str:
        return f"Resident {self.pk} at {self.home_id}"


class AssessmentProtocol(models.Model):
    """A home's agreement with a trusted assessor organisation (usually a trust's discharge team): from
    `starts_on` to `ends_on` (the last day in force; blank while it runs) the home accepts that
    organisation's pre-admission assessments without assessing again (discharge.TrustedAssessment)."""

    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="protocols")
    assessor_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="carehome_protocol_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Trusted assessor protocol from {self.starts_on}"

    def is_in_force(self, on: dt.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class Occupancy(models.Model):
    """A resident in a room over [starts_on, ends_on): ends_on is the first day they were no longer there,
    blank while they still are. No room holds two residents at once, and no resident is in two rooms at
    once (a PostgreSQL exclusion constraint, migration 0002; on SQLite, services.move_into_room checks)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="occupancies")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="occupancies")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="carehome_occupancy_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Room {self.room_id} from {self.starts_on}"


class CarePlan(models.Model):
    """An advance care plan agreed with the resident (or their representative) and their GP. A newer plan
    supersedes an older one; the current plan is the one not superseded."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="care_plans")
    agreed_on = models.DateField()
    agreed_with = models.CharField(max_length=16, choices=AgreedWith.choices)
    representative = models.CharField(max_length=200, blank=True)
    gp_name = models.CharField("GP who agreed the plan", max_length=200)
    what_matters = models.TextField(max_length=2000, help_text="What matters to the resident")
    treatment_preferences = models.TextField(max_length=2000, blank=True)
    preferred_place = models.CharField(max_length=16, choices=PlaceOfCare.choices)
    if_unwell = models.CharField(max_length=16, choices=Deterioration.choices)
    resuscitation = models.CharField(max_length=16, choices=Resuscitation.choices)
    resuscitation_decided_by = models.CharField(max_length=200, blank=True)
    resuscitation_decided_on = models.DateField(null=True, blank=True)
    review_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        indexes = [models.Index(fields=["resident", "superseded_at"], name="carehome_plan_current_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_on__gt=models.F("agreed_on")), name="carehome_plan_review_after"
            )
        ]

    def __str__(self) -> str:
        return f"Advance care plan agreed {self.agreed_on}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_current and self.review_on < timezone.localdate()


class Observation(models.Model):
    """One set of observations, as a carer takes them. Every measurement is optional (take what you can),
    but at least one is given; each is bounded to what a living person can show (services.BOUNDS)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="observations")
    taken_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    temperature = models.DecimalField("Temperature (°C)", max_digits=3, decimal_places=1, null=True)
    pulse = models.PositiveSmallIntegerField("Pulse (beats a minute)", null=True)
    respiratory_rate = models.PositiveSmallIntegerField("Breaths a minute", null=True)
    systolic = models.PositiveSmallIntegerField("Systolic blood pressure (mmHg)", null=True)
    diastolic = models.PositiveSmallIntegerField("Diastolic blood pressure (mmHg)", null=True)
    oxygen_saturation = models.PositiveSmallIntegerField("Oxygen saturation (%)", null=True)
    on_oxygen = models.BooleanField(default=False)
    consciousness = models.CharField(max_length=16, choices=Consciousness.choices, blank=True)
    soft_signs = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    scheme = models.ForeignKey(
        "EarlyWarningScheme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank unless a scheme is on and every parameter it scores was taken"
    )
    is_deterioration = models.BooleanField(
        default=False, help_text="Worked out when recorded (clinical.shows_deterioration), never typed"
    )

    class Meta:
        ordering = ["-taken_at", "-pk"]
        indexes = [
            models.Index(fields=["resident", "-taken_at"], name="carehome_obs_resident_idx"),
            models.Index(
                fields=["resident", "-taken_at"],
                condition=models.Q(is_deterioration=True),
                name="carehome_obs_deteriorating_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Observations at {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def soft_sign_labels(self) -> list[str]:
        labels = dict(SoftSign.choices)
        return [str(labels.get(sign, sign)) for sign in self.soft_signs]


class TriageCall(models.Model):
    """An out-of-hours call from the home to a clinician, with the observations and plan in front of
    them. Whether it avoided an admission is worked out (selectors.triage_outcome), never typed."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="triage_calls")
    called_at = models.DateTimeField()
    clinician_role = models.CharField(max_length=24, choices=ClinicianRole.choices)
    clinician_name = models.CharField(max_length=200)
    clinician_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, null=True, related_name="+")
    care_plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, null=True, related_name="+")
    decision = models.CharField(max_length=16, choices=TriageDecision.choices)
    reasons = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-called_at", "-pk"]
        indexes = [models.Index(fields=["resident", "called_at"], name="carehome_triage_resident_idx")]

    def __str__(self) -> str:
        return f"Triage call at {self.called_at:%Y-%m-%d %H:%M}"


class HospitalTransfer(models.Model):
    """A resident who went to hospital: conveyed by ambulance, seen in A&E, admitted or not."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="transfers")
    left_at = models.DateTimeField()
    hospital_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_ambulance = models.BooleanField(default=True)
    attended_ae = models.BooleanField("Seen in A&E", default=True)
    admitted = models.BooleanField(default=False)
    reason = models.CharField(max_length=500)
    discharge_case_id = models.PositiveBigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-left_at", "-pk"]
        indexes = [models.Index(fields=["resident", "left_at"], name="carehome_transfer_resident_idx")]

    def __str__(self) -> str:
        return f"To hospital at {self.left_at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """An in-reach visit or MDT meeting at the home: who came, whom they saw, what they noted."""

    home = models.ForeignKey(CareHome, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    role = models.CharField(max_length=16, choices=VisitRole.choices)
    visitor = models.CharField(max_length=200)
    is_mdt = models.BooleanField(default=False)
    residents = models.ManyToManyField(Resident, blank=True, related_name="visits")
    notes = models.TextField(max_length=4000, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} visit on {self.visited_on}"


class VisitAction(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=500)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.description


class EmergencyCall(models.Model):
    """A 999 call from the home for a resident, and what came of it (conveyed or not)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="emergency_calls")
    called_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=EmergencyCallOutcome.choices)
    reason = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-called_at", "-pk"]
        indexes = [models.Index(fields=["resident", "called_at"], name="carehome_999_resident_idx")]

    def __str__(self) -> str:
        return f"999 call at {self.called_at:%Y-%m-%d %H:%M}"


class EarlyWarningScheme(models.Model):
    """A published early-warning scoring scheme as versioned data: its source, the date it came into force,
    the terms that allow its use, the score at which a resident counts as deteriorating, and its bands.
    Homeward ships no rules (docs/carehomes.md): only a scheme's structure (which parameters it scores, and
    its source) where the terms are unclear; an organisation loads the bands of one whose terms allow it."""

    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    source = models.CharField(max_length=500, help_text="Where the bands and points are published")
    licence = models.CharField(max_length=500, help_text="The terms that allow Homeward to use it")
    in_force_from = models.DateField()
    trigger_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A total at or above this is a deterioration; blank with no rules"
    )
    parameters = models.JSONField(
        default=list, blank=True, help_text="The ScoredParameter codes the scheme scores (its structure)"
    )

    class Meta:
        ordering = ["name", "-in_force_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="carehome_scheme_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class EarlyWarningBand(models.Model):
    """One band of one parameter: a measured value in [low, high] (inclusive; blank is open-ended) or a
    category (`value`, for alertness and on-oxygen) scores `points`."""

    scheme = models.ForeignKey(EarlyWarningScheme, on_delete=models.CASCADE, related_name="bands")
    parameter = models.CharField(max_length=20, choices=ScoredParameter.choices)
    low = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    high = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    value = models.CharField(max_length=16, blank=True)
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scheme", "parameter", "low", "value"]

    def __str__(self) -> str:
        return f"{self.parameter} {self.low}-{self.high}{self.value}: {self.points}"


class SchemeInUse(models.Model):
    """An organisation turned a scheme on: from then its homes' observations are scored with it."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(EarlyWarningScheme, on_delete=models.PROTECT, related_name="+")
    turned_on_at = models.DateTimeField(default=timezone.now)
    turned_on_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.scheme} at {self.organisation_id}"
