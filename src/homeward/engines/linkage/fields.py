"""The standard person fields a linkage record may carry, and the record type the engine takes.

Every record has a `source` (which organisation's system it came from, e.g. "housing") and a
`record_id` unique within that source; any of the standard fields may be missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

import polars as pl

SOURCE = "source"
RECORD_ID = "record_id"

#: The standard fields, in the order the CSV format and the docs list them.
STANDARD_FIELDS: tuple[str, ...] = (
    "given_name",
    "family_name",
    "previous_family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address_line",
    "uprn",
    "nhs_number",
    "other_identifier",
    "phone",
    "email",
)

#: What each field holds, for error messages, docs and the review page.
FIELD_LABELS: dict[str, str] = {
    "given_name": "Given name",
    "family_name": "Family name",
    "previous_family_name": "Previous family name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "address_line": "Address",
    "uprn": "UPRN",
    "nhs_number": "NHS number",
    "other_identifier": "Other identifier",
    "phone": "Phone",
    "email": "Email",
}

#: Longest value accepted in any field (characters): real values are far shorter.
MAX_FIELD_LENGTH = 200

RecordKey = tuple[str, str]
"""A record's identity across sources: (source, record_id)."""


@dataclass(frozen=True, slots=True)
class LinkageRecord:
    """One person record as an organisation holds it (raw values; the engine cleans them)."""

    source: str
    record_id: str
    given_name: str | None = None
    family_name: str | None = None
    previous_family_name: str | None = None
    date_of_birth: date | str | None = None
    sex: str | None = None
    postcode: str | None = None
    address_line: str | None = None
    uprn: str | None = None
    nhs_number: str | None = None
    other_identifier: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def key(self) -> RecordKey:
        return (self.source, self.record_id)


def records_frame(records: Iterable[LinkageRecord | Mapping[str, object]]) -> pl.DataFrame:
    """Raw records as a frame with `source`, `record_id` and every standard field (all text)."""
    rows: list[dict[str, str | None]] = []
    for record in records:
        values = asdict(record) if isinstance(record, LinkageRecord) else dict(record)
        row: dict[str, str | None] = {}
        for name in (SOURCE, RECORD_ID, *STANDARD_FIELDS):
            value = values.get(name)
            row[name] = (
                None if value is None else (value.isoformat() if isinstance(value, date) else str(value))
            )
        rows.append(row)
    schema = dict.fromkeys((SOURCE, RECORD_ID, *STANDARD_FIELDS), pl.String)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def combine_sources(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """One frame of raw records from several sources' frames (keyed by source name)."""
    parts = []
    for source, frame in frames.items():
        if RECORD_ID not in frame.columns:
            raise ValueError(f"records from {source!r} have no {RECORD_ID} column")
        part = frame.with_columns(pl.lit(source).alias(SOURCE))
        part = part.with_columns(
            *(pl.lit(None, pl.String).alias(name) for name in STANDARD_FIELDS if name not in part.columns)
        )
        parts.append(part.select(SOURCE, RECORD_ID, *STANDARD_FIELDS).cast(pl.String))
    return pl.concat(parts, how="vertical")


def present_fields(frame: pl.DataFrame) -> tuple[str, ...]:
    """The standard fields that hold at least one value in `frame`."""
    return tuple(
        name for name in STANDARD_FIELDS if name in frame.columns and frame[name].null_count() < frame.height
    )
