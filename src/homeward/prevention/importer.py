"""`homeward import events DIR`: housing-system extracts into the database, all or nothing, idempotent.

The risk engine validates the whole directory first (any bad row anywhere rejects every file, and the
report names file, row and column). Rows are then upserted on (organisation, kind, event_id): a row seen
before is left alone unless its content changed, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.models import Organisation
from homeward.core.validators import control_character_problem
from homeward.engines.risk import ExtractError, validate_directory
from homeward.engines.risk.schema import find_extract
from homeward.jobs import limits
from homeward.prevention.models import HousingEvent, ImportBatch

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    batch: ImportBatch | None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


def as_text(frame: pl.DataFrame) -> list[dict[str, str | None]]:
    """Rows with every value as ISO text: the engine's validator reads them back unchanged."""
    return frame.select(pl.col(c).cast(pl.String) for c in frame.columns).to_dicts()


PROGRESS_ROWS = 20_000


def check_size(directory: Path) -> None:
    """Refuse, naming `directory` and the limit, extracts bigger than HOMEWARD_IMPORT_MAX_MB in all."""
    size = sum(f.stat().st_size for f in directory.iterdir() if f.is_file())
    megabytes = -(-size // (1024 * 1024))
    limits.check("directory", megabytes, "import_megabytes", what="The extracts' size in MB")


def _refuse_control_characters(directory: Path, accepted: dict[str, Any]) -> None:
    """No value may hold a C0 control character (notes may keep tab and line breaks); names file, row and
    column like the engine's own checks, and nothing is written."""
    errors: dict[str, str] = {}
    for kind, extract in accepted.items():
        path = find_extract(directory, kind)
        name = path.name if path else kind
        rows = extract.source_rows.to_list()
        for index, row in enumerate(as_text(extract.frame)):
            for column, value in row.items():
                if isinstance(value, str) and len(errors) < 20:
                    multiline = "note" in column or "description" in column
                    problem = control_character_problem(value, label=column, multiline=multiline)
                    if problem:
                        errors[f"{name}, row {rows[index]}, {column}"] = problem
    if errors:
        raise ValidationFailed(errors)


def import_directory(
    organisation: Organisation, directory: Path, *, progress: Progress | None = None
) -> ImportReport:
    """Validate then import every extract in `directory` for `organisation`; raises ValidationFailed
    (keys "file, row N, column C") and writes nothing when any row is bad."""
    if not directory.is_dir():
        raise ValidationFailed.single("directory", f"{directory} is not a directory")
    check_size(directory)
    try:
        accepted = validate_directory(directory)
    except ExtractError as exc:
        raise ValidationFailed(
            {
                ", ".join(
                    part
                    for part in (issue.file, f"row {issue.row}" if issue.row else "", issue.column or "")
                    if part
                ): issue.message
                for issue in exc.issues
            }
        ) from exc
    _refuse_control_characters(directory, accepted)
    report = progress or (lambda stage, done, total: None)
    total = sum(v.frame.height for v in accepted.values())
    limits.check("directory", total, "import_rows", what="Rows in the extracts")
    report("validated", 0, total)
    done = 0
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            organisation=organisation, imported_at=timezone.now(), source=str(directory)
        )
        counts: dict[str, dict[str, int]] = {}
        for kind, extract in accepted.items():
            known = dict(
                HousingEvent.objects.filter(organisation=organisation, kind=kind).values_list(
                    "event_id", "row_hash"
                )
            )
            columns = [c for c in extract.frame.columns if c not in ("event_id", "row_hash")]
            created, updated, unchanged = [], [], 0
            for i, row in enumerate(as_text(extract.frame), start=1):
                if i % PROGRESS_ROWS == 0:
                    report(kind, done + i, total)
                event_id, row_hash = str(row["event_id"]), str(row["row_hash"])
                data = {c: row[c] for c in columns}
                if event_id not in known:
                    created.append(
                        HousingEvent(
                            organisation=organisation,
                            kind=kind,
                            event_id=event_id,
                            row_hash=row_hash,
                            tenancy_ref=str(data.get("tenancy_ref") or ""),
                            data=data,
                            batch=batch,
                        )
                    )
                elif known[event_id] != row_hash:
                    updated.append((event_id, row_hash, data))
                else:
                    unchanged += 1
            HousingEvent.objects.bulk_create(created, batch_size=2000)
            for event_id, row_hash, data in updated:
                HousingEvent.objects.filter(organisation=organisation, kind=kind, event_id=event_id).update(
                    row_hash=row_hash, data=data, batch=batch
                )
            counts[kind] = {"created": len(created), "updated": len(updated), "unchanged": unchanged}
            done += extract.frame.height
            report(kind, done, total)
        batch.counts = counts
        batch.save(update_fields=["counts"])
    return ImportReport(batch, counts)


IMPORT_KIND = "prevention.import_events"


def run_import_job(job: Any, context: Any) -> dict[str, Any]:
    """The background job for `homeward import events --background`: one transaction (the job runner's)."""
    organisation = Organisation.objects.get(pk=job.organisation_id)

    def progress(stage: str, done: int, total: int) -> None:
        message = "Checked every row; importing" if stage == "validated" else f"Importing {stage}"
        context.progress(done, total, message, force=stage == "validated")

    context.progress(0, None, "Checking every row of the extracts", force=True)
    report = import_directory(organisation, Path(job.params["directory"]), progress=progress)
    counts = report.counts
    created = sum(c["created"] for c in counts.values())
    updated = sum(c["updated"] for c in counts.values())
    unchanged = sum(c["unchanged"] for c in counts.values())
    return {
        "summary": f"Imported {created:,} new, {updated:,} changed and {unchanged:,} unchanged rows "
        f"from {', '.join(counts)}",
        "counts": counts,
        "batch_id": report.batch.pk if report.batch else None,
    }
