"""People as linkage records: only the fields an agreement lists are read, and nothing else leaves here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from homeward.core.models import Person
from homeward.engines.linkage import STANDARD_FIELDS, LinkageRecord, combine_sources, records_frame
from homeward.people.models import PersonMerge

#: Person columns each linkage field is read from (fields Homeward does not hold are never asked for).
COLUMNS_OF_FIELD: dict[str, tuple[str, ...]] = {
    "given_name": ("given_name",),
    "family_name": ("family_name",),
    "date_of_birth": ("date_of_birth",),
    "postcode": ("postcode",),
    "address_line": ("address_line_1", "address_line_2", "town"),
    "uprn": ("uprn",),
    "nhs_number": ("nhs_number",),
    "phone": ("phone",),
    "email": ("email",),
}


def source_of(organisation_id: int) -> str:
    return f"org_{organisation_id}"


def organisation_of(source: str) -> int:
    return int(source.removeprefix("org_"))


def usable_fields(agreement_fields: Sequence[str]) -> list[str]:
    """The agreement's fields that Homeward holds on a person, in the engine's order."""
    return [f for f in STANDARD_FIELDS if f in agreement_fields and f in COLUMNS_OF_FIELD]


def record_values(person: Person | dict[str, Any], fields: Sequence[str]) -> dict[str, str | None]:
    """One person's values for the given fields (blank is missing)."""
    get = person.get if isinstance(person, dict) else lambda name: getattr(person, name)
    values: dict[str, str | None] = {}
    for name in fields:
        parts = [get(column) for column in COLUMNS_OF_FIELD[name]]
        text = ", ".join(p.isoformat() if hasattr(p, "isoformat") else str(p) for p in parts if p)
        values[name] = text or None
    return values


def linkage_record(person: Person | dict[str, Any], fields: Sequence[str]) -> LinkageRecord:
    get = person.get if isinstance(person, dict) else lambda name: getattr(person, name)
    organisation_id: Any = get("organisation_id")
    return LinkageRecord(source_of(int(organisation_id)), str(get("id")), **record_values(person, fields))


def party_frames(
    organisation_ids: Iterable[int], fields: Sequence[str]
) -> tuple[pl.DataFrame, dict[int, int]]:
    """The records of every party, with only `fields`, as one frame for the engine; and counts per party."""
    columns = sorted({c for f in fields for c in COLUMNS_OF_FIELD[f]})
    frames: dict[str, pl.DataFrame] = {}
    counts: dict[int, int] = {}
    for organisation_id in sorted(set(organisation_ids)):
        # A record merged into another is left out: the survivor stands for the person (people.merges).
        rows = (
            Person.objects.filter(organisation_id=organisation_id)
            .exclude(pk__in=PersonMerge.objects.filter(split_at__isnull=True).values("merged_id"))
            .values("id", "organisation_id", *columns)
        )
        records = [linkage_record(row, fields) for row in rows.iterator(chunk_size=5000)]
        counts[organisation_id] = len(records)
        frame = records_frame(records).drop("source")
        frames[source_of(organisation_id)] = frame
    return combine_sources(frames), counts
