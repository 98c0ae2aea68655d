"""On PostgreSQL a bed never holds two stays at once, by construction: an exclusion constraint refuses two
occupancy intervals on one bed whose [started_at, ended_at) ranges overlap (an open interval runs to
infinity). SQLite has no exclusion constraints: there the partial unique index on open intervals and the
service's overlap check under the bed's row lock (`occupancy.check_bed_free`) do the job."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE reablement_occupancy ADD CONSTRAINT reablement_occupancy_no_overlap
  EXCLUDE USING gist (bed_id WITH =, tstzrange(started_at, ended_at, '[)') WITH &&);
"""
DROP = "ALTER TABLE reablement_occupancy DROP CONSTRAINT IF EXISTS reablement_occupancy_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reablement", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
