"""NHS England delay-reason lists as versioned data, and the mapping of Homeward's blocker categories to them.

A list is a directory of three files (see `data/delay_reasons/` and docs/hospital-to-home.md):

- `list.json`: key, title, collection (`acute` or `community`), `in_use_from` (ISO date), `week_starts`
  (a weekday name) and `source` (where the text was read, verbatim);
- `reasons.csv`: `order,reason`, the reasons verbatim (they are also the report's column headers);
- `mapping.csv`: `category,order,reason`, one row per Homeward blocker category, naming the reason it
  counts as by its order and its text (both are checked, so a reviewer reads the text, not a number).

`read_reason_list` validates a directory without touching the database; `load_reason_list` writes it in
one transaction, or nothing. A revised list is a new directory with a new key: a list already loaded is
never changed, so history keeps the list that was in force.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.discharge.codes import BlockerCategory, SitrepCollection

SHIPPED = Path(__file__).parent / "data" / "delay_reasons"
#: The lists Homeward ships, loaded by migration 0007.
SHIPPED_KEYS = ("acute-2024-01", "community-2024-01")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_REASONS = 100
MAX_REASON_LENGTH = 300
MAX_FILE_BYTES = 100_000


@dataclass(frozen=True)
class ReasonListData:
    key: str
    title: str
    collection: str
    in_use_from: dt.date
    week_starts: int
    source: str
    reasons: tuple[tuple[int, str], ...]
    mapping: tuple[tuple[str, int], ...]


def _read(path: Path, name: str) -> str:
    file = path / name
    if not file.is_file():
        raise ValidationFailed.single(name, f"{file} is missing")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise ValidationFailed.single(name, f"{file} is larger than {MAX_FILE_BYTES} bytes")
    return file.read_text(encoding="utf-8-sig")


def _rows(path: Path, name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(_read(path, name).splitlines())
    if tuple(reader.fieldnames or ()) != columns:
        raise ValidationFailed.single(name, f"Columns must be {', '.join(columns)}")
    return list(reader)


def _order(value: str, name: str, line: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_REASONS:
        raise ValidationFailed.single(name, f"Line {line}: order must be a whole number 1-{MAX_REASONS}")
    return int(value)


def read_reason_list(path: Path) -> ReasonListData:
    """Read and check a list directory; errors name the file and line."""
    try:
        meta: dict[str, Any] = json.loads(_read(path, "list.json"))
    except json.JSONDecodeError as exc:
        raise ValidationFailed.single("list.json", f"Not valid JSON: {exc}") from exc
    errors: dict[str, str] = {}
    for field in ("key", "title", "collection", "in_use_from", "week_starts", "source"):
        if not isinstance(meta.get(field), str) or not meta[field].strip():
            errors[f"list.json: {field}"] = "Required text"
    if errors:
        raise ValidationFailed(errors)
    if meta["collection"] not in SitrepCollection.values:
        errors["list.json: collection"] = f"Must be one of {', '.join(SitrepCollection.values)}"
    try:
        in_use_from = dt.date.fromisoformat(meta["in_use_from"])
    except ValueError:
        errors["list.json: in_use_from"] = "Must be a date, YYYY-MM-DD"
    if meta["week_starts"].lower() not in WEEKDAYS:
        errors["list.json: week_starts"] = "Must be a weekday name, e.g. monday"
    if len(meta["key"]) > 40 or not meta["key"].replace("-", "").isalnum():
        errors["list.json: key"] = "Letters, digits and hyphens, at most 40"
    if len(meta["title"]) > 200 or len(meta["source"]) > 2000:
        errors["list.json: title"] = "Title at most 200 characters, source at most 2000"
    if errors:
        raise ValidationFailed(errors)

    reasons: dict[int, str] = {}
    for line, row in enumerate(_rows(path, "reasons.csv", ("order", "reason")), start=2):
        order, text = _order(row["order"], "reasons.csv", line), (row["reason"] or "")
        if not text.strip() or len(text) > MAX_REASON_LENGTH or text != text.strip():
            raise ValidationFailed.single(
                "reasons.csv",
                f"Line {line}: reason must be 1-{MAX_REASON_LENGTH} characters, no outer spaces",
            )
        if order in reasons or text in reasons.values():
            raise ValidationFailed.single("reasons.csv", f"Line {line}: order or reason given twice")
        reasons[order] = text
    if not reasons:
        raise ValidationFailed.single("reasons.csv", "The list has no reasons")
    if sorted(reasons) != list(range(1, len(reasons) + 1)):
        raise ValidationFailed.single("reasons.csv", "Orders must run 1, 2, 3 ... without gaps")

    mapping: dict[str, int] = {}
    for line, row in enumerate(_rows(path, "mapping.csv", ("category", "order", "reason")), start=2):
        category = row["category"] or ""
        if category not in BlockerCategory.values:
            raise ValidationFailed.single(
                "mapping.csv", f"Line {line}: '{category}' is not a blocker category"
            )
        if category in mapping:
            raise ValidationFailed.single("mapping.csv", f"Line {line}: '{category}' is mapped twice")
        order = _order(row["order"], "mapping.csv", line)
        if reasons.get(order) != row["reason"]:
            raise ValidationFailed.single(
                "mapping.csv", f"Line {line}: reason {order} of this list is not '{row['reason']}'"
            )
        mapping[category] = order
    unmapped = [c for c in BlockerCategory.values if c not in mapping]
    if unmapped:
        raise ValidationFailed.single(
            "mapping.csv", f"Every blocker category needs a reason; unmapped: {', '.join(unmapped)}"
        )
    return ReasonListData(
        key=meta["key"],
        title=meta["title"].strip(),
        collection=meta["collection"],
        in_use_from=in_use_from,
        week_starts=WEEKDAYS.index(meta["week_starts"].lower()),
        source=meta["source"].strip(),
        reasons=tuple(sorted(reasons.items())),
        mapping=tuple(sorted(mapping.items())),
    )


def write_reason_list(data: ReasonListData, *, list_model: Any, reason_model: Any, mapping_model: Any) -> Any:
    """Insert a checked list (the models are parameters so that a migration can pass its historical ones)."""
    reason_list = list_model.objects.create(
        key=data.key,
        title=data.title,
        collection=data.collection,
        in_use_from=data.in_use_from,
        week_starts=data.week_starts,
        source=data.source,
        loaded_at=timezone.now(),
    )
    reasons = {
        order: reason_model.objects.create(reason_list=reason_list, order=order, text=text)
        for order, text in data.reasons
    }
    mapping_model.objects.bulk_create(
        mapping_model(reason_list=reason_list, category=category, reason=reasons[order])
        for category, order in data.mapping
    )
    return reason_list


def stored_data(reason_list: Any) -> ReasonListData:
    """What a loaded list holds, in the form `read_reason_list` returns."""
    return ReasonListData(
        key=reason_list.key,
        title=reason_list.title,
        collection=reason_list.collection,
        in_use_from=reason_list.in_use_from,
        week_starts=reason_list.week_starts,
        source=reason_list.source,
        reasons=tuple((r.order, r.text) for r in reason_list.reasons.order_by("order")),
        mapping=tuple(
            sorted((m.category, m.reason.order) for m in reason_list.mappings.select_related("reason"))
        ),
    )


@transaction.atomic
def load_reason_list(*, path: Path) -> tuple[Any, bool]:
    """Load a list directory; returns (the list, whether it was new). Loading the same files again changes
    nothing; a different list under a key already loaded, or a second list for the same collection and
    date, is refused and nothing is written."""
    from homeward.discharge.models import DelayReason, DelayReasonList, DelayReasonMapping

    data = read_reason_list(path)
    existing = DelayReasonList.objects.filter(key=data.key).first()
    if existing is not None:
        if stored_data(existing) != data:
            raise ValidationFailed.single(
                "list.json: key",
                f"A different list '{data.key}' is already loaded; a revised list needs a new key "
                "(lists in force are never changed, so past weeks keep their list)",
            )
        return existing, False
    clash = DelayReasonList.objects.filter(collection=data.collection, in_use_from=data.in_use_from).first()
    if clash is not None:
        raise ValidationFailed.single(
            "list.json: in_use_from", f"'{clash.key}' already comes into use on {data.in_use_from}"
        )
    created = write_reason_list(
        data, list_model=DelayReasonList, reason_model=DelayReason, mapping_model=DelayReasonMapping
    )
    return created, True


@dataclass(frozen=True)
class ReasonBook:
    """A list ready for counting: its reasons in order and the reason id of each blocker category."""

    reason_list: Any
    reasons: tuple[tuple[int, int, str], ...]  # (id, order, text)
    by_category: dict[str, int]
    housing_reason_ids: frozenset[int]

    @property
    def reason_ids(self) -> frozenset[int]:
        return frozenset(r[0] for r in self.reasons)


def book_for(reason_list: Any) -> ReasonBook:
    from homeward.discharge.codes import HOUSING_CATEGORIES

    mappings = list(reason_list.mappings.all())
    by_category = {m.category: m.reason_id for m in mappings}
    return ReasonBook(
        reason_list=reason_list,
        reasons=tuple((r.pk, r.order, r.text) for r in reason_list.reasons.order_by("order")),
        by_category=by_category,
        housing_reason_ids=frozenset(by_category[c] for c in HOUSING_CATEGORIES if c in by_category),
    )


def list_in_force(collection: str, day: dt.date) -> Any | None:
    """The collection's list in force on `day`: the one that came into use last, on or before it."""
    from homeward.discharge.models import DelayReasonList

    return (
        DelayReasonList.objects.filter(collection=collection, in_use_from__lte=day)
        .order_by("-in_use_from")
        .first()
    )
