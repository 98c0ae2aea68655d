"""Where an evaluation's data come from: Homeward's records (for a registered intervention) or an
imported extract; either way the engine's `check_data` checks it before anything else reads it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import polars as pl

from homeward.core.errors import ValidationFailed
from homeward.engines.evaluation import DataError, EvaluationData, check_data
from homeward.evaluation.activity import analytics_organisations, build_frames
from homeward.evaluation.codes import DataSource
from homeward.evaluation.interventions import INTERVENTIONS

if TYPE_CHECKING:
    from homeward.evaluation.models import ActivityExtract
    from homeward.governance.access import Actor


def to_parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def from_parquet(data: bytes | memoryview) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(bytes(data)))


def data_errors(exc: DataError, field: str = "data") -> ValidationFailed:
    """The engine's row errors as one field error (they name file, row and column)."""
    return ValidationFailed({field: "; ".join(str(i) for i in exc.issues[:20])})


def extract_data(extract: ActivityExtract) -> EvaluationData:
    try:
        return check_data(from_parquet(extract.activity), from_parquet(extract.people))
    except DataError as exc:
        raise data_errors(exc) from None


def records_data(actor: Actor, intervention: str) -> EvaluationData:
    """Pseudonymised activity from the analytics organisations' records, starts from `intervention`."""
    found = INTERVENTIONS.get(intervention)
    if found is None:
        raise ValidationFailed({"intervention": f"Unknown intervention {intervention!r}"})
    starts = found.starts(analytics_organisations(actor))
    frames = build_frames(actor, starts)
    try:
        return check_data(frames.activity, frames.people)
    except DataError as exc:
        raise data_errors(exc) from None


def load_data(
    actor: Actor, source: str, intervention: str, extract: ActivityExtract | None
) -> EvaluationData:
    if source == DataSource.EXTRACT:
        if extract is None:
            raise ValidationFailed({"intervention": "Choose an imported extract"})
        return extract_data(extract)
    return records_data(actor, intervention)
