"""Import an activity extract (CSV or Parquet: key, month, measure, count) and its people file (key,
start_date, categories, covariates) as a background job, all or nothing: the engine's `check_data` reads
both whole and names every bad row and column; if anything is wrong nothing is kept.

The page stages the two uploaded files under var/evaluation-uploads/<token>/; the job reads them, checks
them, saves the extract and removes the staging folder.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.utils import timezone

from homeward.core.errors import ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.evaluation import DataError, check_data
from homeward.evaluation.models import ActivityExtract
from homeward.evaluation.sources import data_errors, to_parquet
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction
from homeward.jobs import limits
from homeward.jobs.services import start_job

IMPORT_KIND = "evaluation.import"
SUFFIXES = (".csv", ".parquet")


def _staging(token: str) -> Path:
    if not token.isalnum():
        raise ValidationFailed({"token": "Not an upload"})
    return Path(settings.VAR_DIR) / "evaluation-uploads" / token


def _read(path: Path) -> tuple[pl.DataFrame, int]:
    """The file as given (CSV as text, so the engine parses and names bad values) and its first data row."""
    try:
        if path.suffix == ".parquet":
            return pl.read_parquet(path), 1
        return pl.read_csv(path, infer_schema=False), 2
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise ValidationFailed({path.stem: f"{path.name} cannot be read: {exc}"[:300]}) from None


def start_import(*, actor: Actor, name: str, files: dict[str, tuple[str, bytes]]) -> Any:
    """Stage the uploads (`files`: 'activity'/'people' -> (file name, bytes)) and queue the import job."""
    if not actor.can(Permission.RUN_EVALUATIONS):
        raise ValidationFailed({"activity": "Only analysts import activity extracts"})
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the extract a name, e.g. 'ICB secondary uses extract, April 2025'"
    for field in ("activity", "people"):
        given = files.get(field)
        if given is None:
            errors[field] = "Choose a CSV or Parquet file"
            continue
        filename, data = given
        if Path(filename).suffix.lower() not in SUFFIXES:
            errors[field] = "The file must be .csv or .parquet"
        elif message := limits.over(
            field, -(-len(data) // (1024 * 1024)), "upload_megabytes", what="The file's size in MB"
        ):
            errors.update(message)
    if errors:
        raise ValidationFailed(errors)
    token = secrets.token_hex(16)
    folder = _staging(token)
    folder.mkdir(parents=True, exist_ok=True)
    for field, (filename, data) in files.items():
        (folder / f"{field}{Path(filename).suffix.lower()}").write_bytes(data)
    return start_job(
        kind=IMPORT_KIND,
        organisation=actor.organisation,
        actor=actor,
        params={"token": token, "name": name.strip()[:120]},
        label=f"Activity extract import: {name.strip()}"[:200],
    )


def _file(folder: Path, stem: str) -> Path:
    for suffix in SUFFIXES:
        if (folder / f"{stem}{suffix}").exists():
            return folder / f"{stem}{suffix}"
    raise ValidationFailed({stem: "The uploaded file is gone; upload it again"})


def prepare_import_job(job: Any, context: Any) -> dict[str, Any]:
    """Read and check both files whole (outside any transaction); the row errors fail the job."""
    folder = _staging(str(job.params["token"]))
    try:
        activity_path, people_path = _file(folder, "activity"), _file(folder, "people")
        activity, a_offset = _read(activity_path)
        people, p_offset = _read(people_path)
        limits.check(
            "activity", activity.height, "evaluation_activity_rows", what="Rows in the activity file"
        )
        limits.check("people", people.height, "evaluation_people", what="Rows in the people file")
        context.progress(0, 2, f"Checking {activity.height:,} activity rows", force=True)
        try:
            data = check_data(
                activity, people, names=(activity_path.name, people_path.name), offsets=(a_offset, p_offset)
            )
        except DataError as exc:
            raise data_errors(exc, "activity") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "activity": to_parquet(activity),
        "people": to_parquet(people),
        "rows": activity.height,
        "people_count": people.height,
        "measures": data.measures,
        "columns": [c for c in data.people.columns if c not in ("key", "start_month")],
    }


def run_import_job(job: Any, context: Any) -> dict[str, Any]:
    from django.urls import reverse

    checked = context.prepared
    extract = ActivityExtract.objects.create(
        organisation_id=job.organisation_id,
        name=job.params["name"],
        imported_at=timezone.now(),
        imported_by=context.actor.user if context.actor else None,
        **checked,
    )
    record_event(
        actor=context.actor,
        action=AuditAction.CREATE,
        purpose="Import a pseudonymised activity extract",
        obj=extract,
        detail={"rows": extract.rows, "people": extract.people_count},
    )
    return {
        "summary": (
            f"Imported {extract.rows:,} activity rows for {extract.people_count:,} people "
            f"({', '.join(extract.measures)})"
        ),
        "url": reverse("evaluation:home"),
        "link_text": "Design an evaluation",
    }
