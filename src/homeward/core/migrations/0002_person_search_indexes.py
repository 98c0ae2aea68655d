"""Prefix-search indexes for names on PostgreSQL: lower(name) with text_pattern_ops so LIKE 'smi%' can use them
in any database collation (PostgreSQL docs, 11.10 "Operator Classes and Operator Families")."""

from django.db import migrations

INDEXES = [
    ("person_family_prefix_idx", "lower(family_name) text_pattern_ops, organisation_id"),
    ("person_given_prefix_idx", "lower(given_name) text_pattern_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(
            "CREATE INDEX person_family_prefix_idx ON core_person (family_name, organisation_id)"
        )
        return
    for name, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON core_person ({columns})")


def drop(apps, schema_editor):
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
