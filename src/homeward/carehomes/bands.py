"""Loading an early-warning scheme's bands from a file, for the organisation's administrator (the format is
in docs/carehomes.md, "The bands file"): CSV, UTF-8, a header row `parameter,low,high,value,points` and
one band a row. The file is checked all or nothing: every problem names its row (and the line of the file)
and its column, and nothing is stored unless every row is right. A new version is stored with the source
and terms the administrator cites (`scoring.load_scheme`), and may be turned on at once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from django.db import transaction

from homeward.carehomes import scoring
from homeward.carehomes.models import EarlyWarningScheme
from homeward.core.errors import ValidationFailed
from homeward.core.roles import Permission
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

COLUMNS = ("parameter", "low", "high", "value", "points")
MAX_FILE_BYTES = 64 * 1024
_ROW_KEY = re.compile(r"^bands\[(\d+)\]\.(\w+)$")
_WHOLE = re.compile(r"^\d{1,4}$")


def decode(content: bytes) -> str:
    """An uploaded file's text (UTF-8, with or without a byte-order mark), or a `bands_file` error."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed.single("bands_file", f"The file is over {MAX_FILE_BYTES // 1024} KB")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.single("bands_file", "The file must be CSV text in UTF-8") from exc


def read_bands(text: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows of a bands file as `scoring.load_scheme` takes them, and the file line of each row. Blank
    lines are skipped. Points that are not a whole number are passed on as typed, for the scheme's checks
    to name; a file whose shape is wrong (header, number of columns, too many rows) is refused here."""
    if len(text) > MAX_FILE_BYTES:
        raise ValidationFailed.single("bands", f"The bands are over {MAX_FILE_BYTES // 1024} KB")
    reader = csv.reader(io.StringIO(text.strip("\n")))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if tuple(header) != COLUMNS:
            raise ValidationFailed.single(
                "bands",
                f"Line 1 must be the header {','.join(COLUMNS)} (it is {','.join(header) or 'empty'})",
            )
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        problems: dict[str, str] = {}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == scoring.MAX_BANDS:
                raise ValidationFailed.single("bands", f"At most {scoring.MAX_BANDS} bands")
            number, line = len(rows) + 1, reader.line_num
            if len(cells) != len(COLUMNS):
                problems[f"bands row {number} columns"] = (
                    f"Row {number} (line {line}) has {len(cells)} columns; it needs {len(COLUMNS)}: "
                    + ",".join(COLUMNS)
                )
            raw: dict[str, Any] = dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=False))
            points = raw.get("points", "")
            raw["points"] = int(points) if _WHOLE.match(points) else points or None
            rows.append(raw)
            lines.append(line)
    except csv.Error as exc:
        raise ValidationFailed.single("bands", f"Line {reader.line_num} is not CSV: {exc}") from exc
    if problems:
        raise ValidationFailed(problems)
    if not rows:
        raise ValidationFailed.single("bands", "The file has a header but no bands")
    return rows, lines


def name_rows(errors: dict[str, str], lines: list[int]) -> dict[str, str]:
    """The scheme's errors with each `bands[i].<column>` key turned into a message naming the row, the
    line of the file and the column ("Row 3 (line 4), points: …"), keyed `bands row 3 points`."""
    named: dict[str, str] = {}
    for key, message in errors.items():
        match = _ROW_KEY.match(key)
        if match is None:
            named[key] = message
            continue
        index, column = int(match.group(1)), match.group(2)
        line = lines[index] if index < len(lines) else index + 2
        named[f"bands row {index + 1} {column}"] = f"Row {index + 1} (line {line}), {column}: {message}"
    return named


@transaction.atomic
def load_scheme_file(
    *,
    actor: Actor,
    name: str,
    version: str,
    source: str,
    licence: str,
    in_force_from: dt.date,
    trigger_score: int,
    bands: str,
    turn_on: bool = False,
) -> EarlyWarningScheme:
    """Store the bands in `bands` (a file's text) as a new version of the scheme `name`, with its source
    and terms; with `turn_on`, the organisation's homes score with it from now. Audited."""
    actor.require(Permission.MANAGE_ORGANISATION)
    try:
        rows, lines = read_bands(bands)
    except ValidationFailed as exc:
        # Report the rest of the form's problems too, without the bands.
        try:
            scoring.load_scheme(
                name=name,
                version=version,
                source=source,
                licence=licence,
                in_force_from=in_force_from,
                trigger_score=trigger_score,
                bands=[],
            )
        except ValidationFailed as others:
            raise ValidationFailed(
                {k: v for k, v in others.errors.items() if k != "bands"} | exc.errors
            ) from exc
        raise  # pragma: no cover - load_scheme refuses a scheme with no bands
    try:
        scheme = scoring.load_scheme(
            name=name,
            version=version,
            source=source,
            licence=licence,
            in_force_from=in_force_from,
            trigger_score=trigger_score,
            bands=rows,
        )
    except ValidationFailed as exc:
        raise ValidationFailed(name_rows(exc.errors, lines)) from exc
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        purpose="Load an early-warning scheme's bands",
        obj=scheme,
        detail={"bands": len(rows)},
    )
    if turn_on:
        scoring.turn_on_scheme(actor=actor, scheme_id=scheme.pk)
    return scheme
