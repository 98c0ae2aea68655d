"""Out-of-use history as intervals (a unit's spells out of use, so that their nights are not counted as
lettable), a spell opened for each unit out of use now (from the day its status began), the overlap refused
by PostgreSQL itself as for stays; and the people and place case's outcome note."""

import django.db.models.deletion
from django.db import migrations, models

EXCLUDE = """
ALTER TABLE housing_unitoutofuse ADD CONSTRAINT housing_out_of_use_no_overlap
  EXCLUDE USING gist (unit_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);
"""


def open_spells(apps, schema_editor):
    Unit = apps.get_model("housing", "Unit")
    UnitOutOfUse = apps.get_model("housing", "UnitOutOfUse")
    UnitOutOfUse.objects.bulk_create(
        UnitOutOfUse(unit_id=pk, starts_on=since, note=(note or "Out of use")[:300])
        for pk, since, note in Unit.objects.filter(status="out_of_use").values_list(
            "pk", "status_since", "status_note"
        )
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUDE)


def drop_spells(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE housing_unitoutofuse DROP CONSTRAINT IF EXISTS housing_out_of_use_no_overlap;"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0010_options_self_service"),
    ]

    operations = [
        migrations.AddField(
            model_name="peopleplacecase",
            name="outcome_note",
            field=models.CharField(blank=True, help_text="What was done, in a sentence", max_length=500),
        ),
        migrations.CreateModel(
            name="UnitOutOfUse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField(blank=True, null=True)),
                ("note", models.CharField(max_length=300)),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="out_of_use_spells",
                        to="housing.unit",
                    ),
                ),
            ],
            options={
                "ordering": ["starts_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True), ("ends_on__gt", models.F("starts_on")), _connector="OR"
                        ),
                        name="housing_out_of_use_ends_after_start",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("ends_on__isnull", True)),
                        fields=("unit",),
                        name="housing_one_open_out_of_use",
                    ),
                ],
            },
        ),
        migrations.RunPython(open_spells, drop_spells),
    ]
