"""Person search for every shape a receptionist types (benchmarks/bench_person_search.py):

- a postcode: an index on the stored (normalised) postcode;
- names within the searcher's own organisation: lower(family), lower(given) in the "C" collation after the
  organisation, so "j s" reads the organisation's people in name order and stops after one page, instead
  of every "S…" in the region (people.selectors searches the organisation's own records and the records
  shared with it as separate, index-sized queries)."""

from django.db import migrations, models

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_org_name_order_idx ON core_person "
    '(organisation_id, (lower(family_name) COLLATE "C"), (lower(given_name) COLLATE "C"), id)'
)
DROP = "DROP INDEX IF EXISTS person_org_name_order_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_alter_membership_role")]
    operations = [
        migrations.AddIndex(
            model_name="person", index=models.Index(fields=["postcode"], name="person_postcode_idx")
        ),
        migrations.RunPython(forwards, backwards),
    ]
