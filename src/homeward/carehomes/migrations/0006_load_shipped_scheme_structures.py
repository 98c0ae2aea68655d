"""Load the early-warning scheme structures Homeward ships (data/early_warning/): NEWS2's parameters and
source, with no bands or points, so an administrator sees it and is told it cannot be turned on."""

from django.db import migrations


def load(apps, schema_editor):
    from homeward.carehomes.scoring import load_structures

    load_structures(apps.get_model("carehomes", "EarlyWarningScheme"))


def unload(apps, schema_editor):
    from homeward.carehomes.scoring import SHIPPED, read_structure

    schemes = apps.get_model("carehomes", "EarlyWarningScheme")
    for path in SHIPPED.glob("*.json"):
        data = read_structure(path)
        schemes.objects.filter(name=data["name"], version=data["version"], bands__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("carehomes", "0005_scheme_structure")]

    operations = [migrations.RunPython(load, unload)]
