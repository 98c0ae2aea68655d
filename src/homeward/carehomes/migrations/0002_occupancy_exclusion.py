"""No room holds two residents at once, and no resident is in two rooms at once: PostgreSQL exclusion
constraints over [starts_on, ends_on) date ranges. The ids are compared as one-value int8 ranges with `=`,
which the built-in GiST range operator class supports, so no extension (btree_gist) is needed. SQLite has
no exclusion constraints: services._occupy checks there (and gives the clear message everywhere)."""

from django.db import migrations

CONSTRAINTS = {
    "carehome_room_no_overlap": "room_id",
    "carehome_resident_no_overlap": "resident_id",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE carehomes_occupancy ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"(int8range({column}, {column}, '[]') WITH =, daterange(starts_on, ends_on, '[)') WITH &&)"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE carehomes_occupancy DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("carehomes", "0001_initial")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
