"""Reablement units, their beds, referrals, stays and the occupancy intervals that join a stay to a bed.

Occupancy is stored as intervals (stay × bed × [from, to)), so occupancy, void days and length of stay are
derived from them (`occupancy.py`), never typed in. A bed move ends one interval and starts the next within
the same stay. A bed never holds two stays at once: a partial unique index refuses two open intervals on a
bed (every database), and on PostgreSQL an exclusion constraint refuses any two overlapping intervals
(migration 0002); on SQLite the service checks the overlap under the write lock.
"""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, Team, User
from homeward.discharge.codes import BlockerCategory
from homeward.reablement.codes import (
    ArrangementKind,
    BedStatus,
    BedType,
    ContractMeasure,
    DayColour,
    Discipline,
    FollowUpOutcome,
    GoalProgress,
    MeasureStage,
    ReablementStatus,
    ReferralSource,
    StaffingModel,
    StayDestination,
    StayStatus,
)


class Unit(models.Model):
    """A short-stay reablement unit run by a provider (often a housing provider) for a commissioner."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reablement_units")
    commissioner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The commissioning trust or integrated care board",
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, blank=True)
    commissioned_beds = models.PositiveIntegerField(help_text="The bed count in the contract")
    staffing_model = models.CharField(max_length=16, choices=StaffingModel.choices)
    board_version = models.PositiveBigIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text="Counts the changes to what the unit's bed board shows (board_version.changed)",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(max_length=20)
    bed_type = models.CharField(max_length=16, choices=BedType.choices, default=BedType.STANDARD)
    status = models.CharField(max_length=16, choices=BedStatus.choices, default=BedStatus.VACANT_CLEAN)
    reserved_for = models.ForeignKey(
        "Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="reserved_beds"
    )
    closed_reason = models.CharField(max_length=200, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "label"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "label"], name="reablement_bed_label_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="reablement_closed_bed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} bed {self.label}"


class Referral(models.Model):
    """A referral into a unit: held by the referring organisation, shared with the unit's provider through a
    `Participation` (case type "reablement.referral") while an agreement is in force."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reablement_referrals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=ReferralSource.choices)
    status = models.CharField(
        max_length=16, choices=ReablementStatus.choices, default=ReablementStatus.REFERRED
    )
    reason = models.TextField(max_length=2000)
    goals = models.TextField(max_length=2000, help_text="What the person wants to be able to do again")
    risks = models.TextField(max_length=2000, blank=True)
    lawful_basis = models.CharField(max_length=8)
    consent_status = models.CharField(max_length=16)
    # A Hospital to Home case on pathway 2 continues here as one journey.
    discharge_case = models.ForeignKey(
        "discharge.DischargeCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["unit", "status"], name="reab_referral_unit_status_idx"),
            models.Index(fields=["organisation", "referred_at"], name="reab_referral_org_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"RBL-{self.pk:06d}"

    @property
    def is_step_up(self) -> bool:
        return self.source not in ("acute_ward", "emergency")


class Stay(models.Model):
    """One person's stay in a unit, from admission to discharge, however many beds it used."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="stay")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stays")
    status = models.CharField(max_length=16, choices=StayStatus.choices, default=StayStatus.IN_UNIT)
    admitted_at = models.DateTimeField()
    expected_discharge_on = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    destination = models.CharField(max_length=16, choices=StayDestination.choices, blank=True)
    discharge_note = models.CharField(max_length=1000, blank=True)
    readmitted_on = models.DateField(
        null=True, blank=True, help_text="Readmitted to an acute hospital after discharge from the unit"
    )
    ready_on = models.DateField(
        null=True, blank=True, help_text="The first MDT review that found the person ready to leave the unit"
    )
    transition_plan = models.TextField(
        max_length=2000, blank=True, help_text="How the move home is handed over: who does what, and when"
    )
    first_contact_on = models.DateField(
        null=True, blank=True, help_text="The first visit or call at home after leaving the unit"
    )

    class Meta:
        ordering = ["-admitted_at"]
        indexes = [
            models.Index(fields=["unit", "admitted_at"], name="reab_stay_unit_admitted_idx"),
            models.Index(fields=["unit", "discharged_at"], name="reab_stay_unit_discharged_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_at__isnull=True)
                | models.Q(discharged_at__gte=models.F("admitted_at")),
                name="reablement_discharged_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"Stay {self.pk} ({self.referral.reference})"


class Occupancy(models.Model):
    """One stay in one bed over [started_at, ended_at); ended_at is empty while the person is in the bed."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="occupancies")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["bed", "started_at"], name="reab_occupancy_bed_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=models.Q(ended_at__isnull=True), name="reablement_one_open_per_bed"
            ),
            models.UniqueConstraint(
                fields=["stay"],
                condition=models.Q(ended_at__isnull=True),
                name="reablement_one_open_per_stay",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=models.F("started_at")),
                name="reablement_occupancy_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed} from {self.started_at:%Y-%m-%d %H:%M}"


class Goal(models.Model):
    """A goal of the personalised support plan, agreed with the person, with a target date and progress."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(max_length=500)
    target_on = models.DateField()
    progress = models.CharField(max_length=16, choices=GoalProgress.choices, default=GoalProgress.NOT_STARTED)
    agreed_with_person = models.BooleanField(default=True)
    updated_on = models.DateField()

    class Meta:
        ordering = ["target_on", "pk"]

    def __str__(self) -> str:
        return self.description


class MdtReview(models.Model):
    """A multidisciplinary review: who attended (by discipline and organisation), what was decided, when the
    next one is."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    attendees = models.JSONField(default=list, help_text="Disciplines present (codes.Discipline)")
    attendance = models.JSONField(
        default=list,
        blank=True,
        help_text='Who attended by discipline and organisation: [{"discipline", "organisation_id", '
        '"organisation"}] (the organisation\'s name as it was; none for the person or their family)',
    )
    medically_stable = models.BooleanField()
    ready_to_leave = models.BooleanField(default=False, help_text="Ready to leave the unit once arranged")
    decisions = models.TextField(max_length=2000)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"MDT {self.held_on}"

    @property
    def attendance_label(self) -> str:
        """ "Nurse (Anytown Hospitals), Physiotherapist (Riverside Homes)"; disciplines only for a review
        recorded before organisations were."""
        if not self.attendance:
            return ", ".join(Discipline(code).label for code in self.attendees if code in Discipline.values)
        return ", ".join(
            Discipline(row["discipline"]).label
            + (f" ({row['organisation']})" if row.get("organisation") else "")
            for row in self.attendance
        )


class StayBlocker(models.Model):
    """Something keeping the person in the unit, with Hospital to Home's categories and owner shape."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="blockers")
    category = models.CharField(max_length=20, choices=BlockerCategory.choices)
    description = models.CharField(max_length=500)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    delay_reason = models.ForeignKey(
        "discharge.DelayReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="NHS England's community discharge delay reason, from the list in force when raised",
    )
    raised_on = models.DateField()
    due_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.display_name
        if self.owner_team is not None:
            return self.owner_team.name
        return self.owner_organisation.name


class FollowUp(models.Model):
    """The 91-day follow-up after a discharge home (ASCOF 2B(1)): due, then done with its outcome."""

    stay = models.OneToOneField(Stay, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=FollowUpOutcome.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"91-day follow-up due {self.due_on}"


class ReferralEvent(models.Model):
    """The journey's timeline, from referral through the stay to the follow-up."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MdtAction(models.Model):
    """An action agreed at an MDT review: a task with an owner (organisation, team or person) and a due date,
    open until someone marks it done."""

    review = models.ForeignKey(MdtReview, on_delete=models.CASCADE, related_name="actions")
    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner_user", "done_on"], name="reab_action_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_team__isnull=False) | models.Q(owner_user__isnull=False),
                name="reablement_action_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.display_name
        assert self.owner_team is not None
        return self.owner_team.name


class StayDay(models.Model):
    """One day of a stay marked red or green; a red day carries its reason (free text, and optionally the
    community delay reason it matches)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    colour = models.CharField(max_length=8, choices=DayColour.choices)
    reason = models.CharField(max_length=500, blank=True)
    delay_reason = models.ForeignKey(
        "discharge.DelayReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "day"], name="reablement_one_colour_per_day"),
            models.CheckConstraint(
                condition=~models.Q(colour="red") | ~models.Q(reason=""), name="reablement_red_day_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.get_colour_display()}"


class DailyNote(models.Model):
    """A note written during the stay (care, therapy, how the person is doing)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Note {self.written_at:%Y-%m-%d %H:%M}"


class FunctionalMeasure(models.Model):
    """A functional measure an organisation uses, set up by the organisation itself: Homeward ships none,
    because the common instruments are licensed; the organisation records the licence it holds."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    lowest = models.IntegerField()
    highest = models.IntegerField()
    higher_is_better = models.BooleanField(default=True)
    licence = models.CharField(max_length=300, help_text="The licence or permission to use the measure")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="reablement_measure_name_once"),
            models.CheckConstraint(
                condition=models.Q(highest__gt=models.F("lowest")), name="reablement_measure_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeasureScore(models.Model):
    """A functional measure scored at admission, at a review or at discharge."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="scores")
    measure = models.ForeignKey(FunctionalMeasure, on_delete=models.PROTECT, related_name="scores")
    stage = models.CharField(max_length=12, choices=MeasureStage.choices)
    score = models.IntegerField()
    scored_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["measure", "scored_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "measure", "stage"],
                condition=~models.Q(stage="review"),
                name="reablement_one_admission_discharge_score",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.score}"


class Contract(models.Model):
    """A commissioner's contract for a unit, with targets on the contract measures."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contracts")
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=50)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["unit", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="reablement_contract_dates"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ContractTarget(models.Model):
    """A target of the contract; `amber_margin` (the contract's tolerance, in the measure's units) makes
    a near miss amber instead of red. Without it a miss is red."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(max_length=32, choices=ContractMeasure.choices)
    target = models.FloatField()
    amber_margin = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "measure"], name="reablement_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.target}"


class DischargeArrangement(models.Model):
    """Something arranged for going home: an adaptation, as a case of the adaptations module (opened from
    here or an open one linked), or other support (a care package, equipment, therapy, the voluntary
    sector), as an onward referral of the referral model."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="arrangements")
    kind = models.CharField(max_length=16, choices=ArrangementKind.choices)
    description = models.CharField(max_length=500)
    adaptation_case = models.ForeignKey(
        "adaptations.AdaptationCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(null=True, blank=True, help_text="When the support starts")
    arranged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField()

    class Meta:
        ordering = ["arranged_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="adaptation", adaptation_case__isnull=False, referral__isnull=True)
                    | (
                        ~models.Q(kind="adaptation")
                        & models.Q(adaptation_case__isnull=True, referral__isnull=False)
                    )
                ),
                name="reablement_arrangement_goes_through_its_module",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
