"""A&E to Home: attendances, and the frequent attenders whose reasons for coming are not clinical.

Attendances are held by the trust. Its staff see them all; another organisation sees a person's attendances
only while it takes part in a case about that person under an agreement in force (the same rule as for the
person's record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Hospital, Person
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.discharge.codes import NonClinicalNeed
from homeward.discharge.models import Attendance, DischargeCase
from homeward.discharge.selectors import OPEN_STATUSES, visible_cases
from homeward.governance.access import Actor, shared_participations, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction


def visible_attendances(actor: Actor) -> QuerySet[Attendance]:
    if not actor.can(Permission.VIEW_PERSON):
        return Attendance.objects.none()
    shared = shared_participations(actor.organisation_id).filter(
        person_id=OuterRef("person_id"), owner_id=OuterRef("organisation_id")
    )
    return Attendance.objects.filter(Q(organisation_id=actor.organisation_id) | Exists(shared))


@transaction.atomic
def record_attendance(
    *,
    actor: Actor,
    person_id: int,
    hospital_id: int,
    arrived_at: dt.datetime,
    complaint: str,
    needs: list[str],
) -> Attendance:
    """Record one A&E attendance (from the trust's emergency department system, or by hand)."""
    actor.require(Permission.EDIT_PERSON)
    person = visible_people(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("No person with that id")
    errors: dict[str, str] = {}
    if not Hospital.objects.filter(pk=hospital_id, organisation_id=actor.organisation_id).exists():
        errors["hospital_id"] = "Choose a hospital run by your organisation"
    if timezone.is_naive(arrived_at):
        arrived_at = timezone.make_aware(arrived_at)
    if arrived_at > timezone.now():
        errors["arrived_at"] = "Arrival time cannot be in the future"
    check_date(errors, "arrived_at", arrived_at, label="Arrival time")
    if not complaint.strip():
        errors["complaint"] = "Give the presenting complaint in a few words"
    elif len(complaint) > 200:
        errors["complaint"] = "Presenting complaint must be 200 characters or fewer"
    unknown = [code for code in needs if code not in NonClinicalNeed.values]
    if unknown:
        known = ", ".join(NonClinicalNeed.values)
        errors["needs"] = f"Unknown need code(s) {', '.join(unknown)}; use: {known}"
    if errors:
        raise ValidationFailed(errors)
    attendance = Attendance.objects.create(
        person=person,
        organisation_id=actor.organisation_id,
        hospital_id=hospital_id,
        arrived_at=arrived_at,
        complaint=complaint.strip(),
        needs=sorted(set(needs)),
        recorded_by=actor.user,
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Record an A&E attendance",
        obj=attendance,
        person_id=person.pk,
    )
    return attendance


@dataclass
class FrequentAttender:
    person: Person
    attendances: int
    last_arrived_at: dt.datetime
    needs: list[str] = field(default_factory=list)
    open_case: DischargeCase | None = None
    onward_referrals: int = 0

    @property
    def need_labels(self) -> list[str]:
        return [NonClinicalNeed(code).label for code in self.needs]


def check_window(threshold: int | None, months: int | None) -> tuple[int, int]:
    """The configurable threshold (default: settings.HOMEWARD_FREQUENT_ATTENDER) with clear errors."""
    default_threshold, default_months = settings.HOMEWARD_FREQUENT_ATTENDER
    threshold = default_threshold if threshold is None else threshold
    months = default_months if months is None else months
    errors: dict[str, str] = {}
    if not 2 <= threshold <= 100:
        errors["threshold"] = "Attendances must be a whole number from 2 to 100"
    if not 1 <= months <= 36:
        errors["months"] = "Months must be a whole number from 1 to 36"
    if errors:
        raise ValidationFailed(errors)
    return threshold, months


def window_start(months: int) -> dt.datetime:
    """The start of a window of `months` average-length months ending now."""
    return timezone.now() - dt.timedelta(days=round(months * 30.44))


def frequent_attenders(
    actor: Actor, *, threshold: int, months: int, hospital_id: int | None = None
) -> QuerySet[Attendance, dict[str, Any]]:
    """One row per person with at least `threshold` attendances in the last `months` months, at least one
    of them with a non-clinical need noted; most attendances first. Rows are dicts (person_id, n, last)."""
    since = window_start(months)
    attendances = visible_attendances(actor).filter(arrived_at__gte=since)
    if hospital_id:
        attendances = attendances.filter(hospital_id=hospital_id)
    return (
        attendances.values("person_id")
        .annotate(n=Count("pk"), last=Max("arrived_at"), flagged=Count("pk", filter=~Q(needs=[])))
        .filter(n__gte=threshold, flagged__gte=1)
        .order_by("-n", "-last", "person_id")
    )


def describe(actor: Actor, rows: list[dict[str, Any]], *, months: int) -> list[FrequentAttender]:
    """Names, needs, open A&E to Home cases and onward referrals for one page of rows; audited as a search."""
    from homeward.referrals.selectors import visible_referrals

    ids = [row["person_id"] for row in rows]
    people = visible_people(actor).in_bulk(ids)
    since = window_start(months)
    needs: dict[int, set[str]] = {pid: set() for pid in ids}
    for pid, codes in (
        visible_attendances(actor)
        .filter(person_id__in=ids, arrived_at__gte=since)
        .values_list("person_id", "needs")
    ):
        needs[pid].update(codes)
    cases = {
        case.person_id: case
        for case in visible_cases(actor)
        .filter(person_id__in=ids, status__in=OPEN_STATUSES)
        .order_by("referred_at")
    }
    referral_counts = dict(
        visible_referrals(actor)
        .filter(person_id__in=ids, requested_at__gte=since)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    result = [
        FrequentAttender(
            person=people[row["person_id"]],
            attendances=row["n"],
            last_arrived_at=row["last"],
            needs=sorted(needs[row["person_id"]]),
            open_case=cases.get(row["person_id"]),
            onward_referrals=referral_counts.get(row["person_id"], 0),
        )
        for row in rows
        if row["person_id"] in people
    ]
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="A&E to Home: frequent attenders",
        detail={"people": [item.person.pk for item in result]},
    )
    return result
