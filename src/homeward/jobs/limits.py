"""The documented bounds on work (settings.HOMEWARD_LIMITS, docs/limits.md) and the check that names them.

Every request that asks for work is checked here before a job starts; over a limit, the request is refused
with `ValidationFailed({field: "... at most N ..."})`, so forms and the API name the field and the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from homeward.core.errors import ValidationFailed


@dataclass(frozen=True)
class Limit:
    key: str
    variable: str
    unit: str
    what: str


LIMITS = [
    Limit(
        "simulation_horizon_days", "HOMEWARD_SIM_MAX_HORIZON_DAYS", "days", "Days one simulation may cover"
    ),
    Limit(
        "simulation_replications", "HOMEWARD_SIM_MAX_REPLICATIONS", "replications", "Replications of one run"
    ),
    Limit(
        "simulation_day_replications",
        "HOMEWARD_SIM_MAX_DAY_REPLICATIONS",
        "day-replications",
        "Days simulated × replications: the work of one run",
    ),
    Limit("cba_draws", "HOMEWARD_CBA_MAX_DRAWS", "draws", "Monte Carlo draws of one cost–benefit appraisal"),
    Limit("import_rows", "HOMEWARD_IMPORT_MAX_ROWS", "rows", "Rows in one import of housing events"),
    Limit("import_megabytes", "HOMEWARD_IMPORT_MAX_MB", "MB", "Size of the files in one import"),
    Limit("upload_megabytes", "HOMEWARD_UPLOAD_MAX_MB", "MB", "Size of one uploaded file"),
    Limit(
        "job_memory_megabytes",
        "HOMEWARD_JOB_MEMORY_MB",
        "MB",
        "Memory one job may take beyond the worker's own (its address-space ceiling)",
    ),
    Limit(
        "jobs_active_per_organisation",
        "HOMEWARD_JOBS_MAX_ACTIVE",
        "jobs",
        "Jobs queued or running at once for one organisation",
    ),
    Limit(
        "evaluation_people",
        "HOMEWARD_EVALUATION_MAX_PEOPLE",
        "people",
        "People in one evaluation's data (from records or an imported people file)",
    ),
    Limit(
        "evaluation_activity_rows",
        "HOMEWARD_EVALUATION_MAX_ROWS",
        "rows",
        "Rows in one imported activity extract",
    ),
]


def limit(key: str) -> int:
    return int(settings.HOMEWARD_LIMITS[key])


def over(field: str, value: int, key: str, *, what: str) -> dict[str, str]:
    """{field: message} when `value` is over the limit `key`, else {}."""
    cap = limit(key)
    if value > cap:
        return {field: f"{what} is {value:,}; the limit is {cap:,} (setting {variable(key)})"}
    return {}


def check(field: str, value: int, key: str, *, what: str) -> None:
    if errors := over(field, value, key, what=what):
        raise ValidationFailed(errors)


def variable(key: str) -> str:
    return next(x.variable for x in LIMITS if x.key == key)
