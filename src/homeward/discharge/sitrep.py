"""The weekly discharge situation report for a trust, computed from the case history (never typed in).

For a trust and a week (seven days from the collection's start day, Monday for the lists Homeward ships):

- Table 5: the weekly snapshot average number of people per day with a length of stay of 14 days or over
  (and 21 days or over) who no longer meet the criteria to reside and were not discharged, by the reason
  they continued to reside, with the reasons of the list in force on the week's first day as column
  headers, verbatim. The average is the sum of the seven daily counts divided by seven.
- Patients delayed with no reason recorded (no open blocker, no override) are shown apart, for the
  discharge lead to resolve before submitting; they count in the totals but in no reason's column.
- Discharges per day by pathway, and the number discharged on their discharge-ready date.

Homeward counts only the patients referred to Hospital to Home, not every inpatient of the trust.

Who sees what: the trust's staff see the whole trust; a housing provider sees the figures of the cases it
is the housing team for; a commissioner sees the cases shared with it under an agreement. A report seen
outside the trust (or asked for as shared) hides small numbers (`SMALL_NUMBER`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Organisation, OrganisationKind
from homeward.core.roles import Permission
from homeward.discharge.codes import CaseStatus, Pathway, SitrepCollection
from homeward.discharge.delay_reasons import WEEKDAYS, ReasonBook, book_for, list_in_force
from homeward.discharge.lifecycle import ENDINGS
from homeward.discharge.models import Blocker, CaseEvent, DelayReasonOverride, DischargeCase
from homeward.discharge.reason_days import BlockerSpell, OverrideSpell, Stay, days_between, reason_on
from homeward.discharge.selectors import cases_for_aggregates
from homeward.governance.access import Actor, has_active_agreement

#: Outside the trust, a figure above 0 and below this is shown as "*" (Homeward's rule, not NHS England's).
SMALL_NUMBER = 5
SUPPRESSED = "*"
LONG_STAYS = (14, 21)
LOS_LABELS = {14: "14 days or over", 21: "21 days or over"}
PATHWAY_COLUMNS = [(code, label) for code, label in Pathway.choices] + [("", "Pathway not recorded")]


@dataclass
class ReasonFigure:
    order: int
    reason: str
    housing: bool
    los_14: float | None
    los_21: float | None


@dataclass
class DayFigures:
    day: dt.date
    delayed_14: int | None
    delayed_21: int | None
    discharges: dict[str, int | None]
    discharged: int | None
    on_ready_date: int | None


@dataclass
class Sitrep:
    organisation: Organisation
    week: dt.date
    collection: str
    reason_list: Any
    scope: str
    shared: bool
    reasons: list[ReasonFigure] = field(default_factory=list)
    not_recorded_14: float | None = 0.0
    not_recorded_21: float | None = 0.0
    los_14_plus: float | None = 0.0
    los_21_plus: float | None = 0.0
    days: list[DayFigures] = field(default_factory=list)
    discharged: int | None = 0
    discharged_on_ready_date: int | None = 0
    discharges_by_pathway: dict[str, int | None] = field(default_factory=dict)

    @property
    def week_ends(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    def as_json(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "organisation": self.organisation.pk,
            "collection": self.collection,
            "list": self.reason_list.key,
            "shared": self.shared,
            "reasons": {r.reason: shown(r.los_14) for r in self.reasons},
            "reasons_21_plus": {r.reason: shown(r.los_21) for r in self.reasons},
            "not_recorded": shown(self.not_recorded_14),
            "los_14_plus": shown(self.los_14_plus),
            "los_21_plus": shown(self.los_21_plus),
            "discharged": shown(self.discharged),
            "discharged_on_ready_date": shown(self.discharged_on_ready_date),
            "discharges_by_pathway": {
                label: shown(self.discharges_by_pathway.get(code)) for code, label in PATHWAY_COLUMNS
            },
        }

    def table5_header(self) -> list[str]:
        return ["Organisation code", "Organisation name", "Week starting", "Length of stay"] + [
            r.reason for r in self.reasons
        ]

    def table5_rows(self) -> list[list[Any]]:
        org = self.organisation
        return [
            [org.ods_code, org.name, self.week.isoformat(), LOS_LABELS[los]]
            + [shown(r.los_14 if los == 14 else r.los_21) for r in self.reasons]
            for los in LONG_STAYS
        ]

    def discharge_header(self) -> list[str]:
        return (
            ["Date"]
            + [label for _, label in PATHWAY_COLUMNS]
            + ["Total discharges", "Discharged on their discharge-ready date"]
        )

    def discharge_rows(self) -> list[list[Any]]:
        rows = [
            [d.day.isoformat()]
            + [shown(d.discharges.get(code)) for code, _ in PATHWAY_COLUMNS]
            + [shown(d.discharged), shown(d.on_ready_date)]
            for d in self.days
        ]
        rows.append(
            ["Week"]
            + [shown(self.discharges_by_pathway.get(code)) for code, _ in PATHWAY_COLUMNS]
            + [shown(self.discharged), shown(self.discharged_on_ready_date)]
        )
        return rows


def shown(value: float | int | None) -> float | int | str:
    return SUPPRESSED if value is None else value


def sitrep_scope(actor: Actor, organisation_id: int) -> tuple[QuerySet[DischargeCase], bool, str]:
    """The trust's cases the actor may count, whether the report is seen outside the trust, and a label."""
    if not (actor.can(Permission.VIEW_PERSON) or actor.can(Permission.VIEW_PSEUDONYMISED)):
        raise NotAllowed("Your role cannot see discharge reports")
    cases = cases_for_aggregates(actor).filter(organisation_id=organisation_id)
    if actor.organisation_id == organisation_id:
        return cases, False, "All the trust's Hospital to Home cases"
    if not has_active_agreement(actor.organisation_id, organisation_id):
        raise NotFound("No organisation with that id")
    if actor.can(Permission.VIEW_PERSON):
        return cases, True, f"Only the cases {actor.organisation.name} is the housing team for"
    return cases, True, "Cases shared with your organisation under an agreement in force"


def check_request(organisation_id: int, week: dt.date, collection: str) -> tuple[Organisation, ReasonBook]:
    """Validate the trust, the week and the collection; errors name the field."""
    if collection not in SitrepCollection.values:
        raise ValidationFailed.single("collection", f"Choose one of: {', '.join(SitrepCollection.values)}")
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed.single("organisation", f"No organisation with id {organisation_id}")
    if organisation.kind != OrganisationKind.NHS_TRUST:
        raise ValidationFailed.single("organisation", f"{organisation.name} is not an NHS trust")
    reason_list = list_in_force(collection, week)
    if reason_list is None:
        raise ValidationFailed.single(
            "week", f"No {collection} delay-reason list was in force on {week:%d %B %Y}"
        )
    if week.weekday() != reason_list.week_starts:
        start = WEEKDAYS[reason_list.week_starts].capitalize()
        raise ValidationFailed.single(
            "week",
            f"The {collection} collection's week starts on a {start}; "
            f"{week:%d %B %Y} is a {WEEKDAYS[week.weekday()].capitalize()}",
        )
    if week + dt.timedelta(days=6) >= timezone.localdate():
        raise ValidationFailed.single(
            "week", f"The week of {week:%d %B %Y} has not ended; it can be reported from the day after"
        )
    return organisation, book_for(reason_list)


def weekly_sitrep(
    *, actor: Actor, organisation_id: int, week: dt.date, collection: str = "acute", shared: bool = False
) -> Sitrep:
    """The report as the actor may see it (small numbers hidden when seen outside the trust or `shared`)."""
    organisation, book = check_request(organisation_id, week, collection)
    cases, outside, scope = sitrep_scope(actor, organisation_id)
    return compute_sitrep(
        cases, organisation=organisation, week=week, book=book, shared=shared or outside, scope=scope
    )


def trust_sitrep(
    *, organisation_id: int, week: dt.date, collection: str = "acute", shared: bool = False
) -> Sitrep:
    """The trust's whole report, for the command line run by the trust's own operator."""
    organisation, book = check_request(organisation_id, week, collection)
    cases = DischargeCase.objects.filter(organisation_id=organisation_id)
    return compute_sitrep(
        cases,
        organisation=organisation,
        week=week,
        book=book,
        shared=shared,
        scope="All the trust's Hospital to Home cases",
    )


def stays(cases: QuerySet[DischargeCase], first: dt.date, last: dt.date) -> list[Stay]:
    """The cases delayed on some day from `first` to `last`, with their blockers, overrides and spells back
    on active care: four queries (per 10,000 cases)."""
    ended = CaseEvent.objects.filter(case=OuterRef("pk"), to_status__in=ENDINGS).order_by("occurred_at")
    delayed = (
        cases.filter(discharge_ready_on__isnull=False, discharge_ready_on__lte=last)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=first))
        .annotate(ended_on=Subquery(ended.annotate(day=TruncDate("occurred_at")).values("day")[:1]))
        .exclude(Q(discharged_on__isnull=True, status__in=ENDINGS, ended_on__lte=first))
        .order_by()
    )
    rows = list(delayed.values_list("pk", "admitted_on", "discharge_ready_on", "discharged_on", "ended_on"))
    # By the ids just read (index lookups on the case), not by repeating the case filter as a subquery.
    ids = [row[0] for row in rows]
    blockers: defaultdict[int, list[BlockerSpell]] = defaultdict(list)
    overrides: defaultdict[int, list[OverrideSpell]] = defaultdict(list)
    unwell: defaultdict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    size = min(connection.features.max_query_params or 10_000, 10_000)
    for batch in (ids[n : n + size] for n in range(0, len(ids), size)):
        for case_id, pk, category, raised, resolved in (
            Blocker.objects.filter(case_id__in=batch, raised_on__lte=last)
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=first))
            .order_by()
            .values_list("case_id", "pk", "category", "raised_on", "resolved_on")
        ):
            blockers[case_id].append(BlockerSpell(pk, category, raised, resolved))
        for case_id, pk, reason_id, starts, ends in (
            DelayReasonOverride.objects.filter(case_id__in=batch, starts_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first))
            .order_by()
            .values_list("case_id", "pk", "reason_id", "starts_on", "ends_on")
        ):
            overrides[case_id].append(OverrideSpell(pk, reason_id, starts, ends))
        for case_id, day, to_status in (
            CaseEvent.objects.filter(case_id__in=batch)
            .filter(
                Q(from_status=CaseStatus.READY, to_status=CaseStatus.ACTIVE)
                | Q(from_status=CaseStatus.ACTIVE, to_status=CaseStatus.READY)
            )
            .annotate(day=TruncDate("occurred_at"))
            .order_by("case_id", "occurred_at", "pk")
            .values_list("case_id", "day", "to_status")
        ):
            spells = unwell[case_id]
            if to_status == CaseStatus.ACTIVE:
                spells.append((day, None))
            elif spells and spells[-1][1] is None:
                spells[-1] = (spells[-1][0], day)
    return [
        Stay(
            pk,
            admitted,
            ready,
            discharged or ended_on,
            tuple(blockers.get(pk, ())),
            tuple(overrides.get(pk, ())),
            tuple(unwell.get(pk, ())),
        )
        for pk, admitted, ready, discharged, ended_on in rows
    ]


def compute_sitrep(
    cases: QuerySet[DischargeCase],
    *,
    organisation: Organisation,
    week: dt.date,
    book: ReasonBook,
    shared: bool,
    scope: str,
) -> Sitrep:
    days = days_between(week, week + dt.timedelta(days=6))
    counts: dict[int, Counter[int | None]] = {los: Counter() for los in LONG_STAYS}
    daily: dict[int, Counter[dt.date]] = {los: Counter() for los in LONG_STAYS}
    reason_ids = book.reason_ids
    for stay in stays(cases, days[0], days[-1]):
        for day in days:
            if not stay.delayed_on(day):
                continue
            los = stay.length_of_stay(day)
            if los < LONG_STAYS[0]:
                continue
            reason = reason_on(stay, day, book.by_category, reason_ids).reason_id
            for mark in LONG_STAYS:
                if los >= mark:
                    counts[mark][reason] += 1
                    daily[mark][day] += 1

    def average(total: int) -> float:
        return round(total / len(days), 2)

    report = Sitrep(
        organisation=organisation,
        week=week,
        collection=book.reason_list.collection,
        reason_list=book.reason_list,
        scope=scope,
        shared=shared,
    )
    report.reasons = [
        ReasonFigure(
            order, text, pk in book.housing_reason_ids, average(counts[14][pk]), average(counts[21][pk])
        )
        for pk, order, text in book.reasons
    ]
    report.not_recorded_14 = average(counts[14][None])
    report.not_recorded_21 = average(counts[21][None])
    report.los_14_plus = average(sum(counts[14].values()))
    report.los_21_plus = average(sum(counts[21].values()))

    discharges: dict[dt.date, Counter[str]] = {day: Counter() for day in days}
    on_ready: Counter[dt.date] = Counter()
    for discharged_on, pathway, ready in (
        cases.filter(discharged_on__gte=days[0], discharged_on__lte=days[-1])
        .exclude(status=CaseStatus.CANCELLED)
        .order_by()
        .values_list("discharged_on", "pathway", "discharge_ready_on")
    ):
        assert discharged_on is not None  # filtered on
        discharges[discharged_on][pathway if pathway in Pathway.values else ""] += 1
        on_ready[discharged_on] += ready == discharged_on
    report.days = [
        DayFigures(
            day,
            daily[14][day],
            daily[21][day],
            {code: discharges[day][code] for code, _ in PATHWAY_COLUMNS},
            sum(discharges[day].values()),
            on_ready[day],
        )
        for day in days
    ]
    report.discharges_by_pathway = {
        code: sum(discharges[day][code] for day in days) for code, _ in PATHWAY_COLUMNS
    }
    report.discharged = sum(d.discharged or 0 for d in report.days)
    report.discharged_on_ready_date = sum(on_ready.values())
    if shared:
        suppress(report)
    return report


def _small(value: float | int | None) -> bool:
    return value is not None and 0 < value < SMALL_NUMBER


def _hide_row(cells: list[float | int | None]) -> list[float | int | None]:
    """Hide small figures; when only one is hidden, hide the next smallest too, so that it cannot be worked
    out from the total."""
    hidden = [None if _small(v) else v for v in cells]
    if sum(v is None for v in hidden) == 1:
        rest = [(v, i) for i, v in enumerate(hidden) if v]
        if rest:
            hidden[min(rest)[1]] = None
    return hidden


def suppress(report: Sitrep) -> None:
    """Small-number rule for a report seen outside the trust: a figure above 0 and below `SMALL_NUMBER` is
    hidden ("*"), and so is a second figure in the same row when only one would be hidden."""
    for attr, total in (("los_14", "not_recorded_14"), ("los_21", "not_recorded_21")):
        cells = _hide_row([getattr(r, attr) for r in report.reasons] + [getattr(report, total)])
        for reason, value in zip(report.reasons, cells, strict=False):
            setattr(reason, attr, value)
        setattr(report, total, cells[-1])
    for attr in ("los_14_plus", "los_21_plus", "discharged", "discharged_on_ready_date"):
        if _small(getattr(report, attr)):
            setattr(report, attr, None)
    for day in report.days:
        cells = _hide_row([day.discharges[code] for code, _ in PATHWAY_COLUMNS])
        day.discharges = {code: _count(v) for (code, _), v in zip(PATHWAY_COLUMNS, cells, strict=True)}
        for attr in ("delayed_14", "delayed_21", "discharged", "on_ready_date"):
            if _small(getattr(day, attr)):
                setattr(day, attr, None)
    cells = _hide_row([report.discharges_by_pathway[code] for code, _ in PATHWAY_COLUMNS])
    report.discharges_by_pathway = {
        code: _count(v) for (code, _), v in zip(PATHWAY_COLUMNS, cells, strict=True)
    }


def _count(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def sitrep_csv(report: Sitrep) -> str:
    """Table 5 in the collection's layout: one row per length-of-stay mark, one column per reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.table5_header())
    writer.writerows(report.table5_rows())
    return out.getvalue()


def sitrep_xlsx(report: Sitrep) -> bytes:
    """Workbook: Table 5, discharges by day and pathway, and what the discharge lead checks."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    for name, header, rows in (
        ("Table 5", report.table5_header(), report.table5_rows()),
        ("Discharges", report.discharge_header(), report.discharge_rows()),
        ("Check", ["Item", "Value"], check_rows(report)),
    ):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
        sheet.set_column(0, len(header), 18)
    book.close()
    return out.getvalue()


def check_rows(report: Sitrep) -> list[list[Any]]:
    return [
        ["Organisation", report.organisation.name],
        ["Week", f"{report.week.isoformat()} to {report.week_ends.isoformat()}"],
        ["Delay-reason list", f"{report.reason_list.title} ({report.reason_list.key})"],
        ["Source of the list", report.reason_list.source],
        ["Cases counted", report.scope],
        ["Length of stay 14 days or over, average per day", shown(report.los_14_plus)],
        ["Length of stay 21 days or over, average per day", shown(report.los_21_plus)],
        ["Of those 14 days or over: no reason recorded (average per day)", shown(report.not_recorded_14)],
        ["Of those 21 days or over: no reason recorded (average per day)", shown(report.not_recorded_21)],
        [
            "Small numbers",
            f"Figures above 0 and below {SMALL_NUMBER} are shown as {SUPPRESSED}"
            if report.shared
            else "Not hidden: for use inside the trust",
        ],
    ]


@dataclass
class CaseReasons:
    """A case's NHS delay reason today and day by day over the last weeks, for the case page."""

    collection: str
    current: str | None
    current_source: str | None
    history: list[tuple[dt.date, str | None, str | None]]
    choices: list[tuple[int, str]]
    override: Any | None


def case_reasons(case: DischargeCase, *, collection: str = "acute", days: int = 28) -> CaseReasons | None:
    """None when the case has no discharge-ready date or no list is in force today."""
    today = timezone.localdate()
    reason_list = list_in_force(collection, today)
    if case.discharge_ready_on is None or reason_list is None:
        return None
    first = max(case.discharge_ready_on, today - dt.timedelta(days=days - 1))
    found = stays(DischargeCase.objects.filter(pk=case.pk), first, today)
    book = book_for(reason_list)
    books: dict[int, ReasonBook] = {reason_list.pk: book}
    history: list[tuple[dt.date, str | None, str | None]] = []
    for day in reversed(days_between(first, today)) if found else []:
        if not found[0].delayed_on(day):
            continue
        # Each day counts in the list in force that day.
        day_list = reason_list if day >= reason_list.in_use_from else list_in_force(collection, day)
        if day_list is None:
            continue
        if day_list.pk not in books:
            books[day_list.pk] = book_for(day_list)
        day_book = books[day_list.pk]
        got = reason_on(found[0], day, day_book.by_category, day_book.reason_ids)
        texts = {pk: text for pk, _, text in day_book.reasons}
        history.append((day, texts.get(got.reason_id) if got.reason_id else None, got.source))
    current = history[0] if history and history[0][0] == today else None
    return CaseReasons(
        collection=collection,
        current=current[1] if current else None,
        current_source=current[2] if current else None,
        history=history,
        choices=[(pk, text) for pk, _, text in book.reasons],
        override=DelayReasonOverride.objects.filter(case=case, ends_on__isnull=True)
        .select_related("reason", "set_by")
        .order_by("-pk")
        .first(),
    )
