"""Name search on PostgreSQL: lower(name) in the "C" collation, so one btree index serves both the prefix
match (LIKE 'smi%') and the ordering by name, and a search for a common surname stops after one page.
Replaces the text_pattern_ops indexes of 0002 (benchmarks/results/person_search.json has the figures)."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS person_name_order_idx ON core_person "
    '((lower(family_name) COLLATE "C"), (lower(given_name) COLLATE "C"), id)',
    'CREATE INDEX IF NOT EXISTS person_given_order_idx ON core_person ((lower(given_name) COLLATE "C"))',
    "DROP INDEX IF EXISTS person_family_prefix_idx",
    "DROP INDEX IF EXISTS person_given_prefix_idx",
]
REVERSE = [
    "DROP INDEX IF EXISTS person_name_order_idx",
    "DROP INDEX IF EXISTS person_given_order_idx",
    "CREATE INDEX IF NOT EXISTS person_family_prefix_idx ON core_person "
    "(lower(family_name) text_pattern_ops, organisation_id)",
    "CREATE INDEX IF NOT EXISTS person_given_prefix_idx ON core_person (lower(given_name) text_pattern_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_person_search_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
