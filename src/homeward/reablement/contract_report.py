"""A commissioner's contract for a unit: targets on the contract measures, monthly actuals with 95%
intervals from the KPI registry's intervals (`casework.kpis`), RAG status against each target, and the
report as a CSV. Counts and durations only, never names.

RAG: green meets the target; amber misses it by no more than the contract's own `amber_margin` (Homeward
sets no tolerance of its own); red misses it by more, or by anything when the contract gives no margin;
"no data" when the month has nothing to count."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from homeward.casework.kpis import Point, median_point, share_point
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed, check_choice
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.reablement.codes import (
    CONTRACT_HIGHER_IS_BETTER,
    HOME_DESTINATIONS,
    ContractMeasure,
    StayDestination,
)
from homeward.reablement.lifecycle import ADMISSION_STANDARD_DAYS, READMISSION_DAYS
from homeward.reablement.models import Contract, ContractTarget, Stay, Unit
from homeward.reablement.occupancy import at_midnight, unit_occupancy

MAX_MONTHS = 36
SHARES = {m for m in ContractMeasure.values if m != ContractMeasure.LOS_MEDIAN}


def next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


Targets = dict[str, tuple[float, float | None]]


def _check_contract(
    actor: Actor, unit_id: int, reference: str, starts_on: dt.date, ends_on: dt.date, targets: Targets
) -> Unit:
    """The unit, or ValidationFailed naming each bad field: the unit must be one the actor's organisation
    commissions (or one with no commissioner yet); targets are within the measure's bounds (shares 0-1,
    the median length of stay 0-365 days), and so are their amber margins."""
    errors: dict[str, str] = {}
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors["unit_id"] = "Choose a reablement unit"
    elif unit.commissioner_id not in (None, actor.organisation_id):
        errors["unit_id"] = "Choose a unit your organisation commissions"
    if not reference.strip() or len(reference) > 50:
        errors["reference"] = "Give the contract reference (50 characters or fewer)"
    if ends_on <= starts_on:
        errors["ends_on"] = "The contract must end after it starts"
    if not targets:
        errors["targets"] = "Give at least one target"
    for measure, (target, margin) in targets.items():
        check_choice(errors, f"targets.{measure}", measure, ContractMeasure)
        top = 1.0 if measure in SHARES else 365.0
        if not 0 <= target <= top:
            errors[f"targets.{measure}"] = f"Target must be between 0 and {top:g}"
        elif margin is not None and not 0 <= margin <= top:
            errors[f"targets.{measure}.margin"] = f"Amber margin must be between 0 and {top:g}"
    if errors:
        raise ValidationFailed(errors)
    assert unit is not None
    return unit


def _set_targets(contract: Contract, targets: Targets) -> None:
    contract.targets.exclude(measure__in=list(targets)).delete()
    for measure, (target, margin) in targets.items():
        ContractTarget.objects.update_or_create(
            contract=contract, measure=measure, defaults={"target": target, "amber_margin": margin}
        )


@transaction.atomic
def create_contract(
    *,
    actor: Actor,
    unit_id: int,
    reference: str,
    starts_on: dt.date,
    ends_on: dt.date,
    targets: Targets,
) -> Contract:
    """The commissioner (the actor's organisation) contracts a unit, with targets {measure: (target,
    amber margin or None)}; shares are 0-1, the median length of stay is in days."""
    actor.require(Permission.MANAGE_CONTRACTS)
    unit = _check_contract(actor, unit_id, reference, starts_on, ends_on, targets)
    contract = Contract.objects.create(
        unit=unit,
        commissioner_id=actor.organisation_id,
        reference=reference.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _set_targets(contract, targets)
    record_event(actor=actor, action=AuditAction.CREATE, purpose="Set up a reablement contract", obj=contract)
    return contract


@transaction.atomic
def update_contract(
    *,
    actor: Actor,
    contract_id: int,
    unit_id: int,
    reference: str,
    starts_on: dt.date,
    ends_on: dt.date,
    targets: Targets,
) -> Contract:
    """The commissioner changes its contract: its unit, reference, dates and the whole set of targets
    (a measure left out loses its target)."""
    actor.require(Permission.MANAGE_CONTRACTS)
    contract = (
        Contract.objects.select_for_update()
        .filter(pk=contract_id, commissioner_id=actor.organisation_id)
        .first()
    )
    if contract is None:
        raise NotFound("No reablement contract of your organisation with that id")
    unit = _check_contract(actor, unit_id, reference, starts_on, ends_on, targets)
    before = {t.measure: [t.target, t.amber_margin] for t in contract.targets.all()}
    contract.unit = unit
    contract.reference = reference.strip()
    contract.starts_on, contract.ends_on = starts_on, ends_on
    contract.save()
    _set_targets(contract, targets)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Changed a reablement contract",
        obj=contract,
        detail={"targets_before": before},
    )
    return contract


def editable_contract(actor: Actor, contract_id: int) -> Contract:
    """A contract the actor's organisation commissions and the actor may change."""
    actor.require(Permission.MANAGE_CONTRACTS)
    contract = (
        Contract.objects.filter(pk=contract_id, commissioner_id=actor.organisation_id)
        .select_related("unit")
        .prefetch_related("targets")
        .first()
    )
    if contract is None:
        raise NotFound("No reablement contract of your organisation with that id")
    return contract


def visible_contracts(actor: Actor) -> list[Contract]:
    """Contracts the actor's organisation commissions or whose unit it runs."""
    if not actor.can(Permission.VIEW_CONTRACTS):
        return []
    org = actor.organisation_id
    return list(
        Contract.objects.filter(Q(commissioner_id=org) | Q(unit__organisation_id=org))
        .select_related("unit", "commissioner")
        .prefetch_related("targets")
    )


def get_contract(actor: Actor, contract_id: int) -> Contract:
    for contract in visible_contracts(actor):
        if contract.pk == contract_id:
            return contract
    raise NotFound("No reablement contract with that id")


def default_first(contract: Contract, today: dt.date | None = None) -> dt.date:
    """The report's first month unless asked: twelve months back, not before the contract started."""
    today = today or timezone.localdate()
    return max(contract.starts_on, (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)).replace(
        day=1
    )


def month_figures(unit: Unit, first: dt.date, today: dt.date | None = None) -> dict[str, Point]:
    """The contract measures of one unit for the calendar month starting `first`."""
    today = today or timezone.localdate()
    after = next_month(first)
    start, end = at_midnight(first), at_midnight(after)
    label = f"{first:%Y-%m}"
    stays = list(
        Stay.objects.filter(unit=unit)
        .filter(
            Q(admitted_at__gte=start, admitted_at__lt=end)
            | Q(discharged_at__gte=start, discharged_at__lt=end)
            | Q(follow_up__due_on__gte=first, follow_up__due_on__lt=after)
        )
        .values_list(
            "referral__referred_at",
            "admitted_at",
            "discharged_at",
            "destination",
            "readmitted_on",
            "follow_up__due_on",
            "follow_up__outcome",
        )
    )
    local = timezone.localdate
    admitted = [(local(r), local(a)) for r, a, *_ in stays if start <= a < end]
    left = [
        (local(a), local(d), dest, re)
        for _, a, d, dest, re, *_ in stays
        if d is not None and start <= d < end
    ]
    followed = [o for *_, due, o in stays if due is not None and first <= due < after]
    answered = [o for o in followed if o and o != "lost"]
    readmitted = sum(
        1
        for _, d, dest, re in left
        if dest == StayDestination.READMITTED or (re is not None and (re - d).days <= READMISSION_DAYS)
    )
    last = min(after - dt.timedelta(days=1), today)
    occupancy = unit_occupancy(unit, first, last) if last >= first else None
    bed_days = occupancy["available_bed_days"] if occupancy else 0
    return {
        ContractMeasure.LOS_MEDIAN: median_point(label, [float((d - a).days) for a, d, *_ in left]),
        ContractMeasure.OCCUPANCY: Point(
            label, occupancy["occupancy"] if occupancy and bed_days else None, None, None, round(bed_days)
        ),
        ContractMeasure.ADMITTED_WITHIN_2_DAYS: share_point(
            label, sum((a - r).days <= ADMISSION_STANDARD_DAYS for r, a in admitted), len(admitted)
        ),
        ContractMeasure.HOME_AT_DISCHARGE: share_point(
            label, sum(dest in HOME_DESTINATIONS for _, _, dest, _ in left), len(left)
        ),
        ContractMeasure.AT_HOME_91_DAYS: share_point(
            label, sum(o == "at_home" for o in answered), len(answered)
        ),
        ContractMeasure.READMITTED_30_DAYS: share_point(label, readmitted, len(left)),
        "lost_to_follow_up": Point(
            label, float(sum(o == "lost" for o in followed)), None, None, len(followed)
        ),
    }


def rag(measure: str, value: float | None, target: float, margin: float | None) -> str:
    if value is None:
        return "no data"
    shortfall = (target - value) if CONTRACT_HIGHER_IS_BETTER[ContractMeasure(measure)] else (value - target)
    if shortfall <= 1e-12:
        return "green"
    if margin is not None and shortfall <= margin + 1e-12:
        return "amber"
    return "red"


@dataclass(frozen=True)
class ReportCell:
    measure: str
    label: str
    target: float
    point: Point
    status: str


@dataclass(frozen=True)
class ReportMonth:
    first: dt.date
    cells: list[ReportCell]
    lost_to_follow_up: int


def contract_report(
    actor: Actor, contract: Contract, first: dt.date, months: int, today: dt.date | None = None
) -> list[ReportMonth]:
    """The contract's months from `first` (at most MAX_MONTHS), each target with its actual and RAG."""
    if (
        contract.unit.organisation_id != actor.organisation_id
        and contract.commissioner_id != actor.organisation_id
    ):
        raise NotAllowed("Only the commissioner and the provider see the contract report")
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationFailed.single("months", f"Choose 1 to {MAX_MONTHS} months")
    today = today or timezone.localdate()
    targets = list(contract.targets.all())
    out = []
    month = first.replace(day=1)
    for _ in range(months):
        if month > today:
            break
        figures = month_figures(contract.unit, month, today)
        cells = [
            ReportCell(
                t.measure,
                t.get_measure_display(),
                t.target,
                figures[t.measure],
                rag(t.measure, figures[t.measure].value, t.target, t.amber_margin),
            )
            for t in targets
        ]
        out.append(ReportMonth(month, cells, int(figures["lost_to_follow_up"].value or 0)))
        month = next_month(month)
    record_event(
        actor=actor,
        action=AuditAction.VIEW,
        purpose=f"Reablement contract report {contract.reference}",
        obj=contract,
        detail={"first": first.isoformat(), "months": months},
    )
    return out


def _text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _fmt(value: float | None, measure: str) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if measure in SHARES else f"{value:.1f}"


def report_csv(contract: Contract, months: list[ReportMonth]) -> str:
    """One row per month and target: the figure, its 95% interval, its denominator, the target and RAG."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["contract", "unit", "month", "measure", "actual", "ci_low", "ci_high", "n", "target", "rag"]
    )
    for month in months:
        for cell in month.cells:
            writer.writerow(
                [
                    _text(contract.reference),
                    _text(contract.unit.name),
                    f"{month.first:%Y-%m}",
                    cell.measure,
                    _fmt(cell.point.value, cell.measure),
                    _fmt(cell.point.low, cell.measure),
                    _fmt(cell.point.high, cell.measure),
                    cell.point.n,
                    _fmt(cell.target, cell.measure),
                    cell.status,
                ]
            )
        writer.writerow(
            [
                _text(contract.reference),
                _text(contract.unit.name),
                f"{month.first:%Y-%m}",
                "lost_to_follow_up",
                month.lost_to_follow_up,
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return out.getvalue()


def _context(contract: Contract, months: list[ReportMonth], first: dt.date, count: int) -> dict[str, Any]:
    return {"contract": contract, "rows": months, "first": first, "months": count}


def report_pdf(
    contract: Contract, months: list[ReportMonth], first: dt.date, count: int, base_url: str
) -> bytes:
    """The report as PDF: the HTML report's body in a print template, rendered by WeasyPrint, as the
    business-case and evaluation reports are."""
    from weasyprint import HTML

    html = render_to_string("reablement/contract_print.html", _context(contract, months, first, count))
    out: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return out


XLSX_HEADER = [
    "Month",
    "Measure",
    "Actual",
    "95% low",
    "95% high",
    "n",
    "Target",
    "Amber margin",
    "Status",
]


def report_xlsx(contract: Contract, months: list[ReportMonth]) -> bytes:
    """The report as a workbook (XlsxWriter, as the business-case workbook): one row per month and target
    with the figures as numbers (shares as fractions shown as per cent, days to one decimal), then the
    people lost to the 91-day follow-up; text cells are written as strings, never formulas."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bottom": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    share = book.add_format({"num_format": "0%"})
    days = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet("Contract report")
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 8, 12)
    sheet.write_string(0, 0, f"Contract report {contract.reference}", title)
    sheet.write_string(1, 0, f"{contract.unit.name}, commissioned by {contract.commissioner.name}")
    sheet.write_string(
        2,
        0,
        "95% intervals: Wilson for shares, order statistics for the median; occupancy has none. "
        "Green meets the target; amber misses by no more than the contract's margin; red misses by more.",
    )
    sheet.write_row(4, 0, XLSX_HEADER, bold)
    row = 5
    margins = {t.measure: t.amber_margin for t in contract.targets.all()}
    for month in months:
        for cell in month.cells:
            fmt = share if cell.measure in SHARES else days
            sheet.write_string(row, 0, f"{month.first:%Y-%m}")
            sheet.write_string(row, 1, cell.label)
            for col, value in ((2, cell.point.value), (3, cell.point.low), (4, cell.point.high)):
                if value is not None:
                    sheet.write_number(row, col, value, fmt)
            sheet.write_number(row, 5, cell.point.n)
            sheet.write_number(row, 6, cell.target, fmt)
            margin = margins.get(cell.measure)
            if margin is not None:
                sheet.write_number(row, 7, margin, fmt)
            sheet.write_string(row, 8, cell.status.capitalize())
            row += 1
        sheet.write_string(row, 0, f"{month.first:%Y-%m}")
        sheet.write_string(row, 1, "Lost to the 91-day follow-up")
        sheet.write_number(row, 2, month.lost_to_follow_up)
        row += 1
    book.close()
    return buf.getvalue()
