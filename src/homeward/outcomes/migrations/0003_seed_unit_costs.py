"""Seed the sourced unit costs (outcomes/data/unit_costs.yaml). Rows an administrator has since changed
are left alone; re-running adds only keys that are missing."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from homeward.outcomes.unitcosts import ensure_seeded

    ensure_seeded(apps.get_model("outcomes", "UnitCost"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0002_unit_costs_business_cases")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
