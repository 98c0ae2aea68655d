"""Supported housing: schemes and their units, placements (referral to move-on) and the stays as
intervals, key work, reviews, departures and follow-ups.

Occupancy is stored as intervals (`Occupancy`: placement x unit x from/to), never as a flag on the unit:
occupancy %, void days and length of stay are worked out from them. On PostgreSQL an exclusion constraint
(migration 0002) refuses two residents in one unit on the same night; on SQLite `occupancy.check_free`
refuses it in the service.
"""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, User
from homeward.housing.codes import (
    DeclineReason,
    DepartureReason,
    FollowUpResult,
    GoalProgress,
    MoveOnDestination,
    Occupation,
    PeoplePlaceOutcome,
    PlacementSource,
    PlacementStatus,
    Readiness,
    RiskLevel,
    SchemeType,
    Staffing,
    SupportArea,
    UnitStatus,
    VoidReason,
)


class Scheme(models.Model):
    """A supported-housing scheme run by a housing provider."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="housing_schemes")
    name = models.CharField(max_length=200)
    scheme_type = models.CharField(max_length=16, choices=SchemeType.choices)
    staffing = models.CharField(max_length=10, choices=Staffing.choices)
    contracted_units = models.PositiveSmallIntegerField(help_text="Units the commissioner pays for")
    commissioner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(max_length=300, blank=True)
    plan_within_days = models.PositiveSmallIntegerField(
        default=28, help_text="Days from arrival by which the support plan is due"
    )
    review_every_days = models.PositiveSmallIntegerField(default=91, help_text="Days between plan reviews")
    safeguarding_lead = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Told at once (a link only) when an incident is flagged as safeguarding",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A room, flat or bedspace. Its status says what it is when empty; occupied comes from the stays."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=50)
    status = models.CharField(max_length=14, choices=UnitStatus.choices, default=UnitStatus.READY_TO_LET)
    void_reason = models.CharField(max_length=20, choices=VoidReason.choices, blank=True)
    status_note = models.CharField(max_length=300, blank=True)
    status_since = models.DateField()
    in_use_from = models.DateField(help_text="First day the unit could be let (void days count from here)")

    class Meta:
        ordering = ["scheme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="housing_unit_name_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="void") | ~models.Q(void_reason=""),
                name="housing_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name}: {self.name}"


class Placement(models.Model):
    """One person's journey with a scheme, from referral to move-on: held by the scheme's provider, shared
    with the referrer (case type "housing.placement") while an agreement is in force."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="housing_placements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="placements")
    status = models.CharField(
        max_length=14, choices=PlacementStatus.choices, default=PlacementStatus.REFERRED
    )
    source = models.CharField(max_length=20, choices=PlacementSource.choices)
    referrer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharge_case = models.ForeignKey(
        "discharge.DischargeCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Hospital to Home case this placement continues",
    )
    previous_placement = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    needs = models.TextField(max_length=2000)
    referred_on = models.DateField()
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    # Eligibility and risk check, before an offer.
    assessed_on = models.DateField(null=True, blank=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    risk_summary = models.TextField(max_length=2000, blank=True)
    not_eligible_reason = models.CharField(max_length=500, blank=True)
    # The offer and the answer.
    offered_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offered_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    decline_reason = models.CharField(max_length=24, choices=DeclineReason.choices, blank=True)
    # The stay.
    arrived_on = models.DateField(null=True, blank=True)
    occupation = models.CharField(max_length=20, choices=Occupation.choices, blank=True)
    key_worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    support_case_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The key-work case in `support` whose wellbeing measures this stay uses",
    )
    plan_agreed_on = models.DateField(null=True, blank=True)
    assessed_needs_on = models.DateField(
        null=True, blank=True, help_text="The first needs and risk assessment after arrival"
    )
    welfare_check_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A resident at risk is checked at least this often (hours)"
    )
    readiness = models.CharField(max_length=10, choices=Readiness.choices, default=Readiness.NOT_YET)
    move_on_plan = models.TextField(max_length=2000, blank=True)
    # The departure.
    departed_on = models.DateField(null=True, blank=True)
    departure_reason = models.CharField(max_length=10, choices=DepartureReason.choices, blank=True)
    destination = models.CharField(max_length=20, choices=MoveOnDestination.choices, blank=True)
    departure_note = models.TextField(max_length=2000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="housing_org_status_idx"),
            models.Index(fields=["scheme", "status"], name="housing_scheme_status_idx"),
            models.Index(fields=["key_worker", "status"], name="housing_worker_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departed_on__isnull=True)
                | models.Q(arrived_on__isnull=False, departed_on__gte=models.F("arrived_on")),
                name="housing_departure_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SH-{self.pk:06d}"

    @property
    def is_planned_departure(self) -> bool:
        return self.departure_reason == DepartureReason.PLANNED


class Occupancy(models.Model):
    """A resident in a unit from one date to another: `ends_on` is the day they left (the night before
    was their last), empty while they live there. Intervals are half-open, [starts_on, ends_on)."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="occupancies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="occupancies")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["unit", "starts_on"], name="housing_occ_unit_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="housing_occupancy_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} from {self.starts_on}"


class UnitOutOfUse(models.Model):
    """A unit out of use from one date to another (`ends_on` empty while it still is), half-open like a
    stay: its nights could not be let, so they are neither lettable nor void. Opened and closed by
    `schemes.set_unit_status`, never typed in."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="out_of_use_spells")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=models.F("starts_on")),
                name="housing_out_of_use_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(ends_on__isnull=True), name="housing_one_open_out_of_use"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} out of use from {self.starts_on}"


class PlacementEvent(models.Model):
    """The placement timeline: every move and recorded fact, in order."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanGoal(models.Model):
    """A goal in the resident's support plan, in one of the key-work areas, with a target date."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(max_length=20, choices=SupportArea.choices)
    description = models.CharField(max_length=500)
    target_on = models.DateField(null=True, blank=True)
    progress = models.CharField(max_length=12, choices=GoalProgress.choices, default=GoalProgress.AGREED)
    progress_on = models.DateField(null=True, blank=True, help_text="When the progress was last recorded")
    set_on = models.DateField()

    class Meta:
        ordering = ["set_on", "pk"]

    def __str__(self) -> str:
        return self.description


class KeyWorkSession(models.Model):
    """A key-work session: when, how long, which areas it covered."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    areas = models.JSONField(default=list, help_text="Codes from SupportArea")
    note = models.TextField(max_length=2000, blank=True)
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["placement", "held_on"], name="housing_session_day_idx")]

    def __str__(self) -> str:
        return f"{self.placement} on {self.held_on}"


class PlanReview(models.Model):
    """A review of the support plan: what was found, the move-on readiness agreed, the next review."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    summary = models.TextField(max_length=2000)
    readiness = models.CharField(max_length=10, choices=Readiness.choices)
    next_review_on = models.DateField()
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    outcomes = models.JSONField(
        default=dict,
        blank=True,
        help_text="OutcomeDomain code -> DomainOutcome code, for domains with a need",
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.placement} review {self.reviewed_on}"


class FollowUp(models.Model):
    """A resettlement follow-up after a move-on: due at 3, 6 and 12 months, with what was found."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=14, choices=FollowUpResult.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="housing_one_follow_up_per_point")
        ]

    def __str__(self) -> str:
        return f"{self.placement} at {self.months} months"


class OptionsConversation(models.Model):
    """A "stay or move?" conversation with an older person: how the current home works for them, what
    matters most, the options considered, the decision, and what was done (an adaptations case opened
    through `adaptations.services`, referrals through `referrals.services`). Held by the adviser's
    organisation only."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="housing_options")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    scores = models.JSONField(help_text="HomeTopic code -> 0 (works well) to 4 (a real problem)")
    home_notes = models.TextField(max_length=2000, blank=True)
    what_matters = models.TextField(max_length=2000)
    ranking = models.JSONField(
        default=list, blank=True, help_text="HomeTopic codes the person ranked as mattering most, first first"
    )
    options = models.JSONField(default=list, help_text="HousingOption codes considered")
    decision = models.CharField(max_length=20, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    actions = models.JSONField(default=list, blank=True, help_text="NeighbourhoodAction codes agreed")
    adaptation_case_id = models.PositiveIntegerField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True, help_text="Six months after the decision")
    outcome = models.CharField(
        max_length=20, blank=True, help_text="OptionsOutcome code found at the six-month follow-up"
    )
    outcome_on = models.DateField(null=True, blank=True, help_text="Date of the follow-up")
    self_completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person answered the topics themselves, through a link"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="housing_options_org_idx")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"HO-{self.pk:06d}"


class PeoplePlaceCase(models.Model):
    """A people and place (neighbourhood) team's light-touch case for a tenant: going with them to the GP,
    an adaptations or money-advice referral, tenancy sustainment; closed with an outcome. It may come from
    another app's record (`source_type` and `source_id`, e.g. a prevention alert's decision); one source
    opens at most one case. Held by the opening organisation only."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="people_place_cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    help = models.JSONField(default=list, help_text="PeoplePlaceHelp codes")
    note = models.CharField(max_length=500, blank=True)
    source_type = models.CharField(max_length=40, blank=True, help_text="e.g. prevention.alert")
    source_id = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=PeoplePlaceOutcome.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome_note = models.CharField(max_length=500, blank=True, help_text="What was done, in a sentence")

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "opened_on"], name="housing_pp_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="housing_pp_one_case_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PP-{self.pk:06d}"


class OptionsSelfServiceLink(models.Model):
    """A single-use, expiring link the adviser sends so the older person can answer the topics of one
    conversation on their phone, without signing in. Only a SHA-256 hash of the random token is kept."""

    conversation = models.ForeignKey(OptionsConversation, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Self-service link for {self.conversation.reference}"


from homeward.housing.models_operations import (  # noqa: E402,F401  (Django finds the models here)
    Activity,
    ActivitySession,
    Feedback,
    Incident,
    NeedsAssessment,
    Risk,
    ShiftHandover,
    Visit,
    WelfareCheck,
)
