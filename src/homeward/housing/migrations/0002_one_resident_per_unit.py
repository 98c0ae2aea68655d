"""On PostgreSQL, the database itself refuses two residents in one unit on the same night: an exclusion
constraint over (unit, [starts_on, ends_on)) with btree_gist for the equality on the unit. SQLite has no
such constraint; `housing.occupancy.check_free` refuses the overlap there (and gives the clear message on
both)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE housing_occupancy ADD CONSTRAINT housing_one_resident_per_unit
  EXCLUDE USING gist (unit_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);
"""
DROP = "ALTER TABLE housing_occupancy DROP CONSTRAINT IF EXISTS housing_one_resident_per_unit;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
