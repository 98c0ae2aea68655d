"""The live bed board of one unit: every bed with its status (occupied derived from an open interval), and,
only where the viewer may see the person's referral, their initials, days in the stay and expected
discharge; plus today's admissions and discharges and the referrals waiting. Bounded by the unit's beds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from homeward.governance.access import Actor
from homeward.reablement.codes import OCCUPIED, BedStatus
from homeward.reablement.models import Bed, Occupancy, Stay, StayDay, Unit
from homeward.reablement.occupancy import at_midnight, length_of_stay
from homeward.reablement.selectors import visible_stays_among

STATUS_LABELS = {OCCUPIED: "Occupied", **dict(BedStatus.choices)}
STATUS_TAGS = {
    OCCUPIED: "blue",
    BedStatus.VACANT_CLEAN: "green",
    BedStatus.AWAITING_CLEAN: "yellow",
    BedStatus.RESERVED: "purple",
    BedStatus.CLOSED: "grey",
}


@dataclass(frozen=True)
class BedRow:
    bed: Bed
    status: str
    stay: Stay | None  # only when the viewer may see it
    initials: str
    days_in: int | None
    expected_discharge_on: dt.date | None
    open_blockers: int
    red_days: int = 0
    today_colour: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]


@dataclass(frozen=True)
class Board:
    unit: Unit
    rows: list[BedRow]
    counts: dict[str, int]
    admitted_today: int
    discharged_today: int

    @property
    def red_today(self) -> int:
        return sum(row.today_colour == "red" for row in self.rows)

    @property
    def with_blockers(self) -> int:
        return sum(row.open_blockers > 0 for row in self.rows)

    @property
    def stay_ids(self) -> list[int]:
        return [row.stay.pk for row in self.rows if row.stay is not None]


def initials(stay: Stay) -> str:
    person = stay.referral.person
    return f"{person.given_name[:1]}{person.family_name[:1]}".upper()


def unit_board(actor: Actor, unit: Unit, today: dt.date | None = None) -> Board:
    today = today or timezone.localdate()
    beds = list(unit.beds.select_related("reserved_for").order_by("label"))
    open_intervals = {
        o.bed_id: o
        for o in Occupancy.objects.filter(bed__unit=unit, ended_at__isnull=True).only("bed_id", "stay_id")
    }
    seen = {
        stay.pk: stay
        for stay in visible_stays_among(actor, [o.stay_id for o in open_intervals.values()])
        .select_related("referral__person")
        .annotate(
            open_blockers=Count("blockers", filter=Q(blockers__resolved_on__isnull=True), distinct=True),
            red_days=Count("days", filter=Q(days__colour="red"), distinct=True),
        )
    }
    colours = dict(StayDay.objects.filter(stay_id__in=list(seen), day=today).values_list("stay_id", "colour"))
    rows = []
    for bed in beds:
        interval = open_intervals.get(bed.pk)
        status = OCCUPIED if interval is not None else bed.status
        stay = seen.get(interval.stay_id) if interval is not None else None
        rows.append(
            BedRow(
                bed=bed,
                status=status,
                stay=stay,
                initials=initials(stay) if stay else "",
                days_in=length_of_stay(stay, today) if stay else None,
                expected_discharge_on=stay.expected_discharge_on if stay else None,
                open_blockers=getattr(stay, "open_blockers", 0) if stay else 0,
                red_days=getattr(stay, "red_days", 0) if stay else 0,
                today_colour=colours.get(stay.pk, "") if stay else "",
            )
        )
    counts = {key: sum(r.status == key for r in rows) for key in STATUS_LABELS}
    start, end = at_midnight(today), at_midnight(today + dt.timedelta(days=1))
    stays = Stay.objects.filter(unit=unit)
    return Board(
        unit=unit,
        rows=rows,
        counts=counts,
        admitted_today=stays.filter(admitted_at__gte=start, admitted_at__lt=end).count(),
        discharged_today=stays.filter(discharged_at__gte=start, discharged_at__lt=end).count(),
    )


def provider_board(actor: Actor, today: dt.date | None = None) -> list[Board]:
    """One board per unit the actor's organisation runs (bounded by its units and their beds)."""
    today = today or timezone.localdate()
    units = Unit.objects.filter(organisation_id=actor.organisation_id).select_related("organisation")
    return [unit_board(actor, unit, today) for unit in units.order_by("name")]
