"""Person search by surname and date of birth ("mason 23/05/1962") on PostgreSQL: one index on the date of
birth then lower(family name) in the "C" collation, so the search is one tight index range (a handful of
rows) instead of a BitmapAnd of the date-of-birth index with every "Mason…" in the name index
(benchmarks/bench_person_search.py; the plan before and after is in docs/everyday-use.md)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_dob_name_idx ON core_person "
    '(date_of_birth, (lower(family_name) COLLATE "C"))'
)
DROP = "DROP INDEX IF EXISTS person_dob_name_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_person_search_by_organisation")]
    operations = [migrations.RunPython(forwards, backwards)]
