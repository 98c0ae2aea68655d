"""Column schemas of the housing-system extracts the risk engine reads (CSV or Parquet).

One schema per file kind, documented column by column (docs/risk.md is generated from these).
Validation against them lives in `validation.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polars as pl


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # YYYY-MM-DD HH:MM[:SS] (or with a T), local time
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"  # true/false, yes/no, y/n, 1/0


POLARS_TYPES: dict[ColumnType, pl.DataType] = {
    ColumnType.TEXT: pl.String(),
    ColumnType.DATE: pl.Date(),
    ColumnType.DATETIME: pl.Datetime("us"),
    ColumnType.INTEGER: pl.Int64(),
    ColumnType.DECIMAL: pl.Float64(),
    ColumnType.BOOLEAN: pl.Boolean(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractSchema:
    kind: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key: one event per key; `event_id` hashes it

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def polars_schema(self) -> dict[str, pl.DataType]:
        return {c.name: POLARS_TYPES[c.type] for c in self.columns}


def _c(
    name: str, type_: ColumnType, required: bool, description: str, choices: tuple[str, ...] = ()
) -> Column:
    return Column(name, type_, required, description, choices)


T, D, DT, INT, F, B = (
    ColumnType.TEXT,
    ColumnType.DATE,
    ColumnType.DATETIME,
    ColumnType.INTEGER,
    ColumnType.DECIMAL,
    ColumnType.BOOLEAN,
)
AGE_BANDS = ("16-24", "25-34", "35-49", "50-64", "65-74", "75+")
CONTACT_CHANNELS = ("phone", "email", "web", "visit", "letter", "text")
CONTACT_CATEGORIES = ("repairs", "rent", "asb", "tenancy", "wellbeing", "complaint", "general")
REPAIR_CATEGORIES = ("general", "heating", "plumbing", "electrical", "damp_mould", "structural", "other")
CONCERN_CATEGORIES = (
    "ill_health",
    "self_neglect",
    "hoarding",
    "cold_home",
    "damp_mould",
    "confusion_memory",
    "isolation",
    "bereavement",
    "domestic_abuse",
    "safeguarding",
    "other",
)
OUTCOMES = ("tenancy_failure", "hospital_admission", "safeguarding_referral")

#: The key every event extract shares with the tenancies extract.
TENANCY_REF = _c("tenancy_ref", T, True, "Tenancy reference")

SCHEMAS: dict[str, ExtractSchema] = {
    s.kind: s
    for s in (
        ExtractSchema(
            "tenancies",
            "One row per tenancy. Household attributes are used only for fairness monitoring.",
            (
                _c("tenancy_ref", T, True, "Tenancy reference in the housing system"),
                _c("start_date", D, True, "Tenancy start date"),
                _c("end_date", D, False, "Tenancy end date (blank while live)"),
                _c("uprn", T, False, "Unique Property Reference Number"),
                _c("age_band", T, False, "Lead tenant's age band (fairness only)", AGE_BANDS),
                _c("disability", T, False, "Disability recorded (fairness only)", ("yes", "no")),
                _c(
                    "ethnicity",
                    T,
                    False,
                    "Ethnic group, ONS 2021 top level (fairness only)",
                    ("white", "mixed", "asian", "black", "other"),
                ),
            ),
            ("tenancy_ref",),
        ),
        ExtractSchema(
            "contacts",
            "Contacts from the tenant: calls, emails, web forms, visits.",
            (
                TENANCY_REF,
                _c("contacted_at", DT, True, "When the contact happened"),
                _c("channel", T, True, "How the tenant made contact", CONTACT_CHANNELS),
                _c("category", T, True, "What the contact was about", CONTACT_CATEGORIES),
                _c("note", T, False, "Call-handler's free-text note"),
            ),
            ("tenancy_ref", "contacted_at", "channel", "category"),
        ),
        ExtractSchema(
            "repairs",
            "Repair jobs, with appointments where the operative could not get in.",
            (
                _c("repair_ref", T, True, "Repair job reference"),
                TENANCY_REF,
                _c("reported_on", D, True, "Date the repair was reported"),
                _c("category", T, True, "Repair category", REPAIR_CATEGORIES),
                _c("appointment_at", DT, False, "Appointment date and time"),
                _c("no_access", B, False, "Operative could not get in (blank = false)"),
                _c("completed_on", D, False, "Date completed (blank while open)"),
            ),
            ("repair_ref",),
        ),
        ExtractSchema(
            "rent",
            "Weekly rent-account balance; positive = arrears. Weeks with a clear account may be left out.",
            (
                TENANCY_REF,
                _c("week_start", D, True, "Monday of the rent week"),
                _c("balance", F, True, "Balance at the end of the week in pounds; positive = arrears"),
            ),
            ("tenancy_ref", "week_start"),
        ),
        ExtractSchema(
            "rent_transactions",
            "Rent-account transactions, as an alternative to `rent`: weekly balances are derived from them.",
            (
                _c("transaction_ref", T, True, "Transaction reference"),
                TENANCY_REF,
                _c("posted_on", D, True, "Date posted to the account"),
                _c("amount", F, True, "Pounds; positive = charge (rent due), negative = payment or credit"),
            ),
            ("transaction_ref",),
        ),
        ExtractSchema(
            "asb",
            "Anti-social behaviour reports involving the household.",
            (
                _c("asb_ref", T, True, "ASB case reference"),
                TENANCY_REF,
                _c("reported_on", D, True, "Date reported"),
                _c("role", T, True, "The household's role", ("complainant", "subject", "witness")),
                _c(
                    "category",
                    T,
                    False,
                    "Kind of behaviour",
                    ("noise", "harassment", "drugs", "violence", "other"),
                ),
            ),
            ("asb_ref", "tenancy_ref"),
        ),
        ExtractSchema(
            "concerns",
            "Frontline concerns raised by housing or partner staff.",
            (
                _c("concern_ref", T, True, "Concern reference"),
                TENANCY_REF,
                _c("raised_at", DT, True, "When the concern was raised"),
                _c("category", T, True, "Concern category", CONCERN_CATEGORIES),
                _c("urgency", T, False, "Urgency", ("routine", "urgent", "immediate")),
            ),
            ("concern_ref",),
        ),
        ExtractSchema(
            "outcomes",
            "Recorded outcomes used to train and evaluate the learned model.",
            (
                TENANCY_REF,
                _c("outcome", T, True, "What happened", OUTCOMES),
                _c("occurred_on", D, True, "Date it happened"),
            ),
            ("tenancy_ref", "outcome", "occurred_on"),
        ),
    )
}
EVENT_KINDS = ("contacts", "repairs", "rent", "rent_transactions", "asb", "concerns")


def find_extract(directory: Path, kind: str) -> Path | None:
    """The extract file for `kind` in `directory` (`<kind>.parquet` preferred over `<kind>.csv`)."""
    for suffix in (".parquet", ".csv"):
        path = directory / f"{kind}{suffix}"
        if path.exists():
            return path
    return None
