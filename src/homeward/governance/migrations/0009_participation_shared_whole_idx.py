"""The access layer's "shared with us in full" check, read by every person search on PostgreSQL: a partial
covering index on the participations that share a whole record (fields = []), by organisation and holder,
with the person and the end date in the index. The search's hashed check of those participations (tens of
thousands for a busy organisation) becomes an index-only scan of a few hundred pages instead of a bitmap
heap scan of thousands (benchmarks/bench_person_search.py; plans in docs/everyday-use.md)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS participation_shared_whole_idx ON governance_participation "
    "(organisation_id, owner_id, person_id) INCLUDE (ended_at) WHERE fields = '[]'::jsonb"
)
DROP = "DROP INDEX IF EXISTS participation_shared_whole_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("governance", "0008_agreement_purposes")]
    operations = [migrations.RunPython(forwards, backwards)]
