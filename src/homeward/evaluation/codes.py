"""Codes of the evaluation app, defined once."""

from django.db import models


class EvaluationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class DataSource(models.TextChoices):
    RECORDS = "records", "Homeward's own records"
    EXTRACT = "extract", "An imported activity extract"


#: Measures built from Homeward's records (activity.py), with how each reads in a sentence.
RECORD_MEASURES = {
    "ae_attendances": "A&E attendances",
    "admissions": "non-elective admissions",
    "bed_days": "bed-days",
    "readmissions": "readmissions within 30 days",
    "link_worker_contacts": "link worker contacts",
    "arrears_episodes": "rent arrears episodes",
    "asb_reports": "anti-social behaviour reports",
    "tenancy_failures": "tenancy failures (evictions, abandonment)",
}
