"""Load the NHS England delay-reason lists Homeward ships (data/delay_reasons/): acute and community
Table 5 of January 2024, with the mapping of each blocker category."""

from django.db import migrations


def load(apps, schema_editor):
    from homeward.discharge.delay_reasons import SHIPPED, SHIPPED_KEYS, read_reason_list, write_reason_list

    lists = apps.get_model("discharge", "DelayReasonList")
    for key in SHIPPED_KEYS:
        if not lists.objects.filter(key=key).exists():
            write_reason_list(
                read_reason_list(SHIPPED / key),
                list_model=lists,
                reason_model=apps.get_model("discharge", "DelayReason"),
                mapping_model=apps.get_model("discharge", "DelayReasonMapping"),
            )


def unload(apps, schema_editor):
    from homeward.discharge.delay_reasons import SHIPPED_KEYS

    lists = apps.get_model("discharge", "DelayReasonList").objects.filter(key__in=SHIPPED_KEYS)
    apps.get_model("discharge", "DelayReasonMapping").objects.filter(reason_list__in=lists).delete()
    apps.get_model("discharge", "DelayReason").objects.filter(reason_list__in=lists).delete()
    lists.delete()


class Migration(migrations.Migration):
    dependencies = [("discharge", "0006_delay_reason_lists")]

    operations = [migrations.RunPython(load, unload)]
