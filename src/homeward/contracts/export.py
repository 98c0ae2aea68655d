"""A contract's claims for the payer, as CSV or an Excel workbook: one row per claim (pseudonym and case
reference, never a name) and the totals against the cap."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter

from homeward.contracts.models import OutcomeContract
from homeward.contracts.services import totals

COLUMNS = [
    "Contract",
    "Claim",
    "Case",
    "Pseudonym",
    "Outcome",
    "Achieved on",
    "Evidence",
    "Amount (GBP)",
    "Capped",
    "Status",
    "Submitted on",
    "Reviewed on",
    "Review note",
]


def claim_rows(contract: OutcomeContract) -> list[list[Any]]:
    return [
        [
            contract.reference,
            claim.pk,
            claim.case_reference,
            claim.pseudonym,
            claim.line.get_outcome_display(),
            claim.achieved_on.isoformat(),
            claim.evidence,
            claim.amount,
            "yes" if claim.capped else "no",
            claim.get_status_display(),
            claim.submitted_at.date().isoformat(),
            claim.reviewed_at.date().isoformat() if claim.reviewed_at else "",
            claim.review_note,
        ]
        for claim in contract.claims.select_related("line").order_by("achieved_on", "pk")
    ]


def _summary(contract: OutcomeContract) -> list[tuple[str, Any]]:
    t = totals(contract)
    return [
        ("Approved", t.approved),
        ("Awaiting review", t.submitted),
        ("Rejected", t.rejected),
        ("Cap", t.cap),
        ("Left under the cap", t.remaining),
    ]


def to_csv(contract: OutcomeContract) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in claim_rows(contract):
        writer.writerow(["" if v is None else f"{v:.2f}" if hasattr(v, "quantize") else v for v in row])
    return out.getvalue()


def to_xlsx(contract: OutcomeContract) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "£#,##0.00"})
    sheet = book.add_worksheet("Claims")
    sheet.write_row(0, 0, COLUMNS, bold)
    rows = claim_rows(contract)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c == COLUMNS.index("Amount (GBP)"):
                sheet.write_number(r, c, float(value), money)
            else:
                sheet.write(r, c, value)
    sheet.set_column(0, 5, 14)
    sheet.set_column(6, 6, 60)
    sheet.set_column(7, 12, 14)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    summary = book.add_worksheet("Totals")
    summary.write_row(0, 0, [contract.reference, contract.title], bold)
    summary.write_row(1, 0, ["Commissioner", contract.commissioner.name])
    summary.write_row(2, 0, ["Provider", contract.provider.name])
    for i, (label, value) in enumerate(_summary(contract), start=4):
        summary.write(i, 0, label, bold)
        summary.write_number(i, 1, float(value), money)
    summary.set_column(0, 0, 22)
    summary.set_column(1, 1, 40)
    book.close()
    return buffer.getvalue()
