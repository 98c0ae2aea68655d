"""Seed the unit costs added since 0003 (GMCA Unit Cost Database v1.4 rows HO3.0, HO1.0, HO6.0, HE14.0.1
and the National Audit of Intermediate Care 2014 costs per episode). Existing rows are left alone."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from homeward.outcomes.unitcosts import ensure_seeded

    ensure_seeded(apps.get_model("outcomes", "UnitCost"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_seed_unit_costs")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
